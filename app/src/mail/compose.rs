//! Composing messages: plain text and HTML alternatives of the same words, the
//! collaborative's name in each, a link to what happened and never anyone's words. Pure.

/// What kind of message: stored in the outbox and shown on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    PasswordReset,
    Invitation,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PasswordReset => "password_reset",
            Kind::Invitation => "invitation",
        }
    }

    pub fn label(s: &str) -> &'static str {
        match s {
            "password_reset" => "Password reset",
            "invitation" => "Invitation",
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
    Outgoing { to: to.to_string(), kind, subject: w.subject, text, html, secret }
}

/// A link to choose a new password, asked for by the person (`by_facilitator` false) or made
/// for them by a facilitator.
pub fn password_reset(to: &str, collaborative: &str, link: &str, minutes: i64) -> Outgoing {
    lay_out(
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
    )
}

/// An invitation to join, with the role offered.
pub fn invitation(to: &str, collaborative: &str, role: &str, link: &str, days: i64) -> Outgoing {
    lay_out(
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
    )
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
    fn html_escapes_what_a_facilitator_typed() {
        let m = invitation("a@example.org", "<b>Lab</b> & co", "Member", "https://lab.example/invite/x?a=1&b=2", 14);
        assert!(!m.html.contains("<b>Lab"), "{}", m.html);
        assert!(m.html.contains("&lt;b&gt;Lab&lt;/b&gt;"), "{}", m.html);
        assert!(m.html.contains("href=\"https://lab.example/invite/x?a=1&amp;b=2\""), "{}", m.html);
        assert!(m.text.contains("<b>Lab</b> & co"), "plain text stays as typed");
    }
}
