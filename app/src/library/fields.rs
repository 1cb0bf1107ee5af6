//! The note form's fields, parsed into values that cannot be wrong, and what a refused
//! form keeps for the page to show again. Pure; tests below.

use super::{EvidenceRef, NoteKind};
use crate::{error::AppError, prototypes::fields::Themes};

pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;
/// Evidence links on one note: enough for any real note, and a bound on the checks a save runs.
pub const EVIDENCE_MAX: usize = 50;

/// A title: one line, 1 to 200 characters.
pub fn parse_title(raw: &str) -> Result<String, AppError> {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(AppError::invalid("title", "Please give the note a title."));
    }
    if t.chars().count() > TITLE_MAX {
        return Err(AppError::invalid("title", format!("The title can be at most {TITLE_MAX} characters.")));
    }
    Ok(t)
}

/// The note (Markdown): not empty, at most 20,000 characters, Unix line endings.
pub fn parse_body(raw: &str) -> Result<String, AppError> {
    let t = raw.replace("\r\n", "\n").replace('\r', "\n").trim().to_string();
    if t.is_empty() {
        return Err(AppError::invalid("body", "Please write what was learned."));
    }
    if t.chars().count() > BODY_MAX {
        return Err(AppError::invalid("body", format!("The note can be at most {BODY_MAX} characters.")));
    }
    Ok(t)
}

pub fn parse_kind(raw: &str) -> Result<NoteKind, AppError> {
    NoteKind::parse(raw.trim()).ok_or_else(|| AppError::invalid("kind", "Please choose what kind of lesson this is."))
}

/// Evidence as the form sends it (`kind:id` per ticked box): each once, in a stable order.
pub fn parse_evidence(values: &[String]) -> Result<Vec<EvidenceRef>, AppError> {
    let mut out = Vec::new();
    for v in values {
        let r = EvidenceRef::parse(v).ok_or_else(|| {
            AppError::invalid(
                "evidence",
                "Some of the evidence could not be read. Please reload the page and choose again.",
            )
        })?;
        if !out.contains(&r) {
            if out.len() == EVIDENCE_MAX {
                return Err(AppError::invalid(
                    "evidence",
                    format!("A note can link at most {EVIDENCE_MAX} pieces of evidence."),
                ));
            }
            out.push(r);
        }
    }
    out.sort();
    Ok(out)
}

/// An optional id from a select ("" is none).
pub fn parse_optional_id(raw: Option<&str>, field: &str) -> Result<Option<i64>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| AppError::invalid(field, "Please choose from the list.")),
    }
}

/// The body is kept for a refused form only up to this size: it travels back in the URL.
pub const KEPT_BODY_MAX: usize = 8 * 1024;

/// A note's form, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteFields {
    pub title: String,
    pub body: String,
    pub kind: NoteKind,
    pub themes: Vec<String>,
    pub prototype: Option<i64>,
    pub shareable: bool,
    pub evidence: Vec<EvidenceRef>,
}

/// The form as typed, to keep on a refusal (never a secret; the body only when small).
pub struct Typed<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub kind: &'a str,
    pub themes: &'a str,
    pub prototype: Option<&'a str>,
    pub shareable: Option<&'a str>,
    pub evidence: &'a [String],
}

