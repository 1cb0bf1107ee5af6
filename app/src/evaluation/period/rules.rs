//! Pure rules of the collaborative's report: which period the dates typed ask for (or why
//! they cannot be used), the period in words, which perspective groups of the people heard
//! may be shown (`suppression`, as the round results page applies it), when a measure has
//! moved and whether that is better or worse, and a motion's outcome in a word. No I/O;
//! tests below.

use chrono::{Datelike, Months, NaiveDate};

use super::{PeriodProblem, Verdict, PERIOD_YEARS_MAX};
use crate::{
    auth::Perspective,
    days::{self, DayError},
    evaluation::{
        rules::{fmt_number, long_date, with_unit},
        Direction, MeasureKind,
    },
    meetings::rules::Outcome,
    suppression::{self, SEVERAL},
};

/// The cells `store::rounds` sorts people into besides the perspectives (the names
/// `consultations::store` uses for the same cells).
pub const CELL_NONE: &str = "none";
pub const CELL_SEVERAL: &str = "several";
/// How the cell of people who gave no perspective reads (as on the round results page).
pub const NO_PERSPECTIVE: &str = "No perspective given";

/// A period of calendar days, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The first day of the twelve calendar months that end with `to`'s month: 27 November
/// 2026 gives 1 December 2025.
pub fn year_before(to: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(to.year(), to.month(), 1)
        .and_then(|first| first.checked_sub_months(Months::new(11)))
        .unwrap_or(to)
}

/// The last 12 months up to today (this month so far and the eleven before it).
pub fn default_period(today: NaiveDate) -> Period {
    Period { from: year_before(today), to: today }
}

/// A date's problem in words. What was typed is not repeated: it arrives in a link anyone
/// can make, and the page must not say what a stranger wrote (it stays in its box).
fn day_problem(subject: &str, e: DayError) -> String {
    match e {
        DayError::Missing => format!("{subject} is missing. Write it as day/month/year, like 31/03/2026."),
        DayError::Unreadable => {
            format!("{subject} is not a date we can read. Write it as day/month/year, like 31/03/2026.")
        }
        DayError::NotReal => format!("{subject} is not a real day. Please check the day and the month."),
        DayError::TooEarly => format!("{subject} is before {}. Please check the year.", days::EARLIEST_YEAR),
        DayError::TooLate => {
            format!("{subject} is more than {} years ahead. Please check the year.", days::YEARS_AHEAD)
        }
    }
}

fn problem(field: &str, message: String) -> PeriodProblem {
    PeriodProblem { field: field.to_string(), message }
}

/// One box's date, or `None` when it was left empty.
fn typed_day(raw: &str, field: &str, subject: &str, today: NaiveDate) -> Result<Option<NaiveDate>, PeriodProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    days::parse(raw, today).map(Some).map_err(|e| problem(field, day_problem(subject, e)))
}

/// The period the form asks for. Empty boxes mean the default: the end is today, and the
/// start is 12 months before the end (`year_before`). Dates are read as the other date
/// boxes read them (31/03/2026 or 2026-03-31); the end may not be after today, the start
/// may not be after the end, and a period may not be longer than `PERIOD_YEARS_MAX` years.
pub fn parse_period(from: &str, to: &str, today: NaiveDate) -> Result<Period, PeriodProblem> {
    let start = typed_day(from, "from", "The start date", today)?;
    let end = typed_day(to, "to", "The end date", today)?.unwrap_or(today);
    let start = start.unwrap_or_else(|| year_before(end));
    // "At the end of the period" would otherwise show today's stages under a future day.
    if end > today {
        return Err(problem(
            "to",
            format!(
                "The end date, {}, has not happened yet. Please choose today or an earlier day.",
                long_date(&days::iso(end))
            ),
        ));
    }
    if start > end {
        return Err(problem(
            "from",
            format!(
                "The start date, {}, is after the end date, {}. Please choose a start date on or before the end date.",
                long_date(&days::iso(start)),
                long_date(&days::iso(end))
            ),
        ));
    }
    let longest = start.checked_add_months(Months::new(PERIOD_YEARS_MAX * 12)).unwrap_or(NaiveDate::MAX);
    if end > longest {
        return Err(problem(
            "to",
            format!(
                "A report covers at most {PERIOD_YEARS_MAX} years, and {} to {} is longer. Please choose a shorter period.",
                long_date(&days::iso(start)),
                long_date(&days::iso(end))
            ),
        ));
    }
    Ok(Period { from: start, to: end })
}

