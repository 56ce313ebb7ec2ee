-- The card browser's index keeps which cards hold each term, not where in them (detail = none):
-- the browser matches every word of a search anywhere in a card, as a prefix, and never asks
-- for a phrase, a column or a word's place. Card ids are hashes spread over 2^53, so each entry
-- is mostly the gap to the card before; the places were most of the rest. 16.1 -> 8.8 MB at 100k
-- cards.
DROP TABLE card_search;
CREATE VIRTUAL TABLE card_search USING fts5(
  prompt, answer, context,
  content = '', contentless_delete = 1, detail = none, tokenize = 'porter unicode61'
);

-- Filled again on the next open, as for a collection from before the index.
INSERT INTO settings (key, value)
  SELECT 'card_search_stale', 'true' WHERE EXISTS (SELECT 1 FROM cards)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
