//! Composing messages: plain text and HTML alternatives of the same words, the
//! collaborative's name in each, a link to what happened and never anyone's words. Pure.

/// What kind of message: stored in the outbox and shown on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    PasswordReset,
    Invitation,
    Notification,
    Digest,
    ResetLinkMade,
    DeletionRequested,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PasswordReset => "password_reset",
            Kind::Invitation => "invitation",
            Kind::Notification => "notification",
            Kind::Digest => "digest",
            Kind::ResetLinkMade => "reset_link_made",
            Kind::DeletionRequested => "deletion_requested",
        }
    }

    pub fn label(s: &str) -> &'static str {
        match s {
            "password_reset" => "Password reset",
            "invitation" => "Invitation",
            "notification" => "Notification",
            "digest" => "Daily digest",
            "reset_link_made" => "Reset link made by a facilitator",
            "deletion_requested" => "Account deletion asked for",
            _ => "Other",
        }
    }
}

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub to: String,
    pub kind: Kind,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Carries a one-time link: hidden on the outbox page and blanked once settled.
    pub secret: bool,
    /// Where a mail program posts a one-click unsubscribe (RFC 8058), for notification email.
    pub unsubscribe: Option<String>,
    /// How long the message is worth sending: a one-time link's lifetime. Past it the sender
    /// gives up and the body is blanked.
    pub valid_secs: Option<i64>,
    /// A calendar invite (iCalendar text) to attach as `meeting.ics`.
    pub calendar: Option<String>,
}

/// The words of one message before layout: paragraphs, then a link with its label, then a
/// closing line saying why the person got it.
struct Words<'a> {
    collaborative: &'a str,
    subject: String,
    paragraphs: Vec<String>,
    link: (&'a str, &'a str),
    why: String,
}

fn lay_out(to: &str, kind: Kind, secret: bool, w: Words) -> Outgoing {
    let mut text = String::new();
    for p in &w.paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str(&format!("{}:\n{}\n\n-- \n{}\n{}\n", w.link.0, w.link.1, w.collaborative, w.why));
    let esc = crate::ui::escape_html;
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{}</title></head><body style=\"font-family:sans-serif;line-height:1.5;max-width:36em\">",
        esc(&w.subject)
    );
    for p in &w.paragraphs {
        html.push_str(&format!("<p>{}</p>", esc(p)));
    }
    html.push_str(&format!("<p><a href=\"{}\">{}</a></p>", esc(w.link.1), esc(w.link.0)));
    html.push_str(&format!(
        "<hr><p style=\"font-size:0.9em\">{}<br>{}</p></body></html>",
        esc(w.collaborative),
        esc(&w.why)
    ));
    Outgoing {
        to: to.to_string(),
        kind,
        subject: w.subject,
        text,
        html,
        secret,
        unsubscribe: None,
        valid_secs: None,
        calendar: None,
    }
}

/// A link to choose a new password, asked for by the person (`by_facilitator` false) or made
/// for them by a facilitator.
pub fn password_reset(to: &str, collaborative: &str, link: &str, minutes: i64) -> Outgoing {
    let mut m = lay_out(
        to,
        Kind::PasswordReset,
        true,
        Words {
            collaborative,
            subject: format!("Choose a new password for {collaborative}"),
            paragraphs: vec![
                format!("Someone asked to choose a new password for your account at {collaborative}."),
                format!("The link below works once, for {minutes} minutes. Using it signs you out everywhere else."),
                "If it was not you, you can ignore this email: your password has not changed.".into(),
            ],
            link: ("Choose a new password", link),
            why: "You got this email because someone typed your address on the \u{201c}Forgot your password?\u{201d} page.".into(),
        },
    );
    m.valid_secs = Some(minutes * 60);
    m
}

