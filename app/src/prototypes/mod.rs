//! Prototypes: drafts in Markdown, immutable iterations with change notes, stage moves,
//! and one timeline of typed events.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cache;
pub mod diff;
pub mod fields;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod timeline;
#[cfg(feature = "ssr")]
pub mod views;

use serde::{Deserialize, Serialize};

use crate::{stages::Stage, statements::Statement, vision::Value};

/// A prototype as a board card or list row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub stage_id: i64,
    pub themes: Vec<String>,
    pub iteration_count: i64,
    pub last_activity: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub stage: Stage,
    pub cards: Vec<Card>,
    pub total: i64,
}

/// How many cards each board column shows before its "more" link.
pub const BOARD_PER_COLUMN: i64 = 8;
pub const LIST_PAGE_SIZE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    pub cards: Vec<Card>,
    pub page: i64,
    pub has_more: bool,
    pub total: i64,
    pub stages: Vec<Stage>,
    pub statements: Vec<Statement>,
    /// Values in use, for the filter.
    pub values: Vec<Value>,
    pub themes: Vec<String>,
    pub authors: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
}

/// An iteration's heading facts (its text is shown beside them, whole or by section).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Iteration {
    pub number: i64,
    pub title: String,
    pub change_note: String,
    pub published_by: String,
    pub published_at: String,
}

/// A part of an iteration's HTML that starts at a section heading (`id` is its anchor,
/// `section-…`); the text before the first heading has no id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: Option<String>,
    pub title: String,
    pub html: String,
}

/// One iteration's page: the iteration split into sections (comments sit beside each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IterationView {
    pub prototype_title: String,
    pub iteration: Iteration,
    pub sections: Vec<Section>,
    /// Every iteration number of the prototype, for navigation.
    pub numbers: Vec<i64>,
    /// The viewer writes learning notes (the design group): the page offers "Add what we learned".
    pub can_note: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EventKind {
    Created,
    Iteration {
        number: i64,
    },
    StageMove {
        from: String,
        to: String,
    },
    Consultation {
        round: i64,
        iteration: i64,
    },
    Decision {
        motion: i64,
        meeting: i64,
    },
    /// A site's roll-out status changed (`status` as stored: planned, live, paused, stopped).
    Rollout {
        site: String,
        status: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub at: String,
    pub actor: Option<String>,
    pub kind: EventKind,
    pub note: String,
}

/// Everything the prototype page shows, in one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrototypeView {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub stage: Stage,
    pub themes: Vec<String>,
    pub authors: Vec<Person>,
    pub statements: Vec<Statement>,
    /// The values it serves.
    pub values: Vec<Value>,
    pub latest: Option<Iteration>,
    /// The latest iteration's HTML (sanitised when it was published).
    pub latest_html: String,
    pub iteration_numbers: Vec<i64>,
    pub timeline: Vec<TimelineEvent>,
    /// Consultation rounds on this prototype that the viewer may answer or read.
    pub rounds: Vec<crate::consultations::RoundSummary>,
    /// The viewer may edit, publish and move stages (design group and facilitators).
    pub can_edit: bool,
    /// Stages a move may go to (not retired), for the move form.
    pub stages: Vec<Stage>,
}

/// The edit form's data: the draft and the choices around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftForm {
    pub id: Option<i64>,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub revision: i64,
    pub themes: String,
    pub author_ids: Vec<i64>,
    pub statement_ids: Vec<i64>,
    pub value_ids: Vec<i64>,
    pub designers: Vec<Person>,
    pub statements: Vec<Statement>,
    pub values: Vec<Value>,
    pub theme_suggestions: Vec<String>,
    /// A refused save of the viewer's, shown beside the newer saved text.
    pub conflict: Option<Conflict>,
    pub iteration_count: i64,
    /// The saved draft rendered, when the no-JavaScript preview was asked for.
    pub preview_html: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffView {
    pub prototype_id: i64,
    pub prototype_title: String,
    pub from: i64,
    pub to: i64,
    pub numbers: Vec<i64>,
    pub title_change: Option<(String, String)>,
    pub lines: Vec<diff::DiffLine>,
}
