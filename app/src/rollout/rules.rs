//! Pure rules of roll-out: which status may follow which, a site's fields, the dates people
//! type, the note, the progress line, and whether a prototype's stage allows a plan. No I/O;
//! tests below.

use chrono::NaiveDate;

use super::{OpenStage, RolloutStatus, StatusCounts, AREA_MAX, KIND_MAX, NAME_MAX, NOTE_MAX};
use crate::error::AppError;

// ---------------------------------------------------------------------------------------
// Statuses.

/// May a site move from `from` (`None`: not in the plan yet) to `to`? A new site starts
/// planned or live; planned goes live or is stopped; live is paused or stopped; paused goes
/// live again or is stopped; stopped may be planned again (a restart). Never to the same status.
pub fn may_move(from: Option<RolloutStatus>, to: RolloutStatus) -> bool {
    use RolloutStatus::*;
    matches!(
        (from, to),
        (None, Planned | Live)
            | (Some(Planned), Live | Stopped)
            | (Some(Live), Paused | Stopped)
            | (Some(Paused), Live | Stopped)
            | (Some(Stopped), Planned)
    )
}

/// The statuses a site may move to from `from`, in the usual order.
pub fn next_statuses(from: Option<RolloutStatus>) -> Vec<RolloutStatus> {
    RolloutStatus::ALL.into_iter().filter(|&to| may_move(from, to)).collect()
}

/// How a choice reads in the status select ("Live again" after a pause, "Planned again" after a stop).
pub fn choice_label(from: Option<RolloutStatus>, to: RolloutStatus) -> &'static str {
    match (from, to) {
        (Some(RolloutStatus::Paused), RolloutStatus::Live) => "Live again",
        (Some(RolloutStatus::Stopped), RolloutStatus::Planned) => "Planned again (a restart)",
        (_, to) => to.label(),
    }
}

/// Why a move is refused, in words, or `None` when `may_move` allows it.
pub fn move_refusal(from: Option<RolloutStatus>, to: RolloutStatus, site: &str) -> Option<String> {
    if may_move(from, to) {
        return None;
    }
    let next =
        |from| next_statuses(from).into_iter().map(|s| s.label().to_lowercase()).collect::<Vec<_>>().join(" or ");
    Some(match from {
        None => format!("“{site}” is not in the plan yet: it can start as {}.", next(None)),
        Some(f) if f == to => format!("“{site}” is already {}.", to.label().to_lowercase()),
        Some(f) => format!(
            "“{site}” is {} now, so it cannot be marked {}: it can be marked {}.",
            f.label().to_lowercase(),
            to.label().to_lowercase(),
            next(Some(f))
        ),
    })
}

/// `move_refusal` as the error a form shows at `field`.
pub fn check_move(from: Option<RolloutStatus>, to: RolloutStatus, site: &str, field: &str) -> Result<(), AppError> {
    match move_refusal(from, to, site) {
        None => Ok(()),
        Some(m) => Err(AppError::invalid(field, m)),
    }
}

/// Tallies statuses.
pub fn tally(statuses: impl IntoIterator<Item = RolloutStatus>) -> StatusCounts {
    let mut c = StatusCounts::default();
    for s in statuses {
        match s {
            RolloutStatus::Planned => c.planned += 1,
            RolloutStatus::Live => c.live += 1,
            RolloutStatus::Paused => c.paused += 1,
            RolloutStatus::Stopped => c.stopped += 1,
        }
    }
    c
}

// ---------------------------------------------------------------------------------------
// When a plan may start.

/// A prototype may have a roll-out plan once it reaches the stage plans start from
/// (Implementing, marked `stages.rollout_from`; without a mark, the last open stage) or any
/// later one (Adopted, Stopped). `open_positions` are the positions the store gives (the
/// marked stage, or every open stage in use); with none nothing holds a plan back.
pub fn plan_allowed(stage_position: i64, open_positions: &[i64]) -> bool {
    open_positions.iter().max().is_none_or(|&last| stage_position >= last)
}

/// The stage from which a plan may start: the last open stage.
pub fn plan_stage(open: &[OpenStage]) -> Option<&OpenStage> {
    open.iter().max_by_key(|s| s.position)
}

/// `plan_allowed` as the error a form shows at `field`.
pub fn check_plan_stage(stage: &str, stage_position: i64, open: &[OpenStage], field: &str) -> Result<(), AppError> {
    let positions: Vec<i64> = open.iter().map(|s| s.position).collect();
    if plan_allowed(stage_position, &positions) {
        return Ok(());
    }
    let start = plan_stage(open).map(|s| s.name.as_str()).unwrap_or("the last stage");
    Err(AppError::invalid(
        field,
        format!("A roll-out plan starts when a prototype reaches {start}. This one is at {stage}, so its plan cannot be changed yet."),
    ))
}

