//! Ground floor: rate limits, so one person cannot do a thing a thousand times. A fixed
//! window per key, counted in the database (several instances share the count) with one
//! atomic statement, so parallel requests cannot all slip under the limit.

#[cfg(feature = "ssr")]
use crate::{error::AppError, time::now};

/// How many times a key may act within a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub max: i64,
    pub window_secs: i64,
}

/// Minutes until a window that started at `start` ends, rounded up, at least 1.
pub fn minutes_left(start: i64, window_secs: i64, now: i64) -> i64 {
    (((start + window_secs) - now + 59) / 60).max(1)
}

/// Counts one more act for `key` and refuses it (`Throttled`) past the limit. The count is
/// taken whether or not the act then succeeds: a refused attempt still costs the server.
#[cfg(feature = "ssr")]
pub async fn take(pool: &sqlx::SqlitePool, key: &str, rate: Rate) -> Result<(), AppError> {
    let t = now();
    let (hits, start): (i64, i64) = sqlx::query_as(
        "INSERT INTO rate_limits (key, window_start, hits) VALUES (?1, ?2, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE hits + 1 END,
           window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
         RETURNING hits, window_start",
    )
    .bind(key)
    .bind(t)
    .bind(rate.window_secs)
    .fetch_one(pool)
    .await?;
    if hits > rate.max {
        tracing::warn!(%key, "rate limit reached");
        return Err(AppError::Throttled { minutes: minutes_left(start, rate.window_secs, t) });
    }
    Ok(())
}

/// Drops windows that started longer ago than the collaborative's retention for them
/// (`retention.throttle_days`, at least a day: no limit here has a longer window).
#[cfg(feature = "ssr")]
pub async fn purge(pool: &sqlx::SqlitePool) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "DELETE FROM rate_limits WHERE window_start < ? - 86400 * (SELECT throttle_days FROM retention WHERE id = 1)",
    )
    .bind(now())
    .execute(pool)
    .await?
    .rows_affected())
}

/// Every ten minutes, windows past their retention are dropped.
#[cfg(feature = "ssr")]
pub fn purge_job() -> crate::jobs::Job {
    crate::jobs::Job::new("limits.purge", std::time::Duration::from_secs(600), |pool| async move {
        purge(&pool).await.map(|n| n as usize)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_left_rounds_up_and_never_says_zero() {
        assert_eq!(minutes_left(0, 3600, 0), 60);
        assert_eq!(minutes_left(0, 3600, 3599), 1);
        assert_eq!(minutes_left(0, 3600, 3600), 1);
        assert_eq!(minutes_left(0, 600, 61), 9);
    }
}
