-- Sync between devices (docs/SYNC.md). While sync is on, every change is also an event; the
-- events of every device meet here, and cards, the review log, suspensions, tags and settings
-- are what folding them gives.

-- This device's sync settings and identity: target, device id and name, collection id, clock.
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Every event this device knows, its own and the other devices'.
CREATE TABLE sync_events (
  id        BLOB PRIMARY KEY,  -- 16-byte UUID; a review's is its review-log uuid
  device    BLOB NOT NULL,     -- the author's device id (16 bytes)
  seq       INTEGER,           -- the author's segment that carried it; NULL = ours, not written out yet
  hlc       INTEGER NOT NULL,  -- hybrid logical clock: milliseconds << 16 | counter
  kind      TEXT NOT NULL,
  card_id   INTEGER,           -- set for the events of a card's fold (answers, set schedules, retractions)
  at        INTEGER NOT NULL,  -- Unix milliseconds on the author's clock
  retracted INTEGER NOT NULL DEFAULT 0,
  body      BLOB NOT NULL      -- the event exactly as segments carry it (JSON)
) STRICT, WITHOUT ROWID;
CREATE INDEX sync_events_card ON sync_events (card_id, at, hlc, id) WHERE card_id IS NOT NULL;
CREATE INDEX sync_events_outbox ON sync_events (hlc) WHERE seq IS NULL;

-- What each card's events fold to: the last live event, and the schedule it leaves.
CREATE TABLE sync_cards (
  card_id  INTEGER PRIMARY KEY,
  head     BLOB NOT NULL,
  schedule TEXT NOT NULL      -- JSON
) STRICT;

-- Segment files read (or written) already, by device and file name.
CREATE TABLE sync_segments (
  device BLOB NOT NULL,
  name   TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  hash   BLOB NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (device, name)
) STRICT;

-- Last-writer-wins registers (suspension, tags, settings): the value of the newest write.
CREATE TABLE sync_registers (
  scope  TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,      -- JSON
  hlc    INTEGER NOT NULL,
  device BLOB NOT NULL,
  PRIMARY KEY (scope, key)
) STRICT;

-- The devices seen in the sync target, as their own files describe them.
CREATE TABLE sync_devices (
  id        BLOB PRIMARY KEY,
  name      TEXT NOT NULL,
  version   TEXT NOT NULL,
  last_seen INTEGER NOT NULL  -- Unix milliseconds: the device's last write-out
) STRICT;
