//! Notifications: telling a person that something they care about happened, in the app
//! (`/notifications`, a count in the header) and by email as they choose per kind: at once,
//! in a daily digest, or not at all, with one switch to pause every email.
//!
//! `notify::notify` is the one writer, called by each domain inside the transaction of the
//! event (like the audit writer). A row holds the kind and ids only, never anyone's words;
//! the sentence people read is made from them here (`sentence`), for the page and the email.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod mailer;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod unsubscribe;

use serde::{Deserialize, Serialize};

use crate::auth::Role;

/// Notifications on one page of `/notifications`.
pub const PAGE_SIZE: i64 = 20;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// A consultation round opened for an audience the person is in.
    RoundOpened,
    /// A vote opened in a meeting the person may vote in.
    MotionOpened,
    /// The design group said what became of the person's feedback ("you said, we did").
    Outcome,
    /// Someone replied to the person's comment.
    Reply,
    /// Someone commented on a prototype the person co-authors.
    CommentOnYours,
    /// A meeting was scheduled, or its minutes approved.
    Meeting,
    /// For facilitators: a contribution is held for moderation.
    Held,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::RoundOpened,
        Kind::MotionOpened,
        Kind::Outcome,
        Kind::Reply,
        Kind::CommentOnYours,
        Kind::Meeting,
        Kind::Held,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::RoundOpened => "round_opened",
            Kind::MotionOpened => "motion_opened",
            Kind::Outcome => "outcome",
            Kind::Reply => "reply",
            Kind::CommentOnYours => "comment_on_yours",
            Kind::Meeting => "meeting",
            Kind::Held => "held",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind as a preference is labelled.
    pub fn label(self) -> &'static str {
        match self {
            Kind::RoundOpened => "A consultation opens that you can answer",
            Kind::MotionOpened => "A vote opens that you can take part in",
            Kind::Outcome => "The design group acts on your feedback (\u{201c}you said, we did\u{201d})",
            Kind::Reply => "Someone replies to your comment",
            Kind::CommentOnYours => "Someone comments on a prototype you co-author",
            Kind::Meeting => "A meeting is scheduled, or its minutes are approved",
            Kind::Held => "A contribution is held for moderation",
        }
    }

    /// Digests for most, so nobody is flooded; a held contribution at once (safety first).
    pub fn default_delivery(self) -> Delivery {
        match self {
            Kind::Held => Delivery::Immediate,
            _ => Delivery::Digest,
        }
    }

    /// A held contribution is always emailed at once to facilitators, paused or not: someone
    /// may be in crisis. Every other kind is the person's choice.
    pub fn configurable(self) -> bool {
        self != Kind::Held
    }
}

/// How a person wants one kind emailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    Immediate,
    Digest,
    Off,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::Immediate, Delivery::Digest, Delivery::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Immediate => "immediate",
            Delivery::Digest => "digest",
            Delivery::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Immediate => "Email me at once",
            Delivery::Digest => "In a daily digest",
            Delivery::Off => "No email (still listed here)",
        }
    }
}

/// What the email for one notification does, given the person's choice and pause switch.
pub fn email_plan(kind: Kind, chosen: Option<Delivery>, paused: bool) -> Delivery {
    if !kind.configurable() {
        return Delivery::Immediate;
    }
    if paused {
        return Delivery::Off;
    }
    chosen.unwrap_or(kind.default_delivery())
}

/// Whether a person with `role` may still see what a notification is about: roles change
/// after a notification is written, and a draft prototype's title is for the design group.
/// The list and the mailer leave out the rest.
pub fn still_visible(kind: Kind, role: Role, round_audience: Option<&str>, prototype_published: bool) -> bool {
    let member = role >= Role::Member;
    match kind {
        Kind::Meeting | Kind::MotionOpened => member,
        Kind::RoundOpened => round_audience != Some("members") || member,
        Kind::Held => role == Role::Facilitator,
        Kind::Reply | Kind::CommentOnYours | Kind::Outcome => prototype_published || role >= Role::DesignGroup,
    }
}

