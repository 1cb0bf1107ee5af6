//! The signed-in person, from the server-side session. The session keeps only the user id
//! and the password epoch; everything else is read fresh, so a deactivated account or a
//! changed password takes effect on the very next request.

use tower_sessions::Session;

use super::{roles::Role, store};
use crate::{error::AppError, state::db};

const USER_ID: &str = "user_id";
const EPOCH: &str = "epoch";
/// When the session's 14-day inactivity window was last pushed forward.
const REFRESHED: &str = "refreshed";
/// Sessions are saved only when changed, so an active person's session would still end 14
/// days after sign-in. Touching it once a day keeps it alive at one write a day, not one a page.
const REFRESH_AFTER_SECS: i64 = 24 * 3600;

/// The request frame: what the session store read beside the session itself, in the same
/// statement (`server/src/sessions.rs`): the account the session belongs to, as it is now,
/// and the site settings. Kept in the loaded session under this key, never saved.
pub const FRAME: &str = "__frame";

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Frame {
    pub user: Option<FrameUser>,
    pub site: store::SiteSettings,
}

/// The session's account, read fresh with the session on every request.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FrameUser {
    pub id: i64,
    pub role: String,
    pub display_name: String,
    pub epoch: i64,
    pub active: bool,
    /// Unread notifications, for the header.
    #[serde(default)]
    pub unread: i64,
}

/// Who is making this request, as the server knows them.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: i64,
    pub role: Role,
    pub display_name: String,
    /// Unread notifications (read with the viewer, in the same statement).
    pub unread: i64,
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(AppError::internal)
}

/// The viewer, resolved once per request: the header and the page both ask, and each
/// answer is a session read plus a query.
#[derive(Clone, Default)]
pub struct ViewerCache(std::sync::Arc<tokio::sync::OnceCell<Option<Viewer>>>);

pub async fn viewer() -> Result<Option<Viewer>, AppError> {
    match leptos::prelude::use_context::<ViewerCache>() {
        Some(cache) => cache.0.get_or_try_init(load_viewer).await.cloned(),
        None => load_viewer().await,
    }
}

async fn load_viewer() -> Result<Option<Viewer>, AppError> {
    viewer_of(&session().await?, &db()?.read).await
}

/// The viewer behind a session, for handlers outside Leptos (the CSV export).
pub async fn viewer_of(s: &Session, pool: &sqlx::SqlitePool) -> Result<Option<Viewer>, AppError> {
    let Some(id) = s.get::<i64>(USER_ID).await.map_err(AppError::internal)? else {
        return Ok(None);
    };
    let epoch = s.get::<i64>(EPOCH).await.map_err(AppError::internal)?.unwrap_or(-1);
    let frame = s.get::<Frame>(FRAME).await.map_err(AppError::internal)?;
    let viewer = match frame.and_then(|f| f.user).filter(|u| u.id == id) {
        // Read with the session: the account must still be active, on the same password epoch.
        Some(u) => match (u.active && u.epoch == epoch, super::Role::parse(&u.role)) {
            (true, Some(role)) => Some(Viewer { id, role, display_name: u.display_name, unread: u.unread }),
            _ => None,
        },
        // Signed in during this request, or a session saved before the frame existed.
        None => store::viewer(pool, id, epoch).await?,
    };
    if viewer.is_some() {
        let now = crate::time::now();
        let refreshed = s.get::<i64>(REFRESHED).await.map_err(AppError::internal)?.unwrap_or(0);
        if needs_refresh(now, refreshed) {
            // Marks the session changed: the session layer saves it (new expiry, new cookie
            // max-age) when the response goes out.
            s.insert(REFRESHED, now).await.map_err(AppError::internal)?;
        }
    }
    Ok(viewer)
}

/// The site settings: from the request frame when the session was read, else one query
/// (a visitor with no session has no frame).
pub async fn site_settings() -> Result<store::SiteSettings, AppError> {
    if let Some(frame) = session().await?.get::<Frame>(FRAME).await.map_err(AppError::internal)? {
        return Ok(frame.site);
    }
    store::site_settings(&db()?.read).await
}

pub async fn viewer_role() -> Result<Option<Role>, AppError> {
    Ok(viewer().await?.map(|v| v.role))
}

/// Signs in with a new session id, so an id fixed before sign-in is worthless after it.
pub async fn sign_in(s: &Session, user_id: i64, epoch: i64) -> Result<(), AppError> {
    s.cycle_id().await.map_err(AppError::internal)?;
    s.insert(USER_ID, user_id).await.map_err(AppError::internal)?;
    s.insert(EPOCH, epoch).await.map_err(AppError::internal)?;
    s.insert(REFRESHED, crate::time::now()).await.map_err(AppError::internal)?;
    // Saved now, not at the end of the response, so the write is durable before we say so.
    s.save().await.map_err(AppError::internal)
}

/// Deletes the session from the store and clears the cookie.
pub async fn sign_out(s: &Session) -> Result<(), AppError> {
    s.flush().await.map_err(AppError::internal)
}

/// Whether a session last refreshed at `refreshed` should be pushed forward now.
pub fn needs_refresh(now: i64, refreshed: i64) -> bool {
    now - refreshed > REFRESH_AFTER_SECS
}

#[cfg(test)]
mod tests {
    #[test]
    fn sessions_are_refreshed_once_a_day() {
        assert!(!super::needs_refresh(1_000_000, 1_000_000 - 3600));
        assert!(super::needs_refresh(1_000_000, 1_000_000 - 25 * 3600));
        assert!(super::needs_refresh(1_000_000, 0), "sessions from before refreshing existed");
    }
}
