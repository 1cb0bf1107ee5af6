//! SQL for data requests: the queue and audit rows, and the export files. No permission
//! checks here: the server functions make them.

use sqlx::SqlitePool;

use super::{EXPORT_DAYS, GRACE_DAYS};
use crate::{error::AppError, time::now};

/// One `data_requests` row, with whether its export file still exists.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub requested_by: Option<i64>,
    pub channel: String,
    pub status: String,
    pub requested_at: i64,
    pub due_at: i64,
    pub done_at: Option<i64>,
    pub file_expires_at: Option<i64>,
}

const REQUEST_COLUMNS: &str = "d.id, d.user_id, d.kind, d.requested_by, d.channel, d.status, d.requested_at, \
     d.due_at, d.done_at, (SELECT e.expires_at FROM data_exports e WHERE e.request_id = d.id) AS file_expires_at";

/// A person's requests, newest first (a person makes a handful; capped all the same).
pub async fn requests_of(pool: &SqlitePool, user: i64) -> Result<Vec<RequestRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} FROM data_requests d WHERE d.user_id = ? ORDER BY d.id DESC LIMIT 50"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?)
}

pub async fn request(pool: &SqlitePool, id: i64) -> Result<RequestRow, AppError> {
    sqlx::query_as(&format!("SELECT {REQUEST_COLUMNS} FROM data_requests d WHERE d.id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// The person a request is about, as the data pages name them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub erased_at: Option<i64>,
}

pub async fn person(pool: &SqlitePool, id: i64) -> Result<Person, AppError> {
    sqlx::query_as("SELECT id, display_name, email, role, erased_at FROM users WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// Queues an export. Several may be asked for; each is its own audited row.
pub async fn request_export(pool: &SqlitePool, user: i64, by: Option<i64>, channel: &str) -> Result<i64, AppError> {
    let t = now();
    Ok(sqlx::query_scalar(
        "INSERT INTO data_requests (user_id, kind, requested_by, channel, requested_at, due_at)
         VALUES (?, 'export', ?, ?, ?, ?) RETURNING id",
    )
    .bind(user)
    .bind(by)
    .bind(channel)
    .bind(t)
    .bind(t)
    .fetch_one(pool)
    .await?)
}

/// Queues an account's deletion for the end of its grace period, and in the same
/// transaction ends every session of the account, so that only signing in again (which
/// cancels it) can use the account meanwhile, and queues the email `tell` makes for the
/// account's address and the due time. Returns when it will happen.
pub async fn request_erasure(
    pool: &SqlitePool,
    user: i64,
    by: Option<i64>,
    channel: &str,
    keep_quotes: bool,
    tell: impl FnOnce(&str, i64) -> Option<crate::mail::compose::Outgoing>,
) -> Result<i64, AppError> {
    let t = now();
    let due = t + GRACE_DAYS * 86_400;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let live: Option<(String, bool, String)> =
        sqlx::query_as("SELECT role, active, email FROM users WHERE id = ? AND erased_at IS NULL")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    let (role, active, email) = live.ok_or(AppError::NotFound)?;
    if role == "facilitator" && active && other_facilitators(&mut *tx, user).await? == 0 {
        return Err(AppError::Conflict(
            "You are the only facilitator. Please make someone else a facilitator first, so the collaborative is not left without one."
                .into(),
        ));
    }
    let inserted = sqlx::query(
        "INSERT INTO data_requests (user_id, kind, requested_by, channel, keep_quotes, requested_at, due_at)
         VALUES (?, 'erasure', ?, ?, ?, ?, ?)",
    )
    .bind(user)
    .bind(by)
    .bind(channel)
    .bind(keep_quotes)
    .bind(t)
    .bind(due)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::Conflict("This account is already due to be deleted.".into()))
        }
        Err(e) => return Err(e.into()),
    }
    sqlx::query("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?").bind(user).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM tower_sessions WHERE user_id = ?").bind(user).execute(&mut *tx).await?;
    // The person hears of it (from the outbox, written with the request).
    if let Some(message) = tell(&email, due) {
        crate::mail::store::enqueue(&mut tx, &message, t).await?;
    }
    tx.commit().await?;
    Ok(due)
}

/// Cancels a pending deletion because the person signed in; whether there was one.
pub async fn cancel_erasure(pool: &SqlitePool, user: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE data_requests SET status = 'cancelled', done_at = ?1, cancelled_by = ?2
         WHERE user_id = ?2 AND kind = 'erasure' AND status = 'pending'",
    )
    .bind(now())
    .bind(user)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A facilitator cancels a pending deletion that a facilitator recorded (a person's own
/// request is theirs to cancel, by signing in); whether there was one. On record with who.
pub async fn cancel_erasure_for(pool: &SqlitePool, user: i64, by: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE data_requests SET status = 'cancelled', done_at = ?, cancelled_by = ?
         WHERE user_id = ? AND kind = 'erasure' AND status = 'pending' AND requested_by IS NOT NULL",
    )
    .bind(now())
    .bind(by)
    .bind(user)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// When a pending deletion of this account will happen.
pub async fn pending_erasure(pool: &SqlitePool, user: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT due_at FROM data_requests WHERE user_id = ? AND kind = 'erasure' AND status = 'pending'",
    )
    .bind(user)
    .fetch_optional(pool)
    .await?)
}

