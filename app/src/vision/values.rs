//! The collaborative's values: a short name and what it means, ordered and retireable like
//! stages and statements. Prototypes say which values they serve.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Value {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub position: i64,
    pub retired: bool,
}

pub const NAME_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 500;

/// A value's name (spaces collapsed, 1..=60 characters) and description (trimmed, optional).
pub fn parse(name: &str, description: &str) -> Result<(String, String), AppError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::invalid("name", "Please give the value a short name, for example “Listen first”."));
    }
    if name.chars().count() > NAME_MAX {
        return Err(AppError::invalid("name", format!("A value's name can be at most {NAME_MAX} characters.")));
    }
    let description = description.trim();
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(AppError::invalid(
            "description",
            format!("The description can be at most {DESCRIPTION_MAX} characters."),
        ));
    }
    Ok((name, description.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse() {
        assert_eq!(
            parse("  Listen   first ", " We ask before we act. ").unwrap(),
            ("Listen first".into(), "We ask before we act.".into())
        );
        assert_eq!(parse("Equal voices", "").unwrap().1, "");
        assert!(parse("  ", "x").unwrap_err().for_field("name").is_some());
        assert!(parse(&"n".repeat(NAME_MAX + 1), "").is_err());
        assert!(parse(&"é".repeat(NAME_MAX), "").is_ok(), "counted in characters");
        assert!(parse("x", &"d".repeat(DESCRIPTION_MAX + 1)).unwrap_err().for_field("description").is_some());
    }
}
