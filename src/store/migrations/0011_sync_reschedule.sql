-- The latest `reschedule` event (new FSRS parameters, retention or maximum interval adopted on
-- some device) is where every card's fold recomputes memory and due date; found at each fold.
CREATE INDEX sync_events_reschedule ON sync_events (at, hlc, id) WHERE kind = 'reschedule';
