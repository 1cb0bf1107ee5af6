//! SQL for prototypes, iterations and the timeline. Reads return typed rows, one query per
//! page (sections with many rows come back as `json_group_array` columns, decoded by
//! [`crate::json_column::Json`]); they decide nothing about who may see what and format nothing: the server
//! functions do (`api.rs`, `views.rs`). The only viewer-shaped input is the data filter
//! `published_only` for lists, which must be applied in SQL to paginate.

use serde::Deserialize;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::timeline::{move_stage_in, record_event, NewEvent};
use super::Person;
use crate::feedback::outcome::{record_outcome, NewOutcome};
use crate::{
    error::AppError, feedback, json_column::Json, markdown, stages::Stage, statements::Statement, time::now,
    vision::Value,
};

/// What a new or edited draft holds, already parsed.
pub struct DraftInput<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub themes: &'a [String],
    pub author_ids: &'a [i64],
    pub statement_ids: &'a [i64],
    pub value_ids: &'a [i64],
}

/// Authors must be active design-group members or facilitators; statements must be in use.
async fn check_choices(tx: &mut sqlx::SqliteConnection, input: &DraftInput<'_>) -> Result<(), AppError> {
    for &id in input.author_ids {
        let ok: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM users WHERE id = ? AND active = 1 AND role IN ('design_group', 'facilitator')",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if ok.is_none() {
            return Err(AppError::invalid(
                "authors",
                "Co-authors must be design-group members. Please choose from the list.",
            ));
        }
    }
    for &id in input.statement_ids {
        let ok: Option<i64> = sqlx::query_scalar("SELECT 1 FROM experience_statements WHERE id = ? AND retired = 0")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if ok.is_none() {
            return Err(AppError::invalid("statements", "Please choose experience statements from the list."));
        }
    }
    for &id in input.value_ids {
        let ok: Option<i64> = sqlx::query_scalar("SELECT 1 FROM lab_values WHERE id = ? AND retired = 0")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if ok.is_none() {
            return Err(AppError::invalid("values", "Please choose values from the list."));
        }
    }
    Ok(())
}

