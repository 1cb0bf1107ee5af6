//! SQL for the vision's versions. No permission checks here: the server functions make them.

use sqlx::SqlitePool;

use super::Value;
use crate::{error::AppError, time::now};

/// One version, with its editor's name (as the account reads now: "A former member" once
/// erased).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub body: String,
    pub body_html: String,
    pub note: String,
    pub editor: Option<String>,
    pub edited_at: i64,
    /// Its number: 1 for the first version, counting up.
    pub number: i64,
}

const COLUMNS: &str = "v.id, v.body, v.body_html, v.note, u.display_name AS editor, v.edited_at,
     (SELECT count(*) FROM vision_versions w WHERE w.id <= v.id) AS number";

/// The vision as it is now.
pub async fn current(pool: &SqlitePool) -> Result<Option<VersionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM vision_versions v LEFT JOIN users u ON u.id = v.edited_by ORDER BY v.id DESC LIMIT 1"
    ))
    .fetch_optional(pool)
    .await?)
}

/// The version numbered `number` and the one before it (if any), oldest first.
pub async fn with_previous(pool: &SqlitePool, number: i64) -> Result<Vec<VersionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM vision_versions v LEFT JOIN users u ON u.id = v.edited_by
         WHERE v.id IN (SELECT id FROM vision_versions ORDER BY id LIMIT min(?1, 2) OFFSET max(?1 - 2, 0))
           AND ?1 >= 1 ORDER BY v.id"
    ))
    .bind(number)
    .fetch_all(pool)
    .await?)
}

/// One page of versions, newest first (`PAGE_SIZE + 1` rows, so the caller can tell whether
/// another page follows).
pub async fn page(pool: &SqlitePool, page: i64, size: i64) -> Result<Vec<VersionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM vision_versions v LEFT JOIN users u ON u.id = v.edited_by
         ORDER BY v.id DESC LIMIT ? OFFSET ?"
    ))
    .bind(size + 1)
    .bind(page * size)
    .fetch_all(pool)
    .await?)
}

/// Saves a new version, unless someone saved one since `based_on` (the version the editor
/// started from; 0 for none): then nothing is written and the editor is told.
pub async fn save(
    pool: &SqlitePool,
    body: &str,
    body_html: &str,
    note: &str,
    by: i64,
    based_on: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let latest: i64 =
        sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM vision_versions").fetch_one(&mut *tx).await?;
    if latest != based_on {
        return Err(AppError::Conflict(
            "Someone else changed the vision while you were editing it. Your text is kept below: please look at the new version and save again."
                .into(),
        ));
    }
    sqlx::query("INSERT INTO vision_versions (body, body_html, note, edited_by, edited_at) VALUES (?, ?, ?, ?, ?)")
        .bind(body)
        .bind(body_html)
        .bind(note)
        .bind(by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Values.

/// A value as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct ValueRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub position: i64,
    pub retired: bool,
}

impl From<ValueRow> for Value {
    fn from(r: ValueRow) -> Value {
        Value { id: r.id, name: r.name, description: r.description, position: r.position, retired: r.retired }
    }
}

/// Every value, in order (retired ones too: the caller decides who sees them).
pub async fn values(pool: &SqlitePool) -> Result<Vec<Value>, AppError> {
    let rows: Vec<ValueRow> =
        sqlx::query_as("SELECT id, name, description, position, retired FROM lab_values ORDER BY position, id")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(Value::from).collect())
}

pub async fn value(pool: &SqlitePool, id: i64) -> Result<Option<Value>, AppError> {
    let row: Option<ValueRow> =
        sqlx::query_as("SELECT id, name, description, position, retired FROM lab_values WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(Value::from))
}

pub async fn add_value(pool: &SqlitePool, name: &str, description: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO lab_values (name, description, position)
         VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM lab_values)) RETURNING id",
    )
    .bind(name)
    .bind(description)
    .fetch_one(pool)
    .await?)
}

pub async fn update_value(pool: &SqlitePool, id: i64, name: &str, description: &str) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE lab_values SET name = ?, description = ? WHERE id = ?")
        .bind(name)
        .bind(description)
        .bind(id)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn set_value_retired(pool: &SqlitePool, id: i64, retired: bool) -> Result<(), AppError> {
    let done =
        sqlx::query("UPDATE lab_values SET retired = ? WHERE id = ?").bind(retired).bind(id).execute(pool).await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