/// The sentence a person reads for one notification: the kind and the names of the
/// things it is about (titles), never anyone's words.
pub fn sentence(kind: Kind, prototype: Option<&str>, round: Option<&str>, meeting: Option<&str>) -> String {
    let q = |s: Option<&str>| format!("\u{2018}{}\u{2019}", s.unwrap_or("a prototype"));
    match kind {
        Kind::RoundOpened => format!("A consultation is open: {}", q(round)),
        Kind::MotionOpened => format!("A vote is open in the meeting {}", q(meeting)),
        Kind::Outcome => format!("The design group said what became of your feedback on {}", q(prototype)),
        Kind::Reply => format!("A reply to your comment on {}", q(prototype)),
        Kind::CommentOnYours => format!("A new comment on {}, which you co-author", q(prototype)),
        Kind::Meeting => format!("News of the meeting {}", q(meeting)),
        Kind::Held => "A contribution is waiting for moderation".to_string(),
    }
}

/// Where a notification leads (a path on this site), from its kind and ids.
pub fn link(
    kind: Kind,
    prototype: Option<i64>,
    round: Option<i64>,
    meeting: Option<i64>,
    comment: Option<i64>,
) -> String {
    let opt =
        |prefix: &str, id: Option<i64>, fallback: &str| id.map_or(fallback.to_string(), |id| format!("{prefix}{id}"));
    match kind {
        Kind::RoundOpened => opt("/consultations/", round, "/consultations"),
        Kind::MotionOpened | Kind::Meeting => opt("/meetings/", meeting, "/meetings"),
        Kind::Outcome => "/account".to_string(),
        Kind::Reply | Kind::CommentOnYours => {
            let page = opt("/prototypes/", prototype, "/prototypes");
            match comment {
                Some(c) => format!("{page}#comment-{c}"),
                None => page,
            }
        }
        Kind::Held => "/moderation".to_string(),
    }
}

/// One notification as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i64,
    pub text: String,
    pub link: String,
    pub when: String,
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationsPage {
    pub items: Vec<NotificationItem>,
    pub unread: i64,
    pub page: i64,
    pub has_more: bool,
}

/// One kind's row on the preferences form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindChoice {
    pub kind: Kind,
    pub delivery: Delivery,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    pub paused: bool,
    /// The kinds this person can receive, with their choice.
    pub kinds: Vec<KindChoice>,
    /// Whether email is being sent at all on this site.
    pub sending: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_are_distinct() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("nonsense"), None);
        for d in Delivery::ALL {
            assert_eq!(Delivery::parse(d.as_str()), Some(d));
        }
    }

    #[test]
    fn pause_and_off_stop_email_but_never_a_held_item() {
        assert_eq!(email_plan(Kind::Reply, None, false), Delivery::Digest, "digest by default");
        assert_eq!(email_plan(Kind::Reply, Some(Delivery::Immediate), false), Delivery::Immediate);
        assert_eq!(email_plan(Kind::Reply, Some(Delivery::Immediate), true), Delivery::Off, "paused");
        assert_eq!(email_plan(Kind::Held, Some(Delivery::Off), true), Delivery::Immediate, "safety first");
        assert_eq!(email_plan(Kind::Held, None, false), Delivery::Immediate);
    }

    #[test]
    fn what_a_role_no_longer_sees_is_left_out() {
        assert!(still_visible(Kind::Meeting, Role::Member, None, true));
        assert!(!still_visible(Kind::Meeting, Role::Contributor, None, true), "demoted");
        assert!(!still_visible(Kind::RoundOpened, Role::Contributor, Some("members"), true));
        assert!(still_visible(Kind::RoundOpened, Role::Contributor, Some("public"), true));
        assert!(!still_visible(Kind::Reply, Role::Contributor, None, false), "a draft's title");
        assert!(still_visible(Kind::CommentOnYours, Role::DesignGroup, None, false));
        assert!(!still_visible(Kind::Held, Role::Member, None, true));
    }

    #[test]
    fn sentences_name_things_not_words() {
        assert_eq!(
            sentence(Kind::Reply, Some("Living Well Hub"), None, None),
            "A reply to your comment on \u{2018}Living Well Hub\u{2019}"
        );
        assert!(sentence(Kind::RoundOpened, Some("Hub"), Some("Evening drop-in"), None).contains("Evening drop-in"));
    }
}
