//! The experience model: statements of how people want services to feel
//! ("I can get help when I need it: easy in, easy out"). Prototypes map to them.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub id: i64,
    pub text: String,
    pub short_name: Option<String>,
    pub position: i64,
    pub retired: bool,
}

impl Statement {
    /// The short name where there is one: it reads better on cards and filters.
    pub fn label(&self) -> String {
        self.short_name.clone().unwrap_or_else(|| self.text.clone())
    }
}

pub const TEXT_MAX: usize = 300;
pub const SHORT_MAX: usize = 60;

/// Parses a statement's text and optional short name.
pub fn parse(text: &str, short_name: &str) -> Result<(String, Option<String>), crate::error::AppError> {
    use crate::error::AppError;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(AppError::invalid(
            "text",
            "Please write the statement, for example \"I can get help when I need it\".",
        ));
    }
    if text.chars().count() > TEXT_MAX {
        return Err(AppError::invalid("text", format!("A statement can be at most {TEXT_MAX} characters.")));
    }
    let short = short_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if short.chars().count() > SHORT_MAX {
        return Err(AppError::invalid("short_name", format!("The short name can be at most {SHORT_MAX} characters.")));
    }
    Ok((text, (!short.is_empty()).then_some(short)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn statements_parse() {
        assert_eq!(super::parse(" I can  get help ", "").unwrap(), ("I can get help".into(), None));
        assert_eq!(super::parse("x", " easy in ").unwrap().1.as_deref(), Some("easy in"));
        assert!(super::parse(" ", "").is_err());
        assert!(super::parse(&"x".repeat(301), "").is_err());
        assert!(super::parse("x", &"y".repeat(61)).is_err());
    }
}

/// Property tests (issue 9, finding 13): the statement form never panics and keeps its limits.
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use crate::props::{config, value};

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn statement_form_never_panics_and_keeps_limits(text in value(), short in value()) {
            if let Ok((t, s)) = super::parse(&text, &short) {
                prop_assert!((1..=super::TEXT_MAX).contains(&t.chars().count()) && t.trim() == t);
                prop_assert!(s.is_none_or(|s| (1..=super::SHORT_MAX).contains(&s.chars().count()) && s.trim() == s));
            }
        }
    }
}
