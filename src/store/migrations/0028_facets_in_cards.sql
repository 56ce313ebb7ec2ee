-- Each card's row of the browser's index (`doc`), facet and lessons are columns of `cards`, not
-- a table of their own: `card_facets` repeated every card's id in its rows and in its B-tree
-- (2.2 MB at 100k cards), and an import wrote each card twice. They are NULL while a card is
-- not indexed (between the write of its note and its index's, inside one transaction), and
-- `facet` has no foreign key, as before (store/migrations/0026_facet_numbers.sql).
-- The table is built again, in id order, rather than altered: each row growing in place would
-- split most pages of the table and leave them half full.
CREATE TABLE cards_next (
  id            INTEGER PRIMARY KEY,  -- derived from (note_id, template)
  note_id       INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  template      TEXT NOT NULL,          -- 'forward', 'reverse', 'quiz', a cloze's 'c1', …
  position      INTEGER NOT NULL,       -- order among new cards
  state         INTEGER NOT NULL DEFAULT 0, -- 0 new, 1 learning, 2 review, 3 relearning
  due           INTEGER,                -- unix milliseconds; NULL while new
  stability     REAL,                   -- FSRS memory, days
  difficulty    REAL,                   -- FSRS memory, 1..10
  step          INTEGER NOT NULL DEFAULT 0,
  interval_days REAL NOT NULL DEFAULT 0,
  last_review   INTEGER,                -- unix milliseconds
  reps          INTEGER NOT NULL DEFAULT 0,
  lapses        INTEGER NOT NULL DEFAULT 0,
  new_queue     INTEGER NOT NULL DEFAULT 1 CHECK (new_queue BETWEEN 0 AND 2),
  hidden        INTEGER NOT NULL DEFAULT 0,
  buried_until  INTEGER,                -- unix milliseconds
  doc           INTEGER,                -- the card's row in card_search
  facet         INTEGER,                -- facets(id): its pack and area
  lessons       TEXT                    -- space-separated keys of the lessons it belongs to
) STRICT;
INSERT INTO cards_next
  SELECT c.id, c.note_id, c.template, c.position, c.state, c.due, c.stability, c.difficulty,
         c.step, c.interval_days, c.last_review, c.reps, c.lapses, c.new_queue, c.hidden,
         c.buried_until, f.doc, f.facet, f.lessons
  FROM cards c LEFT JOIN card_facets f ON f.card_id = c.id
  ORDER BY c.id;
DROP TABLE cards;
DROP TABLE card_facets;
ALTER TABLE cards_next RENAME TO cards;
CREATE INDEX cards_note ON cards (note_id);
CREATE INDEX cards_new ON cards (new_queue, position) WHERE state = 0 AND hidden = 0;
CREATE INDEX cards_hidden ON cards (hidden) WHERE hidden > 0;
CREATE INDEX cards_due ON cards (state, due) WHERE hidden = 0 AND due IS NOT NULL;
CREATE UNIQUE INDEX cards_doc ON cards (doc);
CREATE INDEX cards_facet ON cards (facet);
-- The random order's index (migration 27) is built again after this SQL if that order is chosen.
