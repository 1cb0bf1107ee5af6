//! Library server functions: parse → `require(Action)` → store → view. Members and up read
//! published notes; the design group and facilitators draft, edit and publish them (and read
//! drafts); anyone reads a published shareable note's public page. What each returns is
//! what the viewer may see (`views.rs` decides, with `feedback_shown`).

use leptos::prelude::*;

use super::{NoteForm, NoteList, NoteView, SharedNoteView, ThemeView};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        parse_kind,
        store::{self, NoteFilter, NoteInput},
        views, EvidenceKind, EvidenceRef, NoteFields, Reader, Typed, DRAFTS_SHOWN, EVIDENCE_MAX, PAGE_SIZE,
    },
    crate::{
        auth::policy::{may, require, Action},
        prototypes::fields::THEME_MAX,
        state::db,
    },
};

/// On a theme page: prototypes, notes and coded feedback shown at most.
#[cfg(feature = "ssr")]
const THEME_PROTOTYPES: i64 = 100;
#[cfg(feature = "ssr")]
const THEME_NOTES: i64 = 50;
#[cfg(feature = "ssr")]
const THEME_FEEDBACK: i64 = 100;

/// One page of published notes matching the filters, newest first; on the first page, for
/// the design group, the drafts too.
#[server(prefix = "/api", endpoint = "list_notes")]
pub async fn list_notes(
    kind: Option<String>,
    theme: Option<String>,
    prototype: Option<i64>,
    value: Option<i64>,
    statement: Option<i64>,
    page: Option<i64>,
) -> Result<NoteList, AppError> {
    let me = require(Action::TakePart).await?;
    let drafts = may(&me, Action::ReadDrafts);
    let page = crate::site::page_number(page)?;
    let kind = kind.filter(|k| !k.is_empty()).map(|k| parse_kind(&k)).transpose()?;
    let mut filter = NoteFilter {
        kind,
        theme: theme.filter(|t| !t.trim().is_empty()),
        prototype,
        value,
        statement,
        drafts: false,
        unpublished_prototypes: drafts,
    };
    let db = db()?;
    let rows = store::list(&db.read, &filter, page, PAGE_SIZE).await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let draft_rows = if drafts && page == 0 {
        filter.drafts = true;
        store::list(&db.read, &filter, 0, DRAFTS_SHOWN).await?
    } else {
        Vec::new()
    };
    let choices = store::filter_choices(&db.read, drafts).await?;
    Ok(NoteList {
        notes: rows.into_iter().take(PAGE_SIZE as usize).map(|r| views::card(r, drafts)).collect(),
        drafts: draft_rows.into_iter().take(DRAFTS_SHOWN as usize).map(|r| views::card(r, drafts)).collect(),
        page,
        has_more,
        themes: choices.themes.0,
        prototypes: choices.prototypes.0,
        values: choices.values.0,
        statements: choices.statements.0,
        can_write: may(&me, Action::EditPrototypes),
    })
}

/// One note with its evidence. A draft is "not found" to anyone outside the design group.
#[server(prefix = "/api", endpoint = "library_note")]
pub async fn library_note(id: i64) -> Result<NoteView, AppError> {
    let me = require(Action::TakePart).await?;
    let design = may(&me, Action::ReadDrafts);
    let db = db()?;
    let note = store::note(&db.read, id).await?.ok_or(AppError::NotFound)?;
    if note.status != "published" && !design {
        return Err(AppError::NotFound);
    }
    let rows = store::evidence(&db.read, id).await?;
    let reader = if design { Reader::DesignGroup } else { Reader::Member };
    Ok(views::note(note, rows, reader, may(&me, Action::EditPrototypes)))
}

/// The public page of a published, shareable note, for anyone; "not found" otherwise (a
/// draft or a note not marked shareable gives nothing away, not even that it exists).
#[server(prefix = "/api", endpoint = "shared_note")]
pub async fn shared_note(id: i64) -> Result<SharedNoteView, AppError> {
    let db = db()?;
    let note = store::note(&db.read, id)
        .await?
        .filter(|n| n.status == "published" && n.shareable)
        .ok_or(AppError::NotFound)?;
    let rows = store::evidence(&db.read, id).await?;
    Ok(views::shared(note, rows))
}

