//! The meetings' background job: timed motions close at their time, from database state,
//! with their decision on the prototype's timeline then (no page read writes anything).

use std::time::Duration;

use sqlx::SqlitePool;

use super::store;
use crate::{error::AppError, jobs::Job};

/// Closes every open motion whose voting time has passed; returns how many.
pub async fn close_due_motions(pool: &SqlitePool) -> Result<usize, AppError> {
    store::close_due(pool).await
}

/// Every 10 seconds: votes are refused from the closing time on, and the decision is dated
/// at the closing time, so a few seconds' delay changes nothing but when it shows.
pub fn close_due_job() -> Job {
    Job::new(
        "meetings.close_due_motions",
        Duration::from_secs(10),
        |pool| async move { close_due_motions(&pool).await },
    )
}
