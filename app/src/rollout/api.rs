//! Roll-out server functions: parse → `require(Action)` → store → view. Facilitators keep
//! the sites (`/settings/sites`); every account reads a readable prototype's roll-out plan
//! and the overview (`/rollout`), which show only prototypes the viewer may read; the design
//! group and facilitators change plans. Every change redirects to the page showing it.

use leptos::prelude::*;

use super::{OverviewView, PlanView, SitesView};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        import,
        rules::{self, filter_value, parse_day, parse_note, parse_site},
        store::{self, SiteFilter, StatusChange},
        views, RolloutStatus, CHOICES_MAX, OFFERED_MAX, OVERVIEW_COLUMNS, OVERVIEW_PAGE_SIZE, RETIRED_SHOWN,
        SITES_PAGE_SIZE,
    },
    crate::{
        auth::policy::{may, require, Action},
        state::db,
        // Today in the UK: what a date left empty means, and what date forms start from.
        time::today,
    },
};

/// A refused CSV import keeps the text only up to this size: it travels back in the URL.
#[cfg(feature = "ssr")]
const KEPT_CSV_MAX: usize = 8 * 1024;

/// Ticked sites a refused "add sites" form keeps, at most.
#[cfg(feature = "ssr")]
const KEPT_TICKS_MAX: usize = 200;

/// Where the sites page goes after a change, saying what happened.
#[cfg(feature = "ssr")]
fn sites_href(saved: &str) -> String {
    format!("/settings/sites?saved={saved}")
}

#[cfg(feature = "ssr")]
fn plan_href(prototype: i64, saved: &str) -> String {
    format!("/prototypes/{prototype}/rollout?saved={saved}")
}

// ---------------------------------------------------------------------------------------
// Sites (facilitators).

/// `/settings/sites`: one page of sites in use matching the filters, the retired ones
/// matching them, and the areas and kinds to filter by.
#[server(prefix = "/api", endpoint = "sites_page")]
pub async fn sites_page(area: Option<String>, kind: Option<String>, page: Option<i64>) -> Result<SitesView, AppError> {
    require(Action::ManageSettings).await?;
    let page = crate::site::page_number(page)?;
    let (area, kind) = (filter_value(area), filter_value(kind));
    let filter = SiteFilter { area: area.as_deref(), kind: kind.as_deref() };
    let db = db()?;
    let rows = store::list_sites(&db.read, filter, false, page, SITES_PAGE_SIZE).await?;
    let retired = store::list_sites(&db.read, filter, true, 0, RETIRED_SHOWN).await?;
    let choices = store::choices(&db.read, CHOICES_MAX).await?;
    Ok(SitesView {
        has_more: rows.len() as i64 > SITES_PAGE_SIZE,
        sites: rows.into_iter().take(SITES_PAGE_SIZE as usize).map(views::site).collect(),
        retired: retired.into_iter().take(RETIRED_SHOWN as usize).map(views::site).collect(),
        areas: choices.areas.0,
        kinds: choices.kinds.0,
        page,
    })
}

#[server(prefix = "/api", endpoint = "add_site")]
pub async fn add_site(name: String, kind: String, area: String) -> Result<(), AppError> {
    let me = require(Action::ManageSettings).await?;
    let kept = [("name", name.as_str()), ("kind", kind.as_str()), ("area", area.as_str())];
    let site = parse_site(&name, &kind, &area).map_err(|e| e.keeping(&kept))?;
    let id = store::add_site(&db()?.write, &site).await.map_err(|e| e.keeping(&kept))?;
    tracing::info!(site = id, by = me.id, "site added");
    leptos_axum::redirect(&sites_href("added"));
    Ok(())
}

/// Renames a site, or changes its kind or area.
#[server(prefix = "/api", endpoint = "save_site")]
pub async fn save_site(id: i64, name: String, kind: String, area: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let id_text = id.to_string();
    let kept = [("id", id_text.as_str()), ("name", name.as_str()), ("kind", kind.as_str()), ("area", area.as_str())];
    let site = parse_site(&name, &kind, &area).map_err(|e| e.keeping(&kept))?;
    store::update_site(&db()?.write, id, &site).await.map_err(|e| e.keeping(&kept))?;
    leptos_axum::redirect(&sites_href("saved"));
    Ok(())
}

