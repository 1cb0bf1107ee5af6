//! What the server hands every request: the database and Leptos's options.
//! Kept in the app crate so server functions can take it from context.

use std::sync::Arc;

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
    /// This server's in-memory caches (one set per server, so servers over other databases,
    /// as in the tests, never see each other's entries).
    pub caches: Arc<Caches>,
    /// Where links in emails point, and whether mail is sent at all.
    pub mail: MailSettings,
}

/// What server functions need to know about email.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// This site's address as people reach it (`--public-url`), for links in emails. Never
    /// taken from a request's `Host` header, which a stranger sets.
    pub public_url: String,
    /// Whether an SMTP server is configured; without one, messages wait in the outbox.
    pub sending: bool,
    /// Signs unsubscribe links (a site secret, shared by every instance through the database).
    pub unsubscribe_key: Arc<Vec<u8>>,
}

/// What a server keeps in memory between requests: only what needs no invalidation across
/// instances (see each module for why).
#[derive(Default)]
pub struct Caches {
    /// Published iterations' HTML and sections: immutable once published.
    pub iterations: crate::prototypes::cache::Cache,
    /// Consultation tallies, keyed by the round's results version.
    pub tallies: crate::consultations::cache::Cache,
    /// Searches per person per minute (a soft limit, per server: searching writes nothing).
    pub searches: crate::throttle::Limiter,
    /// Reports per person per minute (the same kind of limit).
    pub reports: crate::throttle::Limiter,
}

impl std::fmt::Debug for Caches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caches").field("iterations", &self.iterations.len()).finish_non_exhaustive()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The server's state, from the request's context.
fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

/// This server's caches, from the request's context.
pub fn caches() -> Result<Arc<Caches>, AppError> {
    state().map(|s| s.caches)
}

impl MailSettings {
    /// The public address's host name (for ids that must be unique to this site).
    pub fn host(&self) -> &str {
        let url = self.public_url.as_str();
        url.split("://").nth(1).unwrap_or(url).split(['/', ':']).next().unwrap_or("localhost")
    }
}

/// The email settings, from the request's context.
pub fn mail() -> Result<MailSettings, AppError> {
    state().map(|s| s.mail)
}

/// The database, from the request's context.
pub fn db() -> Result<Db, AppError> {
    state().map(|s| s.db)
}
