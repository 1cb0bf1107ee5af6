//! Safeguarding settings (the audit log is written through `audit.rs`).

use sqlx::SqlitePool;

use super::triage;
use crate::error::AppError;

/// The triage phrases in force (the default list unless a facilitator set their own).
pub async fn phrases(pool: &SqlitePool) -> Result<Vec<String>, AppError> {
    let custom: Option<String> =
        sqlx::query_scalar("SELECT triage_phrases FROM collaborative WHERE id = 1").fetch_one(pool).await?;
    Ok(custom.map(|t| triage::parse_phrases(&t)).filter(|p| !p.is_empty()).unwrap_or_else(triage::default_phrases))
}

/// The collaborative's own crisis text and triage phrases (None: the defaults).
#[derive(Debug, sqlx::FromRow)]
pub struct SettingsRow {
    pub crisis_text: Option<String>,
    pub triage_phrases: Option<String>,
}

pub async fn settings(pool: &SqlitePool) -> Result<SettingsRow, AppError> {
    Ok(sqlx::query_as("SELECT crisis_text, triage_phrases FROM collaborative WHERE id = 1").fetch_one(pool).await?)
}

pub async fn save(pool: &SqlitePool, crisis: Option<&str>, phrases: Option<&str>) -> Result<(), AppError> {
    sqlx::query("UPDATE collaborative SET crisis_text = ?, triage_phrases = ? WHERE id = 1")
        .bind(crisis)
        .bind(phrases)
        .execute(pool)
        .await?;
    Ok(())
}
