-- Cards hidden from study: bit 1 = suspended, bit 2 = its pack is disabled. Hidden cards keep
-- their schedule and history and come back as they were.
ALTER TABLE cards ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE packs ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;

-- The queue indexes cover only cards that may be shown.
DROP INDEX cards_due;
CREATE INDEX cards_due ON cards (state, due) WHERE hidden = 0;
DROP INDEX cards_new;
CREATE INDEX cards_new ON cards (new_queue, position) WHERE state = 0 AND hidden = 0;
-- The smallest index of cards: counts all of them, and the hidden ones, cheaply. An answer does not
-- change `hidden`, so it costs answers nothing.
CREATE INDEX cards_hidden ON cards (hidden);
