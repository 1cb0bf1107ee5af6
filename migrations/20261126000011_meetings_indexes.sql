-- Issue 10: the home page's recent decisions read the newest few decision events from an
-- index of their own, not by scanning every prototype's whole timeline.
CREATE INDEX timeline_events_decisions ON timeline_events (at DESC, id DESC) WHERE kind = 'decision';
