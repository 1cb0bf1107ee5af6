//! SQL for accounts. No permission checks here: the server functions make them.

use sqlx::SqlitePool;

use super::{
    fields::{DisplayName, Email},
    roles::{Perspective, Role},
    session::Viewer,
};
use crate::{error::AppError, time::now};

fn role_of(s: &str) -> Result<Role, AppError> {
    Role::parse(s).ok_or_else(|| AppError::internal(format!("unknown role in database: {s}")))
}

pub async fn viewer(pool: &SqlitePool, id: i64, epoch: i64) -> Result<Option<Viewer>, AppError> {
    let row: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, role, display_name,
                (SELECT count(*) FROM notifications n WHERE n.user_id = users.id AND n.read_at IS NULL)
         FROM users WHERE id = ? AND active = 1 AND session_epoch = ?",
    )
    .bind(id)
    .bind(epoch)
    .fetch_optional(pool)
    .await?;
    row.map(|(id, role, display_name, unread)| Ok(Viewer { id, role: role_of(&role)?, display_name, unread }))
        .transpose()
}

pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub active: bool,
    pub epoch: i64,
}

pub async fn credentials(pool: &SqlitePool, email: &Email) -> Result<Option<Credentials>, AppError> {
    let row: Option<(i64, String, bool, i64)> =
        sqlx::query_as("SELECT id, password_hash, active, session_epoch FROM users WHERE email = ?")
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, password_hash, active, epoch)| Credentials { id, password_hash, active, epoch }))
}

pub async fn password_hash(pool: &SqlitePool, user_id: i64) -> Result<String, AppError> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_one(pool)
        .await
        .map_err(Into::into)
}