impl Typed<'_> {
    /// Attaches what was typed to a refusal, so a form posted without JavaScript shows it again.
    pub fn keep(&self, e: AppError) -> AppError {
        let body = if self.body.len() <= KEPT_BODY_MAX { self.body } else { "" };
        let shareable = if self.shareable == Some("on") { "on" } else { "" };
        let evidence = self.evidence.join(",");
        e.keeping(&[
            ("title", self.title),
            ("body", body),
            ("kind", self.kind),
            ("themes", self.themes),
            ("prototype", self.prototype.unwrap_or("")),
            ("shareable", shareable),
            ("evidence", evidence.as_str()),
        ])
    }

    pub fn parse(&self) -> Result<NoteFields, AppError> {
        let parsed = || -> Result<NoteFields, AppError> {
            Ok(NoteFields {
                title: parse_title(self.title)?,
                kind: parse_kind(self.kind)?,
                body: parse_body(self.body)?,
                themes: Themes::parse(self.themes)?.as_slice().to_vec(),
                prototype: parse_optional_id(self.prototype, "prototype")?,
                shareable: self.shareable == Some("on"),
                evidence: parse_evidence(self.evidence)?,
            })
        };
        parsed().map_err(|e| self.keep(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::EvidenceKind;

    #[test]
    fn titles_and_bodies_are_tidied_and_bounded() {
        assert_eq!(parse_title("  An   evening line ").unwrap(), "An evening line");
        assert!(parse_title("  ").unwrap_err().for_field("title").is_some());
        assert!(parse_title(&"t".repeat(TITLE_MAX)).is_ok());
        assert!(parse_title(&"t".repeat(TITLE_MAX + 1)).is_err());
        assert_eq!(parse_body(" a\r\nb\rc ").unwrap(), "a\nb\nc");
        assert!(parse_body(" \n ").unwrap_err().for_field("body").is_some());
        assert!(parse_body(&"é".repeat(BODY_MAX)).is_ok(), "counted in characters");
        assert!(parse_body(&"x".repeat(BODY_MAX + 1)).is_err());
    }

    #[test]
    fn evidence_is_read_once_each_and_bounded() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let got = parse_evidence(&v(&["round:3", "iteration:12", "round:3", " answer:7 "])).unwrap();
        assert_eq!(
            got,
            vec![
                EvidenceRef { kind: EvidenceKind::Iteration, id: 12 },
                EvidenceRef { kind: EvidenceKind::Round, id: 3 },
                EvidenceRef { kind: EvidenceKind::Answer, id: 7 },
            ]
        );
        for bad in ["round", "round:x", "vote:1", "round:-1", "round:0", ""] {
            assert!(parse_evidence(&v(&[bad])).is_err(), "{bad}");
        }
        let many: Vec<String> = (1..=EVIDENCE_MAX as i64 + 1).map(|i| format!("meeting:{i}")).collect();
        assert!(parse_evidence(&many).unwrap_err().for_field("evidence").is_some());
        assert_eq!(parse_evidence(&many[..EVIDENCE_MAX]).unwrap().len(), EVIDENCE_MAX);
        assert_eq!(EvidenceRef::parse("decision:4").unwrap().value(), "decision:4");
    }

    #[test]
    fn a_refused_form_keeps_what_was_typed() {
        let evidence = vec!["round:3".to_string(), "answer:7".to_string()];
        let typed = Typed {
            title: "Evening line",
            body: "",
            kind: "worked",
            themes: "out of hours",
            prototype: Some("5"),
            shareable: Some("on"),
            evidence: &evidence,
        };
        let e = typed.parse().unwrap_err();
        assert!(e.for_field("body").is_some());
        assert_eq!(e.kept("title").as_deref(), Some("Evening line"));
        assert_eq!(e.kept("shareable").as_deref(), Some("on"));
        assert_eq!(e.kept("evidence").as_deref(), Some("round:3,answer:7"));
        let big = "x".repeat(KEPT_BODY_MAX + 1);
        let typed = Typed { body: &big, kind: "nonsense", ..typed };
        let e = typed.parse().unwrap_err();
        assert!(e.for_field("kind").is_some());
        assert_eq!(e.kept("body").as_deref(), Some(""), "a long body does not travel in the URL");
        let ok = Typed { body: "We learned to listen.", kind: "method", ..typed }.parse().unwrap();
        assert_eq!(ok.themes, vec!["out of hours".to_string()]);
        assert_eq!((ok.prototype, ok.shareable, ok.evidence.len()), (Some(5), true, 2));
    }

    #[test]
    fn optional_ids() {
        assert_eq!(parse_optional_id(None, "prototype").unwrap(), None);
        assert_eq!(parse_optional_id(Some(" "), "prototype").unwrap(), None);
        assert_eq!(parse_optional_id(Some("5"), "prototype").unwrap(), Some(5));
        assert!(parse_optional_id(Some("five"), "prototype").unwrap_err().for_field("prototype").is_some());
    }
}
