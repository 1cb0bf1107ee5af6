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

/// Every line ending (CR LF, or CR alone) as LF.
fn unix_lines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn one_line(field: &str, raw: &str, min: usize, max: usize, what: &str) -> Result<String, AppError> {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if chars(&s) < min {
        return Err(AppError::invalid(field, format!("Please give the {what}.")));
    }
    if chars(&s) > max {
        return Err(AppError::invalid(
            field,
            format!("The {what} can be at most {max} characters; it has {}.", chars(&s)),
        ));
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
/// CR LF and a lone CR (which Markdown also reads as a line ending) both become LF; replacing
/// CR LF alone left "\r\r\n" as "\r\n", so saving the same text again changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(String);
impl Body {
    pub fn parse(raw: &str) -> Result<Body, AppError> {
        let s = unix_lines(raw);
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
        let s = unix_lines(raw.trim());
        if s.is_empty() {
            return Err(AppError::invalid(
                "change_note",
                "Please say what changed and why. People reading the timeline rely on it.",
            ));
        }
        if chars(&s) > NOTE_MAX {
            return Err(AppError::invalid(
                "change_note",
                format!("The change note can be at most {NOTE_MAX} characters."),
            ));
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
            return Err(AppError::invalid(
                "reason",
                "Please give a short reason for the move, so others can follow the decision.",
            ));
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
            // Refused at the eleventh, not after the whole field: each theme is compared with
            // those before it, so 100,000 short themes took quadratic time.
            if out.len() == THEMES_MAX {
                return Err(AppError::invalid("themes", format!("Please use at most {THEMES_MAX} themes.")));
            }
            if chars(&t) > THEME_MAX {
                return Err(AppError::invalid(
                    "themes",
                    format!("Each theme can be at most {THEME_MAX} characters (\"{t}\" is longer)."),
                ));
            }
            out.push(t);
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

/// Property tests (issue 9, finding 13): the prototype form's field parsers never panic,
/// what they accept is within their limits, and parsing what they accepted changes nothing.
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;
    use crate::props::{config, value};

    /// One line: no whitespace but single spaces between words.
    fn one_line_ok(s: &str) -> bool {
        s.trim() == s && !s.contains("  ") && s.chars().all(|c| c == ' ' || !c.is_whitespace())
    }

    /// Anything, or words, commas and line breaks of every kind.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![3 => value(), 1 => "[a-zA-Z ,\t\r\n]{0,500}"]
    }

    /// As `text`, or a body near its 200 KB limit with CR LF line breaks.
    fn body() -> impl Strategy<Value = String> {
        prop_oneof![
            12 => text(),
            1 => (0usize..3, "[a-z\r\n ,]{0,8}").prop_map(|(n, tail)| format!("{}{tail}", "ab\r\n".repeat(BODY_MAX_BYTES / 3 - 1 + n))),
        ]
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn title_and_summary_are_one_line_within_limits(raw in text()) {
            if let Ok(t) = Title::parse(&raw) {
                prop_assert!((1..=TITLE_MAX).contains(&t.as_str().chars().count()) && one_line_ok(t.as_str()));
                prop_assert_eq!(Title::parse(t.as_str()).ok(), Some(t.clone()));
            }
            if let Ok(s) = Summary::parse(&raw) {
                prop_assert!(s.as_str().chars().count() <= SUMMARY_MAX && one_line_ok(s.as_str()));
                prop_assert_eq!(Summary::parse(s.as_str()).ok(), Some(s.clone()));
            }
        }

        /// The body: at most 200 KB, Unix line endings only, so saving the same text
        /// twice stores the same text (no line-ending "changes" in diffs).
        #[test]
        fn body_is_within_limit_and_normalised(raw in body()) {
            if let Ok(b) = Body::parse(&raw) {
                prop_assert!(b.as_str().len() <= BODY_MAX_BYTES);
                prop_assert!(!b.as_str().contains('\r'), "a carriage return survived: {:?}", b.as_str());
                prop_assert_eq!(Body::parse(b.as_str()).ok(), Some(b.clone()));
            }
        }

        #[test]
        fn change_note_and_reason_are_within_limits(raw in text()) {
            if let Ok(n) = ChangeNote::parse(&raw) {
                prop_assert!(!n.as_str().trim().is_empty() && n.as_str().chars().count() <= NOTE_MAX);
                prop_assert!(!n.as_str().contains('\r'), "a carriage return survived: {:?}", n.as_str());
                prop_assert_eq!(ChangeNote::parse(n.as_str()).ok(), Some(n.clone()));
            }
            if let Ok(r) = Reason::parse(&raw) {
                prop_assert!(!r.as_str().is_empty() && r.as_str().trim() == r.as_str() && r.as_str().chars().count() <= REASON_MAX);
            }
        }

        /// Themes: at most ten, each one line of 1 to 40 characters without commas, no two
        /// the same ignoring case; parsing them again gives the same list.
        #[test]
        fn themes_are_few_short_and_distinct(raw in prop_oneof![text(), "([a-zA-Z ]{0,12},){0,14}"]) {
            if let Ok(t) = Themes::parse(&raw) {
                let list = t.as_slice();
                prop_assert!(list.len() <= THEMES_MAX);
                for (i, a) in list.iter().enumerate() {
                    prop_assert!((1..=THEME_MAX).contains(&a.chars().count()) && one_line_ok(a) && !a.contains(','));
                    prop_assert!(list[..i].iter().all(|b| !b.eq_ignore_ascii_case(a)));
                }
                prop_assert_eq!(Themes::parse(&list.join(",")).ok(), Some(t.clone()));
            }
        }
    }

    /// Found while timing `themes_are_few_short_and_distinct`: the duplicate check ran over
    /// every theme before the count was checked, so one 600 KB field of distinct short themes
    /// took seconds of CPU (quadratic). Now the eleventh distinct theme is refused at once.
    #[test]
    fn many_themes_are_refused_at_once() {
        let raw = (0..100_000).map(|i| format!("t{i}")).collect::<Vec<_>>().join(",");
        let started = std::time::Instant::now();
        assert!(Themes::parse(&raw).is_err());
        assert!(started.elapsed() < std::time::Duration::from_millis(500), "took {:?}", started.elapsed());
        let ten = (0..10).map(|i| format!("t{i}")).collect::<Vec<_>>().join(",");
        assert_eq!(
            Themes::parse(&format!("{ten},T1, t2 ,,")).unwrap().as_slice().len(),
            10,
            "duplicates and blanks do not count"
        );
    }

    /// Found by `body_is_within_limit_and_normalised`: "\r\r\n" became "\r\n", so the
    /// stored body still had a Windows line ending and saving it again changed it.
    #[test]
    fn lone_carriage_returns_become_newlines() {
        assert_eq!(Body::parse("a\r\r\nb").unwrap().as_str(), "a\n\nb");
        assert_eq!(Body::parse("a\rb\r\n").unwrap().as_str(), "a\nb\n");
        assert_eq!(ChangeNote::parse("why\r\r\nbecause").unwrap().as_str(), "why\n\nbecause");
    }
}
