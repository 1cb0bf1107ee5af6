//! Opening the SQLite database: created and migrated on start, WAL, foreign keys,
//! busy timeout on every connection, full fsync at commit.

use std::{path::Path, str::FromStr, time::Duration};

use app::state::Db;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::StartError;

pub async fn connect(url: &str) -> Result<Db, StartError> {
    let bad = |e: &dyn std::fmt::Display| StartError::Database(format!("cannot open the database at {url}: {e}"));
    ensure_folder(url).map_err(|e| bad(&e))?;
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| bad(&e))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a write we report as saved survives a power cut, not only a crash.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // Deleted rows are overwritten, not left in free pages: cleared ballot cells, old
        // refused forms and removed contributions must not survive in the file or a backup.
        .pragma("secure_delete", "ON")
        .busy_timeout(Duration::from_secs(10));
    // One writer connection: multi-statement write transactions queue here instead of
    // failing with "database is locked" when two try to upgrade from read to write.
    let write = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.map_err(|e| bad(&e))?;
    sqlx::migrate!("../migrations")
        .run(&write)
        .await
        .map_err(|e| StartError::Database(format!("cannot migrate the database at {url}: {e}")))?;
    // Readers (and the session store's single-statement writes, which the busy timeout covers).
    let read = SqlitePoolOptions::new().max_connections(8).connect_with(options).await.map_err(|e| bad(&e))?;
    Ok(Db { read, write })
}

/// Creates the folder a file database lives in, so the default `data/livingwell.db` just works.
fn ensure_folder(url: &str) -> std::io::Result<()> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
}
