-- Notes the learner writes and edits (issue 18).

-- A pack made in the app ("My cards"): its notes are the learner's own, not a pack file's.
ALTER TABLE packs ADD COLUMN personal INTEGER NOT NULL DEFAULT 0;

-- For a pack's note the learner edited: the pack's value of each field they changed (JSON
-- object by field name); `fields` holds their version. NULL when the note is as the pack has it.
ALTER TABLE notes ADD COLUMN pack_text TEXT;

-- Notes the learner deleted, kept so undo brings them back and a pack update does not
-- reinstall them. Their cards move to `retired_cards`; the review log keeps their answers.
CREATE TABLE deleted_notes (
  id        INTEGER PRIMARY KEY,
  pack_id   TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
  key       TEXT NOT NULL,
  kind      TEXT NOT NULL,
  fields    TEXT NOT NULL,
  position  INTEGER NOT NULL,
  pack_text TEXT,
  tags      TEXT NOT NULL -- JSON array: the note's tags when it was deleted
) STRICT;

-- Cards a note no longer asks (a cloze number taken out, a reverse card switched off) or whose
-- note was deleted, with their schedule, so they come back as they were.
CREATE TABLE retired_cards (
  id            INTEGER PRIMARY KEY,
  note_id       INTEGER NOT NULL,
  template      TEXT NOT NULL,
  position      INTEGER NOT NULL,
  state         INTEGER NOT NULL,
  due           INTEGER,
  stability     REAL,
  difficulty    REAL,
  step          INTEGER NOT NULL,
  interval_days REAL NOT NULL,
  last_review   INTEGER,
  reps          INTEGER NOT NULL,
  lapses        INTEGER NOT NULL,
  new_queue     INTEGER NOT NULL,
  hidden        INTEGER NOT NULL,
  buried_until  INTEGER
) STRICT;
CREATE INDEX retired_cards_note ON retired_cards (note_id);

-- A note as an undo step found it: JSON of its row, tags and cards; NULL if it did not exist.
CREATE TABLE undo_notes (
  action_id INTEGER NOT NULL REFERENCES undo_actions(id) ON DELETE CASCADE,
  note_id   INTEGER NOT NULL,
  before    TEXT,
  PRIMARY KEY (action_id, note_id)
) STRICT, WITHOUT ROWID;