async fn replace_links(tx: &mut sqlx::SqliteConnection, id: i64, input: &DraftInput<'_>) -> Result<(), AppError> {
    for table in ["prototype_authors", "prototype_themes", "prototype_statements", "prototype_values"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE prototype_id = ?")).bind(id).execute(&mut *tx).await?;
    }
    for &a in input.author_ids {
        sqlx::query("INSERT INTO prototype_authors (prototype_id, user_id) VALUES (?, ?)")
            .bind(id)
            .bind(a)
            .execute(&mut *tx)
            .await?;
    }
    for t in input.themes {
        sqlx::query("INSERT INTO prototype_themes (prototype_id, theme) VALUES (?, ?)")
            .bind(id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
    }
    for &s in input.statement_ids {
        sqlx::query("INSERT INTO prototype_statements (prototype_id, statement_id) VALUES (?, ?)")
            .bind(id)
            .bind(s)
            .execute(&mut *tx)
            .await?;
    }
    for &v in input.value_ids {
        sqlx::query("INSERT INTO prototype_values (prototype_id, value_id) VALUES (?, ?)")
            .bind(id)
            .bind(v)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Creates a prototype at the first open stage, with the creator among its co-authors.
pub async fn create(pool: &SqlitePool, input: &DraftInput<'_>, by: i64) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    check_choices(&mut tx, input).await?;
    let stage: i64 =
        sqlx::query_scalar("SELECT id FROM stages WHERE retired = 0 AND kind = 'open' ORDER BY position, id LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                AppError::Conflict("The pipeline has no open stage. A facilitator needs to add one in settings.".into())
            })?;
    let t = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO prototypes (title, summary, draft_title, draft_summary, stage_id, draft_body, created_by, created_at, last_activity)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(input.title)
    .bind(input.summary)
    .bind(input.title)
    .bind(input.summary)
    .bind(stage)
    .bind(input.body)
    .bind(by)
    .bind(t)
    .bind(t)
    .fetch_one(&mut *tx)
    .await?;
    let mut authors = input.author_ids.to_vec();
    if !authors.contains(&by) {
        authors.insert(0, by);
    }
    let input = DraftInput { author_ids: &authors, ..*input };
    replace_links(&mut tx, id, &input).await?;
    sqlx::query("UPDATE prototypes SET draft_links = ? WHERE id = ?")
        .bind(DraftLinks::of(&input))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record_event(&mut tx, id, t, by, NewEvent::Created { stage }).await?;
    tx.commit().await?;
    Ok(id)
}

pub enum Saved {
    Done,
    /// Someone saved a newer revision first; the refused text is kept under this id.
    Conflict(i64),
}

/// Saves the draft only if it is still at `revision`; otherwise keeps the refused text.
pub async fn save(
    pool: &SqlitePool,
    id: i64,
    revision: i64,
    input: &DraftInput<'_>,
    by: i64,
) -> Result<Saved, AppError> {
    let mut tx = pool.begin().await?;
    check_choices(&mut tx, input).await?;
    // Only the draft changes; what readers see changes when an iteration is published.
    // Before the first one, only the design group can see the prototype at all.
    let done = sqlx::query(
        "UPDATE prototypes SET draft_title = ?1, draft_summary = ?2, draft_body = ?3, draft_links = ?4, draft_revision = draft_revision + 1,
                last_activity = ?5,
                title = CASE WHEN iteration_count = 0 THEN ?1 ELSE title END,
                summary = CASE WHEN iteration_count = 0 THEN ?2 ELSE summary END
         WHERE id = ?6 AND draft_revision = ?7",
    )
    .bind(input.title)
    .bind(input.summary)
    .bind(input.body)
    .bind(DraftLinks::of(input))
    .bind(now())
    .bind(id)
    .bind(revision)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM prototypes WHERE id = ?").bind(id).fetch_optional(&mut *tx).await?;
        exists.ok_or(AppError::NotFound)?;
        let conflict: i64 = sqlx::query_scalar(
            "INSERT INTO draft_conflicts (prototype_id, user_id, title, summary, body, based_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(id)
        .bind(by)
        .bind(input.title)
        .bind(input.summary)
        .bind(input.body)
        .bind(revision)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok(Saved::Conflict(conflict));
    }
    let unpublished: i64 = sqlx::query_scalar("SELECT iteration_count = 0 FROM prototypes WHERE id = ?")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if unpublished == 1 {
        replace_links(&mut tx, id, input).await?;
    }
    tx.commit().await?;
    Ok(Saved::Done)
}

/// Publishes the draft as the next iteration, and records which feedback it acted on
/// ("you said, we did"), all in one transaction; returns the new iteration's number.
pub async fn publish(
    pool: &SqlitePool,
    id: i64,
    change_note: &str,
    by: i64,
    acted_on: &[(feedback::ItemKind, i64)],
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let DraftRow {
        draft_title: title,
        draft_summary: summary,
        draft_links,
        draft_body: body,
        iteration_count: count,
        ..
    } = sqlx::query_as(&format!("{DRAFT} WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    // What readers see becomes what this iteration says.
    let links = DraftLinks::parse(&draft_links);
    let published = DraftInput {
        title: &title,
        summary: &summary,
        body: &body,
        themes: &links.themes,
        author_ids: &links.authors,
        statement_ids: &links.statements,
        value_ids: &links.values,
    };
    replace_links(&mut tx, id, &published).await?;
    sqlx::query("UPDATE prototypes SET title = ?, summary = ? WHERE id = ?")
        .bind(&title)
        .bind(&summary)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let number = count + 1;
    let t = now();
    sqlx::query(
        "INSERT INTO iterations (prototype_id, number, title, body, body_html, change_note, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(number)
    .bind(&title)
    .bind(&body)
    .bind(markdown::render(&body))
    .bind(change_note)
    .bind(by)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE prototypes SET iteration_count = ?, last_activity = ? WHERE id = ?")
        .bind(number)
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record_event(&mut tx, id, t, by, NewEvent::Iteration { number, note: change_note }).await?;
    for &(kind, item) in acted_on {
        let outcome = NewOutcome { iteration: Some(number), reason: None, at: t };
        if !record_outcome(&mut tx, id, kind, item, outcome).await? {
            return Err(AppError::invalid(
                "acted",
                "Some of the feedback chosen is not about this prototype. Please reload the page and try again.",
            ));
        }
    }
    tx.commit().await?;
    Ok(number)
}

/// Moves a prototype to another stage under the stage rules, recording who, when and why.
pub async fn move_stage(pool: &SqlitePool, id: i64, to: i64, reason: &str, by: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    move_stage_in(&mut tx, id, to, reason, by).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reads. JSON fragments for the settings every page shows beside its own data, read in the
// page's statement (they are mutable, so never cached).

/// Stages in pipeline order, as `Stage` objects (booleans as JSON booleans).
const STAGE_JSON: &str = "json_object('id', g.id, 'name', g.name, 'position', g.position,
    'closed', json(iif(g.kind = 'closed', 'true', 'false')), 'retired', json(iif(g.retired, 'true', 'false')),
    'requires_iteration', json(iif(g.requires_iteration, 'true', 'false')))";

/// An experience statement (alias `s`) as a `Statement` object.
const STATEMENT_JSON: &str = "json_object('id', s.id, 'text', s.text, 'short_name', s.short_name,
    'position', s.position, 'retired', json(iif(s.retired, 'true', 'false')))";

fn all_stages() -> String {
    format!("coalesce((SELECT json_group_array({STAGE_JSON} ORDER BY g.position, g.id) FROM stages g), '[]')")
}

/// A value (alias `v`) as a `Value` object.
const VALUE_JSON: &str = "json_object('id', v.id, 'name', v.name, 'description', v.description,
    'position', v.position, 'retired', json(iif(v.retired, 'true', 'false')))";

/// Every value, in order (retired ones too: filters and editors leave them out).
fn all_values() -> String {
    format!("coalesce((SELECT json_group_array({VALUE_JSON} ORDER BY v.position, v.id) FROM lab_values v), '[]')")
}

fn all_statements() -> String {
    format!(
        "coalesce((SELECT json_group_array({STATEMENT_JSON} ORDER BY s.position, s.id) FROM experience_statements s), '[]')"
    )
}

/// The numbers of prototype `p`'s iterations, in order.
const NUMBERS: &str = "coalesce((SELECT json_group_array(n.number ORDER BY n.number) FROM iterations n WHERE n.prototype_id = p.id), '[]')";

/// Prototype `p`'s themes, alphabetically.
const THEMES: &str = "coalesce((SELECT json_group_array(t.theme ORDER BY t.theme) FROM prototype_themes t WHERE t.prototype_id = p.id), '[]')";

/// An iteration's heading facts (alias `i`, publisher `u`), without its text.
const ITERATION_HEAD: &str =
    "json_object('id', i.id, 'number', i.number, 'title', i.title, 'change_note', i.change_note,
    'published_by', u.display_name, 'published_at', i.published_at)";

/// What `SELECT draft_title, …` reads of a prototype's draft.
const DRAFT: &str =
    "SELECT draft_title, draft_summary, draft_links, draft_body, draft_revision, iteration_count FROM prototypes";

/// A draft's co-authors, themes and statements, kept as one JSON value until published.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DraftLinks {
    pub authors: Vec<i64>,
    pub themes: Vec<String>,
    pub statements: Vec<i64>,
    /// Absent from drafts saved before values existed.
    #[serde(default)]
    pub values: Vec<i64>,
}

impl DraftLinks {
    fn of(input: &DraftInput<'_>) -> String {
        let links = DraftLinks {
            authors: input.author_ids.to_vec(),
            themes: input.themes.to_vec(),
            statements: input.statement_ids.to_vec(),
            values: input.value_ids.to_vec(),
        };
        serde_json::to_string(&links).unwrap_or_default()
    }

    pub fn parse(json: &str) -> DraftLinks {
        serde_json::from_str(json).unwrap_or_default()
    }
}

/// A prototype's working draft.
#[derive(Debug, sqlx::FromRow)]
pub struct DraftRow {
    pub draft_title: String,
    pub draft_summary: String,
    pub draft_links: String,
    pub draft_body: String,
    pub draft_revision: i64,
    pub iteration_count: i64,
}

/// An iteration's heading facts; its HTML is read apart (and cached: it never changes).
#[derive(Debug, Clone, Deserialize)]
pub struct IterationHead {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub change_note: String,
    pub published_by: String,
    pub published_at: i64,
}

/// One timeline entry with its names resolved.
#[derive(Debug, Clone, Deserialize)]
pub struct EventRow {
    pub kind: String,
    pub at: i64,
    pub actor: Option<String>,
    pub iteration_number: Option<i64>,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    pub note: String,
    pub ref_id: Option<i64>,
    /// For a decision: the meeting whose motion it was.
    pub meeting_id: Option<i64>,
    /// For a roll-out change: the site's name and its new status.
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
}

/// A consultation round on the prototype, with its published responses counted.
#[derive(Debug, Clone, Deserialize)]
pub struct RoundRow {
    pub id: i64,
    pub title: String,
    pub iteration_number: i64,
    pub audience: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub closed_early_at: Option<i64>,
    pub responses: i64,
}

/// Everything the prototype page shows of the prototype, in one row.
#[derive(Debug, sqlx::FromRow)]
pub struct PrototypePageRow {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub stage_id: i64,
    pub iteration_count: i64,
    /// Every stage, retired ones included (for the current one's name and the move form).
    pub stages: Json<Vec<Stage>>,
    pub themes: Json<Vec<String>>,
    pub authors: Json<Vec<Person>>,
    pub statements: Json<Vec<Statement>>,
    pub values: Json<Vec<Value>>,
    pub iteration_numbers: Json<Vec<i64>>,
    pub latest: Option<Json<IterationHead>>,
    pub timeline: Json<Vec<EventRow>>,
    pub rounds: Json<Vec<RoundRow>>,
}

/// The prototype page's data in one statement (the latest iteration's HTML is read apart,
/// by [`iteration_html`], only when it is not cached).
pub async fn page(pool: &SqlitePool, id: i64) -> Result<Option<PrototypePageRow>, AppError> {
    let sql = format!(
        "SELECT p.id, p.title, p.summary, p.stage_id, p.iteration_count,
            {stages} AS stages,
            {THEMES} AS themes,
            coalesce((SELECT json_group_array(json_object('id', u.id, 'name', u.display_name) ORDER BY u.display_name, u.id)
                FROM prototype_authors a JOIN users u ON u.id = a.user_id WHERE a.prototype_id = p.id), '[]') AS authors,
            coalesce((SELECT json_group_array({STATEMENT_JSON} ORDER BY s.position, s.id)
                FROM prototype_statements ps JOIN experience_statements s ON s.id = ps.statement_id
                WHERE ps.prototype_id = p.id), '[]') AS statements,
            coalesce((SELECT json_group_array({VALUE_JSON} ORDER BY v.position, v.id)
                FROM prototype_values pv JOIN lab_values v ON v.id = pv.value_id
                WHERE pv.prototype_id = p.id), '[]') AS \"values\",
            {NUMBERS} AS iteration_numbers,
            (SELECT {ITERATION_HEAD} FROM iterations i JOIN users u ON u.id = i.published_by
                WHERE i.prototype_id = p.id AND i.number = p.iteration_count) AS latest,
            coalesce((SELECT json_group_array(json_object('kind', e.kind, 'at', e.at, 'actor', u.display_name,
                    'iteration_number', e.iteration_number, 'from_stage', f.name, 'to_stage', t.name, 'note', e.note,
                    'ref_id', e.ref_id,
                    'meeting_id', (SELECT m.meeting_id FROM motions m WHERE e.kind = 'decision' AND m.id = e.ref_id),
                    'site', (SELECT s.name FROM sites s WHERE e.kind = 'rollout' AND s.id = e.ref_id), 'detail', e.detail)
                    ORDER BY e.at, e.id)
                FROM timeline_events e
                LEFT JOIN users u ON u.id = e.actor_id
                LEFT JOIN stages f ON f.id = e.from_stage_id
                LEFT JOIN stages t ON t.id = e.to_stage_id
                WHERE e.prototype_id = p.id), '[]') AS timeline,
            coalesce((SELECT json_group_array(json_object('id', r.id, 'title', r.title,
                    'iteration_number', r.iteration_number, 'audience', r.audience, 'opens_at', r.opens_at,
                    'closes_at', r.closes_at, 'closed_early_at', r.closed_early_at,
                    'responses', r.published_responses)
                    ORDER BY r.opens_at, r.id)
                FROM rounds r WHERE r.prototype_id = p.id), '[]') AS rounds
         FROM prototypes p WHERE p.id = ?",
        stages = all_stages(),
    );
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?)
}