/// "1 December 2025 to 27 November 2026" (one day alone when the period is one day).
pub fn words(p: &Period) -> String {
    let (from, to) = (long_date(&days::iso(p.from)), long_date(&days::iso(p.to)));
    if p.from == p.to {
        from
    } else {
        format!("{from} to {to}")
    }
}

/// The period as instants: from midnight (UK time) at its start up to, not including,
/// midnight after its last day. UK midnight always exists (the clocks change at 1 am).
#[cfg(feature = "ssr")]
pub fn instants(p: &Period) -> (i64, i64) {
    use chrono::TimeZone;
    let london = chrono_tz::Europe::London;
    let midnight = |d: NaiveDate| {
        let naive = d.and_time(chrono::NaiveTime::MIN);
        london.from_local_datetime(&naive).earliest().map_or_else(|| naive.and_utc().timestamp(), |t| t.timestamp())
    };
    (midnight(p.from), midnight(p.to.succ_opt().unwrap_or(p.to)))
}

/// A retired stage is listed only when something happened in it during the period.
pub fn stage_listed(retired: bool, entered: i64, left: i64, at_end: i64) -> bool {
    !retired || entered > 0 || left > 0 || at_end > 0
}

/// The rows of the breakdown of people heard that may be shown, from the size of each cell
/// (a perspective's key as stored, `CELL_NONE` or `CELL_SEVERAL`, and its people), in the
/// round results page's order: each perspective, then people who gave none, then people
/// who gave several. `suppression::rows` decides: a group is shown only when it and everyone
/// outside it are at least `MIN_GROUP` people, and groups too small (or that would give a
/// small one away by subtraction from the total) are shown only merged into one row, or
/// not at all. No number of a group under `MIN_GROUP` is ever returned.
pub fn perspective_rows(cells: &[(String, i64)]) -> Vec<(String, i64)> {
    let size = |key: &str| cells.iter().filter(|(c, _)| c == key).map(|(_, n)| (*n).max(0)).sum::<i64>();
    let mut keys: Vec<(String, &str)> = Perspective::ALL.iter().map(|p| (p.label().to_string(), p.as_str())).collect();
    keys.push((NO_PERSPECTIVE.to_string(), CELL_NONE));
    keys.push((SEVERAL.to_string(), CELL_SEVERAL));
    let cells: Vec<(String, usize)> =
        keys.iter().map(|(label, key)| (label.clone(), size(key) as usize)).filter(|(_, n)| *n > 0).collect();
    suppression::count_rows(cells).into_iter().map(|(label, n)| (label, n as i64)).collect()
}

/// Whether a measure moved from `first` to `last`, and for the better or the worse given
/// which way is better. Values are compared as they are shown ("24 days", "61.5%"): a
/// change too small to show is no change.
pub fn verdict(kind: MeasureKind, unit: &str, direction: Direction, first: f64, last: f64) -> Verdict {
    if with_unit(kind, unit, first) == with_unit(kind, unit, last) {
        return Verdict::Unchanged;
    }
    match (last > first, direction) {
        (true, Direction::Higher) | (false, Direction::Lower) => Verdict::Better,
        _ => Verdict::Worse,
    }
}

/// The change in words: "19 days lower", "4 percentage points higher", "No change".
pub fn change_words(kind: MeasureKind, unit: &str, first: f64, last: f64) -> String {
    if with_unit(kind, unit, first) == with_unit(kind, unit, last) {
        return "No change".to_string();
    }
    let gap = (last - first).abs();
    let amount = match kind {
        MeasureKind::Percentage => {
            let n = fmt_number(gap);
            format!("{n} percentage {}", if n == "1" { "point" } else { "points" })
        }
        _ => with_unit(kind, unit, gap),
    };
    format!("{amount} {}", if last > first { "higher" } else { "lower" })
}

