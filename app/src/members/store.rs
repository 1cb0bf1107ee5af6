//! SQL for the members page and the facilitator's changes to accounts.

use sqlx::{sqlite::SqliteRow, Row, SqlitePool};

use super::{leaves_a_facilitator, PAGE_SIZE};
use crate::{auth::Role, error::AppError, time::now};

/// One member as the members page lists them, with their declared perspectives
/// (`Perspective::as_str`, comma-separated).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub perspectives: Option<String>,
}

/// One page of the members list, with the count of everyone and whether registration is open.
#[derive(Debug)]
pub struct MembersRows {
    pub members: Vec<MemberRow>,
    pub total: i64,
    pub open_registration: bool,
}

/// A row of the page query: the count and the setting, with a member when the page has any.
struct PageRow {
    total: i64,
    open_registration: bool,
    member: Option<MemberRow>,
}

impl<'r> sqlx::FromRow<'r, SqliteRow> for PageRow {
    fn from_row(row: &'r SqliteRow) -> Result<Self, sqlx::Error> {
        let id: Option<i64> = row.try_get("id")?;
        Ok(PageRow {
            total: row.try_get("total")?,
            open_registration: row.try_get("open_registration")?,
            member: id.map(|_| MemberRow::from_row(row)).transpose()?,
        })
    }
}

/// One page of members (`PAGE_SIZE + 1` rows, so the caller can tell whether another page
/// follows), the count of everyone and the registration setting, in one statement; each
/// member's perspectives are grouped in, not read one member at a time.
pub async fn page(pool: &SqlitePool, page: i64) -> Result<MembersRows, AppError> {
    let rows: Vec<PageRow> = sqlx::query_as(
        "WITH shown AS (SELECT id FROM users WHERE erased_at IS NULL ORDER BY id LIMIT ? OFFSET ?)
         SELECT (SELECT count(*) FROM users WHERE erased_at IS NULL) AS total, c.open_registration,
                u.id, u.display_name, u.email, u.role, u.active,
                (SELECT group_concat(p.perspective) FROM user_perspectives p WHERE p.user_id = u.id) AS perspectives
         FROM collaborative c LEFT JOIN shown ON 1 LEFT JOIN users u ON u.id = shown.id
         WHERE c.id = 1 ORDER BY u.id",
    )
    .bind(PAGE_SIZE + 1)
    .bind(page * PAGE_SIZE)
    .fetch_all(pool)
    .await?;
    let first = rows.first().ok_or_else(|| AppError::internal("the collaborative's row is missing"))?;
    let (total, open_registration) = (first.total, first.open_registration);
    Ok(MembersRows { members: rows.into_iter().filter_map(|r| r.member).collect(), total, open_registration })
}

#[derive(sqlx::FromRow)]
struct AccountState {
    role: String,
    active: bool,
}

/// Sets a member's role and/or active flag, refusing anything that would leave no active
/// facilitator. Runs on the writer connection in one transaction, so two facilitators
/// demoting each other at once cannot both succeed.
pub async fn change(pool: &SqlitePool, user_id: i64, role: Option<Role>, active: Option<bool>) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let current: Option<AccountState> =
        sqlx::query_as("SELECT role, active FROM users WHERE id = ? AND erased_at IS NULL")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let AccountState { role: current_role, active: current_active } = current.ok_or(AppError::NotFound)?;
    let is_fac = current_role == Role::Facilitator.as_str() && current_active;
    let new_role = role.map_or(current_role.clone(), |r| r.as_str().to_string());
    let new_active = active.unwrap_or(current_active);
    let stays_fac = new_role == Role::Facilitator.as_str() && new_active;
    let facilitators: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'facilitator' AND active = 1")
        .fetch_one(&mut *tx)
        .await?;
    if !leaves_a_facilitator(facilitators, is_fac, stays_fac) {
        return Err(AppError::Conflict(
            "This is the last active facilitator. Make someone else a facilitator first, so the collaborative can still manage its members.".into(),
        ));
    }
    // Deactivating ends every session (the epoch they carry no longer matches), so that
    // reactivating later does not bring old sessions, perhaps on a lost phone, back to life.
    let ends_sessions = current_active && !new_active;
    sqlx::query("UPDATE users SET role = ?, active = ?, session_epoch = session_epoch + ? WHERE id = ?")
        .bind(&new_role)
        .bind(new_active)
        .bind(i64::from(ends_sessions))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if ends_sessions {
        // Nor may a reset link made before, used after reactivating.
        sqlx::query("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL")
            .bind(now())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn set_open_registration(pool: &SqlitePool, open: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE collaborative SET open_registration = ? WHERE id = 1").bind(open).execute(pool).await?;
    Ok(())
}

pub const INVITATION_DAYS: i64 = 14;

pub async fn create_invitation(
    pool: &SqlitePool,
    token_hash: &str,
    email: Option<&str>,
    role: Role,
    invited_by: i64,
    email_message: Option<&crate::mail::compose::Outgoing>,
) -> Result<(), AppError> {
    let t = now();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO invitations (token_hash, email, role, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(token_hash)
        .bind(email)
        .bind(role.as_str())
        .bind(invited_by)
        .bind(t)
        .bind(t + INVITATION_DAYS * 86_400)
        .execute(&mut *tx)
        .await?;
    if let Some(m) = email_message {
        crate::mail::store::enqueue(&mut tx, m, t).await?;
    }
    tx.commit().await?;
    Ok(())
}
