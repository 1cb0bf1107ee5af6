-- Who cancelled a deletion (the person by signing in, or the facilitator who recorded it),
-- and indexes for what exports, erasure and the retention run look up by person or by age.
ALTER TABLE data_requests ADD COLUMN cancelled_by INTEGER REFERENCES users (id);

CREATE INDEX ballots_user ON ballots (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX voters_user ON voters (user_id);
CREATE INDEX attendance_user ON attendance (user_id);
CREATE INDEX iterations_publisher ON iterations (published_by);
CREATE INDEX prototypes_creator ON prototypes (created_by);
CREATE INDEX reports_reporter ON reports (reporter_id);
CREATE INDEX draft_conflicts_user ON draft_conflicts (user_id);
CREATE INDEX outbox_address ON outbox (to_address);
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
CREATE INDEX notifications_age ON notifications (created_at);
CREATE INDEX audit_log_age ON audit_log (at);
CREATE INDEX tower_sessions_user ON tower_sessions (user_id);
CREATE INDEX timeline_events_actor ON timeline_events (actor_id);
