-- Two of the queue's indexes hold less. The one on (state, due) leaves out new cards, whose due
-- is NULL: they are found through the new-card indexes, and every query that walks this one
-- names `due` (a comparison, or `due IS NOT NULL`). The random order of new cards is their id
-- order, which an index on `new_queue` alone gives: SQLite keeps each entry's rowid, the id,
-- after its columns, so a second copy of it was 6 bytes an entry for nothing.
DROP INDEX cards_due;
CREATE INDEX cards_due ON cards (state, due) WHERE hidden = 0 AND due IS NOT NULL;
DROP INDEX cards_new_random;
CREATE INDEX cards_new_random ON cards (new_queue) WHERE state = 0 AND hidden = 0;
