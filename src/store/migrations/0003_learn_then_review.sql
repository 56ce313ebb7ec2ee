-- Areas of each pack, for the library's overview.
CREATE TABLE areas (
  id       INTEGER PRIMARY KEY,
  pack_id  TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  fields   TEXT NOT NULL, -- JSON of the area
  position INTEGER NOT NULL,
  UNIQUE (pack_id, key)
) STRICT;

-- Diagrams and pictures of lessons and terms, served inline so the app needs no file access.
CREATE TABLE media (
  pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
  path    TEXT NOT NULL, -- 'media/<file>', as the Markdown names it
  data    BLOB NOT NULL,
  PRIMARY KEY (pack_id, path)
) STRICT, WITHOUT ROWID;

-- Every time a lesson's quiz is taken. Keyed by the lesson's stable key, not a row id, so the
-- history outlives reinstalling the pack, like the review log.
CREATE TABLE quiz_attempts (
  id         INTEGER PRIMARY KEY,
  pack_id    TEXT NOT NULL,
  lesson_key TEXT NOT NULL,
  taken_at   INTEGER NOT NULL, -- unix milliseconds, UTC
  correct    INTEGER NOT NULL,
  total      INTEGER NOT NULL
) STRICT;
CREATE INDEX quiz_attempts_lesson ON quiz_attempts (pack_id, lesson_key, taken_at);

-- Which new cards are introduced first: 0 = from a lesson the learner finished, 1 = the rest,
-- 2 = a quiz question whose lesson is not finished yet (never shown).
ALTER TABLE cards ADD COLUMN new_queue INTEGER NOT NULL DEFAULT 1 CHECK (new_queue IN (0, 1, 2));
DROP INDEX cards_new;
CREATE INDEX cards_new ON cards (new_queue, position) WHERE state = 0;

-- Reinstall packs so their areas, media and quiz questions arrive (progress is kept).
UPDATE packs SET content_hash = '';
