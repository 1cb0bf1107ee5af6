//! SQL for outcome measures and their readings. Reads return typed rows: a page costs the
//! prototype's head (with the statements and sites to choose from), its measures with
//! their readings (`json_group_array`, one statement whatever the number of measures), and
//! the rating measures' rounds (one statement for all of them). Writes run in `BEGIN
//! IMMEDIATE` transactions and check that the measure belongs to the prototype in the URL,
//! so a form cannot reach another prototype's measure. No decisions about who may see what.

use serde::Deserialize;
use sqlx::{SqliteConnection, SqlitePool};

use super::{rules::MeasureFields, rules::ReadingFields, Choice, MeasureKind, READINGS_LISTED, READINGS_MAX};
use crate::{error::AppError, json_column::Json, time::now};

/// Outcome measures a prototype may have: a report a commissioner reads in ten minutes
/// cannot hold more, and the measures page sends every one.
pub const MEASURES_MAX: i64 = 30;

// ---------------------------------------------------------------------------------------
// Reads.

/// The prototype a measures page belongs to, with the choices its forms offer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeadRow {
    pub id: i64,
    pub title: String,
    /// 0 until its first iteration is published (then only the design group may read it).
    pub iteration_count: i64,
    pub stage: String,
    /// Experience statements in use (not retired), in their order.
    pub statements: Json<Vec<Choice>>,
    /// Sites in use (not retired), by name.
    pub sites: Json<Vec<Choice>>,
}

/// With `choices` false (a reader, who gets no forms), the statements and sites are empty
/// rather than read: they are every statement and every site in use.
pub async fn head(pool: &SqlitePool, prototype: i64, choices: bool) -> Result<Option<HeadRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.title, p.iteration_count, st.name AS stage,
            CASE WHEN ?2 THEN coalesce((SELECT json_group_array(json_object('id', s.id, 'label', coalesce(s.short_name, s.text)) ORDER BY s.position, s.id)
                FROM experience_statements s WHERE s.retired = 0), '[]') ELSE '[]' END AS statements,
            CASE WHEN ?2 THEN coalesce((SELECT json_group_array(json_object('id', x.id, 'label', x.name) ORDER BY x.name COLLATE NOCASE, x.id)
                FROM sites x WHERE x.retired = 0), '[]') ELSE '[]' END AS sites
         FROM prototypes p JOIN stages st ON st.id = p.stage_id WHERE p.id = ?1",
    )
    .bind(prototype)
    .bind(choices)
    .fetch_optional(pool)
    .await?)
}

/// A reading as a measure's JSON column holds it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReadingRow {
    pub id: i64,
    pub value: f64,
    pub taken_on: String,
    pub site: Option<String>,
    pub source: String,
    /// How many readings this is: 1, or a month's count when readings are summarised.
    pub readings: i64,
}

/// A measure with its readings, oldest first.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeasureRow {
    pub id: i64,
    pub name: String,
    pub method: String,
    pub method_html: String,
    pub kind: String,
    pub unit: String,
    pub direction: String,
    pub statement_id: Option<i64>,
    /// The statement's full text (for a rating).
    pub statement: Option<String>,
    pub statement_retired: Option<bool>,
    pub baseline: Option<f64>,
    pub baseline_on: Option<String>,
    pub baseline_source: String,
    pub target: Option<f64>,
    pub target_on: Option<String>,
    pub readings: Json<Vec<ReadingRow>>,
    /// All its readings, however `readings` shows them.
    pub reading_count: i64,
}

const MEASURE_HEAD: &str = "m.id, m.name, m.method, m.method_html, m.kind, m.unit, m.direction,
    m.statement_id, s.text AS statement, s.retired AS statement_retired,
    m.baseline, m.baseline_on, m.baseline_source, m.target, m.target_on,
    (SELECT count(*) FROM readings r WHERE r.measure_id = m.id) AS reading_count";

/// Every reading, oldest first.
const EVERY_READING: &str = "coalesce((SELECT json_group_array(json_object('id', r.id, 'value', r.value,
        'taken_on', r.taken_on, 'site', x.name, 'source', r.source, 'readings', 1) ORDER BY r.taken_on, r.id)
    FROM readings r LEFT JOIN sites x ON x.id = r.site_id WHERE r.measure_id = m.id), '[]')";

