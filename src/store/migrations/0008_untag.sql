-- Undo of removing a tag: the step records the tags it removed (removed = 1), to put back, as well
-- as those it added (removed = 0), to take away.
ALTER TABLE undo_tags ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
