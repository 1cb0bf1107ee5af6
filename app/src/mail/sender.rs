//! The sender: a background job that hands due outbox messages to the SMTP server, marks
//! each sent once, retries failures with exponential backoff and gives up after
//! `GIVE_UP_AFTER` (or when a one-time link in it runs out). One instance runs the job (its
//! lease), and each message is claimed before it is sent (`store::claim`), so even a sender
//! that outlives its lease never sends a message another is sending.
//!
//! Exactly once, nearly: a message is marked sent after the server accepts it, so a crash
//! between the two sends that one message again once its claim runs out (`CLAIM_SECS`; at
//! most one per crash, since messages are sent one at a time); a crash before the send
//! loses nothing.

use std::{sync::Arc, time::Duration};

use lettre::{
    message::{
        header::{ContentType, Header, HeaderName, HeaderValue},
        Attachment, Mailbox, MultiPart,
    },
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sqlx::SqlitePool;

use super::store;
use crate::{error::AppError, jobs::Job, time::now};

/// How long the sender keeps trying one message before it gives up and shows the failure.
pub const GIVE_UP_AFTER: i64 = 2 * 86_400;
/// Messages handed over per run; the rest wait for the next run, seconds later.
const BATCH: i64 = 20;
/// How long a claimed message is left alone: longer than one send can take (each SMTP step
/// times out after 30 s).
pub const CLAIM_SECS: i64 = 120;

/// Seconds to wait after the `attempts`-th failure: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 8) - 1;
    (30 * (1_i64 << doublings)).min(3600)
}

/// What the sender does with a failure: try again later, or give up for good.
#[derive(Debug, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(i64),
    GiveUp,
}

/// `permanent` is a failure no retry will mend (the server refused the address for good, or
/// the address does not parse).
pub fn after_failure(created_at: i64, attempts_before: i64, permanent: bool, now: i64) -> AfterFailure {
    let next = now + backoff(attempts_before + 1);
    if permanent || next - created_at > GIVE_UP_AFTER {
        AfterFailure::GiveUp
    } else {
        AfterFailure::RetryAt(next)
    }
}

/// The SMTP connection settings and the sender address. Without an SMTP URL nothing is sent:
/// messages wait in the outbox, and its page says so.
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtps://user:pass@host:465` (TLS),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), or plain `smtp://host:port`.
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Mailer, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("--mail-from is not an email address ({from}): {e}"))?;
        let transport = match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("--smtp-url could not be read: {e}"))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build(),
            ),
        };
        Ok(Mailer { transport, from })
    }

    pub fn sending(&self) -> bool {
        self.transport.is_some()
    }

    /// The background job that sends the outbox, every two seconds.
    pub fn job(self: Arc<Self>) -> Job {
        Job::new("mail.send", Duration::from_secs(2), move |pool| {
            let mailer = self.clone();
            async move { mailer.send_due(&pool).await }
        })
    }

    /// Sends what is due, one message at a time; returns how many were sent.
    pub async fn send_due(&self, pool: &SqlitePool) -> Result<usize, AppError> {
        store::expire(pool, now()).await?;
        let Some(transport) = &self.transport else { return Ok(0) };
        let mut sent = 0;
        for m in store::due(pool, now(), BATCH).await? {
            if !store::claim(pool, &m, now(), CLAIM_SECS).await? {
                continue;
            }
            let mut unreachable = false;
            let outcome = match self.message(&m) {
                Ok(message) => transport.send(message).await.map(|_| ()).map_err(|e| {
                    // No answer from the server at all (not a refusal of this message): the
                    // rest of the batch would only wait out the same timeout.
                    unreachable = !e.is_response();
                    (e.is_permanent(), e.to_string())
                }),
                Err(e) => Err((true, e)),
            };
            match outcome {
                Ok(()) => {
                    store::mark_sent(pool, m.id, now()).await?;
                    sent += 1;
                }
                Err((permanent, error)) => {
                    tracing::warn!(message = m.id, %error, "email not sent");
                    let error: String = error.chars().take(300).collect();
                    match after_failure(m.created_at, m.attempts, permanent, now()) {
                        AfterFailure::RetryAt(t) => store::retry_at(pool, m.id, t, &error).await?,
                        AfterFailure::GiveUp => store::give_up(pool, m.id, now(), &error).await?,
                    }
                    if unreachable {
                        break;
                    }
                }
            }
        }
        Ok(sent)
    }

    fn message(&self, m: &store::DueRow) -> Result<Message, String> {
        let to: Mailbox = m.to_address.parse().map_err(|e| format!("not an email address: {e}"))?;
        let mut builder = Message::builder().from(self.from.clone()).to(to).subject(m.subject.clone());
        if let Some(url) = &m.unsubscribe_url {
            // RFC 8058: mail programs offer "unsubscribe" and post to the link themselves.
            builder = builder.header(ListUnsubscribe(format!("<{url}>"))).header(ListUnsubscribePost);
        }
        let body = MultiPart::alternative_plain_html(m.text_body.clone(), m.html_body.clone());
        let body = match &m.calendar {
            None => body,
            Some(ics) => MultiPart::mixed().multipart(body).singlepart(
                Attachment::new("meeting.ics".to_string())
                    .body(ics.clone(), ContentType::parse("text/calendar; charset=utf-8").map_err(|e| e.to_string())?),
            ),
        };
        builder.multipart(body).map_err(|e| format!("could not be composed: {e}"))
    }
}

/// `List-Unsubscribe: <https://…>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_half_a_minute_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(backoff).collect();
        assert_eq!(waits, vec![30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(0), 30);
        assert_eq!(backoff(1_000), 3600);
    }

    #[test]
    fn gives_up_when_permanent_or_past_the_limit() {
        assert_eq!(after_failure(0, 0, false, 10), AfterFailure::RetryAt(40));
        assert_eq!(after_failure(0, 0, true, 10), AfterFailure::GiveUp);
        assert_eq!(after_failure(0, 20, false, GIVE_UP_AFTER - 100), AfterFailure::GiveUp);
        assert_eq!(after_failure(0, 20, false, GIVE_UP_AFTER - 4000), AfterFailure::RetryAt(GIVE_UP_AFTER - 400));
    }

    // Building a pooled transport starts its pool's task, so this needs a runtime.
    #[tokio::test]
    async fn a_mailer_needs_a_real_from_address_and_a_readable_url() {
        assert!(Mailer::new(None, "Living Well Lab <lab@example.org>").is_ok_and(|m| !m.sending()));
        assert!(Mailer::new(None, "not an address").err().unwrap().contains("--mail-from"));
        assert!(Mailer::new(Some("smtp://127.0.0.1:2525"), "lab@example.org").is_ok_and(|m| m.sending()));
        assert!(Mailer::new(Some("nonsense://x"), "lab@example.org").err().unwrap().contains("--smtp-url"));
    }
}
