//! The session store. tower-sessions' SQLite store keeps the sessions; this wraps it so that
//! loading a session also reads, in the same statement, the account it belongs to and the
//! site settings (the request frame, `app::auth::session::Frame`). A page then costs one
//! statement for all three instead of three, and a deactivated account or a changed
//! password still takes effect on the very next request, because the account row is read
//! fresh with the session every time.

use async_trait::async_trait;
use sqlx::SqlitePool;
use time::OffsetDateTime;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    SessionStore,
};
use tower_sessions_sqlx_store::SqliteStore;

use app::auth::{
    session::{Frame, FrameUser, FRAME},
    store::SiteSettings,
};

/// The key under which sign-in stores the user id (`app::auth::session`).
const USER_ID: &str = "user_id";

#[derive(Clone, Debug)]
pub struct FrameStore {
    inner: SqliteStore,
    pool: SqlitePool,
}

impl FrameStore {
    pub fn new(pool: SqlitePool) -> Self {
        FrameStore { inner: SqliteStore::new(pool.clone()), pool }
    }

    pub async fn migrate(&self) -> sqlx::Result<()> {
        self.inner.migrate().await
    }
}

#[derive(sqlx::FromRow)]
struct FrameRow {
    data: Vec<u8>,
    user_id: Option<i64>,
    role: Option<String>,
    display_name: Option<String>,
    session_epoch: Option<i64>,
    active: Option<bool>,
    name: String,
    open_registration: bool,
    crisis_text: Option<String>,
    demo: bool,
}

fn store_error(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// The record as saved: without the frame, which is read fresh on every load.
fn without_frame(record: &Record) -> Record {
    let mut saved = record.clone();
    saved.data.remove(FRAME);
    saved
}

impl FrameStore {
    /// The session's user id goes in its own column, for the frame's join.
    async fn set_user(&self, record: &Record) -> session_store::Result<()> {
        let user = record.data.get(USER_ID).and_then(|v| v.as_i64());
        sqlx::query("UPDATE tower_sessions SET user_id = ? WHERE id = ?")
            .bind(user)
            .bind(record.id.to_string())
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }
}

#[async_trait]
impl SessionStore for FrameStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut saved = without_frame(record);
        self.inner.create(&mut saved).await?;
        record.id = saved.id;
        self.set_user(&saved).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let saved = without_frame(record);
        self.inner.save(&saved).await?;
        self.set_user(&saved).await
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<FrameRow> = sqlx::query_as(
            "/* frame */ SELECT s.data, u.id AS user_id, u.role, u.display_name, u.session_epoch, u.active, \
             c.name, c.open_registration, c.crisis_text, c.demo \
             FROM tower_sessions s JOIN collaborative c ON c.id = 1 LEFT JOIN users u ON u.id = s.user_id \
             WHERE s.id = ? AND s.expiry_date > ?",
        )
        .bind(id.to_string())
        .bind(OffsetDateTime::now_utc())
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let mut record: Record = rmp_serde::from_slice(&row.data).map_err(store_error)?;
        let user = match (row.user_id, row.role, row.display_name, row.session_epoch, row.active) {
            (Some(id), Some(role), Some(display_name), Some(epoch), Some(active)) => {
                Some(FrameUser { id, role, display_name, epoch, active })
            }
            _ => None,
        };
        let site = SiteSettings {
            name: row.name,
            open_registration: row.open_registration,
            crisis_text: row.crisis_text,
            demo: row.demo,
        };
        let frame = serde_json::to_value(Frame { user, site }).map_err(store_error)?;
        record.data.insert(FRAME.to_string(), frame);
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.inner.delete(id).await
    }
}

#[async_trait]
impl ExpiredDeletion for FrameStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.inner.delete_expired().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_is_never_saved() {
        let mut record = Record { id: Id::default(), data: Default::default(), expiry_date: OffsetDateTime::now_utc() };
        record.data.insert(USER_ID.into(), 7.into());
        record.data.insert(FRAME.into(), serde_json::json!({ "user": null }));
        let saved = without_frame(&record);
        assert!(!saved.data.contains_key(FRAME));
        assert_eq!(saved.data.get(USER_ID), Some(&serde_json::json!(7)));
    }
}
