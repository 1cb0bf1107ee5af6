//! The learning library (`/library`): what the lab learned, tied to the evidence it came
//! from. The design group drafts and publishes learning notes; members and up read them; a
//! note marked shareable also has a public page (`/library/{id}/shared`) with every personal
//! detail removed, fit to send to another collaborative. `/themes/{name}` gathers the
//! prototypes, notes and coded feedback under one theme.
//!
//! Here: the wire types. The form's parsers are in `fields`, the rule for what a reader
//! sees of feedback linked as evidence in `rules`.

pub mod api;
pub mod fields;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod views;

use serde::{Deserialize, Serialize};

use crate::prototypes::Card;

pub use fields::{
    parse_body, parse_evidence, parse_kind, parse_optional_id, parse_title, NoteFields, Typed, BODY_MAX, EVIDENCE_MAX,
    KEPT_BODY_MAX, TITLE_MAX,
};
pub use rules::{encode_component, feedback_shown, new_note_href, theme_href, FeedbackShown, Reader};

/// Notes on one page of the library.
pub const PAGE_SIZE: i64 = 20;
/// Drafts listed above the library for the design group (newest edits first).
pub const DRAFTS_SHOWN: i64 = 50;

/// What kind of lesson a note records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteKind {
    Worked,
    DidNotWork,
    Surprise,
    Method,
}

impl NoteKind {
    pub const ALL: [NoteKind; 4] = [NoteKind::Worked, NoteKind::DidNotWork, NoteKind::Surprise, NoteKind::Method];
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Worked => "worked",
            NoteKind::DidNotWork => "did_not_work",
            NoteKind::Surprise => "surprise",
            NoteKind::Method => "method",
        }
    }
    pub fn parse(s: &str) -> Option<NoteKind> {
        NoteKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Worked => "What worked",
            NoteKind::DidNotWork => "What did not work",
            NoteKind::Surprise => "Surprise",
            NoteKind::Method => "Method",
        }
    }
}

/// What a note can point at. Comments and answers (a response's free-text answer) are
/// feedback: shown only as consent allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EvidenceKind {
    Iteration,
    Round,
    Decision,
    Meeting,
    Comment,
    Answer,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 6] = [
        EvidenceKind::Iteration,
        EvidenceKind::Round,
        EvidenceKind::Decision,
        EvidenceKind::Meeting,
        EvidenceKind::Comment,
        EvidenceKind::Answer,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Iteration => "iteration",
            EvidenceKind::Round => "round",
            EvidenceKind::Decision => "decision",
            EvidenceKind::Meeting => "meeting",
            EvidenceKind::Comment => "comment",
            EvidenceKind::Answer => "answer",
        }
    }
    pub fn parse(s: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn is_feedback(self) -> bool {
        matches!(self, EvidenceKind::Comment | EvidenceKind::Answer)
    }
}

/// One piece of evidence, as a form and a URL name it: `iteration:12`, `answer:7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub kind: EvidenceKind,
    pub id: i64,
}

impl EvidenceRef {
    pub fn parse(s: &str) -> Option<EvidenceRef> {
        let (kind, id) = s.trim().split_once(':')?;
        let id: i64 = id.parse().ok()?;
        (id > 0).then_some(EvidenceRef { kind: EvidenceKind::parse(kind)?, id })
    }
    pub fn value(self) -> String {
        format!("{}:{}", self.kind.as_str(), self.id)
    }
}

/// A choice in a filter or a select: an id and what people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub label: String,
}

/// A note in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteCard {
    pub id: i64,
    pub title: String,
    pub kind: NoteKind,
    pub draft: bool,
    pub shareable: bool,
    /// The prototype it came from, when the reader may see that prototype.
    pub prototype: Option<Choice>,
    pub themes: Vec<String>,
    /// "Published 3 Dec 2026, 10:00 GMT" or "Last edited …" for a draft.
    pub when: String,
}

/// `/library`: one page of published notes (newest first) and, for the design group, the drafts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteList {
    pub notes: Vec<NoteCard>,
    pub drafts: Vec<NoteCard>,
    pub page: i64,
    pub has_more: bool,
    pub themes: Vec<String>,
    pub prototypes: Vec<Choice>,
    pub values: Vec<Choice>,
    pub statements: Vec<Choice>,
    pub can_write: bool,
}

/// One piece of evidence as this reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Evidence {
    /// An iteration, a round's results, a decision or a meeting: a link to its page.
    Link { kind: EvidenceKind, label: String, href: String },
    /// Feedback whose words this reader may read; a name only where consent and the poster allow.
    Quote { kind: EvidenceKind, source: String, text: String, by: Option<String>, href: String },
    /// Feedback that is not for quoting to this reader.
    NotForQuoting { kind: EvidenceKind, source: String },
    /// Held, hidden, removed or deleted since it was linked.
    Unavailable { kind: EvidenceKind },
}

/// `/library/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteView {
    pub id: i64,
    pub title: String,
    pub kind: NoteKind,
    pub body_html: String,
    pub draft: bool,
    pub shareable: bool,
    pub prototype: Option<Choice>,
    pub themes: Vec<String>,
    pub by: String,
    pub when: String,
    pub evidence: Vec<Evidence>,
    /// The viewer may edit and publish it (design group and facilitators).
    pub can_edit: bool,
}

/// `/library/{id}/shared`: the note for anyone, with every personal detail removed. No
/// author, no names, no counts; quotes only where people agreed to be quoted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedNoteView {
    pub title: String,
    pub kind: NoteKind,
    pub body_html: String,
    /// The prototype's title, if it is published.
    pub prototype: Option<String>,
    pub themes: Vec<String>,
    /// Words people agreed could be quoted, without their names.
    pub quotes: Vec<String>,
    /// What else it draws on, as plain labels ("Iteration 2 of “Living Well Hub”").
    pub sources: Vec<String>,
}

/// A piece of evidence the editor offers as a checkbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceOption {
    /// The form value, `kind:id`.
    pub value: String,
    pub kind: EvidenceKind,
    pub label: String,
}

/// The editor: the note as saved (or empty), the prototypes to choose from, the evidence
/// already linked (ticked) and the chosen prototype's other evidence (not ticked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteForm {
    pub id: Option<i64>,
    pub draft: bool,
    pub title: String,
    pub body: String,
    pub kind: Option<NoteKind>,
    pub themes: String,
    pub shareable: bool,
    pub prototype: Option<i64>,
    pub prototypes: Vec<Choice>,
    pub linked: Vec<EvidenceOption>,
    pub offered: Vec<EvidenceOption>,
    /// Linked evidence that is no longer available: it goes when the note is saved.
    pub gone: usize,
    pub theme_suggestions: Vec<String>,
}

/// A piece of coded feedback on a theme page (design group and up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedFeedback {
    pub source: String,
    pub text: String,
    pub by: Option<String>,
    pub href: String,
}

/// `/themes/{name}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeView {
    pub name: String,
    pub prototypes: Vec<Card>,
    pub notes: Vec<NoteCard>,
    pub drafts: Vec<NoteCard>,
    /// `None` for readers who may not see coded feedback.
    pub feedback: Option<Vec<CodedFeedback>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_with_plain_labels() {
        for k in NoteKind::ALL {
            assert_eq!(NoteKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(NoteKind::DidNotWork.label(), "What did not work");
        assert!(parse_kind("best").unwrap_err().for_field("kind").is_some());
        assert_eq!(parse_kind(" surprise ").unwrap(), NoteKind::Surprise);
    }
}
