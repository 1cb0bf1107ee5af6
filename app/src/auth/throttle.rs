//! Sign-in throttling: after too many wrong passwords within a window, further tries are
//! refused for a while. Applied per account (guessing one person's password) and per
//! address (trying many accounts from one place). Pure; the store keeps the counters.

/// How many failures a key may have within `WINDOW_SECS`, and how long it is then locked.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max_failures: i64,
}

pub const ACCOUNT: Limit = Limit { max_failures: 5 };
pub const ADDRESS: Limit = Limit { max_failures: 20 };
pub const WINDOW_SECS: i64 = 15 * 60;
pub const LOCK_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counter {
    pub failures: i64,
    pub window_start: i64,
    pub locked_until: Option<i64>,
}

/// `Err(minutes)` while the key is locked at `now`.
pub fn check(counter: &Counter, now: i64) -> Result<(), i64> {
    match counter.locked_until {
        Some(until) if until > now => Err(((until - now) + 59) / 60),
        _ => Ok(()),
    }
}

/// The counter after one more failure at `now`: a stale window starts again, and reaching
/// the limit locks the key.
pub fn after_failure(counter: &Counter, now: i64, limit: Limit) -> Counter {
    let fresh = now - counter.window_start >= WINDOW_SECS || counter.locked_until.is_some_and(|u| u <= now);
    let (failures, window_start) = if fresh { (1, now) } else { (counter.failures + 1, counter.window_start) };
    let locked_until = (failures >= limit.max_failures).then_some(now + LOCK_SECS);
    Counter { failures, window_start, locked_until }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail_n(n: i64, start: i64, limit: Limit) -> Counter {
        (0..n).fold(Counter::default(), |c, i| after_failure(&c, start + i, limit))
    }

    #[test]
    fn locks_at_the_limit_and_not_before() {
        let c = fail_n(4, 1_000_000, ACCOUNT);
        assert_eq!(check(&c, 1_000_010), Ok(()));
        let c = after_failure(&c, 1_000_010, ACCOUNT);
        assert_eq!(check(&c, 1_000_011), Err(15));
    }

    #[test]
    fn lock_expires_and_counting_restarts() {
        let c = fail_n(5, 1_000_000, ACCOUNT);
        let later = 1_000_004 + LOCK_SECS;
        assert_eq!(check(&c, later), Ok(()));
        let c = after_failure(&c, later, ACCOUNT);
        assert_eq!(c.failures, 1);
        assert_eq!(check(&c, later), Ok(()));
    }

    #[test]
    fn failures_spread_beyond_the_window_never_lock() {
        let mut c = Counter::default();
        for i in 0..20 {
            c = after_failure(&c, 1_000_000 + i * WINDOW_SECS, ACCOUNT);
            assert_eq!(check(&c, 1_000_000 + i * WINDOW_SECS), Ok(()));
        }
    }

    #[test]
    fn addresses_get_a_higher_limit() {
        assert_eq!(check(&fail_n(19, 0, ADDRESS), 30), Ok(()));
        assert!(check(&fail_n(20, 0, ADDRESS), 30).is_err());
    }
}
