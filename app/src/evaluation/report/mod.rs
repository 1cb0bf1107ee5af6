//! The evaluation report (`/prototypes/{id}/report`): one page a commissioner can read in
//! ten minutes and print. It gathers what the rest of the app already shows about one
//! prototype, each part exactly as this viewer may see it elsewhere:
//!
//! 1. the problem and who it is for (the prototype page, and the latest iteration's
//!    "The problem" / "Who it is for" sections);
//! 2. the iteration history with each change note;
//! 3. consultation rounds (the prototype page's, by audience) and the lived-experience
//!    ratings trend per experience statement, with the round results page's perspective
//!    breakdown and small-group suppression (results summaries: members and up);
//! 4. "you said, we did": counts, and a few examples quoted only as consent allows;
//! 5. decisions (the meeting page's view of each closed motion for members and up, the
//!    timeline's record for everyone else);
//! 6. outcome measures (the measures page's cards, charts and tables);
//! 7. the roll-out plan's progress and sites;
//! 8. published learning notes (the library is for members).
//!
//! Here: the wire types. Pure rules are in `rules`, SQL the other modules do not already
//! have in `store`, assembly in `views`, the server function in `api`, the page in `pages`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod download;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod views;

use serde::{Deserialize, Serialize};

use super::{ChartData, MeasureCard};
use crate::{
    consultations::{Outcome, RoundSummary},
    library::NoteCard,
    rollout::PlanView,
};

/// Examples of "you said, we did" quoted at most.
pub const EXAMPLES_MAX: i64 = 5;
/// A quote is cut to this many characters (a report is read in ten minutes).
pub const QUOTE_MAX: usize = 400;
/// Learning notes listed at most (the library lists the rest).
pub const NOTES_MAX: i64 = 20;

/// A section of the latest iteration: "The problem" or "Who it is for".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemPart {
    pub heading: String,
    /// The section's HTML without its heading (sanitised when the iteration was published).
    pub html: String,
}

/// An experience statement the prototype addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub id: i64,
    pub short_name: Option<String>,
    pub text: String,
}

/// One published iteration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IterationLine {
    pub number: i64,
    pub title: String,
    /// "3 March 2025".
    pub date: String,
    /// What changed and why.
    pub change_note: String,
}

/// One perspective group's mean rating of a statement in one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMean {
    pub label: String,
    pub people: i64,
    /// `None` when too few in the group (or outside it) rated the statement.
    pub mean: Option<f64>,
}

/// A statement's ratings in one closed round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundMean {
    pub round_id: i64,
    pub title: String,
    pub iteration: i64,
    /// The day it closed, 'YYYY-MM-DD', and as people read it.
    pub closed_on: String,
    pub date: String,
    /// `None` when fewer than `suppression::MIN_GROUP` people rated it.
    pub mean: Option<f64>,
    /// How many rated it, when there are enough to show the mean.
    pub ratings: Option<i64>,
    /// "3.4 out of 5" or "Fewer than 5 ratings".
    pub shown: String,
    /// The round results page's perspective breakdown for this statement.
    pub groups: Vec<GroupMean>,
    /// People in the round in no group shown (everyone, when no breakdown can be shown).
    pub suppressed: i64,
}

/// One experience statement's ratings across the prototype's closed rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementTrend {
    pub id: i64,
    /// "Short name: text", as the rounds show it.
    pub label: String,
    /// "Up from 3.1 to 3.8 out of 5 between …".
    pub summary: String,
    pub rounds: Vec<RoundMean>,
    /// The rounds with a mean, for the chart (a rating, no baseline or target).
    pub chart: ChartData,
}

/// "You said, we did": what became of the published feedback on the prototype.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackSummary {
    pub acted: i64,
    pub not_taken: i64,
    pub waiting: i64,
    /// The counts in a sentence.
    pub line: String,
    /// A few quotable examples with what became of them.
    pub examples: Vec<FeedbackExample>,
}

/// A piece of feedback quoted as its consent allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackExample {
    /// "An answer to “Evening line, round 1”", "A comment on iteration 2".
    pub source: String,
    pub quote: String,
    /// Only for "quote with my name", and never for an anonymous post.
    pub by: Option<String>,
    pub outcome: Outcome,
}

/// A decision on the prototype.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionItem {
    /// "3 March 2025".
    pub date: String,
    /// The meeting's title and page (members and up).
    pub meeting: Option<(i64, String)>,
    pub motion_id: Option<i64>,
    pub question: Option<String>,
    /// How it was decided, in words.
    pub method: Option<String>,
    /// "Passed: 5 for, 2 against" (or, from the timeline, its whole record).
    pub outcome: String,
    /// Votes per choice or option, as the meeting page shows them.
    pub counts: Vec<(String, i64)>,
    /// "6 votes, 3 from service users or carers. Quorum met."
    pub turnout: Option<String>,
    pub objections: Vec<String>,
    pub blocks: Vec<String>,
}

/// Consultation rounds and the ratings trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundsSection {
    /// Rounds on the prototype whose audience admits the viewer, oldest first.
    pub rounds: Vec<RoundSummary>,
    /// `None`: the viewer may not see results summaries (they are for members and up).
    pub trends: Option<Vec<StatementTrend>>,
}

/// Published learning notes about the prototype.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotesSection {
    pub notes: Vec<NoteCard>,
    /// More notes than listed: the library has them all.
    pub more: bool,
}

/// `/prototypes/{id}/report`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub prototype_id: i64,
    pub title: String,
    pub summary: String,
    pub stage: String,
    pub themes: Vec<String>,
    pub statements: Vec<StatementLine>,
    /// False for a prototype never published (only the design group reads its report).
    pub published: bool,
    /// "The problem" and "Who it is for" from the latest iteration; empty when it has
    /// neither heading (the summary stands in).
    pub problem: Vec<ProblemPart>,
    pub iterations: Vec<IterationLine>,
    pub rounds: RoundsSection,
    pub feedback: FeedbackSummary,
    pub decisions: Vec<DecisionItem>,
    /// The decisions carry their meeting's details (members and up); else the timeline's record.
    pub decisions_in_full: bool,
    pub measures: Vec<MeasureCard>,
    pub rollout: PlanView,
    /// `None`: the library is for members and up.
    pub notes: Option<NotesSection>,
    /// "3 March 2025": the day the report was made.
    pub printed_on: String,
}
