-- The card browser's index keeps only what it matches on (contentless FTS5): the rows it shows
-- render their text from the notes, so the collection no longer holds every card's text twice.
-- contentless_delete lets a card's entry be deleted by its rowid, as before.
DROP TABLE card_search;
CREATE VIRTUAL TABLE card_search USING fts5(
  prompt, answer, context,
  content = '', contentless_delete = 1, tokenize = 'porter unicode61'
);

-- Filled again on the next open, as for a collection from before the index.
INSERT INTO settings (key, value)
  SELECT 'card_search_stale', 'true' WHERE EXISTS (SELECT 1 FROM cards)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
