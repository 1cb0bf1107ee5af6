//! Stage server functions. Reading is for every account; changes are for facilitators.

use leptos::prelude::*;

use super::Stage;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{
        auth::policy::{require, Action},
        ordering::{self, Ordered},
        prototypes::fields::Title,
        state::db,
    },
};

#[server(prefix = "/api", endpoint = "list_stages")]
pub async fn list_stages() -> Result<Vec<Stage>, AppError> {
    require(Action::ReadPublished).await?;
    store::all(&db()?.read).await
}

#[cfg(feature = "ssr")]
fn stage_name(raw: &str) -> Result<String, AppError> {
    Title::parse(raw)
        .map(|t| t.as_str().to_string())
        .map_err(|_| AppError::invalid("name", "Please give the stage a name of up to 200 characters."))
}

#[server(prefix = "/api", endpoint = "add_stage")]
pub async fn add_stage(name: String, closed: Option<String>) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let name = stage_name(&name).map_err(|e| e.keeping(&[("name", name.as_str())]))?;
    store::add(&db()?.write, &name, closed.is_some()).await?;
    leptos_axum::redirect("/settings?saved=stages");
    Ok(())
}

#[server(prefix = "/api", endpoint = "rename_stage")]
pub async fn rename_stage(id: i64, name: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let name = stage_name(&name)?;
    store::rename(&db()?.write, id, &name).await?;
    leptos_axum::redirect("/settings?saved=stages");
    Ok(())
}

/// `direction` is "up" or "down".
#[server(prefix = "/api", endpoint = "reorder_stage")]
pub async fn reorder_stage(id: i64, direction: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    ordering::move_item(&db()?.write, Ordered::Stages, id, &direction).await?;
    leptos_axum::redirect("/settings?saved=stages");
    Ok(())
}

/// `retired` is "true" or "false"; a stage with prototypes at it cannot be retired.
#[server(prefix = "/api", endpoint = "retire_stage")]
pub async fn retire_stage(id: i64, retired: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let db = db()?;
    let all = store::all(&db.read).await?;
    let stage = all.iter().find(|s| s.id == id).ok_or(AppError::NotFound)?;
    if retired == "true" {
        let open_left = all.iter().filter(|s| !s.closed && !s.retired).count();
        rules::check_retire(stage, store::prototypes_at(&db.read, id).await?, open_left)?;
    }
    store::set_retired(&db.write, id, retired == "true").await?;
    leptos_axum::redirect("/settings?saved=stages");
    Ok(())
}
