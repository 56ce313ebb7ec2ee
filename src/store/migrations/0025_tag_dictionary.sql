-- Each tag's name is stored once, in `tags`, and a note's tags as their numbers: `note_tags` and
-- its index by tag repeated the name in every row of both (4.9 MB for 100k tagged notes, where
-- most notes share a handful of tags). Names are never taken out of `tags`: one no note has is
-- left out of the browser's list, and tagging a note with it again finds its number. So a
-- number always names a tag, and `tag_id` needs no foreign key (whose check would cost a
-- lookup in `tags` for every tag an import writes).
CREATE TABLE tags (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO tags (name) SELECT DISTINCT tag FROM note_tags ORDER BY tag;
CREATE TABLE note_tags_next (
  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  tag_id  INTEGER NOT NULL, -- tags(id)
  PRIMARY KEY (note_id, tag_id)
) STRICT, WITHOUT ROWID;
INSERT INTO note_tags_next (note_id, tag_id)
  SELECT n.note_id, t.id FROM note_tags n JOIN tags t ON t.name = n.tag ORDER BY 1, 2;
DROP TABLE note_tags;
ALTER TABLE note_tags_next RENAME TO note_tags;
CREATE INDEX note_tags_tag ON note_tags (tag_id);
