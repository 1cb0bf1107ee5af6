//! Views from the library store's rows: what each reader sees of a note and its evidence
//! (consent decides for feedback, `feedback_shown`), the public page with every personal
//! detail left out, and the editor's choices. Plain functions, tested below.

use super::{
    feedback_shown,
    store::{CandidateRow, CandidatesRow, CodedRow, EditorChoicesRow, EvidenceRow, NoteCardRow, NoteRow},
    Choice, CodedFeedback, Evidence, EvidenceKind, EvidenceOption, EvidenceRef, FeedbackShown, NoteCard, NoteForm,
    NoteKind, NoteView, Reader, SharedNoteView,
};
use crate::{consultations::Consent, meetings::Outcome, time::when};

fn kind(s: &str) -> NoteKind {
    NoteKind::parse(s).unwrap_or(NoteKind::Method)
}

/// A stored consent; anything unreadable counts as the most private.
fn consent(s: Option<&str>) -> Consent {
    s.and_then(Consent::parse).unwrap_or(Consent::DesignGroupOnly)
}

/// The prototype a note came from, if the reader may see it: one never published is the
/// design group's draft.
fn prototype(id: Option<i64>, title: Option<String>, iterations: i64, drafts: bool) -> Option<Choice> {
    match (id, title) {
        (Some(id), Some(label)) if iterations > 0 || drafts => Some(Choice { id, label }),
        _ => None,
    }
}

fn dated(draft: bool, published_at: Option<i64>, updated_at: i64) -> String {
    match (draft, published_at) {
        (false, Some(t)) => format!("Published {}", when(t)),
        _ => format!("Draft, last edited {}", when(updated_at)),
    }
}

pub fn card(r: NoteCardRow, drafts: bool) -> NoteCard {
    let draft = r.status != "published";
    NoteCard {
        id: r.id,
        kind: kind(&r.kind),
        draft,
        shareable: r.shareable,
        prototype: prototype(r.prototype_id, r.prototype_title, r.prototype_iterations, drafts),
        themes: r.themes.0,
        when: dated(draft, r.published_at, r.updated_at),
        title: r.title,
    }
}

fn outcome(s: Option<&str>) -> &'static str {
    match s.and_then(Outcome::parse) {
        Some(Outcome::Passed) => "passed",
        Some(Outcome::NotPassed) => "not passed",
        _ => "no decision",
    }
}

/// Where a comment or answer came from, in words.
fn source(kind: EvidenceKind, title: &str) -> String {
    match kind {
        EvidenceKind::Answer => format!("An answer to “{title}”"),
        _ => format!("A comment on “{title}”"),
    }
}

/// One piece of evidence for a member or the design group (`reader`). `None` for a kind
/// the database cannot hold.
pub fn evidence(r: EvidenceRow, reader: Reader) -> Option<Evidence> {
    let kind = EvidenceKind::parse(&r.kind)?;
    // Feedback on a prototype never published is the design group's: a member (or the public
    // page) must not learn its words or even its prototype's title through a note.
    let on_draft = matches!(kind, EvidenceKind::Comment | EvidenceKind::Answer) && r.prototype_iterations == 0;
    if !r.found || (on_draft && reader != Reader::DesignGroup) {
        return Some(Evidence::Unavailable { kind });
    }
    let title = r.title.clone().unwrap_or_default();
    let parent = r.parent_id.unwrap_or_default();
    let number = r.number.unwrap_or_default();
    Some(match kind {
        EvidenceKind::Iteration => Evidence::Link {
            kind,
            label: format!("Iteration {number} of “{title}”"),
            href: format!("/prototypes/{parent}/iterations/{number}"),
        },
        EvidenceKind::Round => Evidence::Link {
            kind,
            label: format!("Consultation round “{title}” (on iteration {number}): its results"),
            href: format!("/consultations/{}/results", r.target_id),
        },
        EvidenceKind::Decision => Evidence::Link {
            kind,
            label: format!("Decision: “{title}” ({})", outcome(r.outcome.as_deref())),
            href: format!("/meetings/{parent}#motion-{}", r.target_id),
        },
        EvidenceKind::Meeting => Evidence::Link {
            kind,
            label: format!("Meeting: {title}, {}", r.at.map(when).unwrap_or_default()),
            href: format!("/meetings/{}", r.target_id),
        },
        EvidenceKind::Comment | EvidenceKind::Answer => {
            let shown = feedback_shown(
                reader,
                r.status.as_deref(),
                consent(r.consent.as_deref()),
                r.anonymous,
                r.author.as_deref(),
            );
            match (shown, r.text) {
                (FeedbackShown::Quote { by }, Some(text)) if !text.trim().is_empty() => Evidence::Quote {
                    kind,
                    source: source(kind, &title),
                    text,
                    by,
                    href: match kind {
                        EvidenceKind::Answer => format!("/consultations/{parent}/results"),
                        _ => format!("/prototypes/{parent}#comment-{}", r.target_id),
                    },
                },
                (FeedbackShown::NotForQuoting, _) => Evidence::NotForQuoting { kind, source: source(kind, &title) },
                _ => Evidence::Unavailable { kind },
            }
        }
    })
}

