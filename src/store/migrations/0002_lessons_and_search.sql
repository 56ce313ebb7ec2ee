-- Lessons as installed from packs; their quizzes arrive with learn-then-review.
CREATE TABLE lessons (
  id       INTEGER PRIMARY KEY,
  pack_id  TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  fields   TEXT NOT NULL, -- JSON of the lesson
  position INTEGER NOT NULL,
  UNIQUE (pack_id, key)
) STRICT;

-- Full-text search over terms and lessons, rebuilt per pack on install. Porter stemming so
-- "scheduling" finds "scheduler"; unicode61 folds case and accents.
CREATE VIRTUAL TABLE search USING fts5(
  kind UNINDEXED,    -- 'term' or 'lesson'
  key UNINDEXED,     -- the id inside the pack
  pack_id UNINDEXED,
  name UNINDEXED,    -- what to show: the term's name or the lesson's title
  title,             -- name and aliases, or lesson title
  body,              -- plain text: definition and explanation, or summary and lesson body
  tokenize = 'porter unicode61'
);

-- Packs installed before this version have no lessons or search rows yet: make the next start
-- reinstall them (progress is keyed by stable ids and is kept).
UPDATE packs SET content_hash = '';
