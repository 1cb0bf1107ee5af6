//! The audit log writer: every look at or decision on a held contribution, from any domain
//! (comments, consultation answers), recorded inside that domain's own transaction. Shared,
//! like the timeline writer, so no domain's store imports another's.

use sqlx::SqliteConnection;

use crate::{error::AppError, time::now};

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