// ---------------------------------------------------------------------------------------
// A site's fields.

/// A site as its form (or a CSV row) gives it, tidied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFields {
    pub name: String,
    pub kind: String,
    pub area: String,
}

/// One line, inner runs of spaces folded.
fn tidy(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

/// A site's name: 1 to 120 characters.
pub fn parse_site_name(raw: &str) -> Result<String, AppError> {
    let t = tidy(raw);
    if t.is_empty() {
        return Err(AppError::invalid("name", "Please give the site a name, for example “Lakeside Surgery”."));
    }
    if too_long(&t, NAME_MAX) {
        return Err(AppError::invalid("name", format!("A site's name can be at most {NAME_MAX} characters.")));
    }
    Ok(t)
}

/// What kind of site it is ("GP practice", "hub", "team"): 1 to 60 characters.
pub fn parse_site_kind(raw: &str) -> Result<String, AppError> {
    let t = tidy(raw);
    if t.is_empty() {
        return Err(AppError::invalid(
            "kind",
            "Please say what kind of site it is, for example “GP practice”, “hub” or “team”.",
        ));
    }
    if too_long(&t, KIND_MAX) {
        return Err(AppError::invalid("kind", format!("The kind of site can be at most {KIND_MAX} characters.")));
    }
    Ok(t)
}

/// The area it serves (optional): at most 60 characters.
pub fn parse_site_area(raw: &str) -> Result<String, AppError> {
    let t = tidy(raw);
    if too_long(&t, AREA_MAX) {
        return Err(AppError::invalid("area", format!("The area can be at most {AREA_MAX} characters.")));
    }
    Ok(t)
}

pub fn parse_site(name: &str, kind: &str, area: &str) -> Result<SiteFields, AppError> {
    Ok(SiteFields { name: parse_site_name(name)?, kind: parse_site_kind(kind)?, area: parse_site_area(area)? })
}

/// What makes two names the same site (the database compares names without case too).
pub fn name_key(name: &str) -> String {
    tidy(name).to_lowercase()
}

/// A filter value from a URL: empty is no filter; otherwise tidied as the field would be.
pub fn filter_value(raw: Option<String>) -> Option<String> {
    raw.map(|v| tidy(&v)).filter(|v| !v.is_empty() && v.chars().count() <= NAME_MAX)
}

// ---------------------------------------------------------------------------------------
// Notes and dates.

/// A note on a status change: at most 500 characters, Unix line endings.
pub fn parse_note(raw: &str) -> Result<String, AppError> {
    let t = raw.replace("\r\n", "\n").replace('\r', "\n").trim().to_string();
    if too_long(&t, NOTE_MAX) {
        return Err(AppError::invalid("note", format!("The note can be at most {NOTE_MAX} characters.")));
    }
    Ok(t)
}

use crate::days::DayError;
pub use crate::days::{iso, EARLIEST_YEAR, YEARS_AHEAD};

/// A day typed into `field`: empty is `today` (UK time, the caller's); otherwise a real day
/// given as `YYYY-MM-DD` or `DD/MM/YYYY`, not before 2000 and at most ten years ahead.
pub fn parse_day(raw: &str, field: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(today);
    }
    crate::days::parse(s, today).map_err(|e| {
        let message = match e {
            DayError::TooEarly => format!("The date must be in {EARLIEST_YEAR} or later."),
            DayError::TooLate => format!("The date can be at most {YEARS_AHEAD} years from today."),
            DayError::Missing | DayError::Unreadable | DayError::NotReal => {
                "Please give a real date as YYYY-MM-DD or DD/MM/YYYY, for example 2027-03-01 or 01/03/2027.".into()
            }
        };
        AppError::invalid(field, message)
    })
}

/// A stored day as people read it ("1 Mar 2027"); anything unreadable is shown as stored.
pub use crate::days::short_date as day_label;

// ---------------------------------------------------------------------------------------
// The progress lines.

/// The kind every site in a plan shares (compared without case), as the first one spells
/// it; `None` when they are mixed or there are none.
pub fn common_kind<'a>(kinds: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut kinds = kinds.into_iter();
    let first = kinds.next()?;
    let key = first.to_lowercase();
    kinds.all(|k| k.to_lowercase() == key).then_some(first)
}

/// A kind as it reads mid-sentence: "Hub" → "hub", but "GP practice" keeps its capitals.
fn in_sentence(kind: &str) -> String {
    let mut chars = kind.chars();
    match (chars.next(), chars.next()) {
        (Some(_), Some(b)) if b.is_uppercase() => kind.to_string(),
        (Some(a), _) => a.to_lowercase().chain(kind.chars().skip(1)).collect(),
        _ => String::new(),
    }
}

