-- One timestamp convention: every instant in the schema is Unix milliseconds (UTC), as
-- revlog.reviewed_at, cards.last_review and quiz_attempts.taken_at already were. Due dates,
-- burials (also as undo saved them) and pack installs move from seconds; nothing else changes.
UPDATE cards SET due = due * 1000 WHERE due IS NOT NULL;
UPDATE cards SET buried_until = buried_until * 1000 WHERE buried_until IS NOT NULL;
UPDATE undo_cards SET buried_until = buried_until * 1000 WHERE buried_until IS NOT NULL;
UPDATE packs SET installed_at = installed_at * 1000;
