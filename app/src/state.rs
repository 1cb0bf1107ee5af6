//! What the server hands every request: the database and Leptos's options.
//! Kept in the app crate so server functions can take it from context.

use axum::extract::FromRef;
use leptos::prelude::*;
use sqlx::SqlitePool;

use crate::error::AppError;

/// Two pools over one SQLite file: many readers, and a single writer connection so that
/// write transactions queue in the pool instead of failing with "database is locked".
#[derive(Clone, Debug)]
pub struct Db {
    pub read: SqlitePool,
    pub write: SqlitePool,
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    /// Whether a reverse proxy in front of us sets `X-Forwarded-For` (see `site::client_address`).
    pub trusted_proxy: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The database, from the request's context.
pub fn db() -> Result<Db, AppError> {
    use_context::<AppState>().map(|s| s.db).ok_or_else(|| AppError::internal("AppState missing from context"))
}
