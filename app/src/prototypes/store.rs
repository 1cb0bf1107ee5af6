//! SQL for prototypes, iterations and the timeline. No permission checks here; callers pass
//! what the viewer may see (`drafts`: whether prototypes without an iteration are visible).

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::timeline::{move_stage_in, record_event, NewEvent};
use super::{
    diff, Card, Column, Conflict, DraftForm, EventKind, Iteration, Person, PrototypeView, TimelineEvent,
    BOARD_PER_COLUMN,
};
use crate::{
    error::AppError,
    markdown,
    stages::{self, Stage},
    statements,
    time::now,
    time::when,
};

/// What a new or edited draft holds, already parsed.
pub struct DraftInput<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub themes: &'a [String],
    pub author_ids: &'a [i64],
    pub statement_ids: &'a [i64],
}

/// A draft's co-authors, themes and statements, kept as one JSON value until published.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct DraftLinks {
    authors: Vec<i64>,
    themes: Vec<String>,
    statements: Vec<i64>,
}

impl DraftLinks {
    fn of(input: &DraftInput<'_>) -> String {
        let links = DraftLinks {
            authors: input.author_ids.to_vec(),
            themes: input.themes.to_vec(),
            statements: input.statement_ids.to_vec(),
        };
        serde_json::to_string(&links).unwrap_or_default()
    }

    fn parse(json: &str) -> DraftLinks {
        serde_json::from_str(json).unwrap_or_default()
    }
}

type CardRow = (i64, String, String, i64, i64, i64);

fn card((id, title, summary, stage_id, iteration_count, last_activity): CardRow) -> Card {
    Card { id, title, summary, stage_id, themes: Vec::new(), iteration_count, last_activity: when(last_activity) }
}

/// Fills in every card's themes with one query (not one per card).
async fn attach_themes(pool: &SqlitePool, cards: &mut [Card]) -> Result<(), AppError> {
    if cards.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Sqlite>::new("SELECT prototype_id, theme FROM prototype_themes WHERE prototype_id IN (");
    let mut ids = q.separated(", ");
    for c in cards.iter() {
        ids.push_bind(c.id);
    }
    q.push(") ORDER BY theme");
    let rows: Vec<(i64, String)> = q.build_query_as().fetch_all(pool).await?;
    for (id, theme) in rows {
        if let Some(c) = cards.iter_mut().find(|c| c.id == id) {
            c.themes.push(theme);
        }
    }
    Ok(())
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
    Ok(())
}

