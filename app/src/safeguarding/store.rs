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
