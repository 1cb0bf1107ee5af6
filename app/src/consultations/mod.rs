//! Consultation rounds: questions on one iteration, answered by an audience, with consent,
//! safeguarding triage, receipts and results.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
pub mod results;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod views;

use serde::{Deserialize, Serialize};

pub use rules::{Audience, Consent, QuestionKind, RoundStatus};

/// The most a free-text answer, comment or content note may hold.
pub const MAX_TEXT: usize = 20_000;
/// Question slots on the new-round form (it works without JavaScript, so no "add" button).
pub const QUESTION_SLOTS: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: i64,
    pub title: String,
    pub prototype_id: i64,
    pub prototype_title: String,
    pub iteration_number: i64,
    pub audience: Audience,
    pub status: RoundStatus,
    pub opens: String,
    pub closes: String,
    pub responses: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundList {
    pub rounds: Vec<RoundSummary>,
    pub page: i64,
    pub has_more: bool,
}

/// A statement rated by an experience-statement question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatedStatement {
    pub id: i64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub prompt: String,
    pub required: bool,
    pub low_label: String,
    pub high_label: String,
    pub options: Vec<String>,
    pub statements: Vec<RatedStatement>,
}

/// Everything the answer page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundPage {
    pub round: RoundSummary,
    pub purpose_html: String,
    pub iteration_html: String,
    pub change_note: String,
    pub questions: Vec<Question>,
    /// The form's one-time key: the same form sent twice is recorded once. It opens
    /// nothing (the receipt link has its own token, minted after the answer is stored).
    pub key: String,
    /// Values typed into a refused form (sent without JavaScript), to show again.
    pub typed: Vec<(String, String)>,
    pub signed_in: bool,
    /// A design-group member may type in answers gathered in person.
    pub can_enter_for_others: bool,
    pub can_see_results: bool,
    pub can_close: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRoundForm {
    pub prototype_id: i64,
    pub prototype_title: String,
    pub iterations: Vec<i64>,
    pub statements: Vec<RatedStatement>,
    pub opens: String,
    pub closes: String,
}

/// What became of a piece of feedback ("you said, we did").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    Open,
    ActedOn { prototype_id: i64, iteration: i64 },
    NotTakenForward { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerView {
    pub prompt: String,
    pub answer: String,
}

/// A receipt: the person's own answers and what became of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub round_id: i64,
    pub round_title: String,
    pub prototype_title: String,
    pub submitted: String,
    pub consent: Consent,
    pub held: bool,
    pub answers: Vec<AnswerView>,
    pub outcome: Outcome,
}
