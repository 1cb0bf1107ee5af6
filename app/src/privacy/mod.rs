//! A person's own data (UK GDPR articles 15, 17 and 20) and how long the collaborative keeps
//! things: `/account/data` (export as a ZIP, delete the account), a facilitator acting on a
//! request made by phone or letter (`/members/{id}/data`), and the retention settings with
//! the daily job that enforces them.
//!
//! Every request is a `data_requests` row: the audit of what was done and the jobs' queue.
//! An erased account stays as a row with nothing of the person in it ("a former member"), so
//! no id is reused and decisions, attendance and vote counts stay whole.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod archive;
#[cfg(feature = "ssr")]
pub mod erase;
#[cfg(feature = "ssr")]
pub mod gather;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// Days between asking to delete an account and its deletion; signing in cancels it.
pub const GRACE_DAYS: i64 = 14;
/// Days a finished export can be downloaded before it is deleted.
pub const EXPORT_DAYS: i64 = 7;
/// Above this many items an export is made by the background job rather than at once.
pub const INLINE_EXPORT_ITEMS: i64 = 2_000;
/// What erased accounts are called wherever their name was shown.
pub const FORMER_MEMBER: &str = "A former member";

/// How a request reached the collaborative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    /// The person, signed in.
    Own,
    Phone,
    Letter,
    Email,
    InPerson,
}

impl Channel {
    /// The ways a facilitator can record (the person's own is never chosen by someone else).
    pub const ON_BEHALF: [Channel; 4] = [Channel::Phone, Channel::Letter, Channel::Email, Channel::InPerson];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Own => "self",
            Channel::Phone => "phone",
            Channel::Letter => "letter",
            Channel::Email => "email",
            Channel::InPerson => "in_person",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        [Channel::Own, Channel::Phone, Channel::Letter, Channel::Email, Channel::InPerson]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Own => "by the person, signed in",
            Channel::Phone => "by phone",
            Channel::Letter => "by letter",
            Channel::Email => "by email",
            Channel::InPerson => "in person",
        }
    }
}

/// One row of a person's request history, as the data pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestItem {
    pub id: i64,
    /// "Export" or "Account deletion".
    pub what: String,
    /// Who asked, and how ("You, signed in"; "A facilitator, by phone").
    pub how: String,
    pub requested: String,
    /// Plain words: "Ready to download until …", "Being prepared", "Deleted on …".
    pub status: String,
    /// The download link, while the file exists and this viewer may have it.
    pub download: Option<String>,
}

/// `/account/data` for the signed-in person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataPage {
    pub requests: Vec<RequestItem>,
    /// When a pending deletion will happen.
    pub erasure_due: Option<String>,
    /// Whether the person's words include some they agreed could be quoted.
    pub has_quotable: bool,
    /// The collaborative's retention for held items, in days (for the page's explanation).
    pub held_days: Option<i64>,
    /// Refused: the only active facilitator (someone else must be made one first).
    pub last_facilitator: bool,
}

/// `/members/{id}/data`: a facilitator acting for a person who asked by phone or letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnBehalfPage {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub requests: Vec<RequestItem>,
    pub erasure_due: Option<String>,
    /// Facilitators' data is handled by another facilitator's request only through the
    /// person themselves (as with reset links): shown as a refusal.
    pub is_facilitator: bool,
    pub erased: bool,
}

/// The retention settings form, and what the last runs removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionPage {
    pub held_days: Option<i64>,
    pub response_days: Option<i64>,
    pub throttle_days: i64,
    pub refused_form_hours: i64,
    pub audit_days: Option<i64>,
    pub mail_days: Option<i64>,
    /// The latest runs: when, and what each removed ("3 held items, 40 audit entries").
    pub runs: Vec<(String, String)>,
}

/// The longest any retention setting may be: about 30 years, in days.
pub const MAX_DAYS: i64 = 11_000;

/// A retention field: empty keeps forever (where allowed), else a whole number from 1 to
/// MAX_DAYS. `what` names the field in the message.
pub fn parse_period(text: &str, optional: bool, what: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return if optional { Ok(None) } else { Err(format!("Please enter how long to keep {what}.")) };
    }
    match t.parse::<i64>() {
        Ok(n) if (1..=MAX_DAYS).contains(&n) => Ok(Some(n)),
        _ => Err(format!("Please enter a whole number from 1 to {MAX_DAYS} for {what}.")),
    }
}

/// Replaces `name` where it stands as a whole word or phrase in `text` (so "Sam" is not
/// taken out of "Samaritans"), case-insensitively. Used for minutes and decisions, which
/// a facilitator wrote with people's names in.
pub fn replace_name(text: &str, name: &str, with: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return text.to_string();
    }
    let lower_text = text.to_lowercase();
    let lower_name = name.to_lowercase();
    // Lower-casing can change a character's byte length outside ASCII; then positions in the
    // lower-cased text are not positions in the text, and only exact matches are safe.
    let same_lengths = |s: &str| s.chars().all(|c| c.to_lowercase().map(char::len_utf8).sum::<usize>() == c.len_utf8());
    let (hay, needle) = if same_lengths(text) && same_lengths(name) {
        (lower_text.as_str(), lower_name.as_str())
    } else {
        (text, name)
    };
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(found) = hay[from..].find(needle) {
        let start = from + found;
        let end = start + needle.len();
        if !is_word(text[..start].chars().next_back()) && !is_word(text[end..].chars().next()) {
            out.push_str(&text[last..start]);
            out.push_str(with);
            last = end;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_replaced_only_as_whole_words() {
        assert_eq!(
            replace_name("Sam proposed it; Samaritans agreed. sam seconded.", "Sam", "a former member"),
            "a former member proposed it; Samaritans agreed. a former member seconded."
        );
        assert_eq!(replace_name("Alex Morgan: present", "Alex Morgan", "X"), "X: present");
        assert_eq!(replace_name("nothing here", "", "X"), "nothing here");
        assert_eq!(replace_name("Zoë said", "Zoë", "X"), "X said");
        assert_eq!(replace_name("ÀB ÀB", "àb", "X"), "X X");
        assert_eq!(replace_name("İstanbul İ", "i", "X"), "İstanbul İ", "where case changes length, exact only");
    }

    #[test]
    fn periods_are_whole_days_in_range() {
        assert_eq!(parse_period("", true, "x"), Ok(None));
        assert!(parse_period("", false, "x").is_err());
        assert_eq!(parse_period(" 30 ", false, "x"), Ok(Some(30)));
        assert!(parse_period("0", true, "x").is_err());
        assert!(parse_period("1.5", true, "x").is_err());
        assert!(parse_period("99999999", true, "x").is_err());
    }

    #[test]
    fn channels_round_trip() {
        for c in [Channel::Own, Channel::Phone, Channel::Letter, Channel::Email, Channel::InPerson] {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
    }
}
