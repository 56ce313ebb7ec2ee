-- The browser's index numbers its rows 1, 2, 3… in the order cards are indexed, not by card id:
-- each entry of a term's list is the gap to the row before, and card ids, hashes spread over
-- 2^53, made that gap about 6 bytes a card per term, most of the index (9.7 MB at 100k cards,
-- 2.2 MB with rows numbered so). `card_facets.doc` is the card's row (one index of it, to find
-- a match's card). The rows are filled again on the next open.
CREATE TABLE card_facets_next (
  card_id INTEGER PRIMARY KEY,
  doc     INTEGER NOT NULL UNIQUE, -- the card's row in card_search
  pack_id TEXT NOT NULL,
  area    TEXT NOT NULL, -- the term's area, or the flash note's deck; '' for quiz questions
  lessons TEXT NOT NULL  -- space-separated keys of the lessons the card belongs to
) STRICT;
INSERT INTO card_facets_next (card_id, doc, pack_id, area, lessons)
  SELECT card_id, row_number() OVER (ORDER BY card_id), pack_id, area, lessons FROM card_facets;
DROP TABLE card_facets;
ALTER TABLE card_facets_next RENAME TO card_facets;
CREATE INDEX card_facets_area ON card_facets (area);

DROP TABLE card_search;
CREATE VIRTUAL TABLE card_search USING fts5(
  prompt, answer, context,
  content = '', contentless_delete = 1, detail = none, tokenize = 'porter unicode61'
);

INSERT INTO settings (key, value)
  SELECT 'card_search_stale', 'true' WHERE EXISTS (SELECT 1 FROM cards)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
