//! The timeline writer: every domain that changes a prototype's story (publishing, a stage
//! move, a consultation, a decision) records it here, inside its own transaction, so the
//! change and its timeline entry land together. Shared, so no store imports another's.

use crate::{
    error::AppError,
    stages::{self, rules},
    time::now,
};

/// A timeline event to record; each kind fills the columns it needs.
pub enum NewEvent<'a> {
    Created {
        stage: i64,
    },
    Iteration {
        number: i64,
        note: &'a str,
    },
    StageMove {
        from: i64,
        to: i64,
        reason: &'a str,
    },
    Consultation {
        round: i64,
        iteration: i64,
        note: &'a str,
    },
    Decision {
        motion: i64,
        note: &'a str,
    },
    /// A site's roll-out status changed (`status`: planned, live, paused, stopped).
    Rollout {
        site: i64,
        status: &'a str,
        note: &'a str,
    },
}

/// Writes one event onto a prototype's timeline (inside the caller's transaction).
pub async fn record_event(
    tx: &mut sqlx::SqliteConnection,
    prototype: i64,
    at: i64,
    actor: i64,
    event: NewEvent<'_>,
) -> Result<(), AppError> {
    let mut detail = None;
    let (kind, number, from, to, note, reference) = match event {
        NewEvent::Created { stage } => ("created", None, None, Some(stage), "", None),
        NewEvent::Iteration { number, note } => ("iteration", Some(number), None, None, note, None),
        NewEvent::StageMove { from, to, reason } => ("stage_move", None, Some(from), Some(to), reason, None),
        NewEvent::Consultation { round, iteration, note } => {
            ("consultation", Some(iteration), None, None, note, Some(round))
        }
        NewEvent::Decision { motion, note } => ("decision", None, None, None, note, Some(motion)),
        NewEvent::Rollout { site, status, note } => {
            detail = Some(status);
            ("rollout", None, None, None, note, Some(site))
        }
    };
    sqlx::query(
        "INSERT INTO timeline_events (prototype_id, kind, at, actor_id, iteration_number, from_stage_id, to_stage_id, note, ref_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(prototype)
    .bind(kind)
    .bind(at)
    .bind(actor)
    .bind(number)
    .bind(from)
    .bind(to)
    .bind(note)
    .bind(reference)
    .bind(detail)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Moves a prototype inside the caller's transaction (a decision applies its action with
/// the decision itself, so both land or neither does).
pub async fn move_stage_in(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    to: i64,
    reason: &str,
    by: i64,
) -> Result<(), AppError> {
    let (from, count): (i64, i64) = sqlx::query_as("SELECT stage_id, iteration_count FROM prototypes WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = stages::store::all(&mut *tx).await?;
    let from_stage =
        all.iter().find(|s| s.id == from).ok_or_else(|| AppError::internal("prototype at an unknown stage"))?;
    let to_stage = all
        .iter()
        .find(|s| s.id == to)
        .ok_or_else(|| AppError::invalid("stage", "Please choose a stage from the list."))?;
    rules::check_move(from_stage, to_stage, count)?;
    let t = now();
    sqlx::query("UPDATE prototypes SET stage_id = ?, last_activity = ? WHERE id = ?")
        .bind(to)
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record_event(tx, id, t, by, NewEvent::StageMove { from, to, reason }).await?;
    Ok(())
}