/// Evidence in reading order: iterations, rounds, decisions, meetings, then feedback.
fn in_order(mut rows: Vec<EvidenceRow>) -> Vec<EvidenceRow> {
    rows.sort_by_key(|r| EvidenceKind::parse(&r.kind));
    rows
}

/// `/library/{id}` for a member (`reader`) or the design group.
pub fn note(n: NoteRow, rows: Vec<EvidenceRow>, reader: Reader, can_edit: bool) -> NoteView {
    let draft = n.status != "published";
    NoteView {
        id: n.id,
        kind: kind(&n.kind),
        body_html: n.body_html,
        draft,
        shareable: n.shareable,
        prototype: prototype(n.prototype_id, n.prototype_title, n.prototype_iterations, reader == Reader::DesignGroup),
        themes: n.themes.0,
        // No account (never, today): the design group wrote it.
        by: n.author.unwrap_or_else(|| "the design group".into()),
        when: dated(draft, n.published_at, n.updated_at),
        evidence: in_order(rows).into_iter().filter_map(|r| evidence(r, reader)).collect(),
        can_edit,
        title: n.title,
    }
}

/// The public page: title, kind, text, a published prototype's title, themes; quotes only
/// where people agreed to be quoted, never with a name; iterations and rounds as plain
/// labels. Nothing else: no author, no names, no dates of people's words, no counts, and no
/// decisions or meetings (their titles are the collaborative's internal business).
pub fn shared(n: NoteRow, rows: Vec<EvidenceRow>) -> SharedNoteView {
    let mut quotes = Vec::new();
    let mut sources = Vec::new();
    for r in in_order(rows).into_iter().filter(|r| r.found) {
        let title = r.title.clone().unwrap_or_default();
        match EvidenceKind::parse(&r.kind) {
            Some(EvidenceKind::Iteration) if r.prototype_iterations > 0 => {
                sources.push(format!("Iteration {} of “{title}”", r.number.unwrap_or_default()))
            }
            Some(EvidenceKind::Round) if r.prototype_iterations > 0 => {
                sources.push(format!("Consultation round “{title}”"))
            }
            Some(EvidenceKind::Comment | EvidenceKind::Answer) if r.prototype_iterations > 0 => {
                let shown =
                    feedback_shown(Reader::Public, r.status.as_deref(), consent(r.consent.as_deref()), true, None);
                if let (FeedbackShown::Quote { .. }, Some(text)) = (shown, r.text) {
                    if !text.trim().is_empty() {
                        quotes.push(text);
                    }
                }
            }
            _ => {}
        }
    }
    SharedNoteView {
        kind: kind(&n.kind),
        body_html: n.body_html,
        prototype: n.prototype_title.filter(|_| n.prototype_iterations > 0),
        themes: n.themes.0,
        quotes,
        sources,
        title: n.title,
    }
}

/// The first words of a piece of feedback, for a checkbox label.
fn excerpt(text: &str) -> String {
    const MAX: usize = 160;
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= MAX {
        t
    } else {
        format!("{}…", t.chars().take(MAX).collect::<String>())
    }
}

/// How the design group may use a piece of feedback, after its label in the editor.
fn consent_note(c: Consent) -> &'static str {
    match c {
        Consent::DesignGroupOnly => "not for quoting: only the design group will see its words",
        Consent::QuoteAnonymously => "may be quoted without a name",
        Consent::QuoteWithName => "may be quoted with the name",
    }
}

