//! SQL for sites and roll-outs. Reads return typed rows; each page is a fixed number of
//! statements whatever its length (lists come back as `json_group_array` columns). No
//! decisions about who may see what: the only viewer-shaped input is `include_unpublished`,
//! a data filter that must be applied in SQL to paginate. Status changes check the pipeline
//! stage and the move itself (`rules`) inside their `BEGIN IMMEDIATE` transaction and write
//! the roll-out row and its timeline event together, so neither lands without the other.

use serde::Deserialize;
use sqlx::{SqliteConnection, SqlitePool};

use super::{
    rules::{self, SiteFields},
    OpenStage, RolloutStatus, PLAN_MAX,
};
use crate::{
    error::AppError,
    json_column::Json,
    prototypes::timeline::{record_event, NewEvent},
    time::now,
};

/// A site as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SiteRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub area: String,
    pub retired: bool,
}

/// A site inside a JSON column (SQLite's JSON has no booleans: `retired` is 0 or 1).
#[derive(Debug, Clone, Deserialize)]
pub struct SiteJson {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub area: String,
    pub retired: i64,
}

/// The area and kind filters (compared without case); `None` is any.
#[derive(Debug, Clone, Copy, Default)]
pub struct SiteFilter<'a> {
    pub area: Option<&'a str>,
    pub kind: Option<&'a str>,
}

/// Site `s` matches the filter bound as ?1 (area) and ?2 (kind).
const FILTER: &str = "(?1 IS NULL OR s.area = ?1 COLLATE NOCASE) AND (?2 IS NULL OR s.kind = ?2 COLLATE NOCASE)";

/// A unique-name clash as the form's error.
fn name_taken(e: sqlx::Error, name: &str, field: &str) -> AppError {
    match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            AppError::invalid(field, format!("There is already a site called “{name}”. Each site needs its own name."))
        }
        other => other.into(),
    }
}

// ---------------------------------------------------------------------------------------
// Sites.

/// One page of sites in use (`retired` false) or retired ones matching the filter, by name
/// (`size + 1` rows at most, so the caller can tell whether another page follows).
pub async fn list_sites(
    pool: &SqlitePool,
    f: SiteFilter<'_>,
    retired: bool,
    page: i64,
    size: i64,
) -> Result<Vec<SiteRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT s.id, s.name, s.kind, s.area, s.retired FROM sites s
         WHERE s.retired = ?3 AND {FILTER}
         ORDER BY s.name COLLATE NOCASE, s.id LIMIT ?4 OFFSET ?5"
    ))
    .bind(f.area)
    .bind(f.kind)
    .bind(retired)
    .bind(size + 1)
    .bind(page.max(0) * size)
    .fetch_all(pool)
    .await?)
}

/// The areas and the kinds sites have (each once, compared without case; `limit` each at most).
#[derive(Debug, sqlx::FromRow)]
pub struct ChoicesRow {
    pub areas: Json<Vec<String>>,
    pub kinds: Json<Vec<String>>,
}

/// The areas in use as a JSON array (each once, compared without case), `limit` (a
/// placeholder such as "?1") at most.
fn areas_sql(limit: &str) -> String {
    format!(
        "coalesce((SELECT json_group_array(a ORDER BY a COLLATE NOCASE) FROM (SELECT min(area) AS a FROM sites
            WHERE area <> '' GROUP BY area COLLATE NOCASE ORDER BY a COLLATE NOCASE LIMIT {limit})), '[]')"
    )
}

/// The kinds of site in use, as `areas_sql` gives the areas.
fn kinds_sql(limit: &str) -> String {
    format!(
        "coalesce((SELECT json_group_array(k ORDER BY k COLLATE NOCASE) FROM (SELECT min(kind) AS k FROM sites
            GROUP BY kind COLLATE NOCASE ORDER BY k COLLATE NOCASE LIMIT {limit})), '[]')"
    )
}