/// Every reading while there are at most `READINGS_LISTED`; past that, each month's mean
/// (dated by its last reading; id 0, as it is no one reading), so a list of measures or a
/// report stays a page to read, whatever a measure holds (up to `READINGS_MAX`).
fn readings_or_months() -> String {
    format!(
        "CASE WHEN (SELECT count(*) FROM readings r WHERE r.measure_id = m.id) <= {READINGS_LISTED} THEN {EVERY_READING}
         ELSE (SELECT json_group_array(json_object('id', 0, 'value', g.mean, 'taken_on', g.last, 'site', NULL,
                   'source', '', 'readings', g.n) ORDER BY g.last)
               FROM (SELECT avg(r.value) AS mean, max(r.taken_on) AS last, count(*) AS n FROM readings r
                     WHERE r.measure_id = m.id GROUP BY substr(r.taken_on, 1, 7)) g) END"
    )
}

/// A prototype's measures in their order, each with its readings (or, for one with many,
/// its monthly means: `readings_or_months`): one statement.
pub async fn measures(pool: &SqlitePool, prototype: i64) -> Result<Vec<MeasureRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {MEASURE_HEAD}, {} AS readings
         FROM measures m LEFT JOIN experience_statements s ON s.id = m.statement_id
         WHERE m.prototype_id = ? ORDER BY m.position, m.id",
        readings_or_months()
    ))
    .bind(prototype)
    .fetch_all(pool)
    .await?)
}

/// One measure of this prototype with its readings (`None` if the id names another's).
pub async fn measure(pool: &SqlitePool, prototype: i64, id: i64) -> Result<Option<MeasureRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {MEASURE_HEAD}, {EVERY_READING} AS readings
         FROM measures m LEFT JOIN experience_statements s ON s.id = m.statement_id
         WHERE m.id = ? AND m.prototype_id = ?"
    ))
    .bind(id)
    .bind(prototype)
    .fetch_optional(pool)
    .await?)
}

/// A closed round's ratings of a rating measure's statement. `mean` is NULL when fewer than
/// `min_group` people rated it: too few to show without identifying anyone.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RatingRow {
    pub measure_id: i64,
    pub round_id: i64,
    pub title: String,
    /// When it closed (early, if it was closed early).
    pub closed_at: i64,
    pub ratings: i64,
    pub mean: Option<f64>,
}

/// For each rating measure of the prototype (or just `measure`), each round that has closed
/// by `now` and asked about its statement: the published ratings (1–5) of that statement in
/// the round's statement questions, counted, and their mean when there are at least
/// `min_group` of them. Oldest round first. One statement for every rating measure.
pub async fn ratings(
    pool: &SqlitePool,
    prototype: i64,
    measure: Option<i64>,
    now: i64,
    min_group: i64,
) -> Result<Vec<RatingRow>, AppError> {
    Ok(sqlx::query_as(
        "WITH rm AS MATERIALIZED (
             SELECT id AS measure_id, statement_id FROM measures
             WHERE prototype_id = ?1 AND kind = 'rating' AND statement_id IS NOT NULL AND (?2 IS NULL OR id = ?2)),
         rr AS MATERIALIZED (
             SELECT r.id, r.title, min(r.closes_at, coalesce(r.closed_early_at, r.closes_at)) AS closed_at
             FROM rounds r
             WHERE r.prototype_id = ?1 AND min(r.closes_at, coalesce(r.closed_early_at, r.closes_at)) <= ?3
               AND EXISTS (SELECT 1 FROM questions q WHERE q.round_id = r.id AND q.kind = 'statements')),
         -- People, not answers: a round may ask about a statement in several questions, so
         -- each person's ratings are averaged first, and the small-group rule counts people.
         person AS MATERIALIZED (
             SELECT x.round_id, a.statement_id, x.id AS response_id, avg(a.number) AS rating
             FROM rr JOIN responses x ON x.round_id = rr.id AND x.status = 'published'
             JOIN answers a ON a.response_id = x.id
             JOIN questions q ON q.id = a.question_id AND q.kind = 'statements'
             WHERE a.statement_id IN (SELECT statement_id FROM rm) AND a.number BETWEEN 1 AND 5
             GROUP BY x.round_id, a.statement_id, x.id),
         rated AS MATERIALIZED (
             SELECT round_id, statement_id, count(*) AS n, avg(rating) AS mean
             FROM person GROUP BY round_id, statement_id)
         SELECT rm.measure_id, rr.id AS round_id, rr.title, rr.closed_at,
             coalesce(rated.n, 0) AS ratings,
             -- One decimal, as the results page shows it: an exact mean and a count, read
             -- again after one response is hidden or erased, would give that rating away.
             CASE WHEN coalesce(rated.n, 0) >= ?4 THEN round(rated.mean, 1) END AS mean
         FROM rm CROSS JOIN rr
         LEFT JOIN rated ON rated.round_id = rr.id AND rated.statement_id = rm.statement_id
         WHERE rated.round_id IS NOT NULL
            OR EXISTS (SELECT 1 FROM round_statements s WHERE s.round_id = rr.id AND s.statement_id = rm.statement_id)
         ORDER BY rm.measure_id, rr.closed_at, rr.id",
    )
    .bind(prototype)
    .bind(measure)
    .bind(now)
    .bind(min_group)
    .fetch_all(pool)
    .await?)
}

