//! Feedback beyond rounds: threaded comments (optionally on a section of an iteration),
//! reports and moderation, theme coding, and "you said, we did".

pub mod api;
#[cfg(feature = "ssr")]
pub mod outcome;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod views;

use serde::{Deserialize, Serialize};

use crate::consultations::{Consent, Outcome};

/// Authors may edit a comment for this long after posting it.
pub const EDIT_WINDOW_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommentState {
    Published,
    /// Waiting for a moderator: shown only to its author and facilitators.
    Held,
    Hidden,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// Nesting for display (capped, see `rules::MAX_DEPTH`).
    pub depth: usize,
    pub author: String,
    pub mine: bool,
    /// None when the comment was removed or hidden: it keeps its place, not its words.
    pub body: Option<String>,
    pub state: CommentState,
    pub iteration: Option<i64>,
    pub section: Option<String>,
    pub at: String,
    pub edited: bool,
    pub can_edit: bool,
    pub outcome: Outcome,
    /// Themes the design group coded it with (sent only to the design group and facilitators).
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comments {
    pub prototype_id: i64,
    pub comments: Vec<CommentView>,
    /// A fresh one-time key for each comment form on the page.
    pub key: String,
    pub can_code: bool,
    /// This page (from 0), whether another follows, and how many comments the whole thread
    /// has (not counting removed ones).
    pub page: i64,
    pub more: bool,
    pub total: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    Response,
    Comment,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Response => "response",
            ItemKind::Comment => "comment",
        }
    }
    pub fn parse(s: &str) -> Option<ItemKind> {
        match s {
            "response" => Some(ItemKind::Response),
            "comment" => Some(ItemKind::Comment),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// A held or reported contribution, as a facilitator sees it in `/moderation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModerationItem {
    pub kind: ItemKind,
    pub id: i64,
    pub held: bool,
    pub reports: Vec<String>,
    pub at: String,
    pub author: String,
    pub context: String,
    pub link: String,
    /// (answer id or the comment's own id, text)
    pub texts: Vec<(i64, String)>,
    pub history: Vec<AuditLine>,
}

/// Feedback a piece of work can answer: shown on the publish form and the iteration page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackItem {
    pub kind: ItemKind,
    pub id: i64,
    pub source: String,
    /// The words, if the viewer may read them (consent and role decide).
    pub text: Option<String>,
    pub who: String,
    pub consent: Consent,
    pub outcome: Outcome,
}

/// One of a person's own contributions, with what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyContribution {
    pub kind: ItemKind,
    pub title: String,
    pub link: String,
    pub at: String,
    pub held: bool,
    pub outcome: Outcome,
}
