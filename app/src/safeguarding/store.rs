//! Safeguarding settings and the audit log.

use sqlx::{SqliteConnection, SqlitePool};

use super::triage;
use crate::{error::AppError, time::now};

/// The triage phrases in force (the default list unless a facilitator set their own).
pub async fn phrases(pool: &SqlitePool) -> Result<Vec<String>, AppError> {
    let custom: Option<String> =
        sqlx::query_scalar("SELECT triage_phrases FROM collaborative WHERE id = 1").fetch_one(pool).await?;
    Ok(custom.map(|t| triage::parse_phrases(&t)).filter(|p| !p.is_empty()).unwrap_or_else(triage::default_phrases))
}

pub async fn settings(pool: &SqlitePool) -> Result<super::SafeguardingSettings, AppError> {
    let (crisis, custom): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT crisis_text, triage_phrases FROM collaborative WHERE id = 1").fetch_one(pool).await?;
    let using_default_phrases = custom.as_deref().map(triage::parse_phrases).is_none_or(|p| p.is_empty());
    Ok(super::SafeguardingSettings {
        crisis_text: crisis.unwrap_or_else(|| super::DEFAULT_CRISIS.to_string()),
        phrases: if using_default_phrases { triage::default_phrases().join("\n") } else { custom.unwrap_or_default() },
        using_default_phrases,
    })
}

pub async fn save(pool: &SqlitePool, crisis: Option<&str>, phrases: Option<&str>) -> Result<(), AppError> {
    sqlx::query("UPDATE collaborative SET crisis_text = ?, triage_phrases = ? WHERE id = 1")
        .bind(crisis)
        .bind(phrases)
        .execute(pool)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub enum Item {
    Response(i64),
    Comment(i64),
}

impl Item {
    pub fn parts(self) -> (&'static str, i64) {
        match self {
            Item::Response(id) => ("response", id),
            Item::Comment(id) => ("comment", id),
        }
    }
}

/// One line in the audit log, inside the caller's transaction so the record and the
/// decision it describes are committed together.
pub async fn audit(
    conn: &mut SqliteConnection,
    actor: Option<i64>,
    action: &str,
    item: Item,
    detail: &str,
) -> Result<(), AppError> {
    let (kind, id) = item.parts();
    sqlx::query("INSERT INTO audit_log (at, actor_id, action, item_kind, item_id, detail) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(now())
        .bind(actor)
        .bind(action)
        .bind(kind)
        .bind(id)
        .bind(detail)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