/// Creates an account; with an invitation, takes its role and uses it up in the same
/// transaction, so one link makes one account.
pub async fn create_user(
    pool: &SqlitePool,
    email: &Email,
    name: &DisplayName,
    password_hash: &str,
    role: Role,
    invitation_id: Option<i64>,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (email, display_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(email.as_str())
    .bind(name.as_str())
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now())
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::invalid(
                "email",
                "An account with this email already exists. Try signing in instead.",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(invitation_id) = invitation_id {
        let used = sqlx::query("UPDATE invitations SET used_by = ?, used_at = ? WHERE id = ? AND used_by IS NULL")
            .bind(id)
            .bind(now())
            .bind(invitation_id)
            .execute(&mut *tx)
            .await?;
        if used.rows_affected() != 1 {
            return Err(AppError::Conflict("This invitation has already been used.".into()));
        }
    }
    tx.commit().await?;
    Ok(id)
}

/// Stores a new hash and bumps the epoch, ending every other session, and uses up any live
/// reset links (a new password makes them moot); returns the new epoch.
pub async fn set_password(pool: &SqlitePool, user_id: i64, hash: &str) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let epoch = sqlx::query_scalar(
        "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ? RETURNING session_epoch",
    )
    .bind(hash)
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    use_up_resets(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(epoch)
}

/// Marks every unused reset link of an account used (a password change, a deactivation).
pub async fn use_up_resets(conn: &mut sqlx::SqliteConnection, user_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL")
        .bind(now())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub struct Account {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub perspectives: Vec<Perspective>,
}

pub async fn account(pool: &SqlitePool, user_id: i64) -> Result<Account, AppError> {
    let (email, display_name, role): (String, String, String) =
        sqlx::query_as("SELECT email, display_name, role FROM users WHERE id = ? AND erased_at IS NULL")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
            .ok_or(AppError::NotFound)?;
    let perspectives: Vec<String> =
        sqlx::query_scalar("SELECT perspective FROM user_perspectives WHERE user_id = ? ORDER BY perspective")
            .bind(user_id)
            .fetch_all(pool)
            .await?;
    Ok(Account {
        email,
        display_name,
        role: role_of(&role)?,
        perspectives: perspectives.iter().filter_map(|p| Perspective::parse(p)).collect(),
    })
}

/// Replaces the name and the declared perspectives in one transaction.
pub async fn update_profile(
    pool: &SqlitePool,
    user_id: i64,
    name: &DisplayName,
    perspectives: &[Perspective],
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET display_name = ? WHERE id = ?")
        .bind(name.as_str())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM user_perspectives WHERE user_id = ?").bind(user_id).execute(&mut *tx).await?;
    for p in perspectives {
        sqlx::query("INSERT INTO user_perspectives (user_id, perspective) VALUES (?, ?)")
            .bind(user_id)
            .bind(p.as_str())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What every page's frame needs from the collaborative's row.
#[derive(sqlx::FromRow, serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct SiteSettings {
    pub name: String,
    pub open_registration: bool,
    pub crisis_text: Option<String>,
    /// The demo collaborative (`seed-demo`): its accounts share a published password.
    pub demo: bool,
}

/// The collaborative's name, whether anyone may register, its crisis text and whether it
/// is the demo, in one query.
pub async fn site_settings(pool: &SqlitePool) -> Result<SiteSettings, AppError> {
    sqlx::query_as("SELECT name, open_registration, crisis_text, demo FROM collaborative WHERE id = 1")
        .fetch_one(pool)
        .await
        .map_err(Into::into)
}

/// Marks this database as holding the demo collaborative (see `SiteSettings::demo`).
pub async fn mark_demo(pool: &SqlitePool) -> Result<(), AppError> {
    sqlx::query("UPDATE collaborative SET demo = 1 WHERE id = 1").execute(pool).await?;
    Ok(())
}

pub async fn is_demo(pool: &SqlitePool) -> Result<bool, AppError> {
    sqlx::query_scalar("SELECT demo FROM collaborative WHERE id = 1").fetch_one(pool).await.map_err(Into::into)
}

pub async fn open_registration(pool: &SqlitePool) -> Result<bool, AppError> {
    sqlx::query_scalar("SELECT open_registration FROM collaborative WHERE id = 1")
        .fetch_one(pool)
        .await
        .map_err(Into::into)
}

pub async fn collaborative_name(pool: &SqlitePool) -> Result<String, AppError> {
    sqlx::query_scalar("SELECT name FROM collaborative WHERE id = 1").fetch_one(pool).await.map_err(Into::into)
}

/// A live invitation: (id, role, email it was meant for), or `None` if unknown, used or expired.
pub async fn live_invitation(
    pool: &SqlitePool,
    token_hash: &str,
) -> Result<Option<(i64, Role, Option<String>)>, AppError> {
    let row: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, role, email FROM invitations WHERE token_hash = ? AND used_by IS NULL AND expires_at > ?",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(pool)
    .await?;
    row.map(|(id, role, email)| Ok((id, role_of(&role)?, email))).transpose()
}

// ---- throttling (the counts live in `rate_limits`, taken with `limits::take`) ----

/// A count kept by `limits::take`.
#[derive(sqlx::FromRow)]
pub struct RateCount {
    pub hits: i64,
    pub window_start: i64,
}

pub async fn rate_count(pool: &SqlitePool, key: &str) -> Result<Option<RateCount>, AppError> {
    sqlx::query_as("SELECT hits, window_start FROM rate_limits WHERE key = ?")
        .bind(key)
        .fetch_optional(pool)
        .await
        .map_err(Into::into)
}

/// Gives one reserved attempt back, after a check that succeeded (or never ran): only
/// failures should add up towards a limit.
pub async fn give_back(pool: &SqlitePool, key: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE rate_limits SET hits = hits - 1 WHERE key = ? AND hits > 0").bind(key).execute(pool).await?;
    Ok(())
}

/// Forgets a key's count (the right password was given for that account from that place).
pub async fn forget(pool: &SqlitePool, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM rate_limits WHERE key = ?").bind(key).execute(pool).await?;
    Ok(())
}

// ---- password reset links (stored only as hashes) ----

/// Makes a reset link for `user_id`, and adds its email (if any: a link a facilitator makes
/// is handed over, not emailed) to the outbox in the same transaction.
pub async fn create_reset(
    pool: &SqlitePool,
    user_id: i64,
    token_hash: &str,
    valid_secs: i64,
    issued_by: Option<i64>,
    email: Option<&crate::mail::compose::Outgoing>,
) -> Result<(), AppError> {
    let t = now();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at, issued_by) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(t)
    .bind(t + valid_secs)
    .bind(issued_by)
    .execute(&mut *tx)
    .await?;
    if let Some(m) = email {
        crate::mail::store::enqueue(&mut tx, m, t).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The account a live reset link belongs to: unused, unexpired, and the account active.
pub async fn live_reset(pool: &SqlitePool, token_hash: &str) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar(
        "SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id
         WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND u.active = 1",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(pool)
    .await
    .map_err(Into::into)
}

/// Uses a reset link: in one transaction, marks it and every other unused link of the account
/// used, stores the new hash and bumps the epoch (ending every session). Returns the account
/// and its new epoch, or `None` if the link was used or ran out meanwhile.
pub async fn use_reset(pool: &SqlitePool, token_hash: &str, hash: &str) -> Result<Option<(i64, i64)>, AppError> {
    let t = now();
    let mut tx = pool.begin().await?;
    let user: Option<i64> = sqlx::query_scalar(
        "UPDATE password_resets SET used_at = ?
         WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
           AND user_id IN (SELECT id FROM users WHERE active = 1)
         RETURNING user_id",
    )
    .bind(t)
    .bind(token_hash)
    .bind(t)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = user else { return Ok(None) };
    use_up_resets(&mut tx, user).await?;
    let epoch: i64 = sqlx::query_scalar(
        "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ? RETURNING session_epoch",
    )
    .bind(hash)
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some((user, epoch)))
}
