//! How often one person may ask for something costly that writes nothing (a search, a
//! report): a minute's window per account, kept in this server's memory. A durable limit
//! (a write per request, through the single writer) would cost more than what it guards; a
//! soft limit per server is enough to stop one account from keeping the cores busy with a
//! loop of costly queries. (`limits` keeps the durable limits on writes and sign-ins.)

use std::{collections::HashMap, sync::Mutex};

/// Searches a person may make in a minute by default: typing with the live search sends at
/// most about one every 300 ms while the words change, and far fewer in practice.
pub const SEARCHES_PER_MINUTE: i64 = 120;
/// Reports (a prototype's evaluation report, its downloads, the collaborative's report for a
/// period) a person may ask for in a minute by default: a report reads every rating of every
/// closed round and much else (0.19 s for a large prototype, BENCHMARKS.md, against 0.08 s
/// for the list of measures, which is not limited), and a person reading, printing and
/// downloading asks for a few.
pub const REPORTS_PER_MINUTE: i64 = 30;
const WINDOW_SECS: i64 = 60;

/// A window: when it started and how many requests it has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub hits: i64,
}

/// Counts one request at `now` in `w` (a new window when the old one has passed). `Err` is
/// the seconds until the window ends, when `max` is reached. `max` 0 means no limit.
pub fn count(w: &mut Window, now: i64, max: i64) -> Result<(), i64> {
    if now >= w.start + WINDOW_SECS {
        *w = Window { start: now, hits: 0 };
    }
    if max > 0 && w.hits >= max {
        return Err(w.start + WINDOW_SECS - now);
    }
    w.hits += 1;
    Ok(())
}

/// Every account's current window.
#[derive(Debug)]
pub struct Limiter {
    max: i64,
    windows: Mutex<HashMap<i64, Window>>,
}

impl Default for Limiter {
    fn default() -> Self {
        Limiter::new(SEARCHES_PER_MINUTE)
    }
}

impl Limiter {
    pub fn new(max: i64) -> Self {
        Limiter { max, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts a request by `user`; `Err` with the seconds to wait when over the limit.
    pub fn take(&self, user: i64, now: i64) -> Result<(), i64> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        // Old windows go now and then, so the map stays the size of the people asking.
        if windows.len() > 10_000 {
            windows.retain(|_, w| now < w.start + WINDOW_SECS);
        }
        count(windows.entry(user).or_insert(Window { start: now, hits: 0 }), now, self.max)
    }

    /// `take`, as what the person is told when over the limit: try again in a minute.
    pub fn admit(&self, user: i64, now: i64) -> Result<(), crate::error::AppError> {
        self.take(user, now).map_err(|_| crate::error::AppError::TooOften)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minute_holds_max_searches_then_starts_again() {
        let mut w = Window { start: 1_000, hits: 0 };
        for _ in 0..3 {
            assert_eq!(count(&mut w, 1_010, 3), Ok(()));
        }
        assert_eq!(count(&mut w, 1_030, 3), Err(30), "the fourth waits for the window's end");
        assert_eq!(count(&mut w, 1_060, 3), Ok(()), "a new window");
        assert_eq!(w, Window { start: 1_060, hits: 1 });
        let mut open = Window { start: 0, hits: 1_000 };
        assert_eq!(count(&mut open, 10, 0), Ok(()), "0 is no limit");
    }

    #[test]
    fn each_person_has_their_own_window() {
        let l = Limiter::new(1);
        assert!(l.take(1, 100).is_ok());
        assert_eq!(l.take(1, 101), Err(59));
        assert!(l.take(2, 101).is_ok());
    }
}