/// Whether the person has published words they agreed could be quoted (the deletion form
/// then asks what to do with them).
pub async fn has_quotable(pool: &SqlitePool, user: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM comments WHERE author_id = ?1 AND status = 'published' AND consent <> 'design_group_only')
             OR EXISTS (SELECT 1 FROM responses WHERE user_id = ?1 AND status = 'published' AND consent <> 'design_group_only')",
    )
    .bind(user)
    .fetch_one(pool)
    .await?)
}

/// Stores a finished export and marks its request ready.
pub async fn store_export(pool: &SqlitePool, id: i64, zip: &[u8]) -> Result<(), AppError> {
    let t = now();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let marked = sqlx::query(
        "UPDATE data_requests SET status = 'ready', done_at = ? WHERE id = ? AND kind = 'export' AND status = 'pending'",
    )
    .bind(t)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if marked.rows_affected() == 1 {
        // One file per person at a time: a newer export replaces the older ones.
        sqlx::query(
            "UPDATE data_requests SET status = 'expired'
             WHERE kind = 'export' AND status = 'ready' AND id <> ?1
               AND user_id = (SELECT user_id FROM data_requests WHERE id = ?1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM data_exports WHERE request_id IN
               (SELECT id FROM data_requests WHERE user_id = (SELECT user_id FROM data_requests WHERE id = ?) AND status = 'expired')",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO data_exports (request_id, zip, expires_at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(zip)
            .bind(t + EXPORT_DAYS * 86_400)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An unexpired export file.
pub async fn export_file(pool: &SqlitePool, id: i64) -> Result<Vec<u8>, AppError> {
    sqlx::query_scalar("SELECT zip FROM data_exports WHERE request_id = ? AND expires_at > ?")
        .bind(id)
        .bind(now())
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// Exports waiting for the background job, oldest first.
pub async fn pending_exports(pool: &SqlitePool, limit: i64) -> Result<Vec<(i64, i64, bool)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, requested_by IS NOT NULL FROM data_requests
         WHERE kind = 'export' AND status = 'pending' ORDER BY due_at, id LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Deletions whose grace period has ended.
pub async fn due_erasures(pool: &SqlitePool, limit: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM data_requests WHERE kind = 'erasure' AND status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
    )
    .bind(now())
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Deletes export files past their week, marking their requests expired.
pub async fn expire_exports(pool: &SqlitePool) -> Result<u64, AppError> {
    let t = now();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(
        "UPDATE data_requests SET status = 'expired'
         WHERE id IN (SELECT request_id FROM data_exports WHERE expires_at <= ?)",
    )
    .bind(t)
    .execute(&mut *tx)
    .await?;
    let gone = sqlx::query("DELETE FROM data_exports WHERE expires_at <= ?").bind(t).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(gone.rows_affected())
}

/// Active facilitators other than `user`, for the "last facilitator" check on the page.
/// (On a pool, or inside the caller's transaction.)
pub async fn other_facilitators<'e>(db: impl sqlx::SqliteExecutor<'e>, user: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE role = 'facilitator' AND active = 1 AND erased_at IS NULL AND id <> ?",
    )
    .bind(user)
    .fetch_one(db)
    .await?)
}
