//! The background work for people's data: large exports, erasures whose grace period has
//! ended, and the daily retention run.

use std::time::Duration;

use sqlx::SqlitePool;

use super::{archive, erase, gather, retention, store};
use crate::{error::AppError, jobs::Job, time::now};

/// Makes one export's ZIP from `read` and stores it with `write` (the request becomes ready).
pub async fn make_export(
    read: &SqlitePool,
    write: &SqlitePool,
    request: i64,
    user: i64,
    on_behalf: bool,
) -> Result<(), AppError> {
    let export = gather::export(read, user, on_behalf).await?;
    // Building the ZIP is CPU work (compression): off the async threads.
    let zip = tokio::task::spawn_blocking(move || archive::zip(&export)).await.map_err(AppError::internal)??;
    store::store_export(write, request, &zip).await
}

/// Waiting exports (a few at a time), then files past their week.
pub async fn run_exports(pool: &SqlitePool) -> Result<usize, AppError> {
    let pending = store::pending_exports(pool, 5).await?;
    let n = pending.len();
    for (request, user, on_behalf) in pending {
        // One failure is logged and retried next time; it does not hold up the others.
        match make_export(pool, pool, request, user, on_behalf).await {
            Ok(()) => tracing::info!(request, "data export made"),
            Err(e) => tracing::warn!(request, error = %e, "data export failed; retrying later"),
        }
    }
    Ok(n + store::expire_exports(pool).await? as usize)
}

/// Erases every account whose grace period has ended, then compacts the file so the erased
/// bytes are not left in free pages.
pub async fn run_erasures(pool: &SqlitePool) -> Result<usize, AppError> {
    let mut done = 0;
    for request in store::due_erasures(pool, 20).await? {
        match erase::erase(pool, request).await {
            Ok(Some(counts)) => {
                tracing::info!(request, ?counts, "account erased");
                done += 1;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(request, error = %e, "erasure failed; retrying later"),
        }
    }
    if done > 0 {
        erase::compact(pool).await?;
    }
    Ok(done)
}

/// The retention run, once a day (checked hourly, from the database, so a restart neither
/// skips nor repeats it).
pub async fn run_retention(pool: &SqlitePool) -> Result<usize, AppError> {
    if retention::last_run(pool).await?.is_some_and(|at| now() - at < 86_400 - 600) {
        return Ok(0);
    }
    let removed = retention::enforce(pool).await?;
    let total: u64 = removed.iter().map(|(_, n)| n).sum();
    // FTS5 forgets a removed row by a marker: the words stay in older index segments until
    // they merge. Merging them all once a day means text removed by retention, hidden by a
    // moderator or edited out of a comment leaves the file within a day (freed pages are
    // zeroed: the database runs with secure_delete).
    sqlx::query("INSERT INTO search_index (search_index) VALUES ('optimize')").execute(pool).await?;
    tracing::info!(?removed, "retention run");
    Ok(total as usize)
}

pub fn all() -> Vec<Job> {
    vec![
        Job::new("privacy.exports", Duration::from_secs(5), |pool| async move { run_exports(&pool).await }),
        Job::new("privacy.erasures", Duration::from_secs(300), |pool| async move { run_erasures(&pool).await }),
        Job::new("privacy.retention", Duration::from_secs(3600), |pool| async move { run_retention(&pool).await }),
    ]
}
