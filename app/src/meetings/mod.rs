//! Collaborative meetings: agendas, attendance, motions, fair votes with a lived-experience
//! quorum, decisions on the prototype's timeline, and minutes.

pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod jobs;
pub mod minutes;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod views;
pub mod visibility;

use serde::{Deserialize, Serialize};

pub use rules::{Attendance, Choice, Method, Outcome, Quorum, Tally};

use crate::prototypes::Person;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingSummary {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub place: String,
    pub online_link: String,
    pub upcoming: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    Prototype,
    Results,
    Free,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Prototype, ItemKind::Results, ItemKind::Free];
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Prototype => "prototype",
            ItemKind::Results => "results",
            ItemKind::Free => "free",
        }
    }
    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Prototype => "A prototype to discuss or decide",
            ItemKind::Results => "A consultation round's results",
            ItemKind::Free => "Another item, with notes",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MotionStatus {
    Draft,
    Open,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenBallot {
    pub name: String,
    pub choice: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MotionView {
    pub id: i64,
    pub question: String,
    pub background_html: String,
    pub method: Method,
    pub secret: bool,
    pub hide_results: bool,
    pub present_only: bool,
    pub quorum: Quorum,
    pub status: MotionStatus,
    pub closes: Option<String>,
    /// What happens if it passes, in words ("Move Living Well Hub to Implementing").
    pub action: Option<String>,
    pub options: Vec<(i64, String)>,
    pub turnout: i64,
    /// The tally: None while the motion is open and its results are hidden or it is secret.
    pub tally: Option<Tally>,
    /// Names and choices (open ballots only, and only when results are shown).
    pub ballots: Vec<OpenBallot>,
    /// Choice counts per perspective group; on secret ballots under complementary
    /// suppression (`crate::suppression`), and only once closed.
    pub breakdown: Vec<rules::BreakdownRow>,
    pub my_vote: Option<(String, String, Vec<i64>)>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub id: i64,
    pub kind: ItemKind,
    pub title: String,
    pub prototype: Option<(i64, String)>,
    pub round: Option<(i64, String)>,
    pub notes_html: String,
    pub motions: Vec<MotionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingPage {
    pub meeting: MeetingSummary,
    pub items: Vec<AgendaItem>,
    pub attendance: Vec<(Person, Attendance)>,
    pub is_facilitator: bool,
    /// The viewer's own attendance (for present-only votes).
    pub my_attendance: Option<Attendance>,
    /// The minutes' draft: facilitators only (empty for everyone else).
    pub minutes_draft: String,
    pub minutes_approved: Option<String>,
    /// The approved minutes, rendered (read-only).
    pub minutes_html: Option<String>,
    pub minutes_approved_note: Option<String>,
    /// Choices for the facilitator's forms (empty for everyone else).
    pub members: Vec<Person>,
    pub prototypes: Vec<(i64, String)>,
    pub rounds: Vec<(i64, String)>,
    /// Stages in use, for a motion's "move it to this stage" (id, name).
    pub stages: Vec<(i64, String)>,
    /// The vision (rendered, sanitised at save) and the values' names, above the agenda.
    pub vision_html: Option<String>,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingList {
    pub upcoming: Vec<MeetingSummary>,
    pub past: Vec<MeetingSummary>,
    pub can_schedule: bool,
}

/// What the meeting page polls for while JavaScript is on: turnout and (unless hidden) tallies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveMotion {
    pub id: i64,
    pub status: MotionStatus,
    pub turnout: i64,
    pub tally: Option<Tally>,
}