async fn replace_links(tx: &mut sqlx::SqliteConnection, id: i64, input: &DraftInput<'_>) -> Result<(), AppError> {
    for table in ["prototype_authors", "prototype_themes", "prototype_statements"] {
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

/// Freezes the saved draft as the next iteration; returns its number.
/// Publishes the draft as the next iteration, and records which feedback it acted on
/// ("you said, we did"), all in one transaction.
pub async fn publish(
    pool: &SqlitePool,
    id: i64,
    change_note: &str,
    by: i64,
    acted_on: &[(crate::feedback::ItemKind, i64)],
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let (title, summary, links, body, count): (String, String, String, String, i64) = sqlx::query_as(
        "SELECT draft_title, draft_summary, draft_links, draft_body, iteration_count FROM prototypes WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    // What readers see becomes what this iteration says.
    let links = DraftLinks::parse(&links);
    let published = DraftInput {
        title: &title,
        summary: &summary,
        body: &body,
        themes: &links.themes,
        author_ids: &links.authors,
        statement_ids: &links.statements,
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
    for (kind, item) in acted_on {
        crate::feedback::store::set_outcome(&mut tx, id, *kind, *item, Some(number), None).await.map_err(|_| {
            AppError::invalid(
                "acted",
                "Some of the feedback chosen is not about this prototype. Please reload the page and try again.",
            )
        })?;
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

/// Whether a prototype exists and the viewer may see it (`None`: it does not, for them).
pub async fn visible(pool: &SqlitePool, id: i64, drafts: bool) -> Result<Option<i64>, AppError> {
    let count: Option<i64> =
        sqlx::query_scalar("SELECT iteration_count FROM prototypes WHERE id = ?").bind(id).fetch_optional(pool).await?;
    Ok(count.filter(|&c| drafts || c > 0))
}

pub async fn view(pool: &SqlitePool, id: i64, drafts: bool, can_edit: bool) -> Result<PrototypeView, AppError> {
    visible(pool, id, drafts).await?.ok_or(AppError::NotFound)?;
    let (title, summary, stage_id): (String, String, i64) =
        sqlx::query_as("SELECT title, summary, stage_id FROM prototypes WHERE id = ?").bind(id).fetch_one(pool).await?;
    let all_stages = stages::store::all(pool).await?;
    let stage =
        all_stages.iter().find(|s| s.id == stage_id).cloned().ok_or_else(|| AppError::internal("unknown stage"))?;
    let themes: Vec<String> =
        sqlx::query_scalar("SELECT theme FROM prototype_themes WHERE prototype_id = ? ORDER BY theme")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let authors = people(pool, "SELECT u.id, u.display_name FROM prototype_authors a JOIN users u ON u.id = a.user_id WHERE a.prototype_id = ? ORDER BY u.display_name", id).await?;
    let statement_ids: Vec<i64> =
        sqlx::query_scalar("SELECT statement_id FROM prototype_statements WHERE prototype_id = ?")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let statements =
        statements::store::all(pool).await?.into_iter().filter(|s| statement_ids.contains(&s.id)).collect();
    let iteration_numbers: Vec<i64> =
        sqlx::query_scalar("SELECT number FROM iterations WHERE prototype_id = ? ORDER BY number")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let latest = match iteration_numbers.last() {
        Some(&n) => Some(iteration(pool, id, n).await?),
        None => None,
    };
    Ok(PrototypeView {
        id,
        title,
        summary,
        stage,
        themes,
        authors,
        statements,
        latest,
        iteration_numbers,
        timeline: timeline(pool, id).await?,
        rounds: crate::consultations::store::for_prototype(pool, id).await?,
        can_edit,
        stages: all_stages.into_iter().filter(|s| !s.retired).collect(),
    })
}

async fn people(pool: &SqlitePool, sql: &str, id: i64) -> Result<Vec<Person>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(sql).bind(id).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(id, name)| Person { id, name }).collect())
}

pub async fn iteration(pool: &SqlitePool, id: i64, number: i64) -> Result<Iteration, AppError> {
    let row: Option<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT i.number, i.title, i.body_html, i.change_note, u.display_name, i.published_at
         FROM iterations i JOIN users u ON u.id = i.published_by WHERE i.prototype_id = ? AND i.number = ?",
    )
    .bind(id)
    .bind(number)
    .fetch_optional(pool)
    .await?;
    let (number, title, body_html, change_note, published_by, at) = row.ok_or(AppError::NotFound)?;
    Ok(Iteration { number, title, body_html, change_note, published_by, published_at: when(at) })
}

/// The timeline, oldest first, with names resolved in the same query.
pub async fn timeline(pool: &SqlitePool, id: i64) -> Result<Vec<TimelineEvent>, AppError> {
    let rows: Vec<(
        String,
        i64,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<String>,
        String,
        Option<i64>,
        Option<i64>,
    )> = sqlx::query_as(
        "SELECT e.kind, e.at, u.display_name, e.iteration_number, f.name, t.name, e.note, e.ref_id,
                (SELECT m.meeting_id FROM motions m WHERE e.kind = 'decision' AND m.id = e.ref_id)
         FROM timeline_events e
         LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN stages f ON f.id = e.from_stage_id
         LEFT JOIN stages t ON t.id = e.to_stage_id
         WHERE e.prototype_id = ? ORDER BY e.at, e.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, at, actor, number, from, to, note, reference, meeting)| TimelineEvent {
            at: when(at),
            actor,
            kind: match kind.as_str() {
                "iteration" => EventKind::Iteration { number: number.unwrap_or_default() },
                "stage_move" => EventKind::StageMove { from: from.unwrap_or_default(), to: to.unwrap_or_default() },
                "consultation" => EventKind::Consultation {
                    round: reference.unwrap_or_default(),
                    iteration: number.unwrap_or_default(),
                },
                "decision" => {
                    EventKind::Decision { motion: reference.unwrap_or_default(), meeting: meeting.unwrap_or_default() }
                }
                _ => EventKind::Created,
            },
            note,
        })
        .collect())
}

