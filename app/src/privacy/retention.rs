//! The collaborative's retention settings and the daily run that enforces them, recording
//! what it removed (as counts) for the settings page.

use sqlx::SqlitePool;

use crate::{error::AppError, time::now};

/// How long things are kept: days (refused forms: hours); `None` keeps them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Settings {
    /// Hidden items (held for moderation, then not published), after they were hidden.
    pub held_days: Option<i64>,
    /// Published consultation responses, after their round closed (held and hidden ones
    /// follow `held_days`: they are the safeguarding record).
    pub response_days: Option<i64>,
    /// Sign-in and other rate-limit rows, after their window started.
    pub throttle_days: i64,
    /// Forms kept after a refusal (they may hold health data never sent).
    pub refused_form_hours: i64,
    /// Audit entries (except about items still held or hidden).
    pub audit_days: Option<i64>,
    /// Sent or abandoned emails, and notifications.
    pub mail_days: Option<i64>,
}

pub async fn settings(pool: &SqlitePool) -> Result<Settings, AppError> {
    Ok(sqlx::query_as(
        "SELECT held_days, response_days, throttle_days, refused_form_hours, audit_days, mail_days FROM retention WHERE id = 1",
    )
    .fetch_one(pool)
    .await?)
}

pub async fn save(pool: &SqlitePool, s: &Settings) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE retention SET held_days = ?, response_days = ?, throttle_days = ?, refused_form_hours = ?,
                audit_days = ?, mail_days = ? WHERE id = 1",
    )
    .bind(s.held_days)
    .bind(s.response_days)
    .bind(s.throttle_days)
    .bind(s.refused_form_hours)
    .bind(s.audit_days)
    .bind(s.mail_days)
    .execute(pool)
    .await?;
    Ok(())
}

/// The latest runs, newest first: when, and the counts as stored (JSON).
pub async fn runs(pool: &SqlitePool, limit: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as("SELECT at, removed FROM retention_runs ORDER BY id DESC LIMIT ?")
        .bind(limit)
        .fetch_all(pool)
        .await?)
}

/// When the last run happened (the job runs hourly and works once a day).
pub async fn last_run(pool: &SqlitePool) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT max(at) FROM retention_runs").fetch_one(pool).await?)
}

/// An item still held or hidden: its audit entries are the safeguarding record, kept as
/// long as the item is.
const STILL_HELD: &str = "(audit_log.item_kind = 'comment' AND EXISTS (SELECT 1 FROM comments c WHERE c.id = audit_log.item_id AND c.status IN ('held', 'hidden')))
     OR (audit_log.item_kind = 'response' AND EXISTS (SELECT 1 FROM responses x WHERE x.id = audit_log.item_id AND x.status IN ('held', 'hidden')))";

