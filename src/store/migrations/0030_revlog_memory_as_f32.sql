-- The log's FSRS memory values (stability and difficulty, before and after each answer) are
-- the scheduler's f32s; as REAL, SQLite kept each in 8 bytes. Stored as the f32's bit pattern
-- (`store::encoding::F32Bits`, a 4-byte integer) they read back exactly: a million-row log's
-- rows take 75 MB instead of 90. Row ids stay (undo names its answer's row by id).
CREATE TABLE revlog_next (
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
  stability_before  INTEGER,          -- FSRS memory: f32 bits (F32Bits), NULL for a new card
  difficulty_before INTEGER,
  stability_after   INTEGER NOT NULL,
  difficulty_after  INTEGER NOT NULL,
  last_interval_days REAL NOT NULL DEFAULT 0
) STRICT;
INSERT INTO revlog_next (id, uuid, card_id, reviewed_at, rating, elapsed_days, interval_days,
    duration_ms, state_before, state_after, stability_before, difficulty_before,
    stability_after, difficulty_after, last_interval_days)
  SELECT id, uuid, card_id, reviewed_at, rating, elapsed_days, interval_days, duration_ms,
    state_before, state_after, f32_bits(stability_before), f32_bits(difficulty_before),
    f32_bits(stability_after), f32_bits(difficulty_after), last_interval_days
  FROM revlog ORDER BY id;
DROP TABLE revlog;
ALTER TABLE revlog_next RENAME TO revlog;
CREATE INDEX revlog_card ON revlog (card_id, reviewed_at, rating, state_before);
