//! Prototype form fields, parsed into types that cannot hold bad values.

use crate::error::AppError;

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 300;
pub const BODY_MAX_BYTES: usize = 200 * 1024;
pub const NOTE_MAX: usize = 2_000;
pub const THEMES_MAX: usize = 10;
pub const THEME_MAX: usize = 40;
pub const REASON_MAX: usize = 500;

/// The template a new prototype starts from: the sections the design group fills in.
pub const TEMPLATE: &str = "## The problem\n\nWhat is not working, and for whom?\n\n\
## Who it is for\n\nWho would use this, and who would run it?\n\n\
## What we will try\n\nWhat changes, step by step?\n\n\
## How we will know it works\n\nWhat will we measure or hear?\n\n\
## What people with lived experience told us\n\nWhat did service users and carers say, and how did it shape this?\n";

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn one_line(field: &str, raw: &str, min: usize, max: usize, what: &str) -> Result<String, AppError> {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if chars(&s) < min {
        return Err(AppError::invalid(field, format!("Please give the {what}.")));
    }
    if chars(&s) > max {
        return Err(AppError::invalid(field, format!("The {what} can be at most {max} characters; it has {}.", chars(&s))));
    }
    Ok(s)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);
impl Title {
    pub fn parse(raw: &str) -> Result<Title, AppError> {
        one_line("title", raw, 1, TITLE_MAX, "title").map(Title)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary(String);
impl Summary {
    pub fn parse(raw: &str) -> Result<Summary, AppError> {
        one_line("summary", raw, 0, SUMMARY_MAX, "one-line summary").map(Summary)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Markdown body, at most 200 KB. Line endings are normalised so diffs show real changes only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(String);
impl Body {
    pub fn parse(raw: &str) -> Result<Body, AppError> {
        let s = raw.replace("\r\n", "\n");
        if s.len() > BODY_MAX_BYTES {
            return Err(AppError::invalid("body", format!("The text is {} KB; the most a prototype can hold is 200 KB. Please shorten it or link to longer documents.", s.len() / 1024)));
        }
        Ok(Body(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// "What changed and why": required, so every iteration explains itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeNote(String);
impl ChangeNote {
    pub fn parse(raw: &str) -> Result<ChangeNote, AppError> {
        let s = raw.trim().replace("\r\n", "\n");
        if s.is_empty() {
            return Err(AppError::invalid("change_note", "Please say what changed and why. People reading the timeline rely on it."));
        }
        if chars(&s) > NOTE_MAX {
            return Err(AppError::invalid("change_note", format!("The change note can be at most {NOTE_MAX} characters.")));
        }
        Ok(ChangeNote(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The reason given for a stage move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);
impl Reason {
    pub fn parse(raw: &str) -> Result<Reason, AppError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(AppError::invalid("reason", "Please give a short reason for the move, so others can follow the decision."));
        }
        if chars(s) > REASON_MAX {
            return Err(AppError::invalid("reason", format!("The reason can be at most {REASON_MAX} characters.")));
        }
        Ok(Reason(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free tags, typed comma-separated: trimmed, spaces folded, duplicates (ignoring case) dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Themes(Vec<String>);
impl Themes {
    pub fn parse(raw: &str) -> Result<Themes, AppError> {
        let mut out: Vec<String> = Vec::new();
        for t in raw.split(',') {
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if t.is_empty() || out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
                continue;
            }
            if chars(&t) > THEME_MAX {
                return Err(AppError::invalid("themes", format!("Each theme can be at most {THEME_MAX} characters (\"{t}\" is longer).")));
            }
            out.push(t);
        }
        if out.len() > THEMES_MAX {
            return Err(AppError::invalid("themes", format!("Please use at most {THEMES_MAX} themes.")));
        }
        Ok(Themes(out))
    }
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(Title::parse("  Living   Well Hub ").unwrap().as_str(), "Living Well Hub");
        assert!(Title::parse("   ").is_err());
        assert!(Title::parse(&"t".repeat(200)).is_ok());
        let e = Title::parse(&"t".repeat(201)).unwrap_err();
        assert!(e.for_field("title").unwrap().contains("at most 200"));
    }

    #[test]
    fn bodies_up_to_200_kb_with_normalised_line_endings() {
        assert_eq!(Body::parse("a\r\nb").unwrap().as_str(), "a\nb");
        assert!(Body::parse(&"x".repeat(BODY_MAX_BYTES)).is_ok());
        assert!(Body::parse(&"x".repeat(BODY_MAX_BYTES + 1)).unwrap_err().for_field("body").is_some());
    }

    #[test]
    fn change_notes_are_required() {
        assert!(ChangeNote::parse("  ").is_err());
        assert_eq!(ChangeNote::parse(" Added an evening line ").unwrap().as_str(), "Added an evening line");
    }

    #[test]
    fn themes_are_tidied_and_bounded() {
        let t = Themes::parse(" Living  Well Hub, out of hours,living well hub,, ").unwrap();
        assert_eq!(t.as_slice(), ["Living Well Hub", "out of hours"]);
        assert!(Themes::parse(&"x".repeat(41)).is_err());
        assert!(Themes::parse(&(0..11).map(|i| format!("t{i}")).collect::<Vec<_>>().join(",")).is_err());
        assert!(Themes::parse("").unwrap().as_slice().is_empty());
    }
}
