//! Vision server functions: anyone may read it (the home page links to it, and another
//! collaborative may want to see it); facilitators write it.

use leptos::prelude::*;

use super::{HistoryView, VisionView};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{parse_body, parse_note, store, VersionItem, PAGE_SIZE},
    crate::{
        auth::{
            policy::{allowed, require, Action},
            session,
        },
        state::db,
        time::when,
    },
};

#[server(prefix = "/api", endpoint = "load_vision")]
pub async fn load_vision() -> Result<VisionView, AppError> {
    let role = session::viewer_role().await?;
    let current = store::current(&db()?.read).await?;
    let editor = allowed(role, Action::ManageSettings)
        .then(|| current.as_ref().map(|v| (v.body.clone(), v.id)).unwrap_or_default());
    Ok(VisionView {
        html: current.as_ref().map(|v| v.body_html.clone()),
        edited: current.map(|v| format!("Version {}, {}", v.number, when(v.edited_at))),
        editor,
    })
}

/// Saves a new version. `based_on` is the version the editor started from, so two
/// facilitators editing at once cannot overwrite each other.
#[server(prefix = "/api", endpoint = "save_vision")]
pub async fn save_vision(body: String, note: String, based_on: i64) -> Result<(), AppError> {
    let me = require(Action::ManageSettings).await?;
    let kept = [("body", body.as_str()), ("note", note.as_str())];
    let text = parse_body(&body).map_err(|e| e.keeping(&kept))?;
    let note_text = parse_note(&note).map_err(|e| e.keeping(&kept))?;
    let html = crate::markdown::render(&text);
    store::save(&db()?.write, &text, &html, &note_text, me.id, based_on).await.map_err(|e| match e {
        AppError::Conflict(m) => {
            AppError::Invalid { field: Some("body".into()), message: m, kept: Vec::new() }.keeping(&kept)
        }
        other => other,
    })?;
    leptos_axum::redirect("/vision?saved=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "vision_history")]
pub async fn vision_history(page: Option<i64>, version: Option<i64>) -> Result<HistoryView, AppError> {
    let role = session::viewer_role().await?;
    let page = crate::site::page_number(page)?;
    let db = db()?;
    let rows = store::page(&db.read, page, PAGE_SIZE).await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    // Names of who edited are for people signed in; a visitor reads "a facilitator".
    let signed_in = role.is_some();
    let versions = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|v| VersionItem {
            number: v.number,
            edited: when(v.edited_at),
            by: match (&v.editor, signed_in) {
                (Some(name), true) => name.clone(),
                _ => "a facilitator".into(),
            },
            note: v.note,
        })
        .collect();
    let compared = match version {
        Some(n) => {
            let pair = store::with_previous(&db.read, n).await?;
            let (old, new) = match pair.as_slice() {
                [only] if only.number == n => (String::new(), only.body.clone()),
                [old, new] if new.number == n => (old.body.clone(), new.body.clone()),
                _ => return Err(AppError::NotFound),
            };
            Some((n, crate::prototypes::diff::diff(&old, &new)))
        }
        None => None,
    };
    Ok(HistoryView { versions, page, has_more, compared })
}
