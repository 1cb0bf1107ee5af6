//! Prototype server functions: parse → `require(Action)` → store → assemble the view
//! (`views.rs`). Each page reads what it shows in one statement of its own, plus one for a
//! published iteration's HTML the first time this process shows it (`cache.rs`).

use leptos::prelude::*;

use super::{Column, DiffView, DraftForm, IterationView, ListPage, PrototypeView};
use crate::{error::AppError, statements::Statement, vision::Value};
#[cfg(feature = "ssr")]
use {
    super::{
        cache,
        fields::{Body, ChangeNote, Reason, Summary, Themes, Title},
        store::{self, DraftInput, ListFilter, Saved},
        views, BOARD_PER_COLUMN, LIST_PAGE_SIZE,
    },
    crate::{
        auth::policy::{may, require, Action},
        state::{caches, db},
        time::now,
    },
};

/// The board's columns and the statements and values for its filters.
pub type BoardView = (Vec<Column>, Vec<Statement>, Vec<Value>);

/// The board, optionally only the prototypes addressing one experience statement and/or
/// serving one value.
#[server(prefix = "/api", endpoint = "board")]
pub async fn board(statement: Option<i64>, value: Option<i64>) -> Result<BoardView, AppError> {
    let me = require(Action::ReadPublished).await?;
    let row = store::board(&db()?.read, !may(&me, Action::ReadDrafts), statement, value, BOARD_PER_COLUMN).await?;
    let values = row.values.0.into_iter().filter(|v| !v.retired).collect();
    Ok((row.columns.0.into_iter().map(views::column).collect(), row.statements.0, values))
}

#[server(prefix = "/api", endpoint = "list_prototypes")]
#[allow(clippy::too_many_arguments)]
pub async fn list_prototypes(
    stage: Option<i64>,
    theme: Option<String>,
    statement: Option<i64>,
    value: Option<i64>,
    author: Option<i64>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
) -> Result<ListPage, AppError> {
    let me = require(Action::ReadPublished).await?;
    let db = db()?;
    let filter = ListFilter {
        stage,
        theme: theme.filter(|t| !t.is_empty()),
        statement,
        value,
        author,
        search: q,
        sort: sort.unwrap_or_default(),
        published_only: !may(&me, Action::ReadDrafts),
    };
    let page = crate::site::page_number(page)?;
    let (rows, total) = store::list(&db.read, &filter, page, LIST_PAGE_SIZE).await?;
    let choices = store::choices(&db.read).await?;
    let has_more = rows.len() as i64 > LIST_PAGE_SIZE;
    Ok(ListPage {
        cards: rows.into_iter().take(LIST_PAGE_SIZE as usize).map(views::card).collect(),
        page,
        has_more,
        total,
        stages: choices.stages.0,
        statements: choices.statements.0,
        values: choices.values.0.into_iter().filter(|v| !v.retired).collect(),
        themes: choices.themes.0,
        authors: choices.designers.0,
    })
}

#[server(prefix = "/api", endpoint = "prototype")]
pub async fn prototype(id: i64) -> Result<PrototypeView, AppError> {
    let me = require(Action::ReadPublished).await?;
    let db = db()?;
    let row = store::page(&db.read, id).await?.ok_or(AppError::NotFound)?;
    let role = Some(me.role);
    if !views::visible(role, row.iteration_count) {
        return Err(AppError::NotFound);
    }
    let html = match &row.latest {
        Some(latest) => cache::body(&db.read, &caches()?.iterations, latest.0.id).await?.html.clone(),
        None => String::new(),
    };
    views::prototype(row, html, role, now())
}

/// One iteration, split into sections, with the prototype's title and every iteration
/// number (for navigation).
#[server(prefix = "/api", endpoint = "iteration_page")]
pub async fn iteration_page(id: i64, number: i64) -> Result<IterationView, AppError> {
    let me = require(Action::ReadPublished).await?;
    let db = db()?;
    let row = store::iteration_page(&db.read, id, number).await?.ok_or(AppError::NotFound)?;
    if !views::visible(Some(me.role), row.iteration_count) {
        return Err(AppError::NotFound);
    }
    let head = row.iteration.ok_or(AppError::NotFound)?.0;
    let body = cache::body(&db.read, &caches()?.iterations, head.id).await?;
    Ok(IterationView {
        prototype_title: row.title,
        iteration: views::iteration(head),
        sections: body.sections.clone(),
        numbers: row.numbers.0,
        can_note: may(&me, Action::EditPrototypes),
    })
}