// ---------------------------------------------------------------------------------------
// Writes.

/// A rating's statement must exist and be in use; a measure keeps a statement retired
/// since it was chosen (`current`).
async fn check_statement(
    tx: &mut SqliteConnection,
    statement: Option<i64>,
    current: Option<i64>,
) -> Result<(), AppError> {
    let Some(id) = statement else { return Ok(()) };
    let retired: Option<bool> = sqlx::query_scalar("SELECT retired FROM experience_statements WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    match retired {
        Some(false) => Ok(()),
        Some(true) if current == Some(id) => Ok(()),
        Some(true) => {
            Err(AppError::invalid("statement", "That experience statement is retired. Choose one from the list."))
        }
        None => Err(AppError::invalid(
            "statement",
            "That experience statement could not be found. Choose one from the list.",
        )),
    }
}

async fn insert_or_update(
    tx: &mut SqliteConnection,
    sql: &str,
    first: i64,
    f: &MeasureFields,
    method_html: &str,
    t: i64,
    last: i64,
) -> Result<sqlx::sqlite::SqliteQueryResult, AppError> {
    Ok(sqlx::query(sql)
        .bind(first)
        .bind(&f.name)
        .bind(&f.method)
        .bind(method_html)
        .bind(f.kind.as_str())
        .bind(&f.unit)
        .bind(f.direction.as_str())
        .bind(f.statement)
        .bind(f.baseline)
        .bind(f.baseline_on.as_deref())
        .bind(&f.baseline_source)
        .bind(f.target)
        .bind(f.target_on.as_deref())
        .bind(t)
        .bind(last)
        .execute(&mut *tx)
        .await?)
}

/// Adds a measure at the end of the prototype's list; its id.
pub async fn create(
    pool: &SqlitePool,
    prototype: i64,
    f: &MeasureFields,
    method_html: &str,
    by: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM prototypes WHERE id = ?").bind(prototype).fetch_optional(&mut *tx).await?;
    if found.is_none() {
        return Err(AppError::NotFound);
    }
    check_statement(&mut tx, f.statement, None).await?;
    let measures: i64 = sqlx::query_scalar("SELECT count(*) FROM measures WHERE prototype_id = ?")
        .bind(prototype)
        .fetch_one(&mut *tx)
        .await?;
    if measures >= MEASURES_MAX {
        return Err(AppError::invalid(
            "name",
            format!(
                "A prototype can have at most {MEASURES_MAX} outcome measures. Delete one it no longer needs first."
            ),
        ));
    }
    let done = insert_or_update(
        &mut tx,
        "INSERT INTO measures (prototype_id, name, method, method_html, kind, unit, direction, statement_id,
             baseline, baseline_on, baseline_source, target, target_on, position, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
             (SELECT coalesce(max(position), 0) + 1 FROM measures WHERE prototype_id = ?1), ?15, ?14, ?14)",
        prototype,
        f,
        method_html,
        now(),
        by,
    )
    .await?;
    let id = done.last_insert_rowid();
    tx.commit().await?;
    Ok(id)
}

