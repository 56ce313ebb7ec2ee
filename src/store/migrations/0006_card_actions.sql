-- A buried card has hidden bit 4 until the start of the day stored here (unix seconds); the
-- collection clears the bit once that instant has passed.
ALTER TABLE cards ADD COLUMN buried_until INTEGER;
-- New cards in random order: card ids are hashes, so id order is a fixed shuffle.
CREATE INDEX cards_new_random ON cards (new_queue, id) WHERE state = 0 AND hidden = 0;

-- The optimizer reads every card's answers in order: with these columns in the index, the walk
-- never touches the table.
DROP INDEX revlog_card;
CREATE INDEX revlog_card ON revlog (card_id, reviewed_at, rating, state_before);

-- The learner's tags on notes ('leech', and later their own), apart from the fields a pack owns.
CREATE TABLE note_tags (
  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  tag     TEXT NOT NULL,
  PRIMARY KEY (note_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX note_tags_tag ON note_tags (tag);

-- Undo covers every action, not only answers: each step keeps the cards it changed as they were,
-- plus the review row and the tags it added. A reset needs no record of its own: the next
-- answer starts from a new card, which is where FSRS reads a history from.
CREATE TABLE undo_actions (
  id        INTEGER PRIMARY KEY,
  action    TEXT NOT NULL,  -- 'answer', 'suspend', 'bury', 'reset', 'set_due', ...
  card_id   INTEGER,        -- the card it is about (the one answered), if one
  revlog_id INTEGER,        -- the answer's review row
  settings_before TEXT      -- JSON: the settings the action changed, as they were
) STRICT;
CREATE TABLE undo_cards (
  action_id    INTEGER NOT NULL REFERENCES undo_actions(id) ON DELETE CASCADE,
  card_id      INTEGER NOT NULL,
  schedule     TEXT,          -- JSON of the card's schedule before; NULL if the action kept it
  hidden       INTEGER NOT NULL,
  buried_until INTEGER,
  PRIMARY KEY (action_id, card_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX undo_cards_card ON undo_cards (card_id);
CREATE TABLE undo_tags (
  action_id INTEGER NOT NULL REFERENCES undo_actions(id) ON DELETE CASCADE,
  note_id   INTEGER NOT NULL,
  tag       TEXT NOT NULL,
  PRIMARY KEY (action_id, note_id, tag)
) STRICT, WITHOUT ROWID;

-- Answers recorded before this version stay undoable.
INSERT INTO undo_actions (id, action, card_id, revlog_id)
  SELECT id, 'answer', card_id, revlog_id FROM undo_steps;
INSERT INTO undo_cards (action_id, card_id, schedule, hidden, buried_until)
  SELECT u.id, u.card_id, u.card_before, coalesce(c.hidden, 0), NULL
  FROM undo_steps u LEFT JOIN cards c ON c.id = u.card_id;
DROP TABLE undo_steps;