#[server(prefix = "/api", endpoint = "compare")]
pub async fn compare(id: i64, from: i64, to: i64) -> Result<DiffView, AppError> {
    let me = require(Action::ReadPublished).await?;
    let row = store::diff(&db()?.read, id, from, to).await?.ok_or(AppError::NotFound)?;
    if !views::visible(Some(me.role), row.iteration_count) {
        return Err(AppError::NotFound);
    }
    let (Some(old_title), Some(old), Some(new_title), Some(new)) =
        (row.from_title, row.from_body, row.to_title, row.to_body)
    else {
        return Err(AppError::NotFound);
    };
    Ok(DiffView {
        prototype_id: id,
        prototype_title: row.title,
        from,
        to,
        numbers: row.numbers.0,
        title_change: (old_title != new_title).then_some((old_title, new_title)),
        lines: super::diff::diff(&old, &new),
    })
}

/// The editor's data; `preview` also renders the saved draft (the no-JavaScript preview).
#[server(prefix = "/api", endpoint = "load_draft")]
pub async fn load_draft(id: Option<i64>, conflict: Option<i64>, preview: Option<bool>) -> Result<DraftForm, AppError> {
    let me = require(Action::EditPrototypes).await?;
    let db = db()?;
    let (draft, refused) = match id {
        Some(id) => {
            let (draft, refused) =
                store::draft(&db.read, id, conflict.map(|c| (c, me.id))).await?.ok_or(AppError::NotFound)?;
            (Some(draft), refused)
        }
        None => (None, None),
    };
    let mut form = views::draft_form(id, draft, refused, me.id, store::choices(&db.read).await?);
    if preview == Some(true) {
        form.preview_html = Some(crate::markdown::render(&form.body));
    }
    Ok(form)
}

/// Where to go after a save: back to the editor, showing the preview if that was asked for.
#[cfg(feature = "ssr")]
fn after_save(id: i64, intent: Option<&str>) -> String {
    match intent {
        Some("preview") => format!("/prototypes/{id}/edit?preview=1#preview"),
        _ => format!("/prototypes/{id}/edit?saved=1"),
    }
}

/// A draft's fields, parsed.
#[cfg(feature = "ssr")]
struct Draft {
    title: Title,
    summary: Summary,
    body: Body,
    themes: Themes,
    authors: Vec<i64>,
    statements: Vec<i64>,
    values: Vec<i64>,
}

#[cfg(feature = "ssr")]
impl Draft {
    /// Parses the form; on a refusal, the short fields are kept for a form posted without
    /// JavaScript (the body only when small: it travels back in the URL).
    fn parse(
        title: &str,
        summary: &str,
        body: &str,
        themes: &str,
        authors: Option<Vec<i64>>,
        statements: Option<Vec<i64>>,
        values: Option<Vec<i64>>,
    ) -> Result<Draft, AppError> {
        let parsed =
            (|| Ok((Title::parse(title)?, Summary::parse(summary)?, Body::parse(body)?, Themes::parse(themes)?)))();
        let (title_, summary_, body_, themes_) = parsed.map_err(|e: AppError| {
            let body_kept = if body.len() <= 8 * 1024 { body } else { "" };
            e.keeping(&[("title", title), ("summary", summary), ("themes", themes), ("body", body_kept)])
        })?;
        Ok(Draft {
            title: title_,
            summary: summary_,
            body: body_,
            themes: themes_,
            authors: authors.unwrap_or_default(),
            statements: statements.unwrap_or_default(),
            values: values.unwrap_or_default(),
        })
    }

    fn input(&self) -> DraftInput<'_> {
        DraftInput {
            title: self.title.as_str(),
            summary: self.summary.as_str(),
            body: self.body.as_str(),
            themes: self.themes.as_slice(),
            author_ids: &self.authors,
            statement_ids: &self.statements,
            value_ids: &self.values,
        }
    }
}

#[server(prefix = "/api", endpoint = "create_prototype")]
#[allow(clippy::too_many_arguments)]
pub async fn create_prototype(
    title: String,
    summary: String,
    body: String,
    themes: String,
    authors: Option<Vec<i64>>,
    statements: Option<Vec<i64>>,
    values: Option<Vec<i64>>,
    intent: Option<String>,
) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let draft = Draft::parse(&title, &summary, &body, &themes, authors, statements, values)?;
    let id = store::create(&db()?.write, &draft.input(), me.id).await?;
    tracing::info!(prototype = id, by = me.id, "prototype created");
    leptos_axum::redirect(&after_save(id, intent.as_deref()));
    Ok(())
}