/// Retires a site: it stays on the plans that name it, but is not offered for new ones.
#[server(prefix = "/api", endpoint = "retire_site")]
pub async fn retire_site(id: i64) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    store::set_retired(&db()?.write, id, true).await?;
    leptos_axum::redirect(&sites_href("retired"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "restore_site")]
pub async fn restore_site(id: i64) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    store::set_retired(&db()?.write, id, false).await?;
    leptos_axum::redirect(&sites_href("restored"));
    Ok(())
}

/// Adds sites pasted as CSV (`name,kind,area`, an optional header): all of them, or none
/// with every problem listed by line (`field` "csv"; the message's first line says what
/// happened, each further line is one problem).
#[server(prefix = "/api", endpoint = "import_sites")]
pub async fn import_sites(csv: String) -> Result<(), AppError> {
    let me = require(Action::ManageSettings).await?;
    let kept_text = if csv.len() <= KEPT_CSV_MAX { csv.as_str() } else { "" };
    let keep = |e: AppError| e.keeping(&[("csv", kept_text)]);
    if csv.trim().is_empty() {
        return Err(keep(AppError::invalid("csv", "Please paste the sites to import, one a line: name, kind, area.")));
    }
    if csv.len() > import::IMPORT_MAX_BYTES {
        return Err(AppError::invalid(
            "csv",
            "That is more text than 1,000 sites need. Please import at most 1,000 sites at a time.",
        ));
    }
    let db = db()?;
    let existing: std::collections::HashSet<String> =
        store::all_names(&db.read).await?.iter().map(|n| rules::name_key(n)).collect();
    let rows = import::read(&csv, &existing).map_err(|problems| {
        let mut message = import::refusal(&problems);
        if kept_text.is_empty() {
            message = message.replacen(
                '\n',
                " The text was too long to keep here: please paste it again once corrected.\n",
                1,
            );
        }
        keep(AppError::invalid("csv", message))
    })?;
    let sites: Vec<_> = rows.into_iter().map(|r| r.site).collect();
    let n = store::import(&db.write, &sites).await.map_err(keep)?;
    tracing::info!(sites = n, by = me.id, "sites imported");
    leptos_axum::redirect(&format!("/settings/sites?imported={n}"));
    Ok(())
}

// ---------------------------------------------------------------------------------------
// A prototype's plan.

/// `/prototypes/{id}/rollout`: the plan as the viewer may see it. A prototype the viewer
/// may not read is "not found".
#[server(prefix = "/api", endpoint = "rollout_plan")]
pub async fn rollout_plan(prototype: i64) -> Result<PlanView, AppError> {
    let me = require(Action::ReadPublished).await?;
    let db = db()?;
    crate::prototypes::store::visible(&db.read, prototype, may(&me, Action::ReadDrafts))
        .await?
        .ok_or(AppError::NotFound)?;
    let can_edit = may(&me, Action::EditPrototypes);
    let offered = if can_edit { OFFERED_MAX } else { 0 };
    let row = store::plan(&db.read, prototype, offered).await?.ok_or(AppError::NotFound)?;
    Ok(views::plan(prototype, row, can_edit, rules::iso(today())))
}

/// Adds the ticked sites to the plan as planned, from `date` (empty: today).
#[server(prefix = "/api", endpoint = "plan_sites")]
pub async fn plan_sites(prototype: i64, site_ids: Option<Vec<i64>>, date: String) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let mut sites = site_ids.unwrap_or_default();
    sites.sort_unstable();
    sites.dedup();
    // The ticks are kept for a refused form only while few: they travel back in the URL.
    let ticked = if sites.len() <= KEPT_TICKS_MAX {
        sites.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    } else {
        String::new()
    };
    let kept = [("date", date.as_str()), ("site_ids", ticked.as_str())];
    if sites.is_empty() {
        return Err(AppError::invalid("site_ids", "Please tick at least one site to add to the plan.").keeping(&kept));
    }
    if sites.len() as i64 > super::PLAN_MAX {
        return Err(AppError::invalid("site_ids", "That is too many sites at once. Please tick fewer.").keeping(&kept));
    }
    let day = parse_day(&date, "date", today()).map_err(|e| e.keeping(&kept))?;
    let n = store::plan_sites(&db()?.write, prototype, &sites, &rules::iso(day), me.id)
        .await
        .map_err(|e| e.keeping(&kept))?;
    tracing::info!(prototype, sites = n, by = me.id, "sites added to a roll-out plan");
    leptos_axum::redirect(&plan_href(prototype, "added"));
    Ok(())
}

