-- True retention splits reviews of young and mature cards by the interval the card had before the
-- answer (mature: 21 days or more), as Anki does. Answers logged before this version take it from
-- the card's previous answer.
ALTER TABLE revlog ADD COLUMN last_interval_days REAL NOT NULL DEFAULT 0;
UPDATE revlog SET last_interval_days = coalesce((
  SELECT p.interval_days FROM revlog p
  WHERE p.card_id = revlog.card_id
    AND (p.reviewed_at < revlog.reviewed_at
         OR (p.reviewed_at = revlog.reviewed_at AND p.id < revlog.id))
  ORDER BY p.reviewed_at DESC, p.id DESC LIMIT 1), 0);

-- The statistics read a year of answers by time: with the columns they count in the index, the
-- scan never touches the table.
DROP INDEX revlog_time;
CREATE INDEX revlog_time ON revlog (reviewed_at, rating, state_before, duration_ms, last_interval_days);

-- The card browser's full-text index: each card's prompt and answer as shown, and its context
-- (area, lessons, deck, tags); rowid = card id. Filled by Rust (it renders the cards), at install
-- and, for collections from before this version, on first open.
CREATE VIRTUAL TABLE card_search USING fts5(prompt, answer, context, tokenize = 'porter unicode61');

-- What the browser filters and the statistics count cards by, in a narrow table of its own: a
-- scan of it reads a few bytes a card, not its text.
CREATE TABLE card_facets (
  card_id INTEGER PRIMARY KEY,
  pack_id TEXT NOT NULL,
  area    TEXT NOT NULL, -- the term's area, or the flash note's deck; '' for quiz questions
  lessons TEXT NOT NULL  -- space-separated keys of the lessons the card belongs to
) STRICT;
CREATE INDEX card_facets_area ON card_facets (area);

-- Collections with cards already: index them on the next open.
INSERT INTO settings (key, value)
  SELECT 'card_search_stale', 'true' WHERE EXISTS (SELECT 1 FROM cards);