pub async fn choices(pool: &SqlitePool, limit: i64) -> Result<ChoicesRow, AppError> {
    let sql = format!("SELECT {} AS areas, {} AS kinds", areas_sql("?1"), kinds_sql("?1"));
    Ok(sqlx::query_as(&sql).bind(limit).fetch_one(pool).await?)
}

pub async fn add_site(pool: &SqlitePool, s: &SiteFields) -> Result<i64, AppError> {
    sqlx::query_scalar::<_, i64>("INSERT INTO sites (name, kind, area, created_at) VALUES (?, ?, ?, ?) RETURNING id")
        .bind(&s.name)
        .bind(&s.kind)
        .bind(&s.area)
        .bind(now())
        .fetch_one(pool)
        .await
        .map_err(|e| name_taken(e, &s.name, "name"))
}

pub async fn update_site(pool: &SqlitePool, id: i64, s: &SiteFields) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE sites SET name = ?, kind = ?, area = ? WHERE id = ?")
        .bind(&s.name)
        .bind(&s.kind)
        .bind(&s.area)
        .bind(id)
        .execute(pool)
        .await
        .map_err(|e| name_taken(e, &s.name, "name"))?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Retires a site (or brings it back). It stays on the plans and readings that name it.
pub async fn set_retired(pool: &SqlitePool, id: i64, retired: bool) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE sites SET retired = ? WHERE id = ?").bind(retired).bind(id).execute(pool).await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Every site's name (retired ones too: their names stay taken), for checking an import.
pub async fn all_names(pool: &SqlitePool) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT name FROM sites").fetch_all(pool).await?)
}

/// Adds every site in one transaction: all or none. A name taken since the import was
/// checked refuses the lot.
pub async fn import(pool: &SqlitePool, sites: &[SiteFields]) -> Result<usize, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let t = now();
    for s in sites {
        sqlx::query("INSERT INTO sites (name, kind, area, created_at) VALUES (?, ?, ?, ?)")
            .bind(&s.name)
            .bind(&s.kind)
            .bind(&s.area)
            .bind(t)
            .execute(&mut *tx)
            .await
            .map_err(|e| name_taken(e, &s.name, "csv"))?;
    }
    tx.commit().await?;
    Ok(sites.len())
}

// ---------------------------------------------------------------------------------------
// A prototype's plan.

/// A site in a plan, with its roll-out there.
#[derive(Debug, Clone, Deserialize)]
pub struct PlanSiteJson {
    pub site: SiteJson,
    pub status: String,
    pub since: String,
    pub live_on: Option<String>,
    pub note: String,
}

/// A prototype's plan page in one row: the prototype, its stage, the open stages (for the
/// plan rule), the sites in its plan, and the sites in use not in it (`offered` at most).
#[derive(Debug, sqlx::FromRow)]
pub struct PlanPageRow {
    pub title: String,
    pub stage_name: String,
    pub stage_position: i64,
    pub open_stages: Json<Vec<OpenStage>>,
    pub sites: Json<Vec<PlanSiteJson>>,
    pub available: Json<Vec<SiteJson>>,
    pub available_total: i64,
}

const SITE_JSON: &str = "json_object('id', s.id, 'name', s.name, 'kind', s.kind, 'area', s.area, 'retired', s.retired)";

/// The stage a roll-out plan starts from, for `rules::plan_allowed` (which takes the last
/// of those given): the stage marked `rollout_from` (Implementing, migration 27), so that a
/// stage added after it later does not lock plans; with none marked and in use, every open
/// stage in use (so the last of them).
const OPEN_STAGES: &str =
    "coalesce((SELECT json_group_array(json_object('name', o.name, 'position', o.position) ORDER BY o.position)
        FROM stages o WHERE o.retired = 0
          AND CASE WHEN EXISTS (SELECT 1 FROM stages f WHERE f.rollout_from = 1 AND f.retired = 0)
                   THEN o.rollout_from = 1 ELSE o.kind = 'open' END), '[]')";

