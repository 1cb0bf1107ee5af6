-- The mailer asks for mail_state = 'new' and = 'digest' by literal, one state at a time; a
-- partial index on IN (...) is never used for those, so each state gets its own.
DROP INDEX notifications_mail;
CREATE INDEX notifications_mail_new ON notifications (user_id, id) WHERE mail_state = 'new';
CREATE INDEX notifications_mail_digest ON notifications (user_id, id) WHERE mail_state = 'digest';

-- A calendar invite (iCalendar text) sent with an email as an attachment: a meeting's.
ALTER TABLE outbox ADD COLUMN calendar TEXT;
