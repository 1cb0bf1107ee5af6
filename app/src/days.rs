//! Ground floor: calendar days as people type them (31/03/2025 or 2025-03-31) and as
//! tables store them ('YYYY-MM-DD' text, which sorts and never shifts with a timezone).
//! Used by outcome measures and roll-out plans. Pure; tests below.

use chrono::{Datelike, Months, NaiveDate};

/// No day before the first day of this year.
pub const EARLIEST_YEAR: i32 = 2000;
/// Nor more than this many years after today.
pub const YEARS_AHEAD: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayError {
    Missing,
    Unreadable,
    NotReal,
    TooEarly,
    TooLate,
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Year, month and day as typed, if the text has the shape of a date.
fn ymd(s: &str) -> Option<(i32, u32, u32)> {
    let iso: Vec<&str> = s.split('-').collect();
    if let [y, m, d] = iso.as_slice() {
        if y.len() == 4 {
            return Some((digits(y, 4, 4)? as i32, digits(m, 1, 2)?, digits(d, 1, 2)?));
        }
    }
    let uk: Vec<&str> = s.split('/').collect();
    if let [d, m, y] = uk.as_slice() {
        return Some((digits(y, 4, 4)? as i32, digits(m, 1, 2)?, digits(d, 1, 2)?));
    }
    None
}

/// A real calendar day from 1 January 2000 to ten years after `today`.
pub fn parse(raw: &str, today: NaiveDate) -> Result<NaiveDate, DayError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(DayError::Missing);
    }
    let (y, m, d) = ymd(s).ok_or(DayError::Unreadable)?;
    let day = NaiveDate::from_ymd_opt(y, m, d).ok_or(DayError::NotReal)?;
    if day < NaiveDate::from_ymd_opt(EARLIEST_YEAR, 1, 1).unwrap_or(NaiveDate::MIN) {
        return Err(DayError::TooEarly);
    }
    if day > today.checked_add_months(Months::new(YEARS_AHEAD * 12)).unwrap_or(NaiveDate::MAX) {
        return Err(DayError::TooLate);
    }
    Ok(day)
}

/// A day as stored: `YYYY-MM-DD`.
pub fn iso(day: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

/// A stored day, if it is one.
pub fn stored(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

// How stored days read, in English month names.

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize]
}

/// "March 2025".
pub fn month_year(iso: &str) -> String {
    stored(iso).map_or_else(|| iso.to_string(), |d| format!("{} {}", month_name(d), d.year()))
}

/// "3 March 2025".
pub fn long_date(iso: &str) -> String {
    stored(iso).map_or_else(|| iso.to_string(), |d| format!("{} {} {}", d.day(), month_name(d), d.year()))
}

/// "3 Mar 2025", for a chart's axis.
pub fn short_date(iso: &str) -> String {
    stored(iso).map_or_else(|| iso.to_string(), |d| format!("{} {} {}", d.day(), &month_name(d)[..3], d.year()))
}

/// "Mar 2025", for a chart's axis.
pub fn short_month(d: NaiveDate) -> String {
    format!("{} {}", &month_name(d)[..3], d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn days_are_real_and_within_range() {
        let today = d(2026, 11, 27);
        assert_eq!(parse("2025-03-31", today), Ok(d(2025, 3, 31)));
        assert_eq!(parse(" 31/03/2025 ", today), Ok(d(2025, 3, 31)));
        assert_eq!(parse("1/3/2025", today), Ok(d(2025, 3, 1)));
        assert_eq!(parse("29/02/2024", today), Ok(d(2024, 2, 29)), "a leap day");
        assert_eq!(parse("29/02/2025", today), Err(DayError::NotReal));
        assert_eq!(parse("2025-13-01", today), Err(DayError::NotReal));
        assert_eq!(parse("", today), Err(DayError::Missing));
        for bad in ["tomorrow", "2025/03/31", "31-03-2025", "31.03.2025", "20250331", "+2025-03-31"] {
            assert_eq!(parse(bad, today), Err(DayError::Unreadable), "{bad}");
        }
        assert_eq!(parse("31/12/1999", today), Err(DayError::TooEarly));
        assert_eq!(parse("27/11/2036", today), Ok(d(2036, 11, 27)), "ten years ahead exactly");
        assert_eq!(parse("28/11/2036", today), Err(DayError::TooLate));
        assert_eq!(iso(d(2025, 3, 1)), "2025-03-01");
        assert_eq!(stored("2025-03-01"), Some(d(2025, 3, 1)));
        assert_eq!(stored("01/03/2025"), None);
        assert_eq!(long_date("2025-03-01"), "1 March 2025");
        assert_eq!(short_date("2025-03-01"), "1 Mar 2025");
        assert_eq!(month_year("2025-03-01"), "March 2025");
        assert_eq!(long_date("nonsense"), "nonsense");
    }
}
