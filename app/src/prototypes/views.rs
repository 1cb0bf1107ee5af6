//! Page views assembled from the store's rows: dates formatted in UK time, what the viewer
//! may see decided (with `auth::policy`), nothing read. Plain functions, tested below.

use super::{
    store::{
        CardRow, ChoicesRow, ColumnRow, ConflictRow, DraftLinks, DraftRow, EventRow, IterationHead, PrototypePageRow,
        RoundRow,
    },
    Card, Column, Conflict, DraftForm, EventKind, Iteration, PrototypeView, TimelineEvent,
};
use crate::{
    auth::{
        policy::{allowed, Action},
        Role,
    },
    consultations::{rules, Audience, RoundSummary},
    error::AppError,
    time::when,
};

/// Whether a prototype with `iteration_count` published iterations is visible to `role`:
/// one never published is the design group's draft.
pub fn visible(role: Option<Role>, iteration_count: i64) -> bool {
    allowed(role, Action::ReadPublished) && (iteration_count > 0 || allowed(role, Action::ReadDrafts))
}

pub fn card(r: CardRow) -> Card {
    Card {
        id: r.id,
        title: r.title,
        summary: r.summary,
        stage_id: r.stage_id,
        themes: r.themes.0,
        iteration_count: r.iteration_count,
        last_activity: when(r.last_activity),
    }
}

pub fn column(c: ColumnRow) -> Column {
    Column { stage: c.stage, cards: c.cards.into_iter().map(card).collect(), total: c.total }
}

pub fn iteration(h: IterationHead) -> Iteration {
    Iteration {
        number: h.number,
        title: h.title,
        change_note: h.change_note,
        published_by: h.published_by,
        published_at: when(h.published_at),
    }
}

pub fn event(e: EventRow) -> TimelineEvent {
    let kind = match e.kind.as_str() {
        "iteration" => EventKind::Iteration { number: e.iteration_number.unwrap_or_default() },
        "stage_move" => {
            EventKind::StageMove { from: e.from_stage.unwrap_or_default(), to: e.to_stage.unwrap_or_default() }
        }
        "consultation" => EventKind::Consultation {
            round: e.ref_id.unwrap_or_default(),
            iteration: e.iteration_number.unwrap_or_default(),
        },
        "decision" => {
            EventKind::Decision { motion: e.ref_id.unwrap_or_default(), meeting: e.meeting_id.unwrap_or_default() }
        }
        "rollout" => EventKind::Rollout { site: e.site.unwrap_or_default(), status: e.detail.unwrap_or_default() },
        _ => EventKind::Created,
    };
    TimelineEvent { at: when(e.at), actor: e.actor, kind, note: e.note }
}

/// A round on the prototype page, its status as of `now`.
pub fn round(r: RoundRow, prototype_id: i64, prototype_title: &str, now: i64) -> RoundSummary {
    RoundSummary {
        id: r.id,
        title: r.title,
        prototype_id,
        prototype_title: prototype_title.to_string(),
        iteration_number: r.iteration_number,
        audience: Audience::parse(&r.audience).unwrap_or(Audience::Members),
        status: rules::status(now, r.opens_at, r.closes_at, r.closed_early_at),
        opens: when(r.opens_at),
        closes: when(r.closed_early_at.map_or(r.closes_at, |c| c.min(r.closes_at))),
        responses: r.responses,
    }
}

/// The prototype page for `role`: `NotFound` when they may not see it; rounds only those
/// whose audience admits them; the edit and move controls for those who may edit.
pub fn prototype(
    row: PrototypePageRow,
    latest_html: String,
    role: Option<Role>,
    now: i64,
) -> Result<PrototypeView, AppError> {
    if !visible(role, row.iteration_count) {
        return Err(AppError::NotFound);
    }
    let all_stages = row.stages.0;
    let stage =
        all_stages.iter().find(|s| s.id == row.stage_id).cloned().ok_or_else(|| AppError::internal("unknown stage"))?;
    let rounds = row
        .rounds
        .0
        .into_iter()
        .map(|r| round(r, row.id, &row.title, now))
        .filter(|r| r.audience.admits(role).is_ok())
        .collect();
    Ok(PrototypeView {
        id: row.id,
        title: row.title,
        summary: row.summary,
        stage,
        themes: row.themes.0,
        authors: row.authors.0,
        statements: row.statements.0,
        values: row.values.0,
        latest: row.latest.map(|l| iteration(l.0)),
        latest_html,
        iteration_numbers: row.iteration_numbers.0,
        timeline: row.timeline.0.into_iter().map(event).collect(),
        rounds,
        can_edit: allowed(role, Action::EditPrototypes),
        stages: all_stages.into_iter().filter(|s| !s.retired).collect(),
    })
}

