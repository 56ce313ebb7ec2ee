-- Nearly every card is visible (hidden = 0); the index on `hidden` serves only queries for the
-- others (suspended, buried, in a disabled pack), so it keeps only those: 1.5 MB less at 100k
-- cards, and one index fewer to write per new card. Its queries say `hidden > 0` to use it.
DROP INDEX cards_hidden;
CREATE INDEX cards_hidden ON cards (hidden) WHERE hidden > 0;
