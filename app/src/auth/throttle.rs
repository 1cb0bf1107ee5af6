//! Password throttling: how many password checks a key may ask for, and the keys.
//!
//! The hard limit is per account *and* address, and each check is reserved under it
//! (counted atomically with `limits::take`) before argon2 runs, so a burst of parallel
//! guesses cannot all slip past the count, and an attacker guessing from one place locks
//! only themselves out of that account, never its owner signing in from elsewhere. Per
//! account from everywhere there is only a much higher ceiling (reserved the same way), out
//! of reach of any one address, against guessing spread over many. Per address at any
//! accounts, failures are counted after the check (and checked before it): a room of people
//! signing in together behind one address must not queue behind each other's counts, so a
//! single burst may overshoot that limit, by at most what the hashing gate lets queue.
//! Successful checks are given back, so people who type their password right never run
//! into a limit. Pure; `limits` keeps the counts.

use crate::limits::Rate;

const QUARTER_HOUR: i64 = 15 * 60;
const HOUR: i64 = 3600;

/// Sign-in guesses at one account from one address.
pub const ACCOUNT_AT_ADDRESS: Rate = Rate { max: 5, window_secs: QUARTER_HOUR };
/// Sign-in guesses from one address, at any accounts.
pub const ADDRESS: Rate = Rate { max: 20, window_secs: QUARTER_HOUR };
/// Sign-in guesses at one account from everywhere: a ceiling, not a lock-out (see
/// `one_address_cannot_reach_the_account_ceiling`).
pub const ACCOUNT: Rate = Rate { max: 100, window_secs: HOUR };
/// Guesses at the current password when changing it, per account.
pub const PASSWORD_CHANGE: Rate = Rate { max: 5, window_secs: QUARTER_HOUR };
/// New accounts from one address (each costs a hash; a workshop on one network fits).
pub const REGISTER: Rate = Rate { max: 30, window_secs: HOUR };

/// "Forgot your password?" emails asked for from one address (each may send an email).
pub const RESET_ADDRESS: Rate = Rate { max: 10, window_secs: HOUR };
/// Reset emails to one account: past this, asking again quietly sends nothing (the answer
/// stays the same, so it never tells whether the address has an account), and nobody can
/// fill a person's inbox.
pub const RESET_ACCOUNT: Rate = Rate { max: 3, window_secs: HOUR };
/// New passwords chosen through reset links from one address (each costs a hash).
pub const RESET_USE: Rate = Rate { max: 20, window_secs: HOUR };

/// The part of an address that identifies one client: the whole IPv4 address, or an IPv6
/// address's /64 (one household or host is handed a whole /64, so counting single
/// addresses there would give an attacker 2^64 fresh tries).
pub fn address_key(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(ip) => ip.to_string(),
        Err(_) => address.to_string(),
    }
}

/// The keys a sign-in reserves, narrowest first: a refusal on the first one costs the
/// ceiling nothing, so one address's guesses never count against the account's ceiling past
/// that address's own limit. `email` is already normalised (lower case).
pub fn sign_in_keys(email: &str, address: &str) -> [(String, Rate); 2] {
    let address = address_key(address);
    [
        (format!("signin:account-address:{email}|{address}"), ACCOUNT_AT_ADDRESS),
        (format!("signin:account:{email}"), ACCOUNT),
    ]
}

/// The key under which one address's failed sign-ins (at any accounts) are counted.
pub fn address_failures_key(address: &str) -> String {
    format!("signin:address:{}", address_key(address))
}

/// `Err(minutes to wait)` when `hits` counted in a window that started at `start` have used
/// up `rate` at `now` (a window that has ended counts nothing; `limits::take` agrees).
pub fn used_up(hits: i64, start: i64, rate: Rate, now: i64) -> Result<(), i64> {
    if now - start < rate.window_secs && hits >= rate.max {
        Err(crate::limits::minutes_left(start, rate.window_secs, now))
    } else {
        Ok(())
    }
}

pub fn password_change_key(user_id: i64) -> String {
    format!("password-change:{user_id}")
}

pub fn register_key(address: &str) -> String {
    format!("register:{}", address_key(address))
}

pub fn reset_address_key(address: &str) -> String {
    format!("reset:address:{}", address_key(address))
}

/// `email` is already normalised; counted whether or not an account has it.
pub fn reset_account_key(email: &str) -> String {
    format!("reset:account:{email}")
}

pub fn reset_use_key(address: &str) -> String {
    format!("reset-use:{}", address_key(address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_is_counted_per_64_and_ipv4_per_address() {
        assert_eq!(address_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(address_key("2001:db8:1:2:bbbb::9"), address_key("2001:db8:1:2:aaaa::1"));
        assert_ne!(address_key("2001:db8:1:3::1"), address_key("2001:db8:1:2::1"));
        assert_eq!(address_key("::ffff:192.0.2.1"), "192.0.2.1");
        assert_eq!(address_key("unknown"), "unknown");
    }

    #[test]
    fn an_address_is_refused_from_its_limit_until_the_window_ends() {
        assert_eq!(used_up(19, 1000, ADDRESS, 1010), Ok(()));
        assert_eq!(used_up(20, 1000, ADDRESS, 1010), Err(15));
        assert_eq!(used_up(20, 1000, ADDRESS, 1000 + ADDRESS.window_secs - 1), Err(1));
        assert_eq!(used_up(500, 1000, ADDRESS, 1000 + ADDRESS.window_secs), Ok(()), "a new window");
    }

    #[test]
    fn the_hard_limit_is_per_account_and_address() {
        let attacker = sign_in_keys("sam@example.org", "203.0.113.7");
        let owner = sign_in_keys("sam@example.org", "198.51.100.2");
        assert_ne!(attacker[0].0, owner[0].0, "locking one pair leaves the owner's pair alone");
        assert_eq!(attacker[1].0, owner[1].0, "the ceiling is shared");
        assert_eq!(attacker[0].1, ACCOUNT_AT_ADDRESS);
    }

    /// One address, guessing at full speed, stays under the per-account ceiling: only many
    /// addresses together could reach it, so one attacker cannot lock the owner out.
    #[test]
    fn one_address_cannot_reach_the_account_ceiling() {
        let windows = ACCOUNT.window_secs / ACCOUNT_AT_ADDRESS.window_secs;
        // Fixed windows need not line up: one hour can touch `windows + 1` short ones.
        let most_from_one_address = ACCOUNT_AT_ADDRESS.max * (windows + 1);
        assert!(most_from_one_address * 3 < ACCOUNT.max, "{most_from_one_address} vs {}", ACCOUNT.max);
        const { assert!(ACCOUNT_AT_ADDRESS.max < ADDRESS.max) };
    }
}