/// An English plural, good enough for kinds of site: practices, hubs, teams, pharmacies, branches.
pub fn plural(word: &str, n: i64) -> String {
    if n == 1 {
        return word.to_string();
    }
    let lower = word.to_lowercase();
    let vowel_before_y = lower.chars().rev().nth(1).is_some_and(|c| "aeiou".contains(c));
    if lower.ends_with('y') && !vowel_before_y && lower.len() > 1 {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"].iter().any(|e| lower.ends_with(*e)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// A plan's progress: "15 of 48 GP practices live". The count is of every site in the plan
/// (whatever its status); they are named by their kind when every site in the plan is of one
/// kind, and "sites" when the kinds are mixed.
pub fn progress_line(live: i64, total: i64, kind: Option<&str>) -> String {
    if total == 0 {
        return "No sites are in the plan yet.".to_string();
    }
    let noun = plural(&kind.map(in_sentence).unwrap_or_else(|| "site".to_string()), total);
    format!("{live} of {total} {noun} live")
}

/// `/rollout`'s count: "15 of 48 sites have a service live".
pub fn live_sites_line(live: i64, total: i64) -> String {
    match total {
        0 => "No sites match.".to_string(),
        1 => format!("{live} of 1 site has a service live"),
        n => format!("{live} of {n} sites have a service live"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::RolloutStatus::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_moves_allowed() {
        let allowed = [
            (None, Planned),
            (None, Live),
            (Some(Planned), Live),
            (Some(Planned), Stopped),
            (Some(Live), Paused),
            (Some(Live), Stopped),
            (Some(Paused), Live),
            (Some(Paused), Stopped),
            (Some(Stopped), Planned),
        ];
        for from in [None, Some(Planned), Some(Live), Some(Paused), Some(Stopped)] {
            for to in RolloutStatus::ALL {
                assert_eq!(may_move(from, to), allowed.contains(&(from, to)), "{from:?} → {to:?}");
            }
        }
        for s in RolloutStatus::ALL {
            assert!(!may_move(Some(s), s), "never to the same status");
            assert!(!next_statuses(Some(s)).is_empty(), "every status has a way on");
        }
        assert_eq!(next_statuses(None), vec![Planned, Live]);
        assert_eq!(next_statuses(Some(Live)), vec![Paused, Stopped]);
        assert_eq!(choice_label(Some(Paused), Live), "Live again");
        assert_eq!(choice_label(Some(Planned), Live), "Live");
    }

    #[test]
    fn refusals_say_what_can_happen_instead() {
        assert_eq!(move_refusal(Some(Planned), Live, "Lakeside"), None);
        assert_eq!(move_refusal(Some(Live), Live, "Lakeside").unwrap(), "“Lakeside” is already live.");
        let m = move_refusal(Some(Stopped), Live, "Lakeside").unwrap();
        assert!(m.contains("stopped now") && m.contains("can be marked planned"), "{m}");
        assert!(move_refusal(None, Paused, "Lakeside").unwrap().contains("planned or live"));
        assert!(check_move(Some(Planned), Paused, "x", "status").unwrap_err().for_field("status").is_some());
    }

    #[test]
    fn statuses_are_tallied() {
        let c = tally([Live, Live, Planned, Stopped, Live]);
        assert_eq!(c, StatusCounts { planned: 1, live: 3, paused: 0, stopped: 1 });
        assert_eq!(tally(Vec::new()), StatusCounts::default());
    }

    #[test]
    fn a_plan_starts_at_the_last_open_stage() {
        // Idea 1 … Decision 6, Implementing 7 (open); Adopted 8, Stopped 9 (closed).
        let open = [1, 2, 3, 4, 5, 6, 7];
        assert!(!plan_allowed(6, &open));
        assert!(plan_allowed(7, &open));
        assert!(plan_allowed(8, &open) && plan_allowed(9, &open), "any later stage");
        assert!(plan_allowed(1, &[]), "no open stages: nothing holds it back");
        // A facilitator added a stage after Implementing: that one is the start now.
        assert!(!plan_allowed(7, &[1, 7, 10]));
        let stages = vec![
            OpenStage { name: "Testing".into(), position: 4 },
            OpenStage { name: "Implementing".into(), position: 7 },
        ];
        assert_eq!(plan_stage(&stages).unwrap().name, "Implementing");
        let e = check_plan_stage("Testing", 4, &stages, "status").unwrap_err();
        assert!(e.for_field("status").unwrap().contains("reaches Implementing"));
        assert!(check_plan_stage("Adopted", 8, &stages, "status").is_ok());
    }

    #[test]
    fn site_fields_are_tidied_and_bounded() {
        let s = parse_site("  Lakeside   Surgery ", " GP  practice", " North ").unwrap();
        assert_eq!(s, SiteFields { name: "Lakeside Surgery".into(), kind: "GP practice".into(), area: "North".into() });
        assert_eq!(parse_site("Hub", "hub", "").unwrap().area, "");
        assert!(parse_site(" ", "hub", "").unwrap_err().for_field("name").is_some());
        assert!(parse_site("Hub", "", "").unwrap_err().for_field("kind").is_some());
        assert!(parse_site_name(&"é".repeat(NAME_MAX)).is_ok(), "counted in characters");
        assert!(parse_site_name(&"n".repeat(NAME_MAX + 1)).is_err());
        assert!(parse_site_kind(&"k".repeat(KIND_MAX + 1)).unwrap_err().for_field("kind").is_some());
        assert!(parse_site_area(&"a".repeat(AREA_MAX + 1)).unwrap_err().for_field("area").is_some());
        assert_eq!(name_key(" Lakeside  SURGERY"), "lakeside surgery");
        assert_eq!(filter_value(Some("  ".into())), None);
        assert_eq!(filter_value(Some(" North  East ".into())).as_deref(), Some("North East"));
    }

    #[test]
    fn notes_are_bounded() {
        assert_eq!(parse_note(" a\r\nb ").unwrap(), "a\nb");
        assert_eq!(parse_note("").unwrap(), "");
        assert!(parse_note(&"n".repeat(NOTE_MAX)).is_ok());
        assert!(parse_note(&"n".repeat(NOTE_MAX + 1)).unwrap_err().for_field("note").is_some());
    }

    #[test]
    fn dates_are_real_days_in_range() {
        let today = day(2027, 1, 10);
        assert_eq!(parse_day("", "date", today).unwrap(), today, "empty is today");
        assert_eq!(parse_day(" 2027-03-01 ", "date", today).unwrap(), day(2027, 3, 1));
        assert_eq!(parse_day("01/03/2027", "date", today).unwrap(), day(2027, 3, 1), "UK order");
        assert_eq!(parse_day("1/3/2027", "date", today).unwrap(), day(2027, 3, 1));
        let bad_days =
            ["2027-02-30", "31/04/2027", "27-03-01", "03/01/27", "tomorrow", "2027-03-01T10:00", "+2027-03-01"];
        for bad in bad_days {
            assert!(parse_day(bad, "date", today).unwrap_err().for_field("date").is_some(), "{bad}");
        }
        assert_eq!(parse_day("2028-02-29", "date", today).unwrap(), day(2028, 2, 29), "a leap day");
        assert!(parse_day("1999-12-31", "date", today).unwrap_err().to_string().contains("2000"));
        assert!(parse_day("2000-01-01", "date", today).is_ok());
        assert!(parse_day("2037-01-10", "date", today).is_ok(), "ten years ahead");
        assert!(parse_day("2037-01-11", "date", today).unwrap_err().to_string().contains("10 years"));
        assert_eq!(iso(day(2027, 3, 1)), "2027-03-01");
        assert_eq!(day_label("2027-03-01"), "1 Mar 2027");
        assert_eq!(day_label("nonsense"), "nonsense");
    }

    #[test]
    fn progress_reads_plainly() {
        assert_eq!(progress_line(15, 48, Some("GP practice")), "15 of 48 GP practices live");
        assert_eq!(progress_line(1, 1, Some("GP practice")), "1 of 1 GP practice live");
        assert_eq!(progress_line(2, 5, Some("Hub")), "2 of 5 hubs live");
        assert_eq!(progress_line(0, 3, Some("pharmacy")), "0 of 3 pharmacies live");
        assert_eq!(progress_line(0, 2, Some("Branch")), "0 of 2 branches live");
        assert_eq!(progress_line(3, 10, None), "3 of 10 sites live");
        assert_eq!(progress_line(0, 0, None), "No sites are in the plan yet.");
        assert_eq!(common_kind(["GP practice", "gp practice"]), Some("GP practice"));
        assert_eq!(common_kind(["GP practice", "hub"]), None);
        assert_eq!(common_kind(Vec::<&str>::new()), None);
        assert_eq!(plural("day", 2), "days");
        assert_eq!(live_sites_line(15, 48), "15 of 48 sites have a service live");
        assert_eq!(live_sites_line(0, 1), "0 of 1 site has a service live");
        assert_eq!(live_sites_line(0, 0), "No sites match.");
    }
}
