//! The signed-in person, from the server-side session. The session keeps only the user id
//! and the password epoch; everything else is read fresh, so a deactivated account or a
//! changed password takes effect on the very next request.

use tower_sessions::Session;

use super::{roles::Role, store};
use crate::{error::AppError, state::db};

const USER_ID: &str = "user_id";
const EPOCH: &str = "epoch";

/// Who is making this request, as the server knows them.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: i64,
    pub role: Role,
    pub display_name: String,
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
    store::viewer(pool, id, epoch).await
}

pub async fn viewer_role() -> Result<Option<Role>, AppError> {
    Ok(viewer().await?.map(|v| v.role))
}

/// Signs in with a new session id, so an id fixed before sign-in is worthless after it.
pub async fn sign_in(s: &Session, user_id: i64, epoch: i64) -> Result<(), AppError> {
    s.cycle_id().await.map_err(AppError::internal)?;
    s.insert(USER_ID, user_id).await.map_err(AppError::internal)?;
    s.insert(EPOCH, epoch).await.map_err(AppError::internal)?;
    // Saved now, not at the end of the response, so the write is durable before we say so.
    s.save().await.map_err(AppError::internal)
}

/// Deletes the session from the store and clears the cookie.
pub async fn sign_out(s: &Session) -> Result<(), AppError> {
    s.flush().await.map_err(AppError::internal)
}