/// An invitation to join, with the role offered.
pub fn invitation(to: &str, collaborative: &str, role: &str, link: &str, days: i64) -> Outgoing {
    let mut m = lay_out(
        to,
        Kind::Invitation,
        true,
        Words {
            collaborative,
            subject: format!("You are invited to join {collaborative}"),
            paragraphs: vec![
                format!("You have been invited to join {collaborative} as: {role}."),
                format!("The link below lets you create your account. It works once, for {days} days."),
            ],
            link: ("Create your account", link),
            why: "You got this email because a facilitator invited this address.".into(),
        },
    );
    m.valid_secs = Some(days * 86_400);
    m
}

/// Tells a person that a facilitator made a password reset link for their account (so a
/// facilitator cannot take an account over unseen). No link: nothing to misuse.
pub fn reset_link_made(to: &str, collaborative: &str, facilitator: &str, sign_in: &str, minutes: i64) -> Outgoing {
    lay_out(
        to,
        Kind::ResetLinkMade,
        false,
        Words {
            collaborative,
            subject: format!("A password reset link was made for your account at {collaborative}"),
            paragraphs: vec![
                format!("{facilitator}, a facilitator at {collaborative}, made a link to choose a new password for your account. It works once, for {minutes} minutes."),
                "If you asked for this, there is nothing more to do. If you did not, please tell another facilitator straight away.".into(),
            ],
            link: ("Sign in", sign_in),
            why: "You got this email because a facilitator made a password reset link for this account.".into(),
        },
    )
}

/// An account's deletion was asked for (by the person, or by `facilitator` for them): when
/// it will happen and how to stop it, so nobody loses an account without hearing of it.
pub fn deletion_requested(
    to: &str,
    collaborative: &str,
    facilitator: Option<&str>,
    due: &str,
    sign_in: &str,
) -> Outgoing {
    let who = match facilitator {
        Some(f) => format!("{f}, a facilitator at {collaborative}, recorded your request to delete your account."),
        None => format!("You asked to delete your account at {collaborative}."),
    };
    lay_out(
        to,
        Kind::DeletionRequested,
        false,
        Words {
            collaborative,
            subject: format!("Your account at {collaborative} will be deleted on {due}"),
            paragraphs: vec![
                format!("{who} It will be deleted on {due}."),
                "If you change your mind, sign in before then: that cancels it and nothing is deleted. If you did not ask for this, sign in and tell a facilitator.".into(),
            ],
            link: ("Sign in", sign_in),
            why: "You got this email because the deletion of this account was asked for.".into(),
        },
    )
}

/// Links every notification email carries: the thing itself, the person's preferences, a
/// page that stops this kind of email, and the one-click address for mail programs.
pub struct NoticeLinks<'a> {
    pub preferences: &'a str,
    /// A page that stops this kind; `None` for a kind nobody can stop (a held item).
    pub stop_page: Option<&'a str>,
    pub one_click: Option<&'a str>,
}

/// How long a notification email is worth sending: news two days old is better read on
/// the site (and a site that starts sending late does not send a backlog).
pub const NOTICE_VALID_SECS: i64 = 2 * 86_400;

/// One notification, emailed at once: its sentence (names of things, never anyone's words)
/// and a link to see it.
pub fn notification(to: &str, collaborative: &str, sentence: &str, link: &str, links: NoticeLinks) -> Outgoing {
    let mut m = lay_out(
        to,
        Kind::Notification,
        false,
        Words {
            collaborative,
            subject: format!("{sentence} \u{2013} {collaborative}"),
            paragraphs: vec![format!("{sentence}.")],
            link: ("See it on the site", link),
            why: match links.stop_page {
                Some(stop) => format!(
                    "You chose to hear about this at once. Change what you hear about: {}\nStop these emails: {stop}",
                    links.preferences
                ),
                None => format!(
                    "Facilitators always hear of held contributions at once: someone may need help. Your other choices: {}",
                    links.preferences
                ),
            },
        },
    );
    m.unsubscribe = links.one_click.map(str::to_string);
    m.valid_secs = Some(NOTICE_VALID_SECS);
    m
}