/// Saves an edit. A measure with readings keeps its kind (its readings were checked on
/// that kind's scale); a rating never has readings.
pub async fn update(
    pool: &SqlitePool,
    prototype: i64,
    id: i64,
    f: &MeasureFields,
    method_html: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let current: Option<(String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT m.kind, m.statement_id, (SELECT count(*) FROM readings r WHERE r.measure_id = m.id)
         FROM measures m WHERE m.id = ? AND m.prototype_id = ?",
    )
    .bind(id)
    .bind(prototype)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((kind, statement, readings)) = current else { return Err(AppError::NotFound) };
    if kind != f.kind.as_str() && readings > 0 {
        return Err(AppError::invalid(
            "kind",
            "This measure has readings, so its kind cannot change. Delete its readings first, or add a new measure.",
        ));
    }
    check_statement(&mut tx, f.statement, statement).await?;
    insert_or_update(
        &mut tx,
        "UPDATE measures SET name = ?2, method = ?3, method_html = ?4, kind = ?5, unit = ?6, direction = ?7,
             statement_id = ?8, baseline = ?9, baseline_on = ?10, baseline_source = ?11, target = ?12,
             target_on = ?13, updated_at = ?14
         WHERE id = ?1 AND prototype_id = ?15",
        id,
        f,
        method_html,
        now(),
        prototype,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a measure and its readings (they cascade).
pub async fn delete(pool: &SqlitePool, prototype: i64, id: i64) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let done = sqlx::query("DELETE FROM measures WHERE id = ? AND prototype_id = ?")
        .bind(id)
        .bind(prototype)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// The measure's kind, if it belongs to the prototype.
pub async fn kind(pool: &SqlitePool, prototype: i64, id: i64) -> Result<Option<MeasureKind>, AppError> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM measures WHERE id = ? AND prototype_id = ?")
        .bind(id)
        .bind(prototype)
        .fetch_optional(pool)
        .await?;
    Ok(kind.as_deref().and_then(MeasureKind::parse))
}

/// Adds readings to a measure of the prototype, all in one transaction (all or none);
/// how many. `field` names the form control a refusal belongs to.
pub async fn add_readings(
    pool: &SqlitePool,
    prototype: i64,
    measure: i64,
    rows: &[ReadingFields],
    by: i64,
    field: &str,
) -> Result<usize, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let current: Option<(String, i64)> = sqlx::query_as(
        "SELECT m.kind, (SELECT count(*) FROM readings r WHERE r.measure_id = m.id)
         FROM measures m WHERE m.id = ? AND m.prototype_id = ?",
    )
    .bind(measure)
    .bind(prototype)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((kind, held)) = current else { return Err(AppError::NotFound) };
    if kind == MeasureKind::Rating.as_str() {
        return Err(AppError::invalid(
            field,
            "The values of a rating come from consultation rounds, so readings cannot be added to it.",
        ));
    }
    if held + rows.len() as i64 > READINGS_MAX {
        let room = (READINGS_MAX - held).max(0);
        return Err(AppError::invalid(
            field,
            format!(
                "A measure can hold at most {} readings. This one has {}, so at most {} more can be added.",
                super::rules::count(READINGS_MAX as usize),
                super::rules::count(held as usize),
                super::rules::count(room as usize)
            ),
        ));
    }
    let t = now();
    for r in rows {
        sqlx::query(
            "INSERT INTO readings (measure_id, value, taken_on, site_id, source, entered_by, entered_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(measure)
        .bind(r.value)
        .bind(&r.taken_on)
        .bind(r.site_id)
        .bind(&r.source)
        .bind(by)
        .bind(t)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE measures SET updated_at = ? WHERE id = ?").bind(t).bind(measure).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// Adds one reading.
pub async fn add_reading(
    pool: &SqlitePool,
    prototype: i64,
    measure: i64,
    row: &ReadingFields,
    by: i64,
) -> Result<(), AppError> {
    add_readings(pool, prototype, measure, std::slice::from_ref(row), by, "value").await.map(|_| ())
}

/// Deletes a reading of a measure of the prototype.
pub async fn delete_reading(pool: &SqlitePool, prototype: i64, measure: i64, reading: i64) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let done = sqlx::query(
        "DELETE FROM readings WHERE id = ?1
           AND measure_id = (SELECT id FROM measures WHERE id = ?2 AND prototype_id = ?3)",
    )
    .bind(reading)
    .bind(measure)
    .bind(prototype)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    sqlx::query("UPDATE measures SET updated_at = ? WHERE id = ?").bind(now()).bind(measure).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
