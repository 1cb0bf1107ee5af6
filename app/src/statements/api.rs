//! Experience-statement server functions: reading for every account, changes for facilitators.

use leptos::prelude::*;

use super::Statement;
use crate::{error::AppError, prototypes::Card};
#[cfg(feature = "ssr")]
use {
    super::store,
    crate::{
        auth::policy::{may, require, Action},
        ordering::{self, Ordered},
        prototypes::{store as prototypes, views},
        state::db,
    },
};

#[server(prefix = "/api", endpoint = "list_statements")]
pub async fn list_statements() -> Result<Vec<Statement>, AppError> {
    require(Action::ReadPublished).await?;
    store::all(&db()?.read).await
}

/// How many prototypes a statement's page lists.
#[cfg(feature = "ssr")]
const STATEMENT_PAGE_CARDS: i64 = 100;

/// A statement and the prototypes addressing it (newest activity first, visible ones only).
#[server(prefix = "/api", endpoint = "statement_page")]
pub async fn statement_page(id: i64) -> Result<(Statement, Vec<Card>), AppError> {
    let me = require(Action::ReadPublished).await?;
    let db = db()?;
    let statement = store::get(&db.read, id).await?.ok_or(AppError::NotFound)?;
    let filter = prototypes::ListFilter {
        statement: Some(id),
        published_only: !may(&me, Action::ReadDrafts),
        ..Default::default()
    };
    let (cards, _) = prototypes::list(&db.read, &filter, 0, STATEMENT_PAGE_CARDS).await?;
    Ok((statement, cards.into_iter().take(STATEMENT_PAGE_CARDS as usize).map(views::card).collect()))
}

#[server(prefix = "/api", endpoint = "add_statement")]
pub async fn add_statement(text: String, short_name: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let (text, short) = super::parse(&text, &short_name)
        .map_err(|e| e.keeping(&[("text", text.as_str()), ("short_name", short_name.as_str())]))?;
    store::add(&db()?.write, &text, short.as_deref()).await?;
    leptos_axum::redirect("/settings?saved=statements");
    Ok(())
}

#[server(prefix = "/api", endpoint = "update_statement")]
pub async fn update_statement(id: i64, text: String, short_name: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let (text, short) = super::parse(&text, &short_name)?;
    store::update(&db()?.write, id, &text, short.as_deref()).await?;
    leptos_axum::redirect("/settings?saved=statements");
    Ok(())
}

#[server(prefix = "/api", endpoint = "retire_statement")]
pub async fn retire_statement(id: i64, retired: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    store::set_retired(&db()?.write, id, retired == "true").await?;
    leptos_axum::redirect("/settings?saved=statements");
    Ok(())
}

#[server(prefix = "/api", endpoint = "reorder_statement")]
pub async fn reorder_statement(id: i64, direction: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    ordering::move_item(&db()?.write, Ordered::Statements, id, &direction).await?;
    leptos_axum::redirect("/settings?saved=statements");
    Ok(())
}
