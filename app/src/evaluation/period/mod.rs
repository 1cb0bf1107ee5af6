//! The collaborative's report (`/report?from=…&to=…`): one printable page for
//! commissioners and the programme manager about a period (by default the last 12 months),
//! across every prototype the viewer may read:
//!
//! 1. the period, chosen with a plain GET form (bad dates are said in words, and the
//!    default period is shown instead);
//! 2. the pipeline: per stage, how many prototypes entered it and left it during the
//!    period (from the timeline's `created` and `stage_move` events), and how many were in
//!    it when the period ended;
//! 3. consultation rounds that closed during the period (by audience, as the round
//!    lists show them), their published responses in the period, and the distinct people
//!    heard, by the perspective they gave, under complementary suppression (`suppression`;
//!    results summaries: members and up);
//! 4. decisions: motions closed during the period, as the meeting page shows them for
//!    members and up, and as the prototype's timeline records them for everyone else (as
//!    `report::api::report_for` does);
//! 5. outcome measures whose readings moved during the period: the first and the last
//!    reading in it, the change, and whether that is better or worse.
//!
//! Here: the wire types and limits. Pure rules (the period, suppression, "moved", better or
//! worse) are in `rules`, SQL in `store`, the server function and the view's assembly in
//! `api`, the page in `pages`.

pub mod api;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// A period covers at most this many years (a bound on the work one page makes, and a
/// report longer than that is no longer about what happened lately).
pub const PERIOD_YEARS_MAX: u32 = 5;
/// Rounds listed at most (the counts above the list cover them all).
pub const ROUNDS_MAX: i64 = 100;
/// Decisions listed at most.
pub const DECISIONS_MAX: i64 = 100;
/// Measures with readings in the period read at most.
pub const MEASURES_MAX: i64 = 200;

/// Why the dates typed were not used: a message in plain words and the box it is about
/// ("from" or "to").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodProblem {
    pub field: String,
    pub message: String,
}

/// One stage of the pipeline during the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageLine {
    pub stage_id: i64,
    pub name: String,
    /// Adopted, Stopped: stages that end the pipeline.
    pub closed: bool,
    /// No longer in use (listed only when something happened in it).
    pub retired: bool,
    /// Prototypes that entered it during the period (created in it, or moved to it).
    pub entered: i64,
    /// Prototypes that moved out of it during the period.
    pub left: i64,
    /// Prototypes in it when the period ended.
    pub at_end: i64,
}

/// A consultation round that closed during the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundLine {
    pub round_id: i64,
    pub title: String,
    pub prototype_id: i64,
    pub prototype_title: String,
    /// "3 March 2026".
    pub opened: String,
    /// The day it closed (early, if it was closed early), or closes.
    pub closed: String,
    /// It has not closed yet.
    pub open_now: bool,
    /// Its published responses.
    pub responses: i64,
}

/// One row of the breakdown of people heard: a perspective, or several merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerspectiveLine {
    pub label: String,
    pub people: i64,
}

/// Rounds held and people heard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundsPart {
    /// Rounds that closed during the period that the viewer may see.
    pub count: i64,
    /// Their published responses.
    pub responses: i64,
    /// The distinct people behind those responses (a signed-in person once, however many
    /// rounds they answered; each visitor's or typed-in response as one person).
    pub people: i64,
    /// The rounds, by the day they closed (at most `ROUNDS_MAX`).
    pub rounds: Vec<RoundLine>,
    /// More rounds than listed.
    pub more: bool,
    /// People heard by perspective, only the rows `suppression::rows` allows (empty when
    /// none may be shown). `None`: results summaries are for members and up.
    pub perspectives: Option<Vec<PerspectiveLine>>,
}

/// A decision made during the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLine {
    /// "3 March 2026".
    pub date: String,
    /// The prototype it is about (a motion on a free agenda item has none).
    pub prototype_id: Option<i64>,
    pub prototype_title: Option<String>,
    /// The meeting and the motion (members and up).
    pub meeting_id: Option<i64>,
    pub meeting_title: Option<String>,
    pub motion_id: Option<i64>,
    /// The question put to the vote (members and up).
    pub question: Option<String>,
    /// "Passed", "Not passed", "No decision".
    pub outcome: String,
    /// The vote's result as the meeting page says it ("Passed: 5 for, 2 against"), or for
    /// readers outside meetings the whole record the prototype's timeline keeps.
    pub record: String,
    /// "6 votes, 3 from service users or carers. Quorum met." (members and up).
    pub turnout: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionsPart {
    /// Oldest first (at most `DECISIONS_MAX`).
    pub decisions: Vec<DecisionLine>,
    /// The meeting page's view of each (members and up); else the timeline's record.
    pub in_full: bool,
    /// More decisions than listed.
    pub more: bool,
}

/// Which way a measure moved, given which way is better. Always said in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Better,
    Worse,
    Unchanged,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Better => "Better",
            Verdict::Worse => "Worse",
            Verdict::Unchanged => "No change",
        }
    }
}

/// A measure whose readings moved during the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureMove {
    pub measure_id: i64,
    pub prototype_id: i64,
    pub prototype_title: String,
    pub name: String,
    /// "Lower is better".
    pub direction: String,
    /// The first and the last reading in the period: "28 days", and the day it was taken.
    pub first: String,
    pub first_on: String,
    pub last: String,
    pub last_on: String,
    /// Readings taken during the period.
    pub readings: i64,
    /// "19 days lower", "4 percentage points higher".
    pub change: String,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasuresPart {
    /// By prototype, then in each prototype's own order.
    pub moved: Vec<MeasureMove>,
    /// Measures with two or more readings in the period that ended where they started.
    pub unchanged: i64,
    /// More measures had readings in the period than were read.
    pub more: bool,
}

/// `/report`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodView {
    /// The period shown, 'YYYY-MM-DD', both days included.
    pub from: String,
    pub to: String,
    /// "1 December 2025 to 27 November 2026".
    pub words: String,
    /// What the form's boxes hold: the period shown as day/month/year, or what was typed
    /// when it could not be used.
    pub from_input: String,
    pub to_input: String,
    /// Why the dates typed were not used (the default period is shown instead).
    pub problem: Option<PeriodProblem>,
    pub pipeline: Vec<StageLine>,
    pub rounds: RoundsPart,
    pub decisions: DecisionsPart,
    pub measures: MeasuresPart,
    /// "27 November 2026": the day the report was made.
    pub printed_on: String,
}
