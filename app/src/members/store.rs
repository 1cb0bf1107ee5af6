//! SQL for the members page and the facilitator's changes to accounts.

use sqlx::SqlitePool;

use super::{leaves_a_facilitator, Member, PAGE_SIZE};
use crate::{
    auth::{Perspective, Role},
    error::AppError,
    time::now,
};

/// One page of members, newest last; perspectives come in the same query (grouped), not one
/// query per member.
pub async fn page(pool: &SqlitePool, page: i64) -> Result<(Vec<Member>, bool, i64), AppError> {
    let rows: Vec<(i64, String, String, String, bool, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, u.role, u.active, group_concat(p.perspective)
         FROM users u LEFT JOIN user_perspectives p ON p.user_id = u.id
         GROUP BY u.id ORDER BY u.id LIMIT ? OFFSET ?",
    )
    .bind(PAGE_SIZE + 1)
    .bind(page * PAGE_SIZE)
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(pool).await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let members = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|(id, display_name, email, role, active, perspectives)| Member {
            id,
            display_name,
            email,
            role: Role::parse(&role).unwrap_or(Role::Contributor),
            active,
            perspectives: perspectives.unwrap_or_default().split(',').filter_map(Perspective::parse).collect(),
        })
        .collect();
    Ok((members, has_more, total))
}

/// Sets a member's role and/or active flag, refusing anything that would leave no active
/// facilitator. Runs on the writer connection in one transaction, so two facilitators
/// demoting each other at once cannot both succeed.
pub async fn change(pool: &SqlitePool, user_id: i64, role: Option<Role>, active: Option<bool>) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let current: Option<(String, bool)> =
        sqlx::query_as("SELECT role, active FROM users WHERE id = ?").bind(user_id).fetch_optional(&mut *tx).await?;
    let (current_role, current_active) = current.ok_or(AppError::NotFound)?;
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
) -> Result<(), AppError> {
    let t = now();
    sqlx::query("INSERT INTO invitations (token_hash, email, role, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(token_hash)
        .bind(email)
        .bind(role.as_str())
        .bind(invited_by)
        .bind(t)
        .bind(t + INVITATION_DAYS * 86_400)
        .execute(pool)
        .await?;
    Ok(())
}
