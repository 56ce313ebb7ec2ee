-- A note's id is a hash of its pack and key, and a card's of its note and template, so the
-- primary keys already keep (pack_id, key) and (note_id, template) unique: the UNIQUE
-- constraints' indexes held a second copy of every key and template (3.2 MB at 100k cards) and
-- took a lookup per row written. What those indexes served, finding a pack's notes and a note's
-- cards, is served by plain indexes, which a bulk import builds once at the end. SQLite cannot
-- drop a constraint in place, so both tables are built again (rows keep their ids). Runs with
-- foreign keys off (dropping `notes` would otherwise delete every card through the cascade);
-- the migration checks them before it commits.
CREATE TABLE notes_next (
  id        INTEGER PRIMARY KEY, -- derived from (pack_id, key)
  pack_id   TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
  key       TEXT NOT NULL,
  kind      TEXT NOT NULL,
  fields    TEXT NOT NULL, -- JSON, shape given by `kind`
  position  INTEGER NOT NULL,
  pack_text TEXT           -- JSON: the pack's value of each field the learner changed
) STRICT;
INSERT INTO notes_next (id, pack_id, key, kind, fields, position, pack_text)
  SELECT id, pack_id, key, kind, fields, position, pack_text FROM notes;
DROP TABLE notes;
ALTER TABLE notes_next RENAME TO notes;
CREATE INDEX notes_pack ON notes (pack_id);

CREATE TABLE cards_next (
  id            INTEGER PRIMARY KEY,  -- derived from (note_id, template)
  note_id       INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  template      TEXT NOT NULL,          -- 'forward', 'reverse', 'quiz', a cloze's 'c1', …
  position      INTEGER NOT NULL,       -- order among new cards
  state         INTEGER NOT NULL DEFAULT 0, -- 0 new, 1 learning, 2 review, 3 relearning
  due           INTEGER,                -- unix milliseconds; NULL while new
  stability     REAL,                   -- FSRS memory, days
  difficulty    REAL,                   -- FSRS memory, 1..10
  step          INTEGER NOT NULL DEFAULT 0,
  interval_days REAL NOT NULL DEFAULT 0,
  last_review   INTEGER,                -- unix milliseconds
  reps          INTEGER NOT NULL DEFAULT 0,
  lapses        INTEGER NOT NULL DEFAULT 0,
  new_queue     INTEGER NOT NULL DEFAULT 1 CHECK (new_queue BETWEEN 0 AND 2),
  hidden        INTEGER NOT NULL DEFAULT 0,
  buried_until  INTEGER                 -- unix milliseconds
) STRICT;
INSERT INTO cards_next (id, note_id, template, position, state, due, stability, difficulty, step,
    interval_days, last_review, reps, lapses, new_queue, hidden, buried_until)
  SELECT id, note_id, template, position, state, due, stability, difficulty, step,
    interval_days, last_review, reps, lapses, new_queue, hidden, buried_until
  FROM cards;
DROP TABLE cards;
ALTER TABLE cards_next RENAME TO cards;
CREATE INDEX cards_note ON cards (note_id);
CREATE INDEX cards_due ON cards (state, due) WHERE hidden = 0;
CREATE INDEX cards_new ON cards (new_queue, position) WHERE state = 0 AND hidden = 0;
CREATE INDEX cards_new_random ON cards (new_queue, id) WHERE state = 0 AND hidden = 0;
CREATE INDEX cards_hidden ON cards (hidden) WHERE hidden > 0;
