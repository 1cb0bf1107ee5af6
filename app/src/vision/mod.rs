//! The collaborative's vision (`/vision`): what every piece of work is tied to. Facilitators
//! write it in Markdown; each edit is kept as a version with who, when and what changed, and
//! `/vision/history` compares any version with the one before it, as iterations are compared.

pub mod api;
pub mod pages;
pub mod value_pages;
pub mod values;

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

pub use values::Value;

use crate::{error::AppError, prototypes::diff::DiffLine};

/// The longest vision, in characters (a page or two of plain words).
pub const BODY_MAX: usize = 20_000;
/// The longest "what changed and why".
pub const NOTE_MAX: usize = 500;
/// Versions on one page of the history.
pub const PAGE_SIZE: i64 = 20;

/// `/vision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisionView {
    /// The vision, rendered and sanitised; `None` before anyone has written one.
    pub html: Option<String>,
    /// "Version 3, 12 Nov 2026, 10:00 GMT".
    pub edited: Option<String>,
    /// For the editor (facilitators only): the Markdown and the version it is based on.
    pub editor: Option<(String, i64)>,
    /// The values, in order; retired ones only for facilitators (who may bring them back).
    pub values: Vec<Value>,
}

/// `/values/{id}`: a value and, for people signed in, the prototypes serving it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueView {
    pub value: Value,
    pub cards: Option<Vec<crate::prototypes::Card>>,
}

/// One line of `/vision/history`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionItem {
    pub number: i64,
    pub edited: String,
    /// Who edited it: a name for signed-in readers, "a facilitator" for visitors.
    pub by: String,
    pub note: String,
}

/// `/vision/history`: versions, newest first, and (when one is chosen) what it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryView {
    pub versions: Vec<VersionItem>,
    pub page: i64,
    pub has_more: bool,
    /// The chosen version's number and its lines against the version before it.
    pub compared: Option<(i64, Vec<DiffLine>)>,
}

/// A vision as typed: trimmed, not empty, not too long.
pub fn parse_body(text: &str) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::invalid("body", "Please write the vision. It cannot be empty."));
    }
    if t.chars().count() > BODY_MAX {
        return Err(AppError::invalid("body", format!("The vision can be at most {BODY_MAX} characters.")));
    }
    Ok(t.to_string())
}

/// "What changed and why": optional, short.
pub fn parse_note(text: &str) -> Result<String, AppError> {
    let t = text.trim();
    if t.chars().count() > NOTE_MAX {
        return Err(AppError::invalid("note", format!("Please keep “what changed and why” to {NOTE_MAX} characters.")));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vision_is_trimmed_and_bounded() {
        assert_eq!(parse_body("  We listen.  ").unwrap(), "We listen.");
        assert!(parse_body("   ").unwrap_err().for_field("body").is_some());
        assert!(parse_body(&"x".repeat(BODY_MAX + 1)).is_err());
        assert!(parse_body(&"é".repeat(BODY_MAX)).is_ok(), "counted in characters, not bytes");
        assert_eq!(parse_note("").unwrap(), "");
        assert!(parse_note(&"x".repeat(NOTE_MAX + 1)).unwrap_err().for_field("note").is_some());
    }
}
