-- The statistics screen reads a year of answers from this summary instead of the review log
-- (5M rows a year at 1M cards): answers and time per quarter hour, by kind and rating. A quarter
-- hour is the finest step of any time zone's offset, so each one falls within a single learner's
-- day whatever the offset and rollover hour. Kind: learning (new, learning, relearning), young
-- (in review, last interval under 21 days) or mature. Triggers keep it in step with every write
-- to the log: answers, undo, sync, imports and removed packs (its rows are never updated).
-- The summary of an existing log is filled after this script, in Rust (store/review_quarters.rs).
CREATE TABLE review_quarters (
  quarter        INTEGER PRIMARY KEY, -- reviewed_at / 900000
  millis         INTEGER NOT NULL,
  learning_again INTEGER NOT NULL,
  learning_hard  INTEGER NOT NULL,
  learning_good  INTEGER NOT NULL,
  learning_easy  INTEGER NOT NULL,
  young_again    INTEGER NOT NULL,
  young_hard     INTEGER NOT NULL,
  young_good     INTEGER NOT NULL,
  young_easy     INTEGER NOT NULL,
  mature_again   INTEGER NOT NULL,
  mature_hard    INTEGER NOT NULL,
  mature_good    INTEGER NOT NULL,
  mature_easy    INTEGER NOT NULL
) STRICT;

CREATE TRIGGER review_quarters_insert AFTER INSERT ON revlog BEGIN
  INSERT INTO review_quarters
  SELECT q, ms, k = 0 AND r = 1, k = 0 AND r = 2, k = 0 AND r = 3, k = 0 AND r = 4,
         k = 1 AND r = 1, k = 1 AND r = 2, k = 1 AND r = 3, k = 1 AND r = 4,
         k = 2 AND r = 1, k = 2 AND r = 2, k = 2 AND r = 3, k = 2 AND r = 4
  FROM (SELECT NEW.reviewed_at / 900000 AS q, max(NEW.duration_ms, 0) AS ms, NEW.rating AS r,
          CASE WHEN NEW.state_before != 2 THEN 0 WHEN NEW.last_interval_days < 21 THEN 1
               ELSE 2 END AS k)
  WHERE true
  ON CONFLICT (quarter) DO UPDATE SET
    millis = millis + excluded.millis,
    learning_again = learning_again + excluded.learning_again,
    learning_hard = learning_hard + excluded.learning_hard,
    learning_good = learning_good + excluded.learning_good,
    learning_easy = learning_easy + excluded.learning_easy,
    young_again = young_again + excluded.young_again,
    young_hard = young_hard + excluded.young_hard,
    young_good = young_good + excluded.young_good,
    young_easy = young_easy + excluded.young_easy,
    mature_again = mature_again + excluded.mature_again,
    mature_hard = mature_hard + excluded.mature_hard,
    mature_good = mature_good + excluded.mature_good,
    mature_easy = mature_easy + excluded.mature_easy;
END;

CREATE TRIGGER review_quarters_delete AFTER DELETE ON revlog BEGIN
  UPDATE review_quarters SET
    millis = millis - ms,
    learning_again = learning_again - (k = 0 AND r = 1),
    learning_hard = learning_hard - (k = 0 AND r = 2),
    learning_good = learning_good - (k = 0 AND r = 3),
    learning_easy = learning_easy - (k = 0 AND r = 4),
    young_again = young_again - (k = 1 AND r = 1),
    young_hard = young_hard - (k = 1 AND r = 2),
    young_good = young_good - (k = 1 AND r = 3),
    young_easy = young_easy - (k = 1 AND r = 4),
    mature_again = mature_again - (k = 2 AND r = 1),
    mature_hard = mature_hard - (k = 2 AND r = 2),
    mature_good = mature_good - (k = 2 AND r = 3),
    mature_easy = mature_easy - (k = 2 AND r = 4)
  FROM (SELECT OLD.reviewed_at / 900000 AS q, max(OLD.duration_ms, 0) AS ms, OLD.rating AS r,
          CASE WHEN OLD.state_before != 2 THEN 0 WHEN OLD.last_interval_days < 21 THEN 1
               ELSE 2 END AS k)
  WHERE quarter = q;
END;

-- Cards by pack and area, for the statistics screen's pack and area counts (a scan of every
-- card's facets otherwise), kept in step with `card_facets` by triggers.
CREATE TABLE facet_counts (
  pack_id TEXT NOT NULL,
  area    TEXT NOT NULL,
  cards   INTEGER NOT NULL,
  PRIMARY KEY (pack_id, area)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER facet_counts_insert AFTER INSERT ON card_facets BEGIN
  INSERT INTO facet_counts VALUES (NEW.pack_id, NEW.area, 1)
  ON CONFLICT (pack_id, area) DO UPDATE SET cards = cards + 1;
END;

CREATE TRIGGER facet_counts_delete AFTER DELETE ON card_facets BEGIN
  UPDATE facet_counts SET cards = cards - 1 WHERE pack_id = OLD.pack_id AND area = OLD.area;
END;

CREATE TRIGGER facet_counts_update AFTER UPDATE OF pack_id, area ON card_facets BEGIN
  UPDATE facet_counts SET cards = cards - 1 WHERE pack_id = OLD.pack_id AND area = OLD.area;
  INSERT INTO facet_counts VALUES (NEW.pack_id, NEW.area, 1)
  ON CONFLICT (pack_id, area) DO UPDATE SET cards = cards + 1;
END;

INSERT INTO facet_counts SELECT pack_id, area, count(*) FROM card_facets GROUP BY pack_id, area;
