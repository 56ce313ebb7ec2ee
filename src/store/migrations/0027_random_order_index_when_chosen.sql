-- The index of new cards in random order (`cards_new_random`: within each queue, by id, a hash)
-- is kept only while the learner's new-card order is random: in the lessons' order (the
-- default) nothing reads it, and every new card wrote an entry to it (1.15 MB at 100k cards).
-- Dropped here, after this SQL, unless that order is chosen (store/migrations.rs); the code
-- writing the settings builds or drops it as the order changes (store/queue.rs).
SELECT 1;