/// A prototype's title and the numbers of its iterations (for headings and navigation).
pub async fn heading(pool: &SqlitePool, id: i64) -> Result<(String, Vec<i64>), AppError> {
    let title: String = sqlx::query_scalar("SELECT title FROM prototypes WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let numbers = sqlx::query_scalar("SELECT number FROM iterations WHERE prototype_id = ? ORDER BY number")
        .bind(id)
        .fetch_all(pool)
        .await?;
    Ok((title, numbers))
}

/// Two iterations' bodies compared; both must belong to this prototype.
pub async fn diff_view(pool: &SqlitePool, id: i64, from: i64, to: i64) -> Result<super::DiffView, AppError> {
    let get = |n: i64| async move {
        sqlx::query_as::<_, (String, String)>(
            "SELECT title, body FROM iterations WHERE prototype_id = ? AND number = ?",
        )
        .bind(id)
        .bind(n)
        .fetch_optional(pool)
        .await
    };
    let (old_title, old) = get(from).await?.ok_or(AppError::NotFound)?;
    let (new_title, new) = get(to).await?.ok_or(AppError::NotFound)?;
    let (prototype_title, numbers) = heading(pool, id).await?;
    Ok(super::DiffView {
        prototype_id: id,
        prototype_title,
        from,
        to,
        numbers,
        title_change: (old_title != new_title).then_some((old_title, new_title)),
        lines: diff::diff(&old, &new),
    })
}

/// The board: for each stage in use, its newest cards and how many there are, in one query
/// (a UNION of per-stage index range scans) plus one count and one theme query.
pub async fn board(pool: &SqlitePool, drafts: bool, statement: Option<i64>) -> Result<Vec<Column>, AppError> {
    let stages: Vec<Stage> = stages::store::all(pool).await?.into_iter().filter(|s| !s.retired).collect();
    if stages.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Sqlite>::new("");
    for (i, s) in stages.iter().enumerate() {
        if i > 0 {
            q.push(" UNION ALL ");
        }
        q.push("SELECT * FROM (SELECT id, title, summary, stage_id, iteration_count, last_activity FROM prototypes WHERE stage_id = ")
            .push_bind(s.id)
            .push(" AND (")
            .push_bind(drafts)
            .push(" OR iteration_count > 0)");
        if let Some(st) = statement {
            q.push(" AND EXISTS (SELECT 1 FROM prototype_statements s WHERE s.prototype_id = prototypes.id AND s.statement_id = ").push_bind(st).push(")");
        }
        q.push(" ORDER BY last_activity DESC, id DESC LIMIT ").push_bind(BOARD_PER_COLUMN).push(")");
    }
    let rows: Vec<CardRow> = q.build_query_as().fetch_all(pool).await?;
    let mut cards: Vec<Card> = rows.into_iter().map(card).collect();
    attach_themes(pool, &mut cards).await?;
    let counts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT stage_id, count(*) FROM prototypes p WHERE (? OR iteration_count > 0)
         AND (? IS NULL OR EXISTS (SELECT 1 FROM prototype_statements s WHERE s.prototype_id = p.id AND s.statement_id = ?))
         GROUP BY stage_id",
    )
    .bind(drafts)
    .bind(statement)
    .bind(statement)
    .fetch_all(pool)
    .await?;
    Ok(stages
        .into_iter()
        .map(|stage| {
            let total = counts.iter().find(|(s, _)| *s == stage.id).map_or(0, |(_, n)| *n);
            let cards = cards.iter().filter(|c| c.stage_id == stage.id).cloned().collect();
            Column { stage, cards, total }
        })
        .collect())
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub stage: Option<i64>,
    pub theme: Option<String>,
    pub statement: Option<i64>,
    pub author: Option<i64>,
    pub search: Option<String>,
    /// "activity" (default), "title" or "created".
    pub sort: String,
}

