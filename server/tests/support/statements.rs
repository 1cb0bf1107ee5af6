//! Counts the SQL statements the server runs while a request is answered, from sqlx's own
//! statement log (`sqlx::query` tracing events, one per statement executed). Every server
//! in the test binary shares the process, so measurements take a lock and the server under
//! test runs without background jobs (`TestApp::spawn_quiet`).

use std::sync::{Mutex, OnceLock};

use tracing::{
    field::{Field, Visit},
    Event, Subscriber,
};
use tracing_subscriber::{layer::Context, prelude::*, Layer};

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<()> = OnceLock::new();
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
static ONE_TEST_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Held for a whole round-trip test: another test seeding its own server meanwhile would
/// write its statements into the one log this test is reading.
pub async fn alone() -> tokio::sync::MutexGuard<'static, ()> {
    ONE_TEST_AT_A_TIME.lock().await
}

struct Statements;

struct Sql(Option<String>);

impl Visit for Sql {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "db.statement" || (field.name() == "summary" && self.0.is_none()) {
            self.0 = Some(value.to_string());
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "db.statement" || (field.name() == "summary" && self.0.is_none()) {
            self.0 = Some(format!("{value:?}"));
        }
    }
}

impl<S: Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut sql = Sql(None);
            event.record(&mut sql);
            let text = sql.0.unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
            LOG.lock().unwrap().push(text);
        }
    }
}

fn install() {
    INSTALLED.get_or_init(|| {
        let filter = tracing_subscriber::filter::Targets::new().with_target("sqlx::query", tracing::Level::TRACE);
        tracing_subscriber::registry().with(Statements.with_filter(filter)).try_init().expect("no other subscriber");
    });
}

/// The request frame: the session, its viewer and the collaborative's settings, read for
/// every page (`auth::session`, tagged `/* frame */` in its SQL). Counted apart from the page's own.
const FRAME: [&str; 4] = [
    "/* frame */",
    "select data from tower_sessions",
    "SELECT id, role, display_name FROM users WHERE id = ? AND active = 1",
    "SELECT name, open_registration, crisis_text, demo FROM collaborative",
];

/// Whether a logged statement is part of the request frame.
pub fn is_frame(sql: &str) -> bool {
    FRAME.iter().any(|f| sql.contains(f))
}

/// The statements a page ran for itself: not the frame, not a new pooled connection's
/// PRAGMA set-up (a warm pool under load runs none).
pub fn own(seen: &[String]) -> Vec<String> {
    seen.iter().filter(|s| !is_frame(s) && !s.starts_with("PRAGMA")).cloned().collect()
}

/// Runs `f` and returns its result with the statements executed meanwhile, in order.
pub async fn during<T>(f: impl std::future::Future<Output = T>) -> (T, Vec<String>) {
    install();
    let _one = ONE_AT_A_TIME.lock().await;
    LOG.lock().unwrap().clear();
    let out = f.await;
    let seen = std::mem::take(&mut *LOG.lock().unwrap());
    (out, seen)
}

/// The statements of its own `f` (a GET or a call) runs, printed; `f` must answer 200.
pub async fn own_of(what: &str, f: impl std::future::Future<Output = super::Reply>) -> Vec<String> {
    let (reply, seen) = during(f).await;
    assert_eq!(reply.status, 200, "{what}: {}", reply.body);
    let own = own(&seen);
    println!("{what}: {} own statements ({} in all)\n  {}", own.len(), seen.len(), own.join("\n  "));
    own
}
