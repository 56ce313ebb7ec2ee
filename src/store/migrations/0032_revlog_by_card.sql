-- The review log kept in the order it is read: by card, then time. A table without row ids
-- whose primary key is (card_id, reviewed_at, uuid) holds each answer once, where the card's
-- history (the card pane, sync's fold, recomputing memory) reads it, and finds an answer by
-- its card and id (undo, sync). The row ids, the unique index on `uuid` and the index by card
-- each held a copy of what the key now holds once: at a million answers the log took 132 MB
-- (rows 75, UUID index 29, card index 28), and takes 71 MB (docs/BENCHMARKS.md, sixteenth
-- session). An answer's id stays unique: every answer is written with its own card and time
-- (a UUIDv7 is stamped with the answer's moment, an imported UUIDv5 named by card and time).
--
-- Undo named the answer a step added by its row id: it names it by card and id.
ALTER TABLE undo_actions ADD COLUMN review_card INTEGER;
ALTER TABLE undo_actions ADD COLUMN review_uuid BLOB;
UPDATE undo_actions SET (review_card, review_uuid) =
    (SELECT card_id, uuid FROM revlog WHERE revlog.id = undo_actions.revlog_id)
  WHERE revlog_id IS NOT NULL;
ALTER TABLE undo_actions DROP COLUMN revlog_id;
CREATE TABLE revlog_by_card (
  card_id           INTEGER NOT NULL,
  reviewed_at       INTEGER NOT NULL, -- unix milliseconds, UTC
  uuid              BLOB NOT NULL,    -- the answer's id: a UUIDv7 given here, a v5 imported
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
  last_interval_days REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (card_id, reviewed_at, uuid)
) STRICT, WITHOUT ROWID;
INSERT INTO revlog_by_card (card_id, reviewed_at, uuid, rating, elapsed_days, interval_days,
    duration_ms, state_before, state_after, stability_before, difficulty_before,
    stability_after, difficulty_after, last_interval_days)
  SELECT card_id, reviewed_at, uuid, rating, elapsed_days, interval_days, duration_ms,
    state_before, state_after, stability_before, difficulty_before, stability_after,
    difficulty_after, last_interval_days
  FROM revlog ORDER BY card_id, reviewed_at, uuid;
DROP TABLE revlog;
ALTER TABLE revlog_by_card RENAME TO revlog;
