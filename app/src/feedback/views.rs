//! Views from the feedback store's rows: what each viewer sees of a comment (anonymity, held
//! and removed comments, theme codes), the moderation queue's items, a person's own
//! contributions and "you said, we did". Plain functions, so the rules are tested here.

use super::{
    rules,
    store::{CommentRow, FeedbackRow, MineRow, QueueRow},
    AuditLine, CommentState, CommentView, FeedbackItem, ItemKind, ModerationItem, MyContribution,
};
use crate::{
    auth::{
        policy::{allowed, Action},
        session::Viewer,
    },
    consultations::{Consent, Outcome},
    time::when,
};

/// What became of a piece of feedback: acted on in an iteration, not taken forward (and
/// why), or nothing yet.
pub fn outcome(prototype: i64, acted: Option<i64>, reason: Option<String>) -> Outcome {
    match (acted, reason) {
        (Some(iteration), _) => Outcome::ActedOn { prototype_id: prototype, iteration },
        (None, Some(reason)) => Outcome::NotTakenForward { reason },
        _ => Outcome::Open,
    }
}

fn comment_state(status: &str) -> CommentState {
    match status {
        "held" => CommentState::Held,
        "hidden" => CommentState::Hidden,
        "removed" => CommentState::Removed,
        _ => CommentState::Published,
    }
}

/// Puts a page of rows in thread order and decides, for each, what `me` sees: an anonymous
/// author's name only for facilitators and the author; words only while published or held
/// (a held comment reaches only its author); theme codes only for the design group and
/// facilitators; no pointer to a parent that was held after it was answered.
pub fn thread_view(rows: Vec<CommentRow>, me: &Viewer, now: i64) -> Vec<CommentView> {
    let moderator = allowed(Some(me.role), Action::Moderate);
    let coder = allowed(Some(me.role), Action::EditPrototypes);
    let order = rules::thread_order(&rows.iter().map(|r| (r.id, r.parent_id)).collect::<Vec<_>>());
    let mut rows: Vec<Option<CommentRow>> = rows.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(i, depth)| rows[i].take().map(|r| (r, depth)))
        .map(|(r, depth)| {
            let mine = r.author_id == me.id;
            let state = comment_state(&r.status);
            let author = match (r.anonymous, moderator || mine) {
                (false, _) => r.author_name.clone(),
                (true, true) => format!("{} (posted anonymously)", r.author_name),
                (true, false) => "Anonymous".to_string(),
            };
            // A reply to a comment that was held after it was answered does not point at it:
            // its id would tell others that a held comment exists.
            let parent_id =
                r.parent_id.filter(|_| r.parent_status.as_deref() != Some("held") || r.parent_author == Some(me.id));
            CommentView {
                id: r.id,
                parent_id,
                depth,
                author,
                mine,
                body: matches!(state, CommentState::Published | CommentState::Held).then_some(r.body),
                state,
                iteration: r.iteration_number,
                section: r.section,
                at: when(r.created_at),
                edited: r.edited_at.is_some(),
                can_edit: rules::may_edit(now, r.created_at, mine) && state == CommentState::Published,
                outcome: outcome(r.prototype_id, r.acted_iteration, r.not_taken_reason),
                themes: if coder { r.themes.0 } else { Vec::new() },
            }
        })
        .collect()
}

/// A report's reason as moderators read it (an unknown one as stored).
fn report_label(reason: &str) -> String {
    rules::ReportReason::ALL.into_iter().find(|x| x.as_str() == reason).map_or(reason.to_string(), |x| x.label().into())
}

/// A held or reported contribution as the moderation page shows it.
pub fn moderation_item(r: QueueRow) -> ModerationItem {
    let kind = ItemKind::parse(&r.kind).unwrap_or(ItemKind::Comment);
    let (author, context, link) = match kind {
        ItemKind::Response => (
            r.author_name.unwrap_or_else(|| match r.gathered_at.as_str() {
                "" => "A visitor".to_string(),
                place => format!("Gathered in person: {place}"),
            }),
            format!("Answer to “{}”", r.context_title),
            format!("/consultations/{}", r.target_id),
        ),
        ItemKind::Comment => (
            r.author_name.unwrap_or_default(),
            format!("Comment on “{}”", r.context_title),
            format!("/prototypes/{}#comment-{}", r.target_id, r.id),
        ),
    };
    ModerationItem {
        kind,
        id: r.id,
        held: r.status == "held",
        reports: r.reports.0.iter().map(|x| report_label(x)).collect(),
        at: when(r.at),
        author,
        context,
        link,
        texts: r.texts.0,
        history: r
            .history
            .0
            .into_iter()
            .map(|h| AuditLine {
                at: when(h.at),
                actor: h.actor.unwrap_or_else(|| "Triage".into()),
                action: h.action,
                detail: h.detail,
            })
            .collect(),
    }
}