/// Sites in use that are not in prototype ?1's plan.
const NOT_IN_PLAN: &str =
    "s.retired = 0 AND NOT EXISTS (SELECT 1 FROM rollouts r WHERE r.prototype_id = ?1 AND r.site_id = s.id)";

pub async fn plan(pool: &SqlitePool, prototype: i64, offered: i64) -> Result<Option<PlanPageRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT p.title, g.name AS stage_name, g.position AS stage_position, {OPEN_STAGES} AS open_stages,
            coalesce((SELECT json_group_array(json_object('site', {SITE_JSON}, 'status', r.status, 'since', r.since,
                    'live_on', r.live_on, 'note', r.note) ORDER BY s.area COLLATE NOCASE, s.name COLLATE NOCASE, s.id)
                FROM rollouts r JOIN sites s ON s.id = r.site_id WHERE r.prototype_id = ?1), '[]') AS sites,
            coalesce((SELECT json_group_array({SITE_JSON} ORDER BY s.area COLLATE NOCASE, s.name COLLATE NOCASE, s.id)
                FROM (SELECT * FROM sites s WHERE {NOT_IN_PLAN}
                      ORDER BY s.area COLLATE NOCASE, s.name COLLATE NOCASE, s.id LIMIT ?2) s), '[]') AS available,
            (SELECT count(*) FROM sites s WHERE {NOT_IN_PLAN}) AS available_total
         FROM prototypes p JOIN stages g ON g.id = p.stage_id WHERE p.id = ?1"
    ))
    .bind(prototype)
    .bind(offered)
    .fetch_optional(pool)
    .await?)
}

/// What a change checks against, read inside its transaction.
#[derive(Debug, sqlx::FromRow)]
struct GateRow {
    stage_name: String,
    stage_position: i64,
    open_stages: Json<Vec<OpenStage>>,
}

/// The prototype's stage must allow a plan (`field`: where a refusal shows).
async fn check_stage(tx: &mut SqliteConnection, prototype: i64, field: &str) -> Result<(), AppError> {
    let gate = sqlx::query_as::<_, GateRow>(&format!(
        "SELECT g.name AS stage_name, g.position AS stage_position, {OPEN_STAGES} AS open_stages
         FROM prototypes p JOIN stages g ON g.id = p.stage_id WHERE p.id = ?"
    ))
    .bind(prototype)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    rules::check_plan_stage(&gate.stage_name, gate.stage_position, &gate.open_stages, field)
}

/// A site with the prototype's current status there (`None`: not in the plan).
#[derive(Debug, sqlx::FromRow)]
struct SiteStatusRow {
    name: String,
    retired: bool,
    status: Option<String>,
}

async fn site_status(tx: &mut SqliteConnection, prototype: i64, site: i64) -> Result<Option<SiteStatusRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.name, s.retired, r.status FROM sites s
         LEFT JOIN rollouts r ON r.site_id = s.id AND r.prototype_id = ?1 WHERE s.id = ?2",
    )
    .bind(prototype)
    .bind(site)
    .fetch_optional(&mut *tx)
    .await?)
}

/// One status change, as its form parsed it (`on`: the day it happened, `YYYY-MM-DD`).
pub struct StatusChange<'a> {
    pub prototype: i64,
    pub site: i64,
    pub to: RolloutStatus,
    pub on: &'a str,
    pub note: &'a str,
    pub by: i64,
}