/// The editor's data: the note (`id`) or an empty one, with the prototype (`prototype`,
/// else the note's) and evidence already chosen: a note's own, or for a new note what the
/// link names (`evidence`: `kind:id` each, and `iteration`: the prototype's iteration by
/// number, as the "Add what we learned" prompts send them).
#[server(prefix = "/api", endpoint = "load_note_form")]
pub async fn load_note_form(
    id: Option<i64>,
    prototype: Option<i64>,
    iteration: Option<i64>,
    evidence: Option<Vec<String>>,
) -> Result<NoteForm, AppError> {
    require(Action::EditPrototypes).await?;
    let db = db()?;
    let saved = match id {
        Some(id) => Some(store::note(&db.read, id).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let (rows, prototype) = match &saved {
        Some(n) => (store::evidence(&db.read, n.id).await?, prototype.or(n.prototype_id)),
        None => {
            // A hand-made link may name things that do not exist: they are simply not offered.
            let mut refs: Vec<EvidenceRef> = evidence
                .unwrap_or_default()
                .iter()
                .filter_map(|v| EvidenceRef::parse(v.as_str()))
                .take(EVIDENCE_MAX)
                .collect();
            if let (Some(p), Some(n)) = (prototype, iteration) {
                if let Some(id) = store::iteration_id(&db.read, p, n).await? {
                    refs.push(EvidenceRef { kind: EvidenceKind::Iteration, id });
                }
            }
            refs.sort();
            refs.dedup();
            (store::resolve(&db.read, &refs).await?, prototype)
        }
    };
    let candidates = match prototype {
        Some(p) => Some(store::candidates(&db.read, p).await?),
        None => None,
    };
    let choices = store::editor_choices(&db.read).await?;
    Ok(views::form(saved, prototype, rows, candidates, choices))
}

/// A parsed form, ready for the store (the Markdown rendered and sanitised once, at save).
#[cfg(feature = "ssr")]
fn input<'a>(f: &'a NoteFields, html: &'a str) -> NoteInput<'a> {
    NoteInput {
        title: &f.title,
        body: &f.body,
        body_html: html,
        kind: f.kind,
        prototype: f.prototype,
        shareable: f.shareable,
        themes: &f.themes,
        evidence: &f.evidence,
    }
}

/// Creates a draft note. Nothing is written unless all of it is valid.
#[server(prefix = "/api", endpoint = "create_note")]
#[allow(clippy::too_many_arguments)]
pub async fn create_note(
    title: String,
    body: String,
    kind: String,
    themes: String,
    prototype: Option<String>,
    shareable: Option<String>,
    evidence: Option<Vec<String>>,
) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let evidence = evidence.unwrap_or_default();
    let typed = Typed {
        title: &title,
        body: &body,
        kind: &kind,
        themes: &themes,
        prototype: prototype.as_deref(),
        shareable: shareable.as_deref(),
        evidence: &evidence,
    };
    let fields = typed.parse()?;
    let html = crate::markdown::render(&fields.body);
    let id = store::create(&db()?.write, &input(&fields, &html), me.id).await.map_err(|e| typed.keep(e))?;
    tracing::info!(note = id, by = me.id, "learning note created");
    leptos_axum::redirect(&format!("/library/{id}?saved=1"));
    Ok(())
}

/// Saves an edit. A published note stays published.
#[server(prefix = "/api", endpoint = "save_note")]
#[allow(clippy::too_many_arguments)]
pub async fn save_note(
    id: i64,
    title: String,
    body: String,
    kind: String,
    themes: String,
    prototype: Option<String>,
    shareable: Option<String>,
    evidence: Option<Vec<String>>,
) -> Result<(), AppError> {
    require(Action::EditPrototypes).await?;
    let evidence = evidence.unwrap_or_default();
    let typed = Typed {
        title: &title,
        body: &body,
        kind: &kind,
        themes: &themes,
        prototype: prototype.as_deref(),
        shareable: shareable.as_deref(),
        evidence: &evidence,
    };
    let fields = typed.parse()?;
    let html = crate::markdown::render(&fields.body);
    store::update(&db()?.write, id, &input(&fields, &html)).await.map_err(|e| typed.keep(e))?;
    leptos_axum::redirect(&format!("/library/{id}?saved=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "publish_note")]
pub async fn publish_note(id: i64) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    store::publish(&db()?.write, id).await?;
    tracing::info!(note = id, by = me.id, "learning note published");
    leptos_axum::redirect(&format!("/library/{id}?published=1"));
    Ok(())
}

/// Everything under one theme: prototypes with it (published ones, drafts too for the
/// design group), notes with it, and, for the design group and facilitators, the published
/// feedback they coded with it.
#[server(prefix = "/api", endpoint = "theme_page")]
pub async fn theme_page(name: String) -> Result<ThemeView, AppError> {
    let me = require(Action::TakePart).await?;
    // Themes are stored as the editors tidy them: spaces folded, at most 40 characters.
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > THEME_MAX {
        return Err(AppError::NotFound);
    }
    let drafts = may(&me, Action::ReadDrafts);
    let db = db()?;
    let filter = crate::prototypes::store::ListFilter {
        theme: Some(name.clone()),
        published_only: !drafts,
        ..Default::default()
    };
    let (cards, _) = crate::prototypes::store::list(&db.read, &filter, 0, THEME_PROTOTYPES).await?;
    let mut notes_filter = NoteFilter { theme: Some(name.clone()), ..Default::default() };
    let notes = store::list(&db.read, &notes_filter, 0, THEME_NOTES).await?;
    let draft_notes = if drafts {
        notes_filter.drafts = true;
        store::list(&db.read, &notes_filter, 0, THEME_NOTES).await?
    } else {
        Vec::new()
    };
    let feedback = if may(&me, Action::EditPrototypes) {
        Some(
            store::coded_feedback(&db.read, &name, THEME_FEEDBACK)
                .await?
                .into_iter()
                .filter_map(views::coded)
                .collect(),
        )
    } else {
        None
    };
    // A theme nobody uses is no page: a link must not put any words it likes on a heading.
    let no_feedback = feedback.as_ref().is_none_or(|f: &Vec<_>| f.is_empty());
    if cards.is_empty() && notes.is_empty() && draft_notes.is_empty() && no_feedback {
        return Err(AppError::NotFound);
    }
    Ok(ThemeView {
        prototypes: cards.into_iter().take(THEME_PROTOTYPES as usize).map(crate::prototypes::views::card).collect(),
        notes: notes.into_iter().take(THEME_NOTES as usize).map(|r| views::card(r, drafts)).collect(),
        drafts: draft_notes.into_iter().take(THEME_NOTES as usize).map(|r| views::card(r, drafts)).collect(),
        feedback,
        name,
    })
}
