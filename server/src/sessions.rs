//! The session store. tower-sessions' SQLite store keeps the sessions; this wraps it so that
//! loading a session also reads, in the same statement, the account it belongs to and the
//! site settings (the request frame, `app::auth::session::Frame`). A page then costs one
//! statement for all three instead of three, and a deactivated account or a changed
//! password still takes effect on the very next request, because the account row is read
//! fresh with the session every time.
//!
//! Whoever adds account deletion: delete the account's sessions in the same transaction,
//! and never let a new account take a deleted one's id (`users.id` has no AUTOINCREMENT,
//! so SQLite would reuse the highest), or an old cookie would sign in as the newcomer.

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
    unread: Option<i64>,
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

/// The signed-in account a record names, kept in its own column for the frame's join.
fn user_of(record: &Record) -> Option<i64> {
    record.data.get(USER_ID).and_then(|v| v.as_i64())
}

impl FrameStore {
    /// The session's user id goes in its own column, for the frame's join.
    async fn set_user(&self, record: &Record) -> session_store::Result<()> {
        sqlx::query("UPDATE tower_sessions SET user_id = ? WHERE id = ?")
            .bind(user_of(record))
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

    /// tower-sessions calls `save` only for a session it loaded (a new one goes to
    /// `create`), so this updates and never inserts: a request that loaded the session
    /// before a sign-out deleted it cannot bring it back when it saves afterwards.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let saved = without_frame(record);
        sqlx::query("UPDATE tower_sessions SET data = ?, expiry_date = ?, user_id = ? WHERE id = ?")
            .bind(rmp_serde::to_vec(&saved).map_err(store_error)?)
            .bind(saved.expiry_date)
            .bind(user_of(&saved))
            .bind(saved.id.to_string())
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<FrameRow> = sqlx::query_as(
            "/* frame */ SELECT s.data, u.id AS user_id, u.role, u.display_name, u.session_epoch, u.active, \
             (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread, \
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
                Some(FrameUser { id, role, display_name, epoch, active, unread: row.unread.unwrap_or(0) })
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

    async fn store() -> (FrameStore, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
        let pool = SqlitePool::connect(&url).await.unwrap();
        let store = FrameStore::new(pool.clone());
        store.migrate().await.unwrap();
        sqlx::raw_sql(
            "ALTER TABLE tower_sessions ADD COLUMN user_id INTEGER;
             CREATE TABLE collaborative (id INTEGER PRIMARY KEY, name TEXT NOT NULL, open_registration INTEGER NOT NULL,
                                         crisis_text TEXT, demo INTEGER NOT NULL);
             INSERT INTO collaborative VALUES (1, 'Lab', 0, NULL, 0);
             CREATE TABLE users (id INTEGER PRIMARY KEY, role TEXT, display_name TEXT, session_epoch INTEGER, active INTEGER);
             CREATE TABLE notifications (id INTEGER PRIMARY KEY, user_id INTEGER, read_at INTEGER);",
        )
        .execute(&pool)
        .await
        .unwrap();
        (store, dir)
    }

    fn record(user: i64) -> Record {
        let mut record = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: OffsetDateTime::now_utc() + time::Duration::days(1),
        };
        record.data.insert(USER_ID.into(), user.into());
        record
    }

    #[tokio::test]
    async fn a_save_after_sign_out_does_not_bring_the_session_back() {
        let (store, _dir) = store().await;
        let mut r = record(7);
        store.create(&mut r).await.unwrap();
        let loaded = store.load(&r.id).await.unwrap().expect("created");
        // Another request signs out (the row goes); this one, loaded before, then saves.
        store.delete(&r.id).await.unwrap();
        store.save(&loaded).await.unwrap();
        assert!(store.load(&r.id).await.unwrap().is_none(), "signed out stays signed out");
    }

    #[tokio::test]
    async fn a_save_keeps_the_user_column_in_step_with_the_record() {
        let (store, _dir) = store().await;
        let mut r = record(7);
        store.create(&mut r).await.unwrap();
        let mut loaded = store.load(&r.id).await.unwrap().unwrap();
        loaded.data.insert(USER_ID.into(), 8.into());
        store.save(&loaded).await.unwrap();
        let user: Option<i64> = sqlx::query_scalar("SELECT user_id FROM tower_sessions WHERE id = ?")
            .bind(r.id.to_string())
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(user, Some(8));
        let again = store.load(&r.id).await.unwrap().unwrap();
        assert!(!again.data.get(FRAME).unwrap()["site"].is_null(), "the frame is read on load");
        assert_eq!(again.data.get(USER_ID), Some(&serde_json::json!(8)));
    }

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