/// A closed motion's outcome (`motions.outcome`) in a word, as the meeting page says it
/// (`Outcome::word`); "Recorded" when there is none. `approval` is whether it was an
/// approval vote (unknown on a timeline's record: "Passed").
pub fn outcome_word(outcome: Option<&str>, approval: bool) -> &'static str {
    outcome.and_then(Outcome::parse).map_or("Recorded", |o| o.word(approval))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2026, 11, 27)
    }

    #[test]
    fn the_default_is_the_last_twelve_months() {
        let p = default_period(today());
        assert_eq!(p, Period { from: d(2025, 12, 1), to: d(2026, 11, 27) });
        assert_eq!(words(&p), "1 December 2025 to 27 November 2026");
        assert_eq!(parse_period("", "  ", today()), Ok(p));
        assert_eq!(year_before(d(2026, 1, 31)), d(2025, 2, 1));
        assert_eq!(year_before(d(2024, 2, 29)), d(2023, 3, 1));
    }

    #[test]
    fn either_date_may_be_left_out() {
        assert_eq!(
            parse_period("01/03/2026", "", today()),
            Ok(Period { from: d(2026, 3, 1), to: today() }),
            "the end is today"
        );
        assert_eq!(
            parse_period("", "2026-06-30", today()),
            Ok(Period { from: d(2025, 7, 1), to: d(2026, 6, 30) }),
            "the start is 12 months before the end"
        );
        let one = parse_period("5/3/2026", "2026-03-05", today()).unwrap();
        assert_eq!(words(&one), "5 March 2026");
    }

    #[test]
    fn bad_dates_say_which_box_and_why_in_plain_words() {
        let e = parse_period("31/02/2026", "", today()).unwrap_err();
        assert_eq!(e.field, "from");
        assert_eq!(e.message, "The start date is not a real day. Please check the day and the month.");
        let e = parse_period("", "tomorrow", today()).unwrap_err();
        assert_eq!(e.field, "to");
        assert!(e.message.starts_with("The end date is not a date we can read."), "{e:?}");
        assert!(!e.message.contains("tomorrow"), "what was typed is not repeated: {e:?}");
        let e = parse_period("31/12/1999", "", today()).unwrap_err();
        assert!(e.message.contains("before 2000"), "{e:?}");
    }

    #[test]
    fn the_start_comes_first_and_a_period_is_at_most_five_years() {
        let e = parse_period("2026-05-01", "2026-01-31", today()).unwrap_err();
        assert_eq!(e.field, "from");
        assert_eq!(
            e.message,
            "The start date, 1 May 2026, is after the end date, 31 January 2026. Please choose a start date on or before the end date."
        );
        // A start after today with no end: the end is today.
        assert_eq!(parse_period("2026-12-01", "", today()).unwrap_err().field, "from");
        assert!(parse_period("2021-01-01", "2026-01-01", today()).is_ok(), "five years exactly");
        let e = parse_period("2021-01-01", "2026-01-02", today()).unwrap_err();
        assert_eq!(e.field, "to");
        assert!(e.message.starts_with("A report covers at most 5 years"), "{e:?}");
        // An end after today: the stages "at the end" would be today's under a future day.
        let e = parse_period("", "2026-11-28", today()).unwrap_err();
        assert_eq!(e.field, "to");
        assert!(e.message.contains("28 November 2026, has not happened yet"), "{e:?}");
        assert!(parse_period("", "2026-11-27", today()).is_ok());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_period_runs_from_uk_midnight_to_uk_midnight() {
        // Winter: UK time is UTC; summer: UTC+1 (see `time`'s tests for these instants).
        let winter = Period { from: d(2027, 1, 10), to: d(2027, 1, 10) };
        assert_eq!(instants(&winter), (1_799_539_200, 1_799_539_200 + 86_400));
        let summer = Period { from: d(2027, 7, 10), to: d(2027, 7, 10) };
        assert_eq!(instants(&summer), (1_815_174_000, 1_815_260_400));
        // Across the spring change the last day is 23 hours long.
        let spring = Period { from: d(2027, 3, 28), to: d(2027, 3, 28) };
        let (a, b) = instants(&spring);
        assert_eq!(b - a, 23 * 3600);
    }

    #[test]
    fn retired_stages_are_listed_only_when_used() {
        assert!(stage_listed(false, 0, 0, 0));
        assert!(!stage_listed(true, 0, 0, 0));
        assert!(stage_listed(true, 0, 1, 0));
    }

    fn cells(c: &[(&str, i64)]) -> Vec<(String, i64)> {
        c.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    /// Three carers are never shown as three, alone or by subtraction: with 6 service users
    /// and 5 practitioners, hiding the carers alone would let 14 - 6 - 5 give them away, so
    /// the practitioners are merged with them.
    #[test]
    fn small_groups_are_merged_so_no_small_number_shows_or_can_be_worked_out() {
        let rows = perspective_rows(&cells(&[("carer", 3), ("service_user", 6), ("practitioner", 5)]));
        assert_eq!(
            rows,
            vec![
                ("Service user (lived experience)".to_string(), 6),
                ("Other perspectives together (Carer, Practitioner)".to_string(), 8),
            ]
        );
        assert!(rows.iter().all(|(_, n)| *n >= suppression::MIN_GROUP as i64));
        // Everyone in groups too small (or one group that is everyone): no breakdown.
        assert!(perspective_rows(&cells(&[("carer", 3)])).is_empty());
        assert!(perspective_rows(&cells(&[("carer", 3), ("other", 4)])).is_empty());
        assert!(perspective_rows(&cells(&[("service_user", 9)])).is_empty());
        // Groups large enough, and their complements, are shown as they are.
        assert_eq!(
            perspective_rows(&cells(&[("service_user", 5), (CELL_NONE, 7), (CELL_SEVERAL, 5)])),
            vec![
                ("Service user (lived experience)".to_string(), 5),
                (NO_PERSPECTIVE.to_string(), 7),
                (SEVERAL.to_string(), 5),
            ]
        );
        assert!(perspective_rows(&[]).is_empty());
    }

    #[test]
    fn a_move_is_better_or_worse_by_the_measures_direction() {
        let n = MeasureKind::Number;
        assert_eq!(verdict(n, "days", Direction::Lower, 28.0, 9.0), Verdict::Better);
        assert_eq!(verdict(n, "days", Direction::Higher, 28.0, 9.0), Verdict::Worse);
        assert_eq!(verdict(MeasureKind::Percentage, "%", Direction::Higher, 61.0, 74.0), Verdict::Better);
        assert_eq!(verdict(n, "days", Direction::Lower, 9.0, 9.001), Verdict::Unchanged, "too small to show");
        assert_eq!(change_words(n, "days", 28.0, 9.0), "19 days lower");
        assert_eq!(change_words(n, "days", 9.0, 10.0), "1 day higher");
        assert_eq!(change_words(n, "", 1_000.0, 2_250.0), "1,250 higher");
        assert_eq!(change_words(MeasureKind::Percentage, "%", 61.0, 65.0), "4 percentage points higher");
        assert_eq!(change_words(MeasureKind::Percentage, "%", 61.0, 60.0), "1 percentage point lower");
        assert_eq!(change_words(n, "days", 9.0, 9.0), "No change");
        assert_eq!(Verdict::Worse.label(), "Worse");
    }

    #[test]
    fn outcomes_in_a_word() {
        assert_eq!(outcome_word(Some("passed"), false), "Passed");
        assert_eq!(outcome_word(Some("passed"), true), "Chosen");
        assert_eq!(outcome_word(Some("not_passed"), true), "Not passed");
        assert_eq!(outcome_word(Some("no_decision"), false), "No decision");
        assert_eq!(outcome_word(None, false), "Recorded");
    }
}