/// A prototype's published-iteration count, if it exists and either `include_unpublished`
/// or it has a published iteration (a data filter): for another domain's server function
/// that checks a prototype is readable before reading its own data.
pub async fn visible(pool: &SqlitePool, id: i64, include_unpublished: bool) -> Result<Option<i64>, AppError> {
    let count: Option<i64> =
        sqlx::query_scalar("SELECT iteration_count FROM prototypes WHERE id = ?").bind(id).fetch_optional(pool).await?;
    Ok(count.filter(|&c| include_unpublished || c > 0))
}

/// A published iteration's HTML (it never changes: callers cache it by `iteration` id).
pub async fn iteration_html(pool: &SqlitePool, iteration: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT body_html FROM iterations WHERE id = ?").bind(iteration).fetch_optional(pool).await?)
}

/// One iteration's heading with its prototype's title and iteration numbers.
#[derive(Debug, sqlx::FromRow)]
pub struct IterationPageRow {
    pub title: String,
    pub iteration_count: i64,
    pub numbers: Json<Vec<i64>>,
    pub iteration: Option<Json<IterationHead>>,
}

pub async fn iteration_page(pool: &SqlitePool, id: i64, number: i64) -> Result<Option<IterationPageRow>, AppError> {
    let sql = format!(
        "SELECT p.title, p.iteration_count, {NUMBERS} AS numbers,
            (SELECT {ITERATION_HEAD} FROM iterations i JOIN users u ON u.id = i.published_by
                WHERE i.prototype_id = p.id AND i.number = ?2) AS iteration
         FROM prototypes p WHERE p.id = ?1"
    );
    Ok(sqlx::query_as(&sql).bind(id).bind(number).fetch_optional(pool).await?)
}

