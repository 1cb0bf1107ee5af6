//! The outbox table. A message is added inside the caller's transaction (with the event that
//! causes it), so it exists exactly when the event does; the sender settles each one once.

use sqlx::{SqliteConnection, SqlitePool};

use super::compose::Outgoing;
use crate::error::AppError;

/// Adds a message, due at once, inside the caller's transaction.
pub async fn enqueue(conn: &mut SqliteConnection, m: &Outgoing, now: i64) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "INSERT INTO outbox (to_address, kind, subject, text_body, html_body, secret, created_at, next_attempt_at, unsubscribe_url, expires_at, calendar)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&m.to)
    .bind(m.kind.as_str())
    .bind(&m.subject)
    .bind(&m.text)
    .bind(&m.html)
    .bind(m.secret)
    .bind(now)
    .bind(now)
    .bind(&m.unsubscribe)
    .bind(m.valid_secs.map(|secs| now + secs))
    .bind(&m.calendar)
    .fetch_one(conn)
    .await
    .map_err(Into::into)
}

/// A message the sender should try now.
#[derive(sqlx::FromRow, Debug)]
pub struct DueRow {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub unsubscribe_url: Option<String>,
    pub calendar: Option<String>,
}

/// Up to `limit` unsettled messages due by `now`: one-time links first (a reset link must not
/// wait behind a burst of notices), then oldest first.
pub async fn due(pool: &SqlitePool, now: i64, limit: i64) -> Result<Vec<DueRow>, AppError> {
    sqlx::query_as(
        "SELECT id, to_address, subject, text_body, html_body, created_at, attempts, next_attempt_at, unsubscribe_url,
                calendar
         FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
         ORDER BY secret DESC, next_attempt_at, id LIMIT ?",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(Into::into)
}

/// Claims a due message for one send: pushes its next attempt `hold` seconds on, only if no
/// other sender has touched it since it was read. A sender that stalls or dies mid-send
/// leaves it to be tried again once the hold is over (at most one resend), and two senders
/// never send it at once.
pub async fn claim(pool: &SqlitePool, m: &DueRow, now: i64, hold: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE outbox SET next_attempt_at = ?
         WHERE id = ? AND next_attempt_at = ? AND sent_at IS NULL AND failed_at IS NULL",
    )
    .bind(now + hold)
    .bind(m.id)
    .bind(m.next_attempt_at)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives up on messages whose one-time link ran out before they could be sent (and blanks
/// them), whether or not mail is being sent: the table keeps no live key for long.
pub async fn expire(pool: &SqlitePool, now: i64) -> Result<u64, AppError> {
    let done = sqlx::query(&format!(
        "UPDATE outbox SET failed_at = ?, last_error = 'The link in it ran out before it could be sent.', {BLANK_SECRET}
         WHERE sent_at IS NULL AND failed_at IS NULL AND expires_at <= ?"
    ))
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Blanks a one-time link's body once its message is settled: the table need not keep a key.
const BLANK_SECRET: &str = "text_body = CASE WHEN secret = 1 THEN '' ELSE text_body END,
     html_body = CASE WHEN secret = 1 THEN '' ELSE html_body END";

/// Marks a message sent. Only the first mark counts (`sent_at IS NULL`): a message is
/// settled once.
pub async fn mark_sent(pool: &SqlitePool, id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(&format!(
        "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL, {BLANK_SECRET}
         WHERE id = ? AND sent_at IS NULL"
    ))
    .bind(now)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a failed attempt and when to try again.
pub async fn retry_at(pool: &SqlitePool, id: i64, next: i64, error: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
         WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
    )
    .bind(next)
    .bind(error)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Stops trying: the message stays on the outbox page with the reason.
pub async fn give_up(pool: &SqlitePool, id: i64, now: i64, error: &str) -> Result<(), AppError> {
    sqlx::query(&format!(
        "UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ?, {BLANK_SECRET}
         WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL"
    ))
    .bind(now)
    .bind(error)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// One message for the outbox page: the body only when it carries no secret.
#[derive(sqlx::FromRow, Debug)]
pub struct OutboxRow {
    pub id: i64,
    pub to_address: String,
    pub kind: String,
    pub subject: String,
    pub body: Option<String>,
    pub created_at: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
}

#[derive(sqlx::FromRow, Debug)]
pub struct OutboxCounts {
    pub waiting: i64,
    pub sent: i64,
    pub gave_up: i64,
}

/// One page of messages (from 0), newest first (`size + 1` rows, so the caller knows if there are
/// more), and the counts, in two statements.
pub async fn page(pool: &SqlitePool, page: i64, size: i64) -> Result<(Vec<OutboxRow>, OutboxCounts), AppError> {
    let rows = sqlx::query_as(
        "SELECT id, to_address, kind, subject, CASE WHEN secret = 1 THEN NULL ELSE text_body END AS body,
                created_at, attempts, sent_at, failed_at, last_error
         FROM outbox ORDER BY id DESC LIMIT ? OFFSET ?",
    )
    .bind(size + 1)
    .bind(page * size)
    .fetch_all(pool)
    .await?;
    let counts = sqlx::query_as(
        "SELECT coalesce(sum(sent_at IS NULL AND failed_at IS NULL), 0) AS waiting,
                coalesce(sum(sent_at IS NOT NULL), 0) AS sent,
                coalesce(sum(failed_at IS NOT NULL), 0) AS gave_up
         FROM outbox",
    )
    .fetch_one(pool)
    .await?;
    Ok((rows, counts))
}