/// Checks one change against the site as stored, then writes the roll-out row and its
/// timeline event. Going live sets `live_on` the first time only (kept through pauses).
async fn apply(tx: &mut SqliteConnection, c: &StatusChange<'_>, at: i64, field: &str) -> Result<(), AppError> {
    let site = site_status(tx, c.prototype, c.site).await?.ok_or_else(|| {
        AppError::invalid(field, "That site could not be found. Please reload the page and choose again.")
    })?;
    let from = site.status.as_deref().and_then(RolloutStatus::parse);
    rules::check_move(from, c.to, &site.name, field)?;
    if from.is_none() && site.retired {
        return Err(AppError::invalid(
            field,
            format!(
                "“{}” is retired, so it cannot join a plan. A facilitator can bring it back in the site settings.",
                site.name
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO rollouts (prototype_id, site_id, status, since, live_on, note, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, CASE WHEN ?3 = 'live' THEN ?4 END, ?5, ?6, ?7)
         ON CONFLICT (prototype_id, site_id) DO UPDATE SET
            status = excluded.status, since = excluded.since,
            live_on = CASE WHEN excluded.status = 'live' THEN coalesce(rollouts.live_on, excluded.since) ELSE rollouts.live_on END,
            note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(c.prototype)
    .bind(c.site)
    .bind(c.to.as_str())
    .bind(c.on)
    .bind(c.note)
    .bind(c.by)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    record_event(tx, c.prototype, at, c.by, NewEvent::Rollout { site: c.site, status: c.to.as_str(), note: c.note })
        .await
}

/// Sets a site's status in a prototype's plan (adding the site if it is new to the plan).
pub async fn set_status(pool: &SqlitePool, c: &StatusChange<'_>) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    check_stage(&mut tx, c.prototype, "status").await?;
    apply(&mut tx, c, now(), "status").await?;
    tx.commit().await?;
    Ok(())
}

/// Adds several sites to a plan as planned, all or none: one timeline event each.
pub async fn plan_sites(
    pool: &SqlitePool,
    prototype: i64,
    sites: &[i64],
    on: &str,
    by: i64,
) -> Result<usize, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    check_stage(&mut tx, prototype, "site_ids").await?;
    let already: i64 = sqlx::query_scalar("SELECT count(*) FROM rollouts WHERE prototype_id = ?")
        .bind(prototype)
        .fetch_one(&mut *tx)
        .await?;
    if already + sites.len() as i64 > PLAN_MAX {
        return Err(AppError::invalid(
            "site_ids",
            format!("A plan can hold at most {PLAN_MAX} sites. It has {already} now: please add fewer."),
        ));
    }
    let at = now();
    for &site in sites {
        let c = StatusChange { prototype, site, to: RolloutStatus::Planned, on, note: "", by };
        apply(&mut tx, &c, at, "site_ids").await?;
    }
    tx.commit().await?;
    Ok(sites.len())
}

/// What became of a removal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// The site is in the plan at another status (stop it instead).
    NotPlanned(RolloutStatus),
    NotInPlan,
}

/// Takes a site off a plan while it is only planned. Nothing happened there yet, so nothing
/// is recorded on the timeline: the planned entry simply goes (its "added to the plan" event
/// stays, as history). A site that went live is stopped instead, never removed.
pub async fn remove_planned(pool: &SqlitePool, prototype: i64, site: i64) -> Result<Removal, AppError> {
    let done = sqlx::query("DELETE FROM rollouts WHERE prototype_id = ? AND site_id = ? AND status = 'planned'")
        .bind(prototype)
        .bind(site)
        .execute(pool)
        .await?;
    if done.rows_affected() > 0 {
        return Ok(Removal::Removed);
    }
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM rollouts WHERE prototype_id = ? AND site_id = ?")
            .bind(prototype)
            .bind(site)
            .fetch_optional(pool)
            .await?;
    Ok(match status.as_deref().and_then(RolloutStatus::parse) {
        Some(s) => Removal::NotPlanned(s),
        None => Removal::NotInPlan,
    })
}

// ---------------------------------------------------------------------------------------
// `/rollout`: every site against every prototype with a plan.

/// Site `s` is shown: in use, or retired but still named by a roll-out the viewer may see.
/// Binds: ?1 area, ?2 kind, ?3 include_unpublished.
const SHOWN: &str = "(s.retired = 0 OR EXISTS (SELECT 1 FROM rollouts r JOIN prototypes p ON p.id = r.prototype_id
        WHERE r.site_id = s.id AND (?3 OR p.iteration_count > 0)))";