/// An iteration with its text (for the consultation page, which shows it whole).
#[derive(Debug, sqlx::FromRow)]
pub struct IterationRow {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub body_html: String,
    pub change_note: String,
    pub published_by: String,
    pub published_at: i64,
}

pub async fn iteration(pool: &SqlitePool, id: i64, number: i64) -> Result<IterationRow, AppError> {
    sqlx::query_as(
        "SELECT i.id, i.number, i.title, i.body_html, i.change_note, u.display_name AS published_by, i.published_at
         FROM iterations i JOIN users u ON u.id = i.published_by WHERE i.prototype_id = ? AND i.number = ?",
    )
    .bind(id)
    .bind(number)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// Two iterations' Markdown (either may be missing) with the prototype's title and numbers.
#[derive(Debug, sqlx::FromRow)]
pub struct DiffRow {
    pub title: String,
    pub iteration_count: i64,
    pub numbers: Json<Vec<i64>>,
    pub from_title: Option<String>,
    pub from_body: Option<String>,
    pub to_title: Option<String>,
    pub to_body: Option<String>,
}

pub async fn diff(pool: &SqlitePool, id: i64, from: i64, to: i64) -> Result<Option<DiffRow>, AppError> {
    let sql = format!(
        "SELECT p.title, p.iteration_count, {NUMBERS} AS numbers,
            f.title AS from_title, f.body AS from_body, t.title AS to_title, t.body AS to_body
         FROM prototypes p
         LEFT JOIN iterations f ON f.prototype_id = p.id AND f.number = ?2
         LEFT JOIN iterations t ON t.prototype_id = p.id AND t.number = ?3
         WHERE p.id = ?1"
    );
    Ok(sqlx::query_as(&sql).bind(id).bind(from).bind(to).fetch_optional(pool).await?)
}

/// A prototype as a card, with its themes.
#[derive(Debug, Clone, Deserialize, sqlx::FromRow)]
pub struct CardRow {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub stage_id: i64,
    pub iteration_count: i64,
    pub last_activity: i64,
    pub themes: Json<Vec<String>>,
}

const CARD_COLUMNS: &str = "p.id, p.title, p.summary, p.stage_id, p.iteration_count, p.last_activity";

/// A board column: a stage, its newest cards and how many match in all.
#[derive(Debug, Clone, Deserialize)]
pub struct ColumnRow {
    pub stage: Stage,
    pub cards: Vec<CardRow>,
    pub total: i64,
}

/// The board and the statements for its filter, in one row.
#[derive(Debug, sqlx::FromRow)]
pub struct BoardRow {
    pub columns: Json<Vec<ColumnRow>>,
    pub statements: Json<Vec<Statement>>,
    pub values: Json<Vec<Value>>,
}

/// The board in one statement: for each stage in use, its `per_column` newest matching
/// cards (an index range scan each) and how many match; and every experience statement.
/// `published_only` leaves out prototypes without a published iteration.
pub async fn board(
    pool: &SqlitePool,
    published_only: bool,
    statement: Option<i64>,
    value: Option<i64>,
    per_column: i64,
) -> Result<BoardRow, AppError> {
    let matching = "p.stage_id = g.id AND (?1 = 0 OR p.iteration_count > 0)
        AND (?2 IS NULL OR EXISTS (SELECT 1 FROM prototype_statements ps WHERE ps.prototype_id = p.id AND ps.statement_id = ?2))
        AND (?4 IS NULL OR EXISTS (SELECT 1 FROM prototype_values pv WHERE pv.prototype_id = p.id AND pv.value_id = ?4))";
    let sql = format!(
        "SELECT coalesce((SELECT json_group_array(json_object(
                'stage', {STAGE_JSON},
                'total', (SELECT count(*) FROM prototypes p WHERE {matching}),
                'cards', json(coalesce((SELECT json_group_array(json_object('id', c.id, 'title', c.title, 'summary', c.summary,
                        'stage_id', c.stage_id, 'iteration_count', c.iteration_count, 'last_activity', c.last_activity,
                        'themes', json(c.themes)) ORDER BY c.last_activity DESC, c.id DESC)
                    FROM (SELECT {CARD_COLUMNS}, {THEMES} AS themes FROM prototypes p WHERE {matching}
                          ORDER BY p.last_activity DESC, p.id DESC LIMIT ?3) c), '[]')))
                ORDER BY g.position, g.id)
            FROM stages g WHERE g.retired = 0), '[]') AS columns,
            {statements} AS statements,
            {values} AS \"values\"",
        statements = all_statements(),
        values = all_values(),
    );
    Ok(sqlx::query_as(&sql).bind(published_only).bind(statement).bind(per_column).bind(value).fetch_one(pool).await?)
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub stage: Option<i64>,
    pub theme: Option<String>,
    pub statement: Option<i64>,
    pub value: Option<i64>,
    pub author: Option<i64>,
    pub search: Option<String>,
    /// "activity" (default), "title" or "created".
    pub sort: String,
    /// Leave out prototypes without a published iteration.
    pub published_only: bool,
}

