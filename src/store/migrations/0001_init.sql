-- Packs installed in the collection (the built-in one and imported ones).
CREATE TABLE packs (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  version      TEXT NOT NULL,
  -- blake3 of the pack's files, to skip reinstalling an unchanged pack.
  content_hash TEXT NOT NULL,
  installed_at INTEGER NOT NULL -- unix seconds
) STRICT;

-- A note is one thing to learn (a term; later a quiz question). Its id is derived from the pack
-- id and the note's key, so updates keep progress.
CREATE TABLE notes (
  id       INTEGER PRIMARY KEY,
  pack_id  TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  kind     TEXT NOT NULL,
  fields   TEXT NOT NULL, -- JSON, shape given by `kind`
  position INTEGER NOT NULL,
  UNIQUE (pack_id, key)
) STRICT;

CREATE TABLE cards (
  id            INTEGER PRIMARY KEY,
  note_id       INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  template      TEXT NOT NULL,          -- 'forward' (term -> definition) or 'reverse'
  position      INTEGER NOT NULL,       -- order among new cards
  state         INTEGER NOT NULL DEFAULT 0, -- 0 new, 1 learning, 2 review, 3 relearning
  due           INTEGER,                -- unix seconds; NULL while new
  stability     REAL,                   -- FSRS memory, days
  difficulty    REAL,                   -- FSRS memory, 1..10
  step          INTEGER NOT NULL DEFAULT 0,
  interval_days REAL NOT NULL DEFAULT 0,
  last_review   INTEGER,                -- unix milliseconds
  reps          INTEGER NOT NULL DEFAULT 0,
  lapses        INTEGER NOT NULL DEFAULT 0,
  UNIQUE (note_id, template)
) STRICT;
CREATE INDEX cards_due ON cards (state, due);
CREATE INDEX cards_new ON cards (position) WHERE state = 0;

-- One row per answer, append-only. `uuid` is globally unique (UUIDv7), so logs from several
-- devices can be merged and card states recomputed from them.
CREATE TABLE revlog (
  id                INTEGER PRIMARY KEY,
  uuid              BLOB NOT NULL UNIQUE,
  card_id           INTEGER NOT NULL,
  reviewed_at       INTEGER NOT NULL, -- unix milliseconds, UTC
  rating            INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
  elapsed_days      INTEGER NOT NULL, -- learner's days since the previous review
  interval_days     REAL NOT NULL,    -- interval given by this answer (fractions: same-day steps)
  duration_ms       INTEGER NOT NULL,
  state_before      INTEGER NOT NULL,
  state_after       INTEGER NOT NULL,
  stability_before  REAL,
  difficulty_before REAL,
  stability_after   REAL NOT NULL,
  difficulty_after  REAL NOT NULL
) STRICT;
CREATE INDEX revlog_card ON revlog (card_id, reviewed_at);
CREATE INDEX revlog_time ON revlog (reviewed_at);

-- Undo: the card as it was before each answer, newest last; trimmed to the last 50.
CREATE TABLE undo_steps (
  id          INTEGER PRIMARY KEY,
  card_id     INTEGER NOT NULL,
  revlog_id   INTEGER NOT NULL,
  card_before TEXT NOT NULL -- JSON of the card's schedule
) STRICT;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL -- JSON
) STRICT;
