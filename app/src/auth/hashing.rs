//! argon2id password hashes with OWASP's minimum parameters (m = 19 MiB, t = 2, p = 1).
//! Hashing is slow on purpose, so it runs on the blocking pool, off the async workers, and
//! behind a gate: at most one hash per core at a time (so argon2's memory stays under
//! cores × 19 MiB however many requests arrive) and a short queue behind it. Past the
//! queue a request is told the server is busy at once, instead of piling up threads.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, LazyLock,
};

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

/// The memory one hash takes (argon2's `m`), for the ceiling stated in BENCHMARKS.md.
pub const MIB_PER_HASH: usize = 19;
/// Requests that may wait for a free core. A hash takes a few tens of milliseconds, so a
/// full queue drains in a few seconds on two cores: long enough for a room of 200 people
/// signing in at once, short enough that no one waits on a hopeless queue.
const QUEUE: usize = 256;

fn argon2() -> Argon2<'static> {
    // The crate's defaults are OWASP's minimum (m = 19 MiB, t = 2, p = 1); the test below
    // checks that in every hash, so a change of default would not pass unnoticed.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

/// Bounds concurrent argon2 work: `permits` run at once, `queue` more may wait.
pub struct Gate {
    permits: Arc<Semaphore>,
    size: usize,
    waiting: Arc<AtomicUsize>,
    queue: usize,
}

/// A place in the gate: either a permit now, or a place in the queue.
pub enum Admission {
    Ready(OwnedSemaphorePermit),
    Queued(QueueSlot),
}

/// A place in the queue; leaving it (by getting a permit or by being dropped, as when the
/// client goes away) frees it for someone else.
pub struct QueueSlot {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
}

impl Drop for QueueSlot {
    fn drop(&mut self) {
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gate {
    pub fn new(permits: usize, queue: usize) -> Self {
        let permits = permits.max(1);
        Gate { permits: Arc::new(Semaphore::new(permits)), size: permits, waiting: Arc::new(AtomicUsize::new(0)), queue }
    }

    /// How many hashes may run at once.
    pub fn permits(&self) -> usize {
        self.size
    }

    /// Decides at once: a permit, a place in the queue, or `Busy` when the queue is full.
    pub fn admit(&self) -> Result<Admission, AppError> {
        if let Ok(p) = self.permits.clone().try_acquire_owned() {
            return Ok(Admission::Ready(p));
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            tracing::warn!("password check refused: the queue is full");
            return Err(AppError::Busy);
        }
        Ok(Admission::Queued(QueueSlot { permits: self.permits.clone(), waiting: self.waiting.clone() }))
    }

    /// Runs `work` on the blocking pool once admitted. The permit moves into the blocking
    /// task, so it is held until the hash really ends, even if the request is dropped.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let permit = match self.admit()? {
            Admission::Ready(p) => p,
            Admission::Queued(slot) => slot.permits.clone().acquire_owned().await.map_err(AppError::internal)?,
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(AppError::internal)
    }
}

/// The server's gate, one permit per core.
pub static GATE: LazyLock<Gate> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    Gate::new(cores, QUEUE)
});

pub async fn hash(password: String) -> Result<String, AppError> {
    GATE.run(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await?
    .map_err(AppError::internal)
}

/// Checks `password` against `stored`; with no stored hash (unknown email) it still does
/// the same work, so response time does not tell whether an account exists.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    GATE.run(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        Ok(argon2().verify_password(password.as_bytes(), &parsed).is_ok() && stored != DUMMY_HASH)
    })
    .await?
}

/// A valid argon2id hash of a random password nobody knows, with the same parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Ak5nH1HuB0mZVIRQbqHlRo7yNn7r9UvCjZbSkRUu7wE";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert_eq!(Params::DEFAULT.m_cost() as usize, MIB_PER_HASH * 1024, "the stated memory per hash");
        assert!(verify("correct horse battery".into(), Some(h.clone())).await.unwrap());
        assert!(!verify("wrong horse battery".into(), Some(h)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        assert!(!verify("anything at all".into(), None).await.unwrap());
    }

    #[test]
    fn the_gate_runs_permits_queues_a_few_and_refuses_the_rest() {
        let gate = Gate::new(1, 2);
        let running = gate.admit().unwrap();
        assert!(matches!(running, Admission::Ready(_)));
        let first = gate.admit().unwrap();
        let second = gate.admit().unwrap();
        assert!(matches!(first, Admission::Queued(_)) && matches!(second, Admission::Queued(_)));
        assert_eq!(gate.admit().err(), Some(AppError::Busy), "the queue is full");
        // A request that gives up its place makes room for another.
        drop(first);
        assert!(matches!(gate.admit().unwrap(), Admission::Queued(_)));
        // When the running hash ends, the next arrival gets the permit.
        drop(running);
        drop(second);
        assert!(matches!(gate.admit().unwrap(), Admission::Ready(_)));
    }

    #[test]
    fn the_server_gate_has_one_permit_per_core() {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        assert_eq!(GATE.permits(), cores);
    }
}
