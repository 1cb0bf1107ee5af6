//! Vision server functions: anyone may read it (the home page links to it, and another
//! collaborative may want to see it); facilitators write it.

use leptos::prelude::*;

use super::{HistoryView, Value, ValueView, VisionView};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{parse_body, parse_note, store, values, VersionItem, PAGE_SIZE},
    crate::{
        auth::{
            policy::{allowed, require, Action},
            session,
        },
        ordering::{self, Ordered},
        prototypes::{store as prototypes, views},
        state::db,
        time::when,
    },
};

#[server(prefix = "/api", endpoint = "load_vision")]
pub async fn load_vision() -> Result<VisionView, AppError> {
    let role = session::viewer_role().await?;
    let db = db()?;
    let current = store::current(&db.read).await?;
    let manage = allowed(role, Action::ManageSettings);
    let editor = manage.then(|| current.as_ref().map(|v| (v.body.clone(), v.id)).unwrap_or_default());
    let values = store::values(&db.read).await?.into_iter().filter(|v| manage || !v.retired).collect();
    Ok(VisionView {
        html: current.as_ref().map(|v| v.body_html.clone()),
        edited: current.map(|v| format!("Version {}, {}", v.number, when(v.edited_at))),
        editor,
        values,
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

/// Every value in use, in order (for editors and filters).
#[server(prefix = "/api", endpoint = "list_values")]
pub async fn list_values() -> Result<Vec<Value>, AppError> {
    Ok(store::values(&db()?.read).await?.into_iter().filter(|v| !v.retired).collect())
}

/// How many prototypes a value's page lists.
#[cfg(feature = "ssr")]
const VALUE_PAGE_CARDS: i64 = 100;

/// A value and the prototypes serving it. The value is public, like the vision; the
/// prototypes are for people signed in (visitors get `None` and are asked to sign in).
#[server(prefix = "/api", endpoint = "value_page")]
pub async fn value_page(id: i64) -> Result<ValueView, AppError> {
    let viewer = session::viewer().await?;
    let db = db()?;
    let value = store::value(&db.read, id).await?.ok_or(AppError::NotFound)?;
    let cards = match viewer {
        Some(me) if allowed(Some(me.role), Action::ReadPublished) => {
            let filter = prototypes::ListFilter {
                value: Some(id),
                published_only: !allowed(Some(me.role), Action::ReadDrafts),
                ..Default::default()
            };
            let (cards, _) = prototypes::list(&db.read, &filter, 0, VALUE_PAGE_CARDS).await?;
            Some(cards.into_iter().take(VALUE_PAGE_CARDS as usize).map(views::card).collect())
        }
        _ => None,
    };
    Ok(ValueView { value, cards })
}

#[server(prefix = "/api", endpoint = "add_value")]
pub async fn add_value(name: String, description: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let (n, d) = values::parse(&name, &description)
        .map_err(|e| e.keeping(&[("name", name.as_str()), ("description", description.as_str())]))?;
    store::add_value(&db()?.write, &n, &d).await?;
    leptos_axum::redirect("/vision?saved=values#values-heading");
    Ok(())
}

#[server(prefix = "/api", endpoint = "update_value")]
pub async fn update_value(id: i64, name: String, description: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let (n, d) = values::parse(&name, &description)?;
    store::update_value(&db()?.write, id, &n, &d).await?;
    leptos_axum::redirect("/vision?saved=values#values-heading");
    Ok(())
}

#[server(prefix = "/api", endpoint = "retire_value")]
pub async fn retire_value(id: i64, retired: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    store::set_value_retired(&db()?.write, id, retired == "true").await?;
    leptos_axum::redirect("/vision?saved=values#values-heading");
    Ok(())
}

#[server(prefix = "/api", endpoint = "reorder_value")]
pub async fn reorder_value(id: i64, direction: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    ordering::move_item(&db()?.write, Ordered::Values, id, &direction).await?;
    leptos_axum::redirect("/vision?saved=values#values-heading");
    Ok(())
}