fn push_where(q: &mut QueryBuilder<'_, Sqlite>, f: &ListFilter, drafts: bool) {
    q.push(" WHERE (").push_bind(drafts).push(" OR p.iteration_count > 0)");
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

/// One page of prototypes matching the filter, paginated in SQL, plus the total.
pub async fn list(
    pool: &SqlitePool,
    f: &ListFilter,
    drafts: bool,
    page: i64,
    size: i64,
) -> Result<(Vec<Card>, bool, i64), AppError> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT p.id, p.title, p.summary, p.stage_id, p.iteration_count, p.last_activity FROM prototypes p",
    );
    push_where(&mut q, f, drafts);
    q.push(match f.sort.as_str() {
        "title" => " ORDER BY p.title COLLATE NOCASE, p.id",
        "created" => " ORDER BY p.created_at DESC, p.id DESC",
        _ => " ORDER BY p.last_activity DESC, p.id DESC",
    });
    q.push(" LIMIT ").push_bind(size + 1).push(" OFFSET ").push_bind(page.max(0) * size);
    let rows: Vec<CardRow> = q.build_query_as().fetch_all(pool).await?;
    let has_more = rows.len() as i64 > size;
    let mut cards: Vec<Card> = rows.into_iter().take(size as usize).map(card).collect();
    attach_themes(pool, &mut cards).await?;
    let mut c = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM prototypes p");
    push_where(&mut c, f, drafts);
    let total: i64 = c.build_query_scalar().fetch_one(pool).await?;
    Ok((cards, has_more, total))
}

/// Themes already in use, most used first: suggestions for the edit form and the filter.
pub async fn themes(pool: &SqlitePool) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT theme FROM prototype_themes GROUP BY theme ORDER BY count(*) DESC, theme LIMIT 50")
        .fetch_all(pool)
        .await?)
}

/// People who can co-author: active design-group members and facilitators.
pub async fn designers(pool: &SqlitePool) -> Result<Vec<Person>, AppError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, display_name FROM users WHERE active = 1 AND role IN ('design_group', 'facilitator') ORDER BY display_name").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(id, name)| Person { id, name }).collect())
}

/// The edit form for an existing prototype, with the viewer's refused save if asked for.
pub async fn draft_form(pool: &SqlitePool, id: i64, conflict: Option<(i64, i64)>) -> Result<DraftForm, AppError> {
    let row: Option<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT draft_title, draft_summary, draft_links, draft_body, draft_revision, iteration_count FROM prototypes WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let (title, summary, links, body, revision, iteration_count) = row.ok_or(AppError::NotFound)?;
    let DraftLinks { authors: author_ids, mut themes, statements: statement_ids } = DraftLinks::parse(&links);
    themes.sort();
    let conflict = match conflict {
        Some((conflict_id, user)) => sqlx::query_as::<_, (String, String, String)>(
            "SELECT title, summary, body FROM draft_conflicts WHERE id = ? AND prototype_id = ? AND user_id = ?",
        )
        .bind(conflict_id)
        .bind(id)
        .bind(user)
        .fetch_optional(pool)
        .await?
        .map(|(title, summary, body)| Conflict { id: conflict_id, title, summary, body }),
        None => None,
    };
    Ok(DraftForm {
        id: Some(id),
        title,
        summary,
        body,
        revision,
        themes: themes.join(", "),
        author_ids,
        statement_ids,
        designers: designers(pool).await?,
        statements: statements::store::all(pool).await?.into_iter().filter(|s| !s.retired).collect(),
        theme_suggestions: self::themes(pool).await?,
        conflict,
        iteration_count,
        preview_html: None,
    })
}

/// The empty form for a new prototype, starting from the template.
pub async fn new_form(pool: &SqlitePool, me: i64) -> Result<DraftForm, AppError> {
    Ok(DraftForm {
        id: None,
        title: String::new(),
        summary: String::new(),
        body: super::fields::TEMPLATE.to_string(),
        revision: 0,
        themes: String::new(),
        author_ids: vec![me],
        statement_ids: Vec::new(),
        designers: designers(pool).await?,
        statements: statements::store::all(pool).await?.into_iter().filter(|s| !s.retired).collect(),
        theme_suggestions: themes(pool).await?,
        conflict: None,
        iteration_count: 0,
        preview_html: None,
    })
}
