//! Pure rules of the library: what a reader sees of feedback linked as evidence (consent
//! decides), and the addresses pages link to. Tests below.

use super::EvidenceRef;
use crate::consultations::Consent;

/// Who is reading a piece of feedback linked as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Anyone, on the shared page.
    Public,
    /// Members of the collaborative (and contributors, were they ever shown a note).
    Member,
    /// The design group and facilitators.
    DesignGroup,
}

/// What a reader sees of a linked comment or answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedbackShown {
    /// No longer published (held, hidden, removed) or deleted: nobody sees its words.
    Gone,
    /// Not for quoting to this reader.
    NotForQuoting,
    Quote {
        by: Option<String>,
    },
}

/// Consent decides: the design group reads every published word (as it does elsewhere),
/// with the name unless posted anonymously; members read words people agreed could be
/// quoted, with a name only for "quote with my name" and never for an anonymous post; the
/// public page never shows a name. Checked at read time, so an item held after it was
/// linked disappears from every note at once.
pub fn feedback_shown(
    reader: Reader,
    status: Option<&str>,
    consent: Consent,
    anonymous: bool,
    author: Option<&str>,
) -> FeedbackShown {
    if status != Some("published") {
        return FeedbackShown::Gone;
    }
    let name = || author.filter(|_| !anonymous).map(str::to_string);
    match reader {
        Reader::DesignGroup => FeedbackShown::Quote { by: name() },
        _ if !consent.quotable() => FeedbackShown::NotForQuoting,
        Reader::Member if consent == Consent::QuoteWithName => FeedbackShown::Quote { by: name() },
        Reader::Member | Reader::Public => FeedbackShown::Quote { by: None },
    }
}

/// A theme as part of a URL (`/themes/{name}`, `?theme=`): every byte but the unreserved
/// ones percent-encoded, so spaces, slashes and `&` in a theme cannot change the address.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The theme page's address.
pub fn theme_href(theme: &str) -> String {
    format!("/themes/{}", encode_component(theme))
}

/// Where the "Add what we learned" prompts link: the editor with the prototype and the
/// evidence already chosen. An iteration can be named by its number (`iteration`, with the
/// prototype) rather than its id: publishing iteration N knows the number.
pub fn new_note_href(prototype: Option<i64>, iteration: Option<i64>, evidence: &[EvidenceRef]) -> String {
    let mut parts: Vec<String> = prototype.map(|p| format!("prototype={p}")).into_iter().collect();
    parts.extend(iteration.filter(|_| prototype.is_some()).map(|n| format!("iteration={n}")));
    parts.extend(evidence.iter().map(|e| format!("evidence={}", encode_component(&e.value()))));
    if parts.is_empty() {
        "/library/new".into()
    } else {
        format!("/library/new?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::EvidenceKind;

    #[test]
    fn feedback_is_shown_as_consent_allows() {
        use Consent::*;
        use FeedbackShown::*;
        let quote = |n: Option<&str>| Quote { by: n.map(str::to_string) };
        let cases: [(Reader, Consent, bool, FeedbackShown); 12] = [
            (Reader::DesignGroup, DesignGroupOnly, false, quote(Some("Ann"))),
            (Reader::DesignGroup, DesignGroupOnly, true, quote(None)),
            (Reader::DesignGroup, QuoteWithName, false, quote(Some("Ann"))),
            (Reader::Member, DesignGroupOnly, false, NotForQuoting),
            (Reader::Member, QuoteAnonymously, false, quote(None)),
            (Reader::Member, QuoteWithName, false, quote(Some("Ann"))),
            (Reader::Member, QuoteWithName, true, quote(None)),
            (Reader::Public, DesignGroupOnly, false, NotForQuoting),
            (Reader::Public, QuoteAnonymously, false, quote(None)),
            (Reader::Public, QuoteWithName, false, quote(None)),
            (Reader::Public, QuoteWithName, true, quote(None)),
            (Reader::Member, QuoteAnonymously, true, quote(None)),
        ];
        for (reader, consent, anonymous, want) in cases {
            assert_eq!(
                feedback_shown(reader, Some("published"), consent, anonymous, Some("Ann")),
                want,
                "{reader:?} {consent:?} anonymous={anonymous}"
            );
        }
        for reader in [Reader::Public, Reader::Member, Reader::DesignGroup] {
            for status in [Some("held"), Some("hidden"), Some("removed"), None] {
                assert_eq!(feedback_shown(reader, status, QuoteWithName, false, Some("Ann")), Gone);
            }
        }
        assert_eq!(feedback_shown(Reader::Member, Some("published"), QuoteWithName, false, None), quote(None));
    }

    #[test]
    fn addresses_cannot_be_bent_by_a_theme() {
        assert_eq!(theme_href("out of hours"), "/themes/out%20of%20hours");
        assert_eq!(theme_href("a/b&c?d#e"), "/themes/a%2Fb%26c%3Fd%23e");
        assert_eq!(theme_href("café"), "/themes/caf%C3%A9");
        let refs =
            [EvidenceRef { kind: EvidenceKind::Iteration, id: 12 }, EvidenceRef { kind: EvidenceKind::Round, id: 3 }];
        assert_eq!(
            new_note_href(Some(5), None, &refs),
            "/library/new?prototype=5&evidence=iteration%3A12&evidence=round%3A3"
        );
        assert_eq!(new_note_href(Some(5), Some(2), &[]), "/library/new?prototype=5&iteration=2");
        assert_eq!(new_note_href(None, Some(2), &[]), "/library/new", "a number means nothing without its prototype");
    }
}
