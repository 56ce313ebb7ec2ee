-- Each card's pack and area (the browser's filters) are a number, of a row of `facets`, which
-- also counts the cards under it (the statistics screen's counts, before in `facet_counts`):
-- every card's facets repeated the pack's id and the area's name, in its row and in the index
-- by area (1.8 MB at 100k cards). The index by facet serves the filters by area and by pack.
-- A facet no card has any more keeps its row (with no cards), until its pack is removed, after
-- its cards' facets: so `facet` needs no foreign key (whose check would cost a lookup for
-- every card indexed).
CREATE TABLE facets (
  id      INTEGER PRIMARY KEY,
  pack_id TEXT NOT NULL,
  area    TEXT NOT NULL, -- the term's area, or the flash note's deck; '' for quiz questions
  cards   INTEGER NOT NULL,
  UNIQUE (pack_id, area)
) STRICT;
INSERT INTO facets (pack_id, area, cards)
  SELECT pack_id, area, cards FROM facet_counts ORDER BY pack_id, area;
-- (Counted as they are written, so none should be missing; any that is, is counted here.)
INSERT INTO facets (pack_id, area, cards)
  SELECT pack_id, area, count(*) FROM card_facets f
  WHERE NOT EXISTS (SELECT 1 FROM facets x WHERE x.pack_id = f.pack_id AND x.area = f.area)
  GROUP BY pack_id, area;
CREATE TABLE card_facets_next (
  card_id INTEGER PRIMARY KEY,
  doc     INTEGER NOT NULL UNIQUE, -- the card's row in card_search
  facet   INTEGER NOT NULL, -- facets(id)
  lessons TEXT NOT NULL -- space-separated keys of the lessons the card belongs to
) STRICT;
INSERT INTO card_facets_next (card_id, doc, facet, lessons)
  SELECT f.card_id, f.doc, x.id, f.lessons
  FROM card_facets f JOIN facets x ON x.pack_id = f.pack_id AND x.area = f.area
  ORDER BY f.card_id;
DROP TABLE card_facets;
ALTER TABLE card_facets_next RENAME TO card_facets;
CREATE INDEX card_facets_facet ON card_facets (facet);
DROP TABLE facet_counts;