/// A checkbox in the editor (its reader is the design group: names unless anonymous).
fn option(kind: EvidenceKind, c: CandidateRow) -> EvidenceOption {
    let title = c.title.unwrap_or_default();
    let number = c.number.unwrap_or_default();
    let at = c.at.map(when).unwrap_or_default();
    let who = match (c.anonymous != 0, c.author) {
        (false, Some(name)) => name,
        (true, _) => "Anonymous".to_string(),
        (false, None) => "a visitor".to_string(),
    };
    let text = excerpt(&c.text.unwrap_or_default());
    let label = match kind {
        EvidenceKind::Iteration => format!("Iteration {number}, published {at}"),
        EvidenceKind::Round => format!("Consultation round “{title}” on iteration {number}"),
        EvidenceKind::Decision => format!("Decision: “{title}”"),
        EvidenceKind::Meeting => format!("Meeting: {title}, {at}"),
        EvidenceKind::Comment => {
            format!("Comment by {who}: “{text}” ({})", consent_note(consent(c.consent.as_deref())))
        }
        EvidenceKind::Answer => {
            format!("Answer to “{title}” by {who}: “{text}” ({})", consent_note(consent(c.consent.as_deref())))
        }
    };
    EvidenceOption { value: EvidenceRef { kind, id: c.id }.value(), kind, label }
}

/// Linked evidence as the editor lists it, if it may still be linked (found, and feedback
/// still published).
fn linked(r: EvidenceRow) -> Option<EvidenceOption> {
    let kind = EvidenceKind::parse(&r.kind)?;
    let usable = r.found && (!kind.is_feedback() || r.status.as_deref() == Some("published"));
    usable.then(|| {
        option(
            kind,
            CandidateRow {
                id: r.target_id,
                title: r.title,
                number: r.number,
                text: r.text,
                consent: r.consent,
                anonymous: i64::from(r.anonymous),
                author: r.author,
                at: r.at,
            },
        )
    })
}

/// Every candidate from the chosen prototype, in the order the editor lists them.
fn offered(c: CandidatesRow) -> Vec<EvidenceOption> {
    [
        (EvidenceKind::Iteration, c.iterations.0),
        (EvidenceKind::Round, c.rounds.0),
        (EvidenceKind::Decision, c.decisions.0),
        (EvidenceKind::Meeting, c.meetings.0),
        (EvidenceKind::Comment, c.comments.0),
        (EvidenceKind::Answer, c.answers.0),
    ]
    .into_iter()
    .flat_map(|(kind, rows)| rows.into_iter().map(move |r| option(kind, r)))
    .collect()
}

/// The editor: the saved note (or an empty one), the prototype chosen (`prototype`, if it
/// exists), the evidence already linked (`rows`) and the prototype's other evidence.
pub fn form(
    saved: Option<NoteRow>,
    prototype: Option<i64>,
    rows: Vec<EvidenceRow>,
    candidates: Option<CandidatesRow>,
    choices: EditorChoicesRow,
) -> NoteForm {
    let prototype = prototype.filter(|p| choices.prototypes.0.iter().any(|c| c.id == *p));
    let total = rows.len();
    let linked: Vec<EvidenceOption> = in_order(rows).into_iter().filter_map(linked).collect();
    let gone = total - linked.len();
    let offered: Vec<EvidenceOption> = candidates
        .map(offered)
        .unwrap_or_default()
        .into_iter()
        .filter(|o| !linked.iter().any(|l| l.value == o.value))
        .collect();
    let (id, draft, title, body, note_kind, themes, shareable) = match saved {
        Some(n) => (
            Some(n.id),
            n.status != "published",
            n.title,
            n.body,
            Some(kind(&n.kind)),
            n.themes.0.join(", "),
            n.shareable,
        ),
        None => (None, true, String::new(), String::new(), None, String::new(), false),
    };
    NoteForm {
        id,
        draft,
        title,
        body,
        kind: note_kind,
        themes,
        shareable,
        prototype,
        prototypes: choices.prototypes.0,
        linked,
        offered,
        gone,
        theme_suggestions: choices.themes.0,
    }
}

