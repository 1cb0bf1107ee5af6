//! Outcome-measure server functions: parse → `require(Action)` → store → view. Anyone who
//! may read the prototype reads its measures (a prototype never published is "not found"
//! outside the design group); a rating's rounds are results summaries, so only members and
//! up get them. The design group and facilitators add, edit and delete measures and
//! readings. A measure id must belong to the prototype id in the URL, else "not found".

use leptos::{
    prelude::*,
    server_fn::codec::{MultipartData, MultipartFormData},
};

use super::{MeasureDetail, MeasuresView};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        rules::{self, MeasureTyped, ReadingTyped},
        store, upload, views, MeasureKind,
    },
    crate::{
        auth::policy::{may, require, Action},
        state::db,
        suppression::MIN_GROUP,
        time::{now, today},
    },
};

/// The prototype's head, if this viewer may read the prototype.
#[cfg(feature = "ssr")]
async fn readable(
    pool: &sqlx::SqlitePool,
    me: &crate::auth::session::Viewer,
    prototype: i64,
) -> Result<store::HeadRow, AppError> {
    let head = store::head(pool, prototype, may(me, Action::EditPrototypes)).await?.ok_or(AppError::NotFound)?;
    if !crate::prototypes::views::visible(Some(me.role), head.iteration_count) {
        return Err(AppError::NotFound);
    }
    Ok(head)
}

/// Every measure of a prototype, with its readings (or rounds), summary and chart.
#[server(prefix = "/api", endpoint = "measures_page")]
pub async fn measures_page(prototype: i64) -> Result<MeasuresView, AppError> {
    let me = require(Action::ReadPublished).await?;
    let db = db()?;
    let head = readable(&db.read, &me, prototype).await?;
    let rows = store::measures(&db.read, prototype).await?;
    let see_ratings = may(&me, Action::TakePart);
    let ratings = if see_ratings && rows.iter().any(|m| m.kind == MeasureKind::Rating.as_str()) {
        store::ratings(&db.read, prototype, None, now(), MIN_GROUP as i64).await?
    } else {
        Vec::new()
    };
    Ok(views::measures(head, &rows, &ratings, may(&me, Action::EditPrototypes), see_ratings))
}

/// One measure with its readings (or rounds), method, baseline and target; for editors,
/// the edit form's values and the choices its forms offer.
#[server(prefix = "/api", endpoint = "measure_page")]
pub async fn measure_page(prototype: i64, measure: i64) -> Result<MeasureDetail, AppError> {
    let me = require(Action::ReadPublished).await?;
    let db = db()?;
    let head = readable(&db.read, &me, prototype).await?;
    let row = store::measure(&db.read, prototype, measure).await?.ok_or(AppError::NotFound)?;
    let see_ratings = may(&me, Action::TakePart);
    let ratings = if see_ratings && row.kind == MeasureKind::Rating.as_str() {
        store::ratings(&db.read, prototype, Some(measure), now(), MIN_GROUP as i64).await?
    } else {
        Vec::new()
    };
    Ok(views::detail(head, &row, &ratings, may(&me, Action::EditPrototypes), see_ratings))
}

/// Adds a measure. Nothing is written unless all of it is valid; then its page.
#[server(prefix = "/api", endpoint = "add_measure")]
#[allow(clippy::too_many_arguments)]
pub async fn add_measure(
    prototype: i64,
    name: String,
    method: String,
    kind: Option<String>,
    unit: String,
    direction: Option<String>,
    statement: Option<String>,
    baseline: String,
    baseline_on: String,
    baseline_source: String,
    target: String,
    target_on: String,
) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let typed = MeasureTyped {
        name: &name,
        method: &method,
        kind: kind.as_deref(),
        unit: &unit,
        direction: direction.as_deref(),
        statement: statement.as_deref(),
        baseline: &baseline,
        baseline_on: &baseline_on,
        baseline_source: &baseline_source,
        target: &target,
        target_on: &target_on,
    };
    let fields = typed.parse(today())?;
    let html = crate::markdown::render(&fields.method);
    let id = store::create(&db()?.write, prototype, &fields, &html, me.id).await.map_err(|e| typed.keep(e))?;
    tracing::info!(prototype, measure = id, by = me.id, "outcome measure added");
    leptos_axum::redirect(&format!("/prototypes/{prototype}/measures/{id}?saved=added"));
    Ok(())
}

/// Saves an edit to a measure.
#[server(prefix = "/api", endpoint = "save_measure")]
#[allow(clippy::too_many_arguments)]
pub async fn save_measure(
    prototype: i64,
    measure: i64,
    name: String,
    method: String,
    kind: Option<String>,
    unit: String,
    direction: Option<String>,
    statement: Option<String>,
    baseline: String,
    baseline_on: String,
    baseline_source: String,
    target: String,
    target_on: String,
) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let typed = MeasureTyped {
        name: &name,
        method: &method,
        kind: kind.as_deref(),
        unit: &unit,
        direction: direction.as_deref(),
        statement: statement.as_deref(),
        baseline: &baseline,
        baseline_on: &baseline_on,
        baseline_source: &baseline_source,
        target: &target,
        target_on: &target_on,
    };
    let fields = typed.parse(today())?;
    let html = crate::markdown::render(&fields.method);
    store::update(&db()?.write, prototype, measure, &fields, &html).await.map_err(|e| typed.keep(e))?;
    tracing::info!(prototype, measure, by = me.id, "outcome measure saved");
    leptos_axum::redirect(&format!("/prototypes/{prototype}/measures/{measure}?saved=measure"));
    Ok(())
}

