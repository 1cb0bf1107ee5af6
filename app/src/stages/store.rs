//! SQL for stages.

use sqlx::SqlitePool;

use super::Stage;
use crate::error::AppError;

/// A stage as stored (`kind` is "open" or "closed").
#[derive(Debug, sqlx::FromRow)]
pub struct StageRow {
    pub id: i64,
    pub name: String,
    pub position: i64,
    pub kind: String,
    pub retired: bool,
    pub requires_iteration: bool,
}

impl From<StageRow> for Stage {
    fn from(r: StageRow) -> Stage {
        Stage {
            id: r.id,
            name: r.name,
            position: r.position,
            closed: r.kind == "closed",
            retired: r.retired,
            requires_iteration: r.requires_iteration,
        }
    }
}

const COLUMNS: &str = "id, name, position, kind, retired, requires_iteration";

/// Every stage in pipeline order, retired ones included (old timeline entries name them).
/// Takes any executor, so a write transaction can read the stages it checks a move against.
pub async fn all<'e>(db: impl sqlx::SqliteExecutor<'e>) -> Result<Vec<Stage>, AppError> {
    let rows: Vec<StageRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM stages ORDER BY position, id")).fetch_all(db).await?;
    Ok(rows.into_iter().map(Stage::from).collect())
}

pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<Stage>, AppError> {
    let row: Option<StageRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM stages WHERE id = ?")).bind(id).fetch_optional(pool).await?;
    Ok(row.map(Stage::from))
}

pub async fn add(pool: &SqlitePool, name: &str, closed: bool) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO stages (name, position, kind) VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM stages), ?)",
    )
    .bind(name)
    .bind(if closed { "closed" } else { "open" })
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn rename(pool: &SqlitePool, id: i64, name: &str) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE stages SET name = ? WHERE id = ?").bind(name).bind(id).execute(pool).await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn prototypes_at(pool: &SqlitePool, id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM prototypes WHERE stage_id = ?").bind(id).fetch_one(pool).await?)
}

pub async fn set_retired(pool: &SqlitePool, id: i64, retired: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE stages SET retired = ? WHERE id = ?").bind(retired).bind(id).execute(pool).await?;
    Ok(())
}
