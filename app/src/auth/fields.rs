//! Account form fields, parsed once into types that cannot hold bad values.

use crate::error::AppError;

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

/// A password that meets the policy: 12 to 128 characters (counted as characters, not
/// bytes, so people can use any script). No composition rules: length is what helps (NIST 800-63B).
pub struct Password(String);

impl Password {
    pub fn parse(field: &str, raw: String) -> Result<Password, AppError> {
        let n = raw.chars().count();
        if n < PASSWORD_MIN {
            return Err(AppError::invalid(
                field,
                format!(
                    "Your password needs at least {PASSWORD_MIN} characters. A short phrase of a few words works well."
                ),
            ));
        }
        if n > PASSWORD_MAX {
            return Err(AppError::invalid(field, format!("Your password can be at most {PASSWORD_MAX} characters.")));
        }
        Ok(Password(raw))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A lower-cased email address with one `@` and a dot in its domain; the link we send is the real check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, AppError> {
        let s = raw.trim().to_lowercase();
        let bad = || AppError::invalid("email", "Please enter an email address like name@example.org.");
        if s.len() > 254 || s.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err(bad());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name shown beside a person's contributions: 1 to 80 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, AppError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(AppError::invalid(
                "display_name",
                "Please enter the name you would like others to see. It can be a first name or a nickname.",
            ));
        }
        if s.chars().count() > 80 || s.chars().any(char::is_control) {
            return Err(AppError::invalid(
                "display_name",
                "Please use a name of up to 80 letters, without line breaks.",
            ));
        }
        Ok(DisplayName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_length_bounds() {
        assert!(Password::parse("p", "a".repeat(11)).is_err());
        assert!(Password::parse("p", "a".repeat(12)).is_ok());
        assert!(Password::parse("p", "a".repeat(128)).is_ok());
        assert!(Password::parse("p", "a".repeat(129)).is_err());
        // Characters, not bytes: twelve accented letters are enough.
        assert!(Password::parse("p", "é".repeat(12)).is_ok());
        let err = Password::parse("new_password", "short".into()).err().unwrap();
        assert!(err.for_field("new_password").unwrap().contains("12 characters"));
    }

    #[test]
    fn emails() {
        assert_eq!(Email::parse("  Sam@Example.ORG ").unwrap().as_str(), "sam@example.org");
        for bad in ["", "sam", "sam@", "@x.org", "sam@localhost", "a b@x.org", "a@b@c.org", "a@x.org."] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_names() {
        assert_eq!(DisplayName::parse("  Jo ").unwrap().as_str(), "Jo");
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(81)).is_err());
        assert!(DisplayName::parse("a\nb").is_err());
    }
}

/// Property tests (issue 9, finding 13): the account form's fields never panic and what
/// they accept meets the policy.
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;
    use crate::props::{config, value};

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn account_fields_never_panic_and_meet_the_policy(raw in prop_oneof![value(), "[a-zA-Z0-9@. ]{0,20}@[a-z.]{0,10}", ".{0,130}"]) {
            if let Ok(p) = Password::parse("password", raw.clone()) {
                prop_assert!((PASSWORD_MIN..=PASSWORD_MAX).contains(&p.expose().chars().count()));
                prop_assert_eq!(p.expose(), raw.as_str());
            }
            if let Ok(e) = Email::parse(&raw) {
                let s = e.as_str();
                prop_assert!(s.len() <= 254 && s.matches('@').count() == 1 && !s.chars().any(char::is_whitespace));
                prop_assert_eq!(s.to_lowercase(), s);
                prop_assert_eq!(Email::parse(s).ok(), Some(e.clone()));
            }
            if let Ok(n) = DisplayName::parse(&raw) {
                let s = n.as_str();
                prop_assert!((1..=80).contains(&s.chars().count()) && s.trim() == s && !s.chars().any(char::is_control));
            }
        }
    }
}
