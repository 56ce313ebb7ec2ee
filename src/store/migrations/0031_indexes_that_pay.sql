-- Two indexes that cost more than they saved, measured on the 100k-note Anki import's
-- collection (docs/BENCHMARKS.md, sixteenth session):
-- * `notes_pack` (2.25 MB: the pack's id, as text, in an entry per note) found a pack's notes
--   for work done a pack at a time (installing, enabling, exporting, removing it), which now
--   reads the notes in one pass (9-20 ms at 100k); the Packs screen counts a pack's cards from
--   `facets` and its notes in one grouped pass, as fast as before.
-- * `note_tags_tag` (1.61 MB) served only the browser's list of tags in use, which a pass over
--   `note_tags` now gives (2.2 ms at 100k, against 0.06 ms). Filtering by a tag seeks each
--   card's note in the primary key, as before.
DROP INDEX notes_pack;
DROP INDEX note_tags_tag;
