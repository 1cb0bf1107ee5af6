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
    let read = SqlitePoolOptions::new().max_connections(readers()).connect_with(options).await.map_err(|e| bad(&e))?;
    Ok(Db { read, write })
}

/// How many reader connections: `LWL_READERS` if set, else `default_readers` for this machine.
fn readers() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    std::env::var("LWL_READERS").ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(default_readers(cores))
}

/// Each SQLite connection runs its statements on a thread of its own, so readers beyond the
/// cores only queue for CPU, while too few leave a core idle when a statement waits on the
/// disk. Two per core, at least 4: measured in BENCHMARKS.md ("Reader pool").
pub fn default_readers(cores: u32) -> u32 {
    (cores * 2).clamp(4, 32)
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

#[cfg(test)]
mod tests {
    #[test]
    fn two_readers_a_core_within_bounds() {
        assert_eq!(super::default_readers(1), 4);
        assert_eq!(super::default_readers(2), 4);
        assert_eq!(super::default_readers(8), 16);
        assert_eq!(super::default_readers(64), 32);
    }
}
