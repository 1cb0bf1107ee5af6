//! Background jobs (closing timed motions; later the outbox, digests, retention): each runs
//! on a tokio interval in every instance, from database state only, and does its work only
//! on the instance holding the job's lease row, so that with several instances behind a
//! load balancer exactly one runs each job. A holder renews its lease on every run; if it
//! stops (crash, deploy), the lease runs out and another instance takes the job over.

use std::{future::Future, pin::Pin, sync::Arc, time::Duration};

use sqlx::SqlitePool;

use crate::{error::AppError, time::now};

/// A job's work: given the pool, how many things it did. A closure, so a job can carry what
/// it was started with (the mail sender its SMTP transport).
pub type Work = Arc<dyn Fn(SqlitePool) -> Pin<Box<dyn Future<Output = Result<usize, AppError>> + Send>> + Send + Sync>;

/// One background job: its lease name, how often it runs, and the work.
pub struct Job {
    pub name: &'static str,
    pub every: Duration,
    pub run: Work,
}

impl Job {
    pub fn new<F, Fut>(name: &'static str, every: Duration, run: F) -> Job
    where
        F: Fn(SqlitePool) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<usize, AppError>> + Send + 'static,
    {
        Job { name, every, run: Arc::new(move |pool| Box::pin(run(pool))) }
    }

    /// Long enough that a holder renewing on each run keeps it through a slow run or two.
    fn lease_secs(&self) -> i64 {
        (self.every.as_secs() as i64 * 4).max(30)
    }
}

/// A fresh name for this instance as a lease holder.
pub fn new_holder() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Takes or renews `job`'s lease for `holder` until `secs` from now, if nobody else holds
/// it unexpired. One statement, so two instances asking at once cannot both get it.
pub async fn try_lease(pool: &SqlitePool, job: &str, holder: &str, secs: i64) -> Result<bool, AppError> {
    let t = now();
    let done = sqlx::query(
        "INSERT INTO job_leases (job, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= ?",
    )
    .bind(job)
    .bind(holder)
    .bind(t + secs)
    .bind(t)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives the lease up (on a clean shutdown), so another instance need not wait it out.
pub async fn release(pool: &SqlitePool, job: &str, holder: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM job_leases WHERE job = ? AND holder = ?").bind(job).bind(holder).execute(pool).await?;
    Ok(())
}

/// Runs the job once if this holder has (or can take) its lease: `None` when another
/// instance holds it.
pub async fn run_once(pool: &SqlitePool, job: &Job, holder: &str) -> Result<Option<usize>, AppError> {
    if !try_lease(pool, job.name, holder, job.lease_secs()).await? {
        return Ok(None);
    }
    (job.run)(pool.clone()).await.map(Some)
}

/// Runs each job on its interval (the first run straight away) until the returned handles
/// are aborted. Failures are logged and retried on the next tick.
pub fn spawn(pool: SqlitePool, holder: String, jobs: Vec<Job>) -> Vec<tokio::task::JoinHandle<()>> {
    jobs.into_iter()
        .map(|job| {
            let (pool, holder) = (pool.clone(), holder.clone());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(job.every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    match run_once(&pool, &job, &holder).await {
                        Ok(Some(n)) if n > 0 => tracing::info!(job = job.name, done = n, "background job ran"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(job = job.name, error = %e, "background job failed; retrying on the next tick"),
                    }
                }
            })
        })
        .collect()
}
