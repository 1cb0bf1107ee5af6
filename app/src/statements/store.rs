//! SQL for experience statements.

use sqlx::SqlitePool;

use super::Statement;
use crate::error::AppError;

/// An experience statement as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct StatementRow {
    pub id: i64,
    pub text: String,
    pub short_name: Option<String>,
    pub position: i64,
    pub retired: bool,
}

impl From<StatementRow> for Statement {
    fn from(r: StatementRow) -> Statement {
        Statement { id: r.id, text: r.text, short_name: r.short_name, position: r.position, retired: r.retired }
    }
}

pub async fn all(pool: &SqlitePool) -> Result<Vec<Statement>, AppError> {
    let rows: Vec<StatementRow> = sqlx::query_as(
        "SELECT id, text, short_name, position, retired FROM experience_statements ORDER BY position, id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Statement::from).collect())
}

pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<Statement>, AppError> {
    let row: Option<StatementRow> =
        sqlx::query_as("SELECT id, text, short_name, position, retired FROM experience_statements WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(Statement::from))
}

pub async fn add(pool: &SqlitePool, text: &str, short_name: Option<&str>) -> Result<(), AppError> {
    sqlx::query("INSERT INTO experience_statements (text, short_name, position) VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM experience_statements))")
        .bind(text)
        .bind(short_name)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn update(pool: &SqlitePool, id: i64, text: &str, short_name: Option<&str>) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE experience_statements SET text = ?, short_name = ? WHERE id = ?")
        .bind(text)
        .bind(short_name)
        .bind(id)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn set_retired(pool: &SqlitePool, id: i64, retired: bool) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE experience_statements SET retired = ? WHERE id = ?")
        .bind(retired)
        .bind(id)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
