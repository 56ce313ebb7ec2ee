-- The statistics read the per-quarter summary (migration 15), not the log: the time index now
-- serves only today's answered counts, which read `state_before`. Its other columns cost 10 MB
-- per million answers and a wider entry written with every answer.
DROP INDEX revlog_time;
CREATE INDEX revlog_time ON revlog (reviewed_at, state_before);
