-- The statistics screen reads a year of answers from this summary instead of the review log
-- (5M rows a year at 1M cards): answers and time per quarter hour, by kind and rating. A quarter
-- hour is the finest step of any time zone's offset, so each one falls within a single learner's
-- day whatever the offset and rollover hour. Kind: learning (new, learning, relearning), young
-- (in review, last interval under 21 days) or mature. The code that writes the log keeps it in
-- step (store/review_quarters.rs): answers, imports, undo, sync and removed packs. Not triggers:
-- a trigger gives each insert a statement savepoint, and at each one SQLite's full-text index
-- writes out what it holds in memory, which cost an import of 100k notes 3 s more (8 s against 11).
-- The summary of an existing log is filled after this script, in Rust.
CREATE TABLE review_quarters (
  quarter        INTEGER PRIMARY KEY, -- reviewed_at in quarter hours (ms / 900000, rounded down)
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

-- Cards by pack and area, for the statistics screen's pack and area counts (a scan of every
-- card's facets otherwise), kept in step with `card_facets` where it is written
-- (store/search_index.rs).
CREATE TABLE facet_counts (
  pack_id TEXT NOT NULL,
  area    TEXT NOT NULL,
  cards   INTEGER NOT NULL,
  PRIMARY KEY (pack_id, area)
) STRICT, WITHOUT ROWID;

INSERT INTO facet_counts SELECT pack_id, area, count(*) FROM card_facets GROUP BY pack_id, area;
