-- The whole manifest of each installed pack (author, license, description…), so a pack can be
-- exported as it came. Packs installed before this version get it on their next install.
ALTER TABLE packs ADD COLUMN manifest TEXT; -- JSON