/// The most items one digest lists; the rest are counted, and all are on the site.
pub const DIGEST_ITEMS: usize = 50;

/// The daily digest: every notification since the last one, a line and a link each.
pub fn digest(to: &str, collaborative: &str, items: &[(String, String)], links: NoticeLinks) -> Outgoing {
    let esc = crate::ui::escape_html;
    let count = items.len();
    let plural = if count == 1 { "" } else { "s" };
    let subject = format!("{count} update{plural} from {collaborative}");
    let mut text = String::from("Since your last digest:\n\n");
    let mut list = String::new();
    for (sentence, link) in items.iter().take(DIGEST_ITEMS) {
        text.push_str(&format!("- {sentence}\n  {link}\n"));
        list.push_str(&format!("<li><a href=\"{}\">{}</a></li>", esc(link), esc(sentence)));
    }
    if count > DIGEST_ITEMS {
        let more = format!("and {} more on your notifications page: {}", count - DIGEST_ITEMS, links.preferences);
        text.push_str(&format!("- {more}\n"));
        list.push_str(&format!("<li>{}</li>", esc(&more)));
    }
    let why = format!(
        "You get one email a day when there is something new. Change what you hear about: {}\nPause every email: {}",
        links.preferences,
        links.stop_page.unwrap_or(links.preferences)
    );
    text.push_str(&format!("\n-- \n{collaborative}\n{why}\n"));
    let html = format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{}</title></head><body style=\"font-family:sans-serif;line-height:1.5;max-width:36em\"><p>Since your last digest:</p><ul>{list}</ul><hr><p style=\"font-size:0.9em\">{}<br>{}</p></body></html>",
        esc(&subject),
        esc(collaborative),
        esc(&why).replace('\n', "<br>")
    );
    Outgoing {
        to: to.to_string(),
        kind: Kind::Digest,
        subject,
        text,
        html,
        secret: false,
        unsubscribe: links.one_click.map(str::to_string),
        valid_secs: Some(NOTICE_VALID_SECS),
        calendar: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_alternatives_carry_the_link_and_the_collaborative() {
        let m = password_reset("a@example.org", "Salford Living Well", "https://lab.example/reset/abc", 60);
        for body in [&m.text, &m.html] {
            assert!(body.contains("https://lab.example/reset/abc"), "{body}");
            assert!(body.contains("Salford Living Well"), "{body}");
            assert!(body.contains("60 minutes"), "{body}");
        }
        assert!(m.secret, "a reset link is a key to the account");
        assert_eq!(m.kind.as_str(), "password_reset");
    }

    #[test]
    fn a_digest_lists_each_item_with_its_link() {
        let links = NoticeLinks {
            preferences: "https://l/p",
            stop_page: Some("https://l/stop"),
            one_click: Some("https://l/one"),
        };
        let items = vec![
            ("A reply".to_string(), "https://l/a".to_string()),
            ("A vote <open>".to_string(), "https://l/b".to_string()),
        ];
        let m = digest("a@example.org", "Lab", &items, links);
        assert_eq!(m.subject, "2 updates from Lab");
        assert!(m.text.contains("- A reply\n  https://l/a"), "{}", m.text);
        assert!(m.html.contains("A vote &lt;open&gt;"), "{}", m.html);
        assert_eq!(m.unsubscribe.as_deref(), Some("https://l/one"));
        assert!(!m.secret);
    }

    #[test]
    fn html_escapes_what_a_facilitator_typed() {
        let m = invitation("a@example.org", "<b>Lab</b> & co", "Member", "https://lab.example/invite/x?a=1&b=2", 14);
        assert!(!m.html.contains("<b>Lab"), "{}", m.html);
        assert!(m.html.contains("&lt;b&gt;Lab&lt;/b&gt;"), "{}", m.html);
        assert!(m.html.contains("href=\"https://lab.example/invite/x?a=1&amp;b=2\""), "{}", m.html);
        assert!(m.text.contains("<b>Lab</b> & co"), "plain text stays as typed");
    }
}
