//! The report's server function: parse → `require(Action)` → stores → view. A published
//! prototype's report is for every account; one never published is the design group's
//! ("not found" for anyone else). Each part is what the viewer may see where the app shows
//! it: rounds by audience, ratings (results summaries) and meetings' decisions and the
//! library for members and up, quotes as consent allows. About nine statements, whatever
//! the number of rounds, measures or sites. `report_for` builds the view; the server
//! function and the downloads (`download`, served by the server's `export` handlers) share
//! it, so a download never holds more than the page.

use leptos::prelude::*;

use super::ReportView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{store, views, NotesSection, RoundsSection, EXAMPLES_MAX, NOTES_MAX},
    crate::{
        auth::{
            policy::{check, may, require, Action},
            session::Viewer,
        },
        evaluation::{self, rules::long_date, MeasureKind},
        library::{self, store::NoteFilter},
        prototypes, rollout,
        state::{caches, db},
        suppression::MIN_GROUP,
        time::{now, today},
    },
};

#[server(prefix = "/api", endpoint = "prototype_report")]
pub async fn prototype_report(prototype: i64) -> Result<ReportView, AppError> {
    let me = require(Action::ReadPublished).await?;
    let (db, caches) = (db()?, caches()?);
    caches.reports.admit(me.id, now())?;
    report_for(&db.read, &me, prototype, &caches.iterations).await
}

/// Prototype `prototype`'s report as `viewer` may read it. The iteration cache is passed
/// in (not taken from Leptos's context) so plain axum handlers can call this too.
#[cfg(feature = "ssr")]
pub async fn report_for(
    pool: &sqlx::SqlitePool,
    viewer: &Viewer,
    prototype: i64,
    iterations: &prototypes::cache::Cache,
) -> Result<ReportView, AppError> {
    // The server function has checked this already; a download handler may not have.
    check(Some(viewer.role), Action::ReadPublished)?;
    let me = viewer;
    let row = prototypes::store::page(pool, prototype).await?.ok_or(AppError::NotFound)?;
    if !prototypes::views::visible(Some(me.role), row.iteration_count) {
        return Err(AppError::NotFound);
    }
    let published = row.iteration_count > 0;
    // The latest iteration split at its headings (cached: an iteration never changes).
    let sections = match row.latest.as_ref().map(|l| l.0.id) {
        Some(iteration) => prototypes::cache::body(pool, iterations, iteration).await?.sections.clone(),
        None => Vec::new(),
    };
    let t = now();
    let page = prototypes::views::prototype(row, String::new(), Some(me.role), t)?;
    // Results summaries, meetings and the library: members and up.
    let members = may(me, Action::TakePart);

    let story = store::story(pool, prototype, true, EXAMPLES_MAX).await?;
    let trends = if members { Some(views::trends(store::rating_rounds(pool, prototype, t).await?)) } else { None };
    let (decisions, decisions_in_full) = if members {
        (views::decisions(store::decisions(pool, prototype, me.id).await?, me.id), true)
    } else {
        (views::timeline_decisions(&page.timeline), false)
    };

    let measure_rows = evaluation::store::measures(pool, prototype).await?;
    let ratings = if members && measure_rows.iter().any(|m| m.kind == MeasureKind::Rating.as_str()) {
        evaluation::store::ratings(pool, prototype, None, t, MIN_GROUP as i64).await?
    } else {
        Vec::new()
    };
    let measures = measure_rows.iter().map(|m| evaluation::views::card(m, &ratings, members)).collect();

    let plan = rollout::store::plan(pool, prototype, 0).await?.ok_or(AppError::NotFound)?;
    let today_iso = rollout::rules::iso(today());
    let rollout = rollout::views::plan(prototype, plan, false, today_iso.clone());

    let notes = if members {
        let drafts = may(me, Action::ReadDrafts);
        let filter = NoteFilter { prototype: Some(prototype), unpublished_prototypes: drafts, ..NoteFilter::default() };
        let rows = library::store::list(pool, &filter, 0, NOTES_MAX).await?;
        let more = rows.len() as i64 > NOTES_MAX;
        let notes = rows.into_iter().take(NOTES_MAX as usize).map(|r| library::views::card(r, drafts)).collect();
        Some(NotesSection { notes, more })
    } else {
        None
    };

    let counts = (story.acted, story.not_taken, story.waiting);
    Ok(ReportView {
        prototype_id: prototype,
        problem: super::rules::problem_parts(&sections),
        iterations: views::iterations(&story.iterations),
        feedback: views::feedback(prototype, counts, story.examples.0, EXAMPLES_MAX as usize),
        statements: views::statements(&page.statements),
        rounds: RoundsSection { rounds: page.rounds, trends },
        title: page.title,
        summary: page.summary,
        stage: page.stage.name,
        themes: page.themes,
        published,
        decisions,
        decisions_in_full,
        measures,
        rollout,
        notes,
        printed_on: long_date(&today_iso),
    })
}