/// Changes a site's status in the plan, dated `date` (empty: today), with an optional note
/// shown on the timeline.
#[server(prefix = "/api", endpoint = "set_rollout_status")]
pub async fn set_rollout_status(
    prototype: i64,
    site: i64,
    status: String,
    date: String,
    note: String,
) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let site_text = site.to_string();
    let kept =
        [("site", site_text.as_str()), ("status", status.as_str()), ("date", date.as_str()), ("note", note.as_str())];
    let parsed = || -> Result<(RolloutStatus, String, String), AppError> {
        let to = RolloutStatus::parse(status.trim())
            .ok_or_else(|| AppError::invalid("status", "Please choose a status from the list."))?;
        let day = parse_day(&date, "date", today())?;
        Ok((to, rules::iso(day), parse_note(&note)?))
    };
    let (to, on, note_text) = parsed().map_err(|e| e.keeping(&kept))?;
    let change = StatusChange { prototype, site, to, on: &on, note: &note_text, by: me.id };
    store::set_status(&db()?.write, &change).await.map_err(|e| e.keeping(&kept))?;
    tracing::info!(prototype, site, status = to.as_str(), by = me.id, "roll-out status changed");
    leptos_axum::redirect(&plan_href(prototype, "status"));
    Ok(())
}

/// Takes a site that is only planned off the plan (nothing is recorded on the timeline:
/// nothing happened there yet). A site that went live is stopped instead.
#[server(prefix = "/api", endpoint = "remove_planned_site")]
pub async fn remove_planned_site(prototype: i64, site: i64) -> Result<(), AppError> {
    require(Action::EditPrototypes).await?;
    let site_text = site.to_string();
    let refuse = |m: String| AppError::invalid("status", m).keeping(&[("site", site_text.as_str())]);
    match store::remove_planned(&db()?.write, prototype, site).await? {
        store::Removal::Removed => {}
        store::Removal::NotPlanned(s) => {
            return Err(refuse(format!(
                "Only a site that is still planned can be taken off the plan. This one is {}: mark it stopped instead.",
                s.label().to_lowercase()
            )))
        }
        store::Removal::NotInPlan => return Err(AppError::NotFound),
    }
    leptos_axum::redirect(&plan_href(prototype, "removed"));
    Ok(())
}

// ---------------------------------------------------------------------------------------
// `/rollout`.

/// Every site matching the filters (a page of 50) against every prototype the viewer may
/// read that has a plan at one of them.
#[server(prefix = "/api", endpoint = "rollout_overview")]
pub async fn rollout_overview(
    area: Option<String>,
    kind: Option<String>,
    page: Option<i64>,
) -> Result<OverviewView, AppError> {
    let me = require(Action::ReadPublished).await?;
    let page = crate::site::page_number(page)?;
    let include_unpublished = may(&me, Action::ReadDrafts);
    let (area, kind) = (filter_value(area), filter_value(kind));
    let filter = SiteFilter { area: area.as_deref(), kind: kind.as_deref() };
    let db = db()?;
    let head = store::overview_head(&db.read, filter, include_unpublished, OVERVIEW_COLUMNS, CHOICES_MAX).await?;
    let rows = store::overview_rows(&db.read, filter, include_unpublished, page, OVERVIEW_PAGE_SIZE).await?;
    Ok(views::overview(head, rows, page, OVERVIEW_PAGE_SIZE))
}