/// Deletes a measure and its readings, once the person has ticked that they understand.
#[server(prefix = "/api", endpoint = "delete_measure")]
pub async fn delete_measure(prototype: i64, measure: i64, confirm: Option<String>) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    if confirm.as_deref() != Some("on") {
        return Err(AppError::invalid(
            "confirm",
            "Tick the box to confirm that the measure and all its readings are to be deleted.",
        ));
    }
    store::delete(&db()?.write, prototype, measure).await?;
    tracing::info!(prototype, measure, by = me.id, "outcome measure deleted");
    leptos_axum::redirect(&format!("/prototypes/{prototype}/measures?deleted=1"));
    Ok(())
}

/// Adds one reading to a measure (not a rating: its values come from the rounds).
#[server(prefix = "/api", endpoint = "add_reading")]
pub async fn add_reading(
    prototype: i64,
    measure: i64,
    value: String,
    taken_on: String,
    site: Option<String>,
    source: String,
) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let typed =
        ReadingTyped { value: &value, taken_on: &taken_on, site: site.as_deref().unwrap_or(""), source: &source };
    let db = db()?;
    let head = store::head(&db.read, prototype, true).await?.ok_or(AppError::NotFound)?;
    let kind = store::kind(&db.read, prototype, measure).await?.ok_or(AppError::NotFound)?;
    let reading = typed.parse(kind, &head.sites, today())?;
    store::add_reading(&db.write, prototype, measure, &reading, me.id).await.map_err(|e| typed.keep(e))?;
    leptos_axum::redirect(&format!("/prototypes/{prototype}/measures/{measure}?saved=reading#readings"));
    Ok(())
}

/// Adds pasted readings (CSV: `date,value,site,source`), all of them or, if any line has a
/// problem, none (every problem is reported, by line).
#[server(prefix = "/api", endpoint = "import_readings")]
pub async fn import_readings(prototype: i64, measure: i64, csv: String) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    // The text is shown again after a refusal only when small: it travels in a URL.
    let kept_csv = if csv.len() <= rules::KEPT_TEXT_MAX { csv.as_str() } else { "" };
    let keep = |e: AppError| rules::with_typed(e, &[("csv", kept_csv)]);
    let added =
        add_csv(me.id, prototype, measure, &csv, "No readings were added: fix the lines listed and paste them again.")
            .await
            .map_err(keep)?;
    tracing::info!(prototype, measure, added, by = me.id, "readings imported");
    leptos_axum::redirect(&format!("/prototypes/{prototype}/measures/{measure}?imported={added}#readings"));
    Ok(())
}

/// Readings from an uploaded CSV file (a multipart form: `prototype`, `measure`, `file`),
/// checked and added exactly as pasted ones are. A browser cannot put a file back into a
/// form, so a refusal lists the problems by line and asks for the file again.
#[server(prefix = "/api", endpoint = "upload_readings", input = MultipartFormData)]
pub async fn upload_readings(data: MultipartData) -> Result<(), AppError> {
    // Permission first: a stranger's upload is never read.
    let me = require(Action::EditPrototypes).await?;
    let form = upload::read(data).await?;
    let text = rules::file_text(&form.file).map_err(|m| AppError::invalid("file", m))?;
    let added = add_csv(
        me.id,
        form.prototype,
        form.measure,
        text,
        "No readings were added: fix the lines listed in the file and upload it again.",
    )
    .await
    .map_err(|e| rules::as_field(e, "csv", "file"))?;
    tracing::info!(prototype = form.prototype, measure = form.measure, added, by = me.id, "readings uploaded");
    leptos_axum::redirect(&format!(
        "/prototypes/{}/measures/{}?imported={added}#readings",
        form.prototype, form.measure
    ));
    Ok(())
}

/// Checks pasted or uploaded readings against the measure and adds them all, or none.
#[cfg(feature = "ssr")]
async fn add_csv(by: i64, prototype: i64, measure: i64, csv: &str, nothing_done: &str) -> Result<usize, AppError> {
    let db = db()?;
    let head = store::head(&db.read, prototype, true).await?.ok_or(AppError::NotFound)?;
    let kind = store::kind(&db.read, prototype, measure).await?.ok_or(AppError::NotFound)?;
    let rows = rules::parse_csv(kind, csv, &head.sites, today()).map_err(|p| rules::refusal(p, nothing_done))?;
    store::add_readings(&db.write, prototype, measure, &rows, by, "csv").await
}

/// Deletes one reading.
#[server(prefix = "/api", endpoint = "delete_reading")]
pub async fn delete_reading(prototype: i64, measure: i64, reading: i64) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    store::delete_reading(&db()?.write, prototype, measure, reading).await?;
    tracing::info!(prototype, measure, reading, by = me.id, "reading deleted");
    leptos_axum::redirect(&format!("/prototypes/{prototype}/measures/{measure}?saved=deleted#readings"));
    Ok(())
}
