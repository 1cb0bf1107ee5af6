//! Time, on the ground floor: every domain stores unix seconds and shows UK wall-clock time
//! (the collaborative meets in the UK). Server-only: formatting happens where the page is
//! rendered, so server and browser always agree.

/// Now, as unix seconds (what every table stores).
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Unix seconds as a date people read, in UK time with its zone ("GMT" or "BST"); formatted
/// on the server, so server and browser agree.
pub fn when(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.with_timezone(&chrono_tz::Europe::London).format("%-d %b %Y, %H:%M %Z").to_string())
        .unwrap_or_default()
}

/// Today's date in the UK ('YYYY-MM-DD' columns are UK calendar days).
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive()
}

/// Unix seconds → the `datetime-local` form value in UK time, and back. The collaborative
/// meets in the UK, so people type the times on their clocks.
pub fn to_local_input(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.with_timezone(&chrono_tz::Europe::London).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// A UK wall-clock time as unix seconds. In the autumn hour that happens twice the earlier
/// is meant; a time skipped by the spring change is read as the hour after.
pub fn from_local_input(s: &str) -> Option<i64> {
    use chrono::TimeZone;
    let s = s.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let london = chrono_tz::Europe::London;
    london
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| london.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())
        .map(|d| d.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_times_are_uk_wall_clock_times() {
        // Winter: UK time is UTC. Summer: UTC+1.
        assert_eq!(from_local_input("2027-01-10T14:00"), Some(1_799_589_600));
        assert_eq!(from_local_input("2027-07-10T14:00"), Some(1_815_224_400));
        assert_eq!(to_local_input(1_815_224_400), "2027-07-10T14:00");
        assert_eq!(when(1_815_224_400), "10 Jul 2027, 14:00 BST");
        assert_eq!(when(1_799_589_600), "10 Jan 2027, 14:00 GMT");
        // 01:30 on the spring-forward day does not exist; it is read as 02:30 BST.
        assert!(from_local_input("2027-03-28T01:30").is_some());
        assert_eq!(from_local_input("not a time"), None);
    }
}
