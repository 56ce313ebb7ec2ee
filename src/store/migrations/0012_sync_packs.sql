-- Imported packs travel between devices as content-addressed blobs (docs/SYNC.md).

-- Files of packs imported here, waiting to be written to the sync target (then deleted here).
CREATE TABLE sync_blobs (
  hash  TEXT PRIMARY KEY,   -- blake3 of the bytes, hex
  name  TEXT NOT NULL,      -- the file's name (its extension says its format)
  bytes BLOB NOT NULL
) STRICT;

-- Which file each imported pack here came from (by hash), so a pack register naming another
-- file is fetched and imported; `failed` if that file could not be imported here.
CREATE TABLE sync_packs (
  pack_id TEXT PRIMARY KEY,
  hash    TEXT NOT NULL,
  failed  TEXT
) STRICT;