/// Removes everything past its time, in one transaction, and records the run. Returns the
/// counts by kind (zero counts included, so the report says what was checked).
pub async fn enforce(pool: &SqlitePool) -> Result<Vec<(&'static str, u64)>, AppError> {
    let s = settings(pool).await?;
    let t = now();
    let day = 86_400;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let mut removed = Vec::new();
    if let Some(days) = s.held_days {
        let cutoff = t - days * day;
        let hidden_before = |kind: &str| {
            format!(
                "(SELECT max(a.at) FROM audit_log a WHERE a.item_kind = '{kind}' AND a.action = 'hidden' AND a.item_id = {}.id) < ?",
                if kind == "comment" { "comments" } else { "responses" }
            )
        };
        // Their audit trail goes with them (it may quote them).
        let comments: Vec<i64> = sqlx::query_scalar(&format!(
            "UPDATE comments SET status = 'removed', body = '', held_phrase = NULL, hidden_reason = NULL
             WHERE status = 'hidden' AND {} RETURNING id",
            hidden_before("comment")
        ))
        .bind(cutoff)
        .fetch_all(&mut *tx)
        .await?;
        let ids = serde_json::to_string(&comments).map_err(AppError::internal)?;
        sqlx::query(
            "DELETE FROM audit_log WHERE item_kind = 'comment' AND item_id IN (SELECT value FROM json_each(?))",
        )
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM feedback_themes WHERE item_kind = 'comment' AND item_id IN (SELECT value FROM json_each(?))",
        )
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
        removed.push(("hidden comments", comments.len() as u64));
        let responses: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM responses WHERE status = 'hidden' AND {}",
            hidden_before("response")
        ))
        .bind(cutoff)
        .fetch_all(&mut *tx)
        .await?;
        removed.push(("hidden responses", delete_responses(&mut tx, &responses).await?));
    }
    if let Some(days) = s.response_days {
        let closed: Vec<i64> = sqlx::query_scalar(
            "SELECT x.id FROM responses x JOIN rounds r ON r.id = x.round_id
             WHERE x.status = 'published' AND coalesce(r.closed_early_at, r.closes_at) < ?",
        )
        .bind(t - days * day)
        .fetch_all(&mut *tx)
        .await?;
        removed.push(("responses to closed rounds", delete_responses(&mut tx, &closed).await?));
    }
    let mut delete = async |what: &'static str, sql: &str, cutoff: i64| -> Result<(), AppError> {
        let n = sqlx::query(sql).bind(cutoff).execute(&mut *tx).await?.rows_affected();
        removed.push((what, n));
        Ok(())
    };
    delete("rate-limit rows", "DELETE FROM rate_limits WHERE window_start < ?", t - s.throttle_days * day).await?;
    delete("refused forms", "DELETE FROM kept_forms WHERE created_at < ?", t - s.refused_form_hours * 3600).await?;
    if let Some(days) = s.audit_days {
        delete("audit entries", &format!("DELETE FROM audit_log WHERE at < ? AND NOT ({STILL_HELD})"), t - days * day)
            .await?;
    }
    if let Some(days) = s.mail_days {
        delete("emails", "DELETE FROM outbox WHERE sent_at < ?1 OR failed_at < ?1", t - days * day).await?;
        delete("notifications", "DELETE FROM notifications WHERE created_at < ?", t - days * day).await?;
    }
    let report = serde_json::to_string(&removed).map_err(AppError::internal)?;
    sqlx::query("INSERT INTO retention_runs (at, removed) VALUES (?, ?)")
        .bind(t)
        .bind(report)
        .execute(&mut *tx)
        .await?;
    // The report itself is kept for a year.
    sqlx::query("DELETE FROM retention_runs WHERE at < ?").bind(t - 365 * day).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(removed)
}

/// Deletes responses (answers, perspectives and receipts go with them by foreign key) and
/// what refers to them without one: their answers' themes and their audit entries.
async fn delete_responses(tx: &mut sqlx::SqliteConnection, ids: &[i64]) -> Result<u64, AppError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let ids = serde_json::to_string(ids).map_err(AppError::internal)?;
    sqlx::query(
        "DELETE FROM feedback_themes WHERE item_kind = 'answer'
         AND item_id IN (SELECT id FROM answers WHERE response_id IN (SELECT value FROM json_each(?)))",
    )
    .bind(&ids)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM audit_log WHERE item_kind = 'response' AND item_id IN (SELECT value FROM json_each(?))")
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    Ok(sqlx::query("DELETE FROM responses WHERE id IN (SELECT value FROM json_each(?))")
        .bind(&ids)
        .execute(&mut *tx)
        .await?
        .rows_affected())
}

/// The counts as a sentence for the settings page: "3 hidden comments, 40 audit entries"
/// (or "nothing").
pub fn describe(json: &str) -> String {
    let counts: Vec<(String, u64)> = serde_json::from_str(json).unwrap_or_default();
    let parts: Vec<String> = counts.into_iter().filter(|(_, n)| *n > 0).map(|(w, n)| format!("{n} {w}")).collect();
    if parts.is_empty() {
        "nothing was due".into()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_report_reads_as_a_sentence() {
        assert_eq!(
            super::describe(r#"[["audit entries",40],["emails",0],["hidden comments",3]]"#),
            "40 audit entries, 3 hidden comments"
        );
        assert_eq!(super::describe(r#"[["emails",0]]"#), "nothing was due");
        assert_eq!(super::describe("not json"), "nothing was due");
    }
}