/// A column of the overview.
#[derive(Debug, Clone, Deserialize)]
pub struct ColumnJson {
    pub id: i64,
    pub title: String,
}

/// The overview's head in one row: its columns (prototypes the viewer may read with a plan
/// at a matching site, by title, `columns` at most, and how many there are in all), how many
/// sites match and how many of those have something live, and the filter choices.
#[derive(Debug, sqlx::FromRow)]
pub struct OverviewHeadRow {
    pub columns: Json<Vec<ColumnJson>>,
    pub column_total: i64,
    pub total_sites: i64,
    pub live_sites: i64,
    pub areas: Json<Vec<String>>,
    pub kinds: Json<Vec<String>>,
}

pub async fn overview_head(
    pool: &SqlitePool,
    f: SiteFilter<'_>,
    include_unpublished: bool,
    columns: i64,
    choices: i64,
) -> Result<OverviewHeadRow, AppError> {
    Ok(sqlx::query_as(&format!(
        "WITH f AS (SELECT s.id FROM sites s WHERE {FILTER} AND {SHOWN}),
              v AS (SELECT r.prototype_id, r.site_id, r.status FROM rollouts r JOIN prototypes p ON p.id = r.prototype_id
                    WHERE (?3 OR p.iteration_count > 0) AND r.site_id IN (SELECT id FROM f))
         SELECT
            coalesce((SELECT json_group_array(json_object('id', c.id, 'title', c.title) ORDER BY c.title COLLATE NOCASE, c.id)
                FROM (SELECT p.id, p.title FROM prototypes p WHERE p.id IN (SELECT prototype_id FROM v)
                      ORDER BY p.title COLLATE NOCASE, p.id LIMIT ?4) c), '[]') AS columns,
            (SELECT count(DISTINCT prototype_id) FROM v) AS column_total,
            (SELECT count(*) FROM f) AS total_sites,
            (SELECT count(DISTINCT site_id) FROM v WHERE status = 'live') AS live_sites,
            {areas} AS areas, {kinds} AS kinds",
        areas = areas_sql("?5"),
        kinds = kinds_sql("?5"),
    ))
    .bind(f.area)
    .bind(f.kind)
    .bind(include_unpublished)
    .bind(columns)
    .bind(choices)
    .fetch_one(pool)
    .await?)
}

/// A prototype's status at a site.
#[derive(Debug, Clone, Deserialize)]
pub struct CellJson {
    pub prototype: i64,
    pub status: String,
}

/// A row of the overview: the site and its roll-outs the viewer may see.
#[derive(Debug, sqlx::FromRow)]
pub struct OverviewRowRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub area: String,
    pub retired: bool,
    pub cells: Json<Vec<CellJson>>,
}

/// One page of matching sites (by area, then name; `size + 1` rows at most) with their
/// roll-outs, in one statement.
pub async fn overview_rows(
    pool: &SqlitePool,
    f: SiteFilter<'_>,
    include_unpublished: bool,
    page: i64,
    size: i64,
) -> Result<Vec<OverviewRowRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT s.id, s.name, s.kind, s.area, s.retired,
            coalesce((SELECT json_group_array(json_object('prototype', r.prototype_id, 'status', r.status))
                FROM rollouts r JOIN prototypes p ON p.id = r.prototype_id
                WHERE r.site_id = s.id AND (?3 OR p.iteration_count > 0)), '[]') AS cells
         FROM sites s WHERE {FILTER} AND {SHOWN}
         ORDER BY s.area COLLATE NOCASE, s.name COLLATE NOCASE, s.id LIMIT ?4 OFFSET ?5"
    ))
    .bind(f.area)
    .bind(f.kind)
    .bind(include_unpublished)
    .bind(size + 1)
    .bind(page.max(0) * size)
    .fetch_all(pool)
    .await?)
}