fn push_where(q: &mut QueryBuilder<'_, Sqlite>, f: &ListFilter) {
    q.push(" WHERE (").push_bind(!f.published_only).push(" OR p.iteration_count > 0)");
    if let Some(s) = f.stage {
        q.push(" AND p.stage_id = ").push_bind(s);
    }
    if let Some(t) = &f.theme {
        q.push(" AND EXISTS (SELECT 1 FROM prototype_themes t WHERE t.prototype_id = p.id AND t.theme = ")
            .push_bind(t.clone())
            .push(")");
    }
    if let Some(s) = f.statement {
        q.push(" AND EXISTS (SELECT 1 FROM prototype_statements s WHERE s.prototype_id = p.id AND s.statement_id = ")
            .push_bind(s)
            .push(")");
    }
    if let Some(v) = f.value {
        q.push(" AND EXISTS (SELECT 1 FROM prototype_values v WHERE v.prototype_id = p.id AND v.value_id = ")
            .push_bind(v)
            .push(")");
    }
    if let Some(a) = f.author {
        q.push(" AND EXISTS (SELECT 1 FROM prototype_authors a WHERE a.prototype_id = p.id AND a.user_id = ")
            .push_bind(a)
            .push(")");
    }
    if let Some(text) = f.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let pattern = format!("%{}%", text.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        q.push(" AND (p.title LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR p.summary LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
}

/// A card on a page of the list, with how many match in all.
#[derive(Debug, sqlx::FromRow)]
pub struct ListRow {
    #[sqlx(flatten)]
    pub card: CardRow,
    pub total: i64,
}

/// One page of prototypes matching the filter (`size + 1` rows at most, so the caller can
/// tell whether there is more), paginated in SQL, and the total matching; one statement
/// (a second only for a page past the end, which has no row to carry the total).
pub async fn list(pool: &SqlitePool, f: &ListFilter, page: i64, size: i64) -> Result<(Vec<CardRow>, i64), AppError> {
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {CARD_COLUMNS}, {THEMES} AS themes, (SELECT count(*) FROM prototypes p"
    ));
    push_where(&mut q, f);
    q.push(") AS total FROM prototypes p");
    push_where(&mut q, f);
    q.push(match f.sort.as_str() {
        "title" => " ORDER BY p.title COLLATE NOCASE, p.id",
        "created" => " ORDER BY p.created_at DESC, p.id DESC",
        _ => " ORDER BY p.last_activity DESC, p.id DESC",
    });
    q.push(" LIMIT ").push_bind(size + 1).push(" OFFSET ").push_bind(page.max(0) * size);
    let rows: Vec<ListRow> = q.build_query_as().fetch_all(pool).await?;
    let total = match rows.first() {
        Some(r) => r.total,
        None if page > 0 => {
            let mut c = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM prototypes p");
            push_where(&mut c, f);
            c.build_query_scalar().fetch_one(pool).await?
        }
        None => 0,
    };
    Ok((rows.into_iter().map(|r| r.card).collect(), total))
}

/// The choices around lists and the editor: stages, experience statements, the themes in
/// use (most used first, 50 at most) and the people who can co-author (active
/// design-group members and facilitators), in one row.
#[derive(Debug, sqlx::FromRow)]
pub struct ChoicesRow {
    pub stages: Json<Vec<Stage>>,
    pub statements: Json<Vec<Statement>>,
    pub values: Json<Vec<Value>>,
    pub themes: Json<Vec<String>>,
    pub designers: Json<Vec<Person>>,
}

pub async fn choices(pool: &SqlitePool) -> Result<ChoicesRow, AppError> {
    let sql = format!(
        "SELECT {stages} AS stages, {statements} AS statements, {values} AS \"values\",
            coalesce((SELECT json_group_array(theme ORDER BY n DESC, theme)
                FROM (SELECT theme, count(*) AS n FROM prototype_themes GROUP BY theme ORDER BY n DESC, theme LIMIT 50)), '[]') AS themes,
            coalesce((SELECT json_group_array(json_object('id', id, 'name', display_name) ORDER BY display_name, id)
                FROM users WHERE active = 1 AND role IN ('design_group', 'facilitator')), '[]') AS designers",
        stages = all_stages(),
        statements = all_statements(),
        values = all_values(),
    );
    Ok(sqlx::query_as(&sql).fetch_one(pool).await?)
}

/// A refused save kept for its author.
#[derive(Debug, sqlx::FromRow)]
pub struct ConflictRow {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
}

/// A prototype's draft, and the refused save `conflict` if it is `user`'s and this prototype's.
pub async fn draft(
    pool: &SqlitePool,
    id: i64,
    conflict: Option<(i64, i64)>,
) -> Result<Option<(DraftRow, Option<ConflictRow>)>, AppError> {
    let Some(draft) =
        sqlx::query_as::<_, DraftRow>(&format!("{DRAFT} WHERE id = ?")).bind(id).fetch_optional(pool).await?
    else {
        return Ok(None);
    };
    let conflict = match conflict {
        Some((conflict_id, user)) => sqlx::query_as(
            "SELECT id, title, summary, body FROM draft_conflicts WHERE id = ? AND prototype_id = ? AND user_id = ?",
        )
        .bind(conflict_id)
        .bind(id)
        .bind(user)
        .fetch_optional(pool)
        .await?,
        None => None,
    };
    Ok(Some((draft, conflict)))
}