/// A coded comment or answer on a theme page (for the design group).
pub fn coded(r: CodedRow) -> Option<CodedFeedback> {
    let kind = EvidenceKind::parse(&r.kind).filter(|k| k.is_feedback())?;
    let by = match feedback_shown(
        Reader::DesignGroup,
        Some("published"),
        consent(Some(r.consent.as_str())),
        r.anonymous,
        r.author.as_deref(),
    ) {
        FeedbackShown::Quote { by } => by,
        _ => None,
    };
    Some(CodedFeedback {
        source: source(kind, &r.source_title),
        href: match kind {
            EvidenceKind::Answer => format!("/consultations/{}/results", r.parent_id),
            _ => format!("/prototypes/{}#comment-{}", r.parent_id, r.id),
        },
        text: r.text,
        by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_column::Json;

    fn row(kind: &str, status: &str, consent: &str, anonymous: bool) -> EvidenceRow {
        EvidenceRow {
            kind: kind.into(),
            target_id: 7,
            found: true,
            title: Some("Living Well Hub".into()),
            number: Some(2),
            parent_id: Some(3),
            text: Some("Nobody answers after 5pm".into()),
            consent: Some(consent.into()),
            anonymous,
            author: Some("Ann Example".into()),
            status: Some(status.into()),
            outcome: Some("passed".into()),
            at: Some(1_799_589_600),
            prototype_iterations: 2,
        }
    }

    fn note_row(iterations: i64) -> NoteRow {
        NoteRow {
            id: 1,
            title: "Evenings matter".into(),
            body: "b".into(),
            body_html: "<p>b</p>".into(),
            kind: "surprise".into(),
            status: "published".into(),
            shareable: true,
            published_at: Some(1_799_589_600),
            updated_at: 1_799_589_600,
            prototype_id: Some(3),
            prototype_title: Some("Living Well Hub".into()),
            prototype_iterations: iterations,
            author: Some("Dr Gee".into()),
            themes: Json(vec!["out of hours".into()]),
        }
    }

    #[test]
    fn feedback_on_a_prototype_never_published_stays_with_the_design_group() {
        let on_draft =
            |kind: &str| EvidenceRow { prototype_iterations: 0, ..row(kind, "published", "quote_with_name", false) };
        for kind in ["comment", "answer"] {
            assert!(matches!(evidence(on_draft(kind), Reader::Member), Some(Evidence::Unavailable { .. })));
            assert!(matches!(evidence(on_draft(kind), Reader::DesignGroup), Some(Evidence::Quote { .. })));
        }
        let shared = shared(note_row(2), vec![on_draft("comment"), on_draft("answer")]);
        assert!(shared.quotes.is_empty(), "{shared:?}");
    }

    #[test]
    fn links_point_at_each_kind_of_page() {
        let href = |k: &str| match evidence(row(k, "published", "quote_anonymously", false), Reader::Member) {
            Some(Evidence::Link { href, .. }) | Some(Evidence::Quote { href, .. }) => href,
            other => panic!("{other:?}"),
        };
        assert_eq!(href("iteration"), "/prototypes/3/iterations/2");
        assert_eq!(href("round"), "/consultations/7/results");
        assert_eq!(href("decision"), "/meetings/3#motion-7");
        assert_eq!(href("meeting"), "/meetings/7");
        assert_eq!(href("comment"), "/prototypes/3#comment-7");
        assert_eq!(href("answer"), "/consultations/3/results");
    }

    #[test]
    fn feedback_follows_consent_and_gone_items_say_so() {
        let member = |consent: &str, anonymous: bool| {
            evidence(row("comment", "published", consent, anonymous), Reader::Member).unwrap()
        };
        assert!(matches!(member("design_group_only", false), Evidence::NotForQuoting { .. }));
        assert!(matches!(member("quote_anonymously", false), Evidence::Quote { by: None, .. }));
        assert!(
            matches!(member("quote_with_name", false), Evidence::Quote { by: Some(ref n), .. } if n == "Ann Example")
        );
        assert!(matches!(member("quote_with_name", true), Evidence::Quote { by: None, .. }));
        let designer = evidence(row("answer", "published", "design_group_only", false), Reader::DesignGroup).unwrap();
        assert!(matches!(designer, Evidence::Quote { by: Some(_), .. }));
        for status in ["held", "hidden", "removed"] {
            let e = evidence(row("comment", status, "quote_with_name", false), Reader::DesignGroup).unwrap();
            assert_eq!(e, Evidence::Unavailable { kind: EvidenceKind::Comment });
        }
        let gone = EvidenceRow { found: false, ..row("answer", "published", "quote_with_name", false) };
        assert_eq!(evidence(gone, Reader::Member), Some(Evidence::Unavailable { kind: EvidenceKind::Answer }));
    }

    #[test]
    fn the_shared_page_carries_no_names_and_only_quotable_words() {
        let rows = vec![
            EvidenceRow { text: Some("Quotable".into()), ..row("comment", "published", "quote_with_name", false) },
            EvidenceRow { text: Some("Private".into()), ..row("answer", "published", "design_group_only", false) },
            EvidenceRow { text: Some("Held".into()), ..row("answer", "held", "quote_anonymously", false) },
            row("iteration", "published", "", false),
            row("decision", "published", "", false),
            row("meeting", "published", "", false),
        ];
        let s = shared(note_row(2), rows);
        assert_eq!(s.quotes, vec!["Quotable".to_string()]);
        assert_eq!(s.sources, vec!["Iteration 2 of “Living Well Hub”".to_string()]);
        assert_eq!(s.prototype.as_deref(), Some("Living Well Hub"));
        let json = format!("{s:?}");
        for personal in ["Ann Example", "Dr Gee", "Private", "Held"] {
            assert!(!json.contains(personal), "{personal} in {json}");
        }
        assert_eq!(shared(note_row(0), vec![]).prototype, None, "an unpublished prototype is not named");
    }

    #[test]
    fn drafts_prototypes_are_named_only_to_the_design_group() {
        let m = note(note_row(0), vec![], Reader::Member, false);
        assert_eq!(m.prototype, None);
        let d = note(note_row(0), vec![], Reader::DesignGroup, true);
        assert_eq!(d.prototype, Some(Choice { id: 3, label: "Living Well Hub".into() }));
        assert!(m.when.starts_with("Published "));
    }

    #[test]
    fn the_editor_drops_what_can_no_longer_be_linked() {
        let rows = vec![
            row("iteration", "published", "", false),
            row("comment", "hidden", "quote_anonymously", false),
            EvidenceRow { found: false, ..row("meeting", "", "", false) },
        ];
        let choices = EditorChoicesRow {
            prototypes: Json(vec![Choice { id: 3, label: "Living Well Hub".into() }]),
            themes: Json(vec![]),
        };
        let candidates = CandidatesRow {
            iterations: Json(vec![CandidateRow {
                id: 7,
                title: None,
                number: Some(2),
                text: None,
                consent: None,
                anonymous: 0,
                author: None,
                at: Some(1),
            }]),
            rounds: Json(vec![]),
            decisions: Json(vec![]),
            meetings: Json(vec![]),
            comments: Json(vec![CandidateRow {
                id: 9,
                title: None,
                number: None,
                text: Some("x".repeat(300)),
                consent: Some("design_group_only".into()),
                anonymous: 1,
                author: Some("Ann Example".into()),
                at: Some(1),
            }]),
            answers: Json(vec![]),
        };
        let f = form(None, Some(3), rows, Some(candidates), choices);
        assert_eq!(f.linked.iter().map(|o| o.value.as_str()).collect::<Vec<_>>(), ["iteration:7"]);
        assert_eq!(f.gone, 2);
        assert_eq!(f.offered.len(), 1, "the linked iteration is not offered twice");
        assert!(f.offered[0].label.starts_with("Comment by Anonymous"), "{}", f.offered[0].label);
        assert!(f.offered[0].label.contains("not for quoting"));
        assert!(!f.offered[0].label.contains(&"x".repeat(200)), "long feedback is shortened");
        assert_eq!(f.prototype, Some(3));
        let none =
            form(None, Some(99), vec![], None, EditorChoicesRow { prototypes: Json(vec![]), themes: Json(vec![]) });
        assert_eq!(none.prototype, None, "a prototype that does not exist is not chosen");
    }
}
