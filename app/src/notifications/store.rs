//! Notifications as stored: a person's list, read marks, preferences, and what the mailer
//! picks up. No permission checks (the server functions make them) and no sentences.

use sqlx::{SqliteConnection, SqlitePool};

use crate::{error::AppError, time::now};

/// One notification with the titles of what it is about.
#[derive(sqlx::FromRow, Debug)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub prototype_id: Option<i64>,
    pub round_id: Option<i64>,
    pub meeting_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub prototype_title: Option<String>,
    pub round_title: Option<String>,
    pub meeting_title: Option<String>,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub round_audience: Option<String>,
    pub prototype_published: bool,
    pub meeting_starts_at: Option<i64>,
    pub meeting_place: Option<String>,
    pub meeting_link: Option<String>,
}

const ROW: &str = "n.id, n.kind, n.prototype_id, n.round_id, n.meeting_id, n.comment_id,
    p.title AS prototype_title, r.title AS round_title, m.title AS meeting_title, n.created_at, n.read_at,
    r.audience AS round_audience, m.starts_at AS meeting_starts_at, m.place AS meeting_place,
    m.online_link AS meeting_link,
    EXISTS (SELECT 1 FROM iterations i WHERE i.prototype_id = n.prototype_id) AS prototype_published";
const JOINS: &str = "LEFT JOIN prototypes p ON p.id = n.prototype_id
    LEFT JOIN rounds r ON r.id = n.round_id LEFT JOIN meetings m ON m.id = n.meeting_id";

/// One page (from 0) of a person's notifications, newest first (`size + 1` rows), and how
/// many are unread, in two statements.
pub async fn page(pool: &SqlitePool, user: i64, page: i64, size: i64) -> Result<(Vec<NotificationRow>, i64), AppError> {
    let rows = sqlx::query_as(&format!(
        "SELECT {ROW} FROM notifications n {JOINS} WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ? OFFSET ?"
    ))
    .bind(user)
    .bind(size + 1)
    .bind(page * size)
    .fetch_all(pool)
    .await?;
    Ok((rows, unread(pool, user).await?))
}

pub async fn unread(pool: &SqlitePool, user: i64) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL")
        .bind(user)
        .fetch_one(pool)
        .await
        .map_err(Into::into)
}

/// Marks one of the person's notifications read; false if it is not theirs.
pub async fn mark_read(pool: &SqlitePool, user: i64, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE notifications SET read_at = coalesce(read_at, ?) WHERE id = ? AND user_id = ?")
        .bind(now())
        .bind(id)
        .bind(user)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_all_read(pool: &SqlitePool, user: i64) -> Result<u64, AppError> {
    let done = sqlx::query("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
        .bind(now())
        .bind(user)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// A person's pause switch and chosen deliveries (kinds without a row use their default).
#[derive(Debug, Default)]
pub struct PreferenceRows {
    pub paused: bool,
    pub chosen: Vec<(String, String)>,
}

pub async fn preferences(pool: &SqlitePool, user: i64) -> Result<PreferenceRows, AppError> {
    let paused: bool =
        sqlx::query_scalar("SELECT notifications_paused FROM users WHERE id = ?").bind(user).fetch_one(pool).await?;
    let chosen = sqlx::query_as("SELECT kind, delivery FROM notification_preferences WHERE user_id = ?")
        .bind(user)
        .fetch_all(pool)
        .await?;
    Ok(PreferenceRows { paused, chosen })
}

/// Saves the pause switch and every chosen delivery in one transaction.
pub async fn save_preferences(
    pool: &SqlitePool,
    user: i64,
    paused: bool,
    chosen: &[(&str, &str)],
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET notifications_paused = ? WHERE id = ?")
        .bind(paused)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    for (kind, delivery) in chosen {
        set_delivery(&mut tx, user, kind, delivery).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn set_paused(pool: &SqlitePool, user: i64, paused: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET notifications_paused = ? WHERE id = ?").bind(paused).bind(user).execute(pool).await?;
    Ok(())
}

pub async fn set_delivery(conn: &mut SqliteConnection, user: i64, kind: &str, delivery: &str) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, kind, delivery) VALUES (?, ?, ?)
         ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery",
    )
    .bind(user)
    .bind(kind)
    .bind(delivery)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the account exists and is active (an unsubscribe link names one).
pub async fn active_user(pool: &SqlitePool, user: i64) -> Result<bool, AppError> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = ? AND active = 1)")
        .bind(user)
        .fetch_one(pool)
        .await
        .map_err(Into::into)
}

// ---- for the mailer ----

/// A notification waiting for the mailer, with what it needs to decide and to write.
#[derive(sqlx::FromRow, Debug)]
pub struct PendingRow {
    #[sqlx(flatten)]
    pub n: NotificationRow,
    pub user_id: i64,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub paused: bool,
    pub chosen: Option<String>,
}

/// Which notifications the mailer asks for.
#[derive(Debug, Clone, Copy)]
pub enum MailState {
    /// Not yet looked at.
    New,
    /// Waiting for the daily digest.
    Digest,
}

/// Notifications in `state`, by person then age, at most `limit`. (The state is written into
/// the SQL, not bound, so SQLite can use that state's partial index.)
pub async fn pending(pool: &SqlitePool, state: MailState, limit: i64) -> Result<Vec<PendingRow>, AppError> {
    let state = match state {
        MailState::New => "'new'",
        MailState::Digest => "'digest'",
    };
    sqlx::query_as(&format!(
        "SELECT {ROW}, n.user_id, u.email, u.role, u.active, u.notifications_paused AS paused, np.delivery AS chosen
         FROM notifications n {JOINS} JOIN users u ON u.id = n.user_id
         LEFT JOIN notification_preferences np ON np.user_id = n.user_id AND np.kind = n.kind
         WHERE n.mail_state = {state} ORDER BY n.user_id, n.id LIMIT ?"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(Into::into)
}

/// Sets notifications' mail state inside the caller's transaction (with the outbox rows
/// written for them, so an email is queued exactly when its notification is marked).
pub async fn set_mail_state(conn: &mut SqliteConnection, ids: &[i64], state: &str) -> Result<(), AppError> {
    for id in ids {
        sqlx::query("UPDATE notifications SET mail_state = ? WHERE id = ?")
            .bind(state)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Claims a day's digest (UK date): true for the first instance to ask.
pub async fn claim_digest_day(pool: &SqlitePool, day: &str) -> Result<bool, AppError> {
    let done = sqlx::query("INSERT OR IGNORE INTO digest_days (day) VALUES (?)").bind(day).execute(pool).await?;
    Ok(done.rows_affected() == 1)
}