/// The editor's form: an existing draft (`id`, `draft`, maybe a refused save of the
/// viewer's) or a new one from the template, with the choices in use.
pub fn draft_form(
    id: Option<i64>,
    draft: Option<DraftRow>,
    conflict: Option<ConflictRow>,
    me: i64,
    choices: ChoicesRow,
) -> DraftForm {
    let statements = choices.statements.0.into_iter().filter(|s| !s.retired).collect();
    let values = choices.values.0.into_iter().filter(|v| !v.retired).collect();
    let (designers, theme_suggestions) = (choices.designers.0, choices.themes.0);
    let conflict = conflict.map(|c| Conflict { id: c.id, title: c.title, summary: c.summary, body: c.body });
    match draft {
        Some(d) => {
            let DraftLinks { authors, mut themes, statements: statement_ids, values: value_ids } =
                DraftLinks::parse(&d.draft_links);
            themes.sort();
            DraftForm {
                id,
                title: d.draft_title,
                summary: d.draft_summary,
                body: d.draft_body,
                revision: d.draft_revision,
                themes: themes.join(", "),
                author_ids: authors,
                statement_ids,
                value_ids,
                designers,
                statements,
                values,
                theme_suggestions,
                conflict,
                iteration_count: d.iteration_count,
                preview_html: None,
            }
        }
        None => DraftForm {
            id: None,
            title: String::new(),
            summary: String::new(),
            body: super::fields::TEMPLATE.to_string(),
            revision: 0,
            themes: String::new(),
            author_ids: vec![me],
            statement_ids: Vec::new(),
            value_ids: Vec::new(),
            designers,
            statements,
            values,
            theme_suggestions,
            conflict: None,
            iteration_count: 0,
            preview_html: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{json_column::Json, prototypes::Person, stages::Stage};

    fn stage(id: i64, name: &str, retired: bool) -> Stage {
        Stage { id, name: name.into(), position: id, closed: false, retired, requires_iteration: false }
    }

    fn round_row(id: i64, audience: &str) -> RoundRow {
        RoundRow {
            id,
            title: format!("Round {id}"),
            iteration_number: 1,
            audience: audience.into(),
            opens_at: 1_800_000_000,
            closes_at: 1_800_100_000,
            closed_early_at: None,
            responses: 2,
        }
    }

    fn page(iteration_count: i64) -> PrototypePageRow {
        PrototypePageRow {
            id: 7,
            title: "Hub".into(),
            summary: "One front door".into(),
            stage_id: 2,
            iteration_count,
            stages: Json(vec![stage(1, "Idea", false), stage(2, "Testing", false), stage(3, "Old", true)]),
            themes: Json(vec!["access".into()]),
            authors: Json(vec![Person { id: 1, name: "Amira".into() }]),
            statements: Json(Vec::new()),
            values: Json(Vec::new()),
            iteration_numbers: Json((1..=iteration_count).collect()),
            latest: (iteration_count > 0).then(|| {
                Json(IterationHead {
                    id: 40,
                    number: iteration_count,
                    title: "Hub".into(),
                    change_note: "First try".into(),
                    published_by: "Amira".into(),
                    published_at: 1_815_224_400,
                })
            }),
            timeline: Json(vec![EventRow {
                kind: "stage_move".into(),
                at: 1_815_224_400,
                actor: Some("Amira".into()),
                iteration_number: None,
                from_stage: Some("Idea".into()),
                to_stage: Some("Testing".into()),
                note: "Ready".into(),
                ref_id: None,
                meeting_id: None,
                site: None,
                detail: None,
            }]),
            rounds: Json(vec![round_row(1, "public"), round_row(2, "members")]),
        }
    }

    #[test]
    fn drafts_are_the_design_groups_and_published_prototypes_everyones() {
        assert!(!visible(None, 3), "visitors see no prototype page");
        assert!(!visible(Some(Role::Member), 0));
        assert!(visible(Some(Role::Contributor), 1));
        assert!(visible(Some(Role::DesignGroup), 0));
        assert_eq!(prototype(page(0), String::new(), Some(Role::Member), 0), Err(AppError::NotFound));
    }

    #[test]
    fn the_prototype_page_shows_what_its_viewer_may_see() {
        let now = 1_800_050_000;
        let v = prototype(page(2), "<p>text</p>".into(), Some(Role::Contributor), now).unwrap();
        assert_eq!(v.stage.name, "Testing");
        assert_eq!(v.stages.iter().map(|s| s.id).collect::<Vec<_>>(), [1, 2], "retired stages are not offered");
        assert!(!v.can_edit);
        assert_eq!(v.rounds.iter().map(|r| r.id).collect::<Vec<_>>(), [1], "members' rounds hidden from contributors");
        assert_eq!(v.rounds[0].status, crate::consultations::RoundStatus::Open);
        assert_eq!(v.latest.as_ref().unwrap().published_at, "10 Jul 2027, 14:00 BST");
        assert_eq!(v.latest_html, "<p>text</p>");
        assert_eq!(v.timeline[0].kind, EventKind::StageMove { from: "Idea".into(), to: "Testing".into() });
        let v = prototype(page(2), String::new(), Some(Role::DesignGroup), now).unwrap();
        assert!(v.can_edit);
        assert_eq!(v.rounds.len(), 2);
    }

    #[test]
    fn a_round_closed_early_shows_its_early_close() {
        let mut r = round_row(1, "public");
        r.closed_early_at = Some(1_800_050_000);
        let s = round(r, 7, "Hub", 1_800_060_000);
        assert_eq!(s.status, crate::consultations::RoundStatus::Closed);
        assert_eq!(s.closes, when(1_800_050_000));
        assert_eq!((s.prototype_id, s.prototype_title.as_str()), (7, "Hub"));
    }
}
