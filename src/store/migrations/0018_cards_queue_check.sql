-- `CHECK (new_queue IN (0, 1, 2))` built a temporary B-tree of the list for every card written:
-- 5 % of a 100k-card import went to opening and closing it. The same rule as a range check
-- costs two comparisons. SQLite cannot change a CHECK in place, so the table is built again
-- (the rows keep their ids, so nothing that refers to a card changes); its comments now give
-- the units migration 9 moved to.
CREATE TABLE cards_next (
  id            INTEGER PRIMARY KEY,
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
  buried_until  INTEGER,                -- unix milliseconds
  UNIQUE (note_id, template)
) STRICT;
INSERT INTO cards_next (id, note_id, template, position, state, due, stability, difficulty, step,
    interval_days, last_review, reps, lapses, new_queue, hidden, buried_until)
  SELECT id, note_id, template, position, state, due, stability, difficulty, step,
    interval_days, last_review, reps, lapses, new_queue, hidden, buried_until
  FROM cards;
DROP TABLE cards;
ALTER TABLE cards_next RENAME TO cards;
CREATE INDEX cards_due ON cards (state, due) WHERE hidden = 0;
CREATE INDEX cards_new ON cards (new_queue, position) WHERE state = 0 AND hidden = 0;
CREATE INDEX cards_new_random ON cards (new_queue, id) WHERE state = 0 AND hidden = 0;
CREATE INDEX cards_hidden ON cards (hidden) WHERE hidden > 0;