/// One of a person's own contributions, with a link to where it was made.
pub fn my_contribution(r: MineRow) -> MyContribution {
    let kind = ItemKind::parse(&r.kind).unwrap_or(ItemKind::Comment);
    let (title, link) = match kind {
        ItemKind::Response => {
            (format!("Your answers to “{}”", r.context_title), format!("/consultations/{}", r.target_id))
        }
        ItemKind::Comment => {
            (format!("Your comment on “{}”", r.context_title), format!("/prototypes/{}#comment-{}", r.target_id, r.id))
        }
    };
    MyContribution {
        kind,
        title,
        link,
        at: when(r.created_at),
        held: r.status == "held",
        outcome: outcome(r.prototype_id, r.acted_iteration, r.not_taken_reason),
    }
}

/// What a viewer sees of one piece of feedback: its words and name only as its consent
/// allows (`full` for the design group, who see everything).
pub fn feedback_item(r: FeedbackRow, full: bool) -> FeedbackItem {
    let kind = ItemKind::parse(&r.kind).unwrap_or(ItemKind::Comment);
    let consent = Consent::parse(&r.consent).unwrap_or(Consent::DesignGroupOnly);
    let shown = rules::shown(kind, consent, r.anonymous, full);
    let source = match (kind, r.iteration_number) {
        (ItemKind::Response, _) => format!("Answer to “{}”", r.round_title.unwrap_or_default()),
        (ItemKind::Comment, Some(n)) => format!("Comment on iteration {n}"),
        (ItemKind::Comment, None) => "Comment".to_string(),
    };
    FeedbackItem {
        kind,
        id: r.id,
        source,
        text: if shown.text { r.text.filter(|t| !t.is_empty()) } else { None },
        who: match (r.author_name, shown.name) {
            (Some(n), true) => n,
            _ => "Someone who took part".into(),
        },
        consent,
        outcome: outcome(r.prototype_id, r.acted_iteration, r.not_taken_reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{auth::Role, feedback::store::AuditRow, json_column::Json};

    fn row(id: i64, parent: Option<i64>, author: i64, anonymous: bool, status: &str) -> CommentRow {
        CommentRow {
            id,
            parent_id: parent,
            author_id: author,
            author_name: format!("Person {author}"),
            anonymous,
            status: status.into(),
            body: format!("Comment {id}"),
            iteration_number: None,
            section: None,
            created_at: 1_000,
            edited_at: None,
            acted_iteration: None,
            not_taken_reason: None,
            prototype_id: 7,
            parent_status: None,
            parent_author: None,
            themes: Json(vec!["phones".into()]),
        }
    }

    fn viewer(id: i64, role: Role) -> Viewer {
        Viewer { id, role, display_name: format!("Person {id}"), unread: 0 }
    }

    #[test]
    fn an_anonymous_name_shows_only_to_facilitators_and_the_author() {
        let rows = || vec![row(1, None, 5, true, "published"), row(2, Some(1), 6, false, "published")];
        let authors = |me: Viewer| thread_view(rows(), &me, 1_000).into_iter().map(|c| c.author).collect::<Vec<_>>();
        assert_eq!(authors(viewer(9, Role::DesignGroup)), ["Anonymous", "Person 6"]);
        assert_eq!(authors(viewer(5, Role::Contributor)), ["Person 5 (posted anonymously)", "Person 6"]);
        assert_eq!(authors(viewer(9, Role::Facilitator)), ["Person 5 (posted anonymously)", "Person 6"]);
    }

    #[test]
    fn removed_and_hidden_comments_keep_their_place_not_their_words() {
        let rows = vec![
            row(1, None, 5, false, "removed"),
            row(2, Some(1), 6, false, "hidden"),
            row(3, None, 9, false, "held"),
        ];
        let seen = thread_view(rows, &viewer(9, Role::Member), 1_000);
        let states: Vec<_> = seen.iter().map(|c| (c.id, c.depth, c.state, c.body.clone())).collect();
        assert_eq!(
            states,
            [
                (1, 0, CommentState::Removed, None),
                (2, 1, CommentState::Hidden, None),
                (3, 0, CommentState::Held, Some("Comment 3".into()))
            ]
        );
        assert!(seen[2].mine && !seen[2].can_edit, "a held comment cannot be edited");
    }

    #[test]
    fn a_reply_does_not_point_at_a_parent_held_after_it_was_answered() {
        let mut reply = row(2, Some(1), 6, false, "published");
        reply.parent_status = Some("held".into());
        reply.parent_author = Some(5);
        assert_eq!(thread_view(vec![reply.clone()], &viewer(6, Role::Member), 1_000)[0].parent_id, None);
        assert_eq!(thread_view(vec![reply], &viewer(5, Role::Member), 1_000)[0].parent_id, Some(1));
    }

    #[test]
    fn theme_codes_reach_only_the_design_group_and_facilitators() {
        let themes =
            |role| thread_view(vec![row(1, None, 5, false, "published")], &viewer(9, role), 1_000)[0].themes.clone();
        assert!(themes(Role::Member).is_empty());
        assert!(themes(Role::Contributor).is_empty());
        assert_eq!(themes(Role::DesignGroup), ["phones"]);
        assert_eq!(themes(Role::Facilitator), ["phones"]);
    }

    #[test]
    fn only_the_author_edits_within_the_window() {
        let c =
            |me: i64, now: i64| thread_view(vec![row(1, None, 5, false, "published")], &viewer(me, Role::Member), now);
        assert!(c(5, 1_000 + 15 * 60)[0].can_edit);
        assert!(!c(5, 1_001 + 15 * 60)[0].can_edit);
        assert!(!c(6, 1_000)[0].can_edit);
    }

    fn queued(kind: &str, author: Option<&str>, gathered: &str) -> QueueRow {
        QueueRow {
            kind: kind.into(),
            id: 3,
            at: 1_799_589_600,
            status: "held".into(),
            author_name: author.map(Into::into),
            gathered_at: gathered.into(),
            context_title: "Evenings".into(),
            target_id: 8,
            reports: Json(vec!["personal_information".into(), "strange".into()]),
            texts: Json(vec![(11, "Words".into())]),
            history: Json(vec![
                AuditRow {
                    at: 1_799_589_600, actor: None, action: "held".into(), detail: "Triage matched “x”".into()
                },
                AuditRow {
                    at: 1_799_589_600,
                    actor: Some("Pat".into()),
                    action: "viewed".into(),
                    detail: String::new(),
                },
            ]),
        }
    }

    #[test]
    fn moderation_items_say_what_and_whose_they_are() {
        let r = moderation_item(queued("response", None, ""));
        assert_eq!(
            (r.author.as_str(), r.context.as_str(), r.link.as_str()),
            ("A visitor", "Answer to “Evenings”", "/consultations/8")
        );
        assert_eq!(moderation_item(queued("response", None, "Drop-in")).author, "Gathered in person: Drop-in");
        assert_eq!(moderation_item(queued("response", Some("Sam"), "Drop-in")).author, "Sam");
        let c = moderation_item(queued("comment", Some("Sam"), ""));
        assert_eq!((c.context.as_str(), c.link.as_str()), ("Comment on “Evenings”", "/prototypes/8#comment-3"));
        assert!(c.held);
        assert_eq!(c.reports, ["It shares personal information", "strange"]);
        assert_eq!(c.at, "10 Jan 2027, 14:00 GMT");
        assert_eq!(c.texts, [(11, "Words".to_string())]);
        assert_eq!(c.history.iter().map(|h| h.actor.as_str()).collect::<Vec<_>>(), ["Triage", "Pat"]);
    }

    #[test]
    fn own_contributions_link_to_where_they_were_made() {
        let mine = |kind: &str| MineRow {
            kind: kind.into(),
            id: 3,
            context_title: "Evenings".into(),
            target_id: 8,
            created_at: 1_799_589_600,
            status: "published".into(),
            acted_iteration: Some(2),
            not_taken_reason: None,
            prototype_id: 4,
        };
        let r = my_contribution(mine("response"));
        assert_eq!((r.title.as_str(), r.link.as_str()), ("Your answers to “Evenings”", "/consultations/8"));
        assert_eq!(r.outcome, Outcome::ActedOn { prototype_id: 4, iteration: 2 });
        let c = my_contribution(mine("comment"));
        assert_eq!((c.title.as_str(), c.link.as_str()), ("Your comment on “Evenings”", "/prototypes/8#comment-3"));
        assert!(!c.held);
    }

    #[test]
    fn outcomes() {
        assert_eq!(outcome(1, None, None), Outcome::Open);
        assert_eq!(outcome(1, None, Some("no".into())), Outcome::NotTakenForward { reason: "no".into() });
        assert_eq!(outcome(1, Some(2), Some("no".into())), Outcome::ActedOn { prototype_id: 1, iteration: 2 });
    }
}
