//! argon2id password hashes with OWASP's minimum parameters (m = 19 MiB, t = 2, p = 1).
//! Hashing is slow on purpose, so it runs on the blocking pool, off the async workers, and
//! behind a gate: at most one hash per core at a time and a short queue behind it; past
//! the queue a request is told the server is busy at once, instead of piling up.
//!
//! The gate also owns argon2's memory: one 19 MiB buffer per permit, made once and reused
//! (`hash_password_into_with_memory`). Letting argon2 allocate 19 MiB per call left the
//! allocator holding several freed blocks per thread: a burst of 400 sign-ins took the
//! server from 64 to 700 MiB although only two hashes ever ran at once. Now argon2's
//! memory is permits × 19 MiB, whatever arrives (BENCHMARKS.md, "Sign-in under a burst").

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, LazyLock, Mutex,
};

use argon2::{
    password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString},
    Algorithm, Argon2, Block, Params, Version,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

/// The memory one hash takes (argon2's `m`), for the ceiling stated in BENCHMARKS.md.
pub const MIB_PER_HASH: usize = 19;
/// Requests that may wait for a free core. A hash takes a few tens of milliseconds, so a
/// full queue drains in a few seconds on two cores: long enough for a room of 200 people
/// signing in at once, short enough that no one waits on a hopeless queue.
const QUEUE: usize = 256;

/// Bounds concurrent argon2 work: `permits` run at once, `queue` more may wait.
pub struct Gate {
    permits: Arc<Semaphore>,
    size: usize,
    waiting: Arc<AtomicUsize>,
    queue: usize,
    /// argon2's working memory, one buffer per running hash (so never more than `size`).
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
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
        Gate {
            permits: Arc::new(Semaphore::new(permits)),
            size: permits,
            waiting: Arc::new(AtomicUsize::new(0)),
            queue,
            memory: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// How many hashes may run at once.
    pub fn permits(&self) -> usize {
        self.size
    }

    /// How many argon2 buffers exist (at most `permits`).
    pub fn buffers(&self) -> usize {
        self.memory.lock().map(|m| m.len()).unwrap_or(0)
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

    /// Runs `work` on the blocking pool once admitted, with a memory buffer of its own. The
    /// permit moves into the blocking task, so it is held until the hash really ends, even
    /// if the request is dropped; the buffer goes back to the pool afterwards.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = match self.admit()? {
            Admission::Ready(p) => p,
            Admission::Queued(slot) => slot.permits.clone().acquire_owned().await.map_err(AppError::internal)?,
        };
        let pool = self.memory.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut memory = pool.lock().ok().and_then(|mut m| m.pop()).unwrap_or_default();
            let out = work(&mut memory);
            if let Ok(mut m) = pool.lock() {
                m.push(memory);
            }
            out
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

/// The first `params.block_count()` blocks of `memory`, growing it on first use (or for a
/// stored hash made with more memory than ours).
fn blocks<'a>(memory: &'a mut Vec<Block>, params: &Params) -> &'a mut [Block] {
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    &mut memory[..params.block_count()]
}

/// What `PasswordHasher::hash_password` does, with the gate's memory.
fn hash_with(memory: &mut Vec<Block>, password: &[u8]) -> Result<String, argon2::password_hash::Error> {
    // The crate's defaults are OWASP's minimum (m = 19 MiB, t = 2, p = 1); the test below
    // checks that in every hash, so a change of default would not pass unnoticed.
    let params = Params::DEFAULT;
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let output = Output::init_with(params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN), |out| {
        argon2.hash_password_into_with_memory(password, salt_bytes, out, blocks(memory, &params)).map_err(Into::into)
    })?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// What `PasswordVerifier::verify_password` does, with the gate's memory: the stored
/// hash's own algorithm and parameters, and a constant-time comparison (`Output`'s `==`).
fn verify_with(memory: &mut Vec<Block>, password: &[u8], stored: &str) -> Result<bool, argon2::password_hash::Error> {
    let parsed = PasswordHash::new(stored)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return Ok(false) };
    let algorithm = Algorithm::try_from(parsed.algorithm)?;
    let version = parsed.version.map(Version::try_from).transpose()?.unwrap_or_default();
    let params = Params::try_from(&parsed)?;
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let computed = Output::init_with(expected.len(), |out| {
        argon2.hash_password_into_with_memory(password, salt_bytes, out, blocks(memory, &params)).map_err(Into::into)
    })?;
    Ok(computed == expected)
}

pub async fn hash(password: String) -> Result<String, AppError> {
    GATE.run(move |memory| hash_with(memory, password.as_bytes())).await?.map_err(AppError::internal)
}

/// Checks `password` against `stored`; with no stored hash (unknown email) it still does
/// the same work, so response time does not tell whether an account exists.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    GATE.run(move |memory| {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        verify_with(memory, password.as_bytes(), &stored).map(|ok| ok && known)
    })
    .await?
    .map_err(AppError::internal)
}

/// A valid argon2id hash of a random password nobody knows, with the same parameters.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Ak5nH1HuB0mZVIRQbqHlRo7yNn7r9UvCjZbSkRUu7wE";

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

    /// Our memory-reusing hash and check agree with the argon2 crate's own, both ways, and
    /// a buffer left over from one password does not change the next result.
    #[test]
    fn the_pooled_memory_matches_the_crate() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let mut memory = Vec::new();
        let ours = hash_with(&mut memory, b"correct horse battery").unwrap();
        let crate_argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT);
        assert!(crate_argon2.verify_password(b"correct horse battery", &PasswordHash::new(&ours).unwrap()).is_ok());
        assert!(crate_argon2.verify_password(b"wrong horse battery", &PasswordHash::new(&ours).unwrap()).is_err());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = crate_argon2.hash_password(b"another password here", &salt).unwrap().to_string();
        assert!(verify_with(&mut memory, b"another password here", &theirs).unwrap());
        assert!(!verify_with(&mut memory, b"correct horse battery", &theirs).unwrap());
        assert!(verify_with(&mut memory, b"correct horse battery", &ours).unwrap());
        assert_eq!(memory.len(), Params::DEFAULT.block_count(), "one buffer, reused");
    }

    #[tokio::test]
    async fn the_gate_keeps_at_most_one_buffer_per_permit() {
        let gate = Gate::new(2, 16);
        let run = |i: i32| gate.run(move |m| hash_with(m, format!("password number {i}").as_bytes()).is_ok());
        let all = tokio::join!(run(1), run(2), run(3), run(4), run(5));
        assert!([all.0, all.1, all.2, all.3, all.4].into_iter().all(|r| r.unwrap()));
        assert!((1..=2).contains(&gate.buffers()), "{}", gate.buffers());
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