/// Saves the draft. `revision` is the one the form started from: if someone saved since,
/// nothing is overwritten; the refused text is kept and both are shown side by side.
#[server(prefix = "/api", endpoint = "save_draft")]
#[allow(clippy::too_many_arguments)]
pub async fn save_draft(
    id: i64,
    revision: i64,
    title: String,
    summary: String,
    body: String,
    themes: String,
    authors: Option<Vec<i64>>,
    statements: Option<Vec<i64>>,
    values: Option<Vec<i64>>,
    intent: Option<String>,
) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let draft = Draft::parse(&title, &summary, &body, &themes, authors, statements, values)?;
    if draft.authors.is_empty() {
        return Err(AppError::invalid("authors", "A prototype needs at least one co-author."));
    }
    match store::save(&db()?.write, id, revision, &draft.input(), me.id).await? {
        Saved::Done => leptos_axum::redirect(&after_save(id, intent.as_deref())),
        Saved::Conflict(c) => leptos_axum::redirect(&format!("/prototypes/{id}/edit?conflict={c}")),
    }
    Ok(())
}

/// Renders Markdown for the editor's preview (the same pipeline as published iterations).
#[server(prefix = "/api", endpoint = "preview")]
pub async fn preview(body: String) -> Result<String, AppError> {
    require(Action::EditPrototypes).await?;
    let body = Body::parse(&body)?;
    Ok(crate::markdown::render(body.as_str()))
}

#[server(prefix = "/api", endpoint = "publish_iteration")]
pub async fn publish_iteration(id: i64, change_note: String, acted: Option<Vec<String>>) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let note = ChangeNote::parse(&change_note).map_err(|e| e.keeping(&[("change_note", change_note.as_str())]))?;
    // "response:12" / "comment:5": the feedback this iteration acted on.
    let acted_on: Vec<(crate::feedback::ItemKind, i64)> = acted
        .unwrap_or_default()
        .iter()
        .map(|v| {
            v.split_once(':')
                .and_then(|(k, i)| Some((crate::feedback::ItemKind::parse(k)?, i.parse().ok()?)))
                .ok_or(AppError::BadRequest)
        })
        .collect::<Result<_, _>>()?;
    let number = store::publish(&db()?.write, id, note.as_str(), me.id, &acted_on).await?;
    tracing::info!(prototype = id, number, "iteration published");
    leptos_axum::redirect(&format!("/prototypes/{id}/iterations/{number}?published=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "move_stage")]
pub async fn move_stage(id: i64, stage: i64, reason: String) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let reason = Reason::parse(&reason).map_err(|e| e.keeping(&[("reason", reason.as_str())]))?;
    store::move_stage(&db()?.write, id, stage, reason.as_str(), me.id).await?;
    leptos_axum::redirect(&format!("/prototypes/{id}?moved=1"));
    Ok(())
}

/// Property tests (issue 9, finding 13): the draft form (`create_prototype`, `save_draft`)
/// never panics, and a refusal keeps the short fields and the body only when small.
#[cfg(all(test, feature = "ssr"))]
mod props {
    use proptest::prelude::*;

    use super::Draft;
    use crate::props::{config, value};

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn draft_form_never_panics(
            title in value(),
            summary in value(),
            body in prop_oneof![8 => value(), 1 => (8_190usize..8_200).prop_map(|n| "é".repeat(n / 2)), 1 => Just("x".repeat(210 * 1024))],
            themes in value(),
            authors in proptest::option::of(prop::collection::vec(any::<i64>(), 0..4)),
            statements in proptest::option::of(prop::collection::vec(any::<i64>(), 0..4)),
        ) {
            match Draft::parse(&title, &summary, &body, &themes, authors.clone(), statements.clone(), None) {
                Ok(d) => {
                    prop_assert_eq!(d.authors, authors.unwrap_or_default());
                    prop_assert_eq!(d.statements, statements.unwrap_or_default());
                    prop_assert!(d.body.as_str().len() <= crate::prototypes::fields::BODY_MAX_BYTES);
                }
                Err(e) => {
                    prop_assert_eq!(e.kept("title"), Some(title.clone()));
                    let kept_body = e.kept("body").unwrap_or_default();
                    prop_assert!(kept_body.len() <= 8 * 1024 && (kept_body.is_empty() || kept_body == body));
                }
            }
        }
    }
}
