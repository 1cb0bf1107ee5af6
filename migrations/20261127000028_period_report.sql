-- The collaborative's report (`/report`, issue 12) reads one period across every prototype:
-- the stage moves and creations in it (timeline events by kind and time; the timeline's own
-- index is by prototype, so this was a scan of every event), and the motions decided in it
-- (motions were indexed by meeting only). Rounds are found by `rounds_closes`, readings per
-- measure and day by `readings_measure`, and decisions on timelines by
-- `timeline_events_decisions`, which exist already.
CREATE INDEX timeline_events_kind_at ON timeline_events (kind, at);
CREATE INDEX motions_decided ON motions (decided_at);
