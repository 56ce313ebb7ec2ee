-- Sync's events are stored in the order they arrive (a rowid table), not by their ids, which
-- are random: this device's events are written out in the order they were made, so marking a
-- segment's events written touches rows side by side instead of one page each, and a joining
-- device's million events go in at one end of the table. Measured on the events of a 1M-row
-- review log (docs/BENCHMARKS.md): storing them 16.7 -> 9.1 s, writing them out 32.3 -> 2.4 s.
-- The id stays the key, unique through its own index.
CREATE TABLE sync_events_by_arrival (
  id        BLOB NOT NULL PRIMARY KEY, -- 16-byte UUID; a review's is its review-log uuid
  device    BLOB NOT NULL,     -- the author's device id (16 bytes)
  seq       INTEGER,           -- the author's segment that carried it; NULL = ours, not written out yet
  hlc       INTEGER NOT NULL,  -- hybrid logical clock: milliseconds << 16 | counter
  kind      TEXT NOT NULL,
  card_id   INTEGER,           -- set for the events of a card's fold (answers, set schedules, retractions)
  at        INTEGER NOT NULL,  -- Unix milliseconds on the author's clock
  retracted INTEGER NOT NULL DEFAULT 0,
  body      BLOB NOT NULL      -- the event exactly as segments carry it (JSON)
) STRICT;
INSERT INTO sync_events_by_arrival (id, device, seq, hlc, kind, card_id, at, retracted, body)
  SELECT id, device, seq, hlc, kind, card_id, at, retracted, body FROM sync_events
  ORDER BY hlc, id;
DROP TABLE sync_events;
ALTER TABLE sync_events_by_arrival RENAME TO sync_events;
CREATE INDEX sync_events_card ON sync_events (card_id, at, hlc, id) WHERE card_id IS NOT NULL;
CREATE INDEX sync_events_outbox ON sync_events (hlc) WHERE seq IS NULL;
CREATE INDEX sync_events_reschedule ON sync_events (at, hlc, id) WHERE kind = 'reschedule';
