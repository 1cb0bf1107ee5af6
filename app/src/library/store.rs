//! SQL for learning notes, their evidence and themes. Reads return typed rows; lists are
//! paginated in SQL with each page's themes read in the same statement (`json_group_array`),
//! so a page costs one statement whatever its length. No decisions about who may see what:
//! the only viewer-shaped inputs are data filters (`drafts`, `published_prototypes_only`)
//! that must be applied in SQL to paginate. Saves check that every piece of evidence exists
//! and that linked feedback is published, and write note, evidence and themes in one
//! transaction, so nothing partial is ever stored.

use serde::Deserialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use super::{Choice, EvidenceKind, EvidenceRef, NoteKind};
use crate::{error::AppError, json_column::Json, time::now};

/// A note as its form parsed it (the HTML rendered from `body` already).
pub struct NoteInput<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub body_html: &'a str,
    pub kind: NoteKind,
    pub prototype: Option<i64>,
    pub shareable: bool,
    pub themes: &'a [String],
    pub evidence: &'a [EvidenceRef],
}

/// Whether a piece of evidence may be linked: it must exist; feedback must be published (a
/// held, hidden or removed item can never be linked); a decision is a closed motion.
async fn check_evidence(tx: &mut SqliteConnection, e: EvidenceRef) -> Result<(), AppError> {
    let sql = match e.kind {
        EvidenceKind::Iteration => "SELECT 'published' FROM iterations WHERE id = ?",
        EvidenceKind::Round => "SELECT 'published' FROM rounds WHERE id = ?",
        EvidenceKind::Decision => "SELECT 'published' FROM motions WHERE id = ? AND status = 'closed'",
        EvidenceKind::Meeting => "SELECT 'published' FROM meetings WHERE id = ?",
        EvidenceKind::Comment => "SELECT status FROM comments WHERE id = ?",
        EvidenceKind::Answer => {
            "SELECT x.status FROM answers a JOIN responses x ON x.id = a.response_id
             WHERE a.id = ? AND a.text IS NOT NULL AND a.text <> ''"
        }
    };
    let status: Option<String> = sqlx::query_scalar(sql).bind(e.id).fetch_optional(&mut *tx).await?;
    match status.as_deref() {
        Some("published") => Ok(()),
        Some(_) => Err(AppError::invalid(
            "evidence",
            "Some of the feedback chosen is not published any more (it is held for a moderator, hidden or removed), so it cannot be linked. Please untick it and save again.",
        )),
        None => Err(AppError::invalid(
            "evidence",
            "Some of the evidence chosen could not be found. Please reload the page and choose again.",
        )),
    }
}

/// Every check a save makes before it writes.
async fn check(tx: &mut SqliteConnection, input: &NoteInput<'_>) -> Result<(), AppError> {
    if let Some(p) = input.prototype {
        let ok: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM prototypes WHERE id = ?").bind(p).fetch_optional(&mut *tx).await?;
        if ok.is_none() {
            return Err(AppError::invalid("prototype", "Please choose the prototype from the list."));
        }
    }
    for &e in input.evidence {
        check_evidence(tx, e).await?;
    }
    Ok(())
}

async fn replace_links(tx: &mut SqliteConnection, id: i64, input: &NoteInput<'_>) -> Result<(), AppError> {
    for table in ["note_evidence", "note_themes"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE note_id = ?")).bind(id).execute(&mut *tx).await?;
    }
    for e in input.evidence {
        sqlx::query("INSERT INTO note_evidence (note_id, kind, target_id) VALUES (?, ?, ?)")
            .bind(id)
            .bind(e.kind.as_str())
            .bind(e.id)
            .execute(&mut *tx)
            .await?;
    }
    for t in input.themes {
        sqlx::query("INSERT INTO note_themes (note_id, theme) VALUES (?, ?)")
            .bind(id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Creates a draft note; its id.
pub async fn create(pool: &SqlitePool, input: &NoteInput<'_>, by: i64) -> Result<i64, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    check(&mut tx, input).await?;
    let t = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO learning_notes (prototype_id, title, body, body_html, kind, shareable, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(input.prototype)
    .bind(input.title)
    .bind(input.body)
    .bind(input.body_html)
    .bind(input.kind.as_str())
    .bind(input.shareable)
    .bind(by)
    .bind(t)
    .bind(t)
    .fetch_one(&mut *tx)
    .await?;
    replace_links(&mut tx, id, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an edit. A published note stays published (only `updated_at` moves).
pub async fn update(pool: &SqlitePool, id: i64, input: &NoteInput<'_>) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    check(&mut tx, input).await?;
    let done = sqlx::query(
        "UPDATE learning_notes SET prototype_id = ?, title = ?, body = ?, body_html = ?, kind = ?, shareable = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(input.prototype)
    .bind(input.title)
    .bind(input.body)
    .bind(input.body_html)
    .bind(input.kind.as_str())
    .bind(input.shareable)
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    replace_links(&mut tx, id, input).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a draft. Publishing a published note changes nothing (its date stays).
pub async fn publish(pool: &SqlitePool, id: i64) -> Result<(), AppError> {
    let t = now();
    let done = sqlx::query(
        "UPDATE learning_notes SET status = 'published', published_at = coalesce(published_at, ?1),
             updated_at = CASE WHEN status = 'draft' THEN ?1 ELSE updated_at END
         WHERE id = ?2",
    )
    .bind(t)
    .bind(id)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reads.

/// Note `n`'s themes, alphabetically.
const THEMES: &str =
    "coalesce((SELECT json_group_array(t.theme ORDER BY t.theme) FROM note_themes t WHERE t.note_id = n.id), '[]')";

/// What a list shows of a note (alias `n`, its prototype `p`).
const CARD_COLUMNS: &str = "n.id, n.title, n.kind, n.status, n.shareable, n.published_at, n.updated_at,
    n.prototype_id, p.title AS prototype_title, coalesce(p.iteration_count, 0) AS prototype_iterations";

/// A note in a list, with its themes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoteCardRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub shareable: bool,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    pub prototype_id: Option<i64>,
    pub prototype_title: Option<String>,
    /// 0 for a prototype never published (its title is the design group's).
    pub prototype_iterations: i64,
    pub themes: Json<Vec<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct NoteFilter {
    pub kind: Option<NoteKind>,
    pub theme: Option<String>,
    pub prototype: Option<i64>,
    /// Notes whose prototype serves this value.
    pub value: Option<i64>,
    /// Notes whose prototype addresses this experience statement.
    pub statement: Option<i64>,
    /// Drafts instead of published notes.
    pub drafts: bool,
    /// The viewer may read prototypes never published: only then do the prototype, value
    /// and statement filters match through one (else they would tell a member which values a
    /// draft prototype serves).
    pub unpublished_prototypes: bool,
}

fn push_where(q: &mut QueryBuilder<'_, Sqlite>, f: &NoteFilter) {
    q.push(if f.drafts { " WHERE n.status = 'draft'" } else { " WHERE n.status = 'published'" });
    if let Some(k) = f.kind {
        q.push(" AND n.kind = ").push_bind(k.as_str().to_string());
    }
    if let Some(t) = &f.theme {
        q.push(" AND EXISTS (SELECT 1 FROM note_themes t WHERE t.note_id = n.id AND t.theme = ")
            .push_bind(t.clone())
            .push(")");
    }
    if f.prototype.is_some() || f.value.is_some() || f.statement.is_some() {
        q.push(" AND EXISTS (SELECT 1 FROM prototypes pp WHERE pp.id = n.prototype_id AND (")
            .push_bind(f.unpublished_prototypes)
            .push(" OR pp.iteration_count > 0))");
    }
    if let Some(p) = f.prototype {
        q.push(" AND n.prototype_id = ").push_bind(p);
    }
    if let Some(v) = f.value {
        q.push(" AND EXISTS (SELECT 1 FROM prototype_values v WHERE v.prototype_id = n.prototype_id AND v.value_id = ")
            .push_bind(v)
            .push(")");
    }
    if let Some(s) = f.statement {
        q.push(
            " AND EXISTS (SELECT 1 FROM prototype_statements s WHERE s.prototype_id = n.prototype_id AND s.statement_id = ",
        )
        .push_bind(s)
        .push(")");
    }
}

/// One page of notes matching the filter (`size + 1` rows at most, so the caller can tell
/// whether another page follows): published ones newest first, drafts by latest edit.
pub async fn list(pool: &SqlitePool, f: &NoteFilter, page: i64, size: i64) -> Result<Vec<NoteCardRow>, AppError> {
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {CARD_COLUMNS}, {THEMES} AS themes FROM learning_notes n LEFT JOIN prototypes p ON p.id = n.prototype_id"
    ));
    push_where(&mut q, f);
    q.push(if f.drafts {
        " ORDER BY n.updated_at DESC, n.id DESC"
    } else {
        " ORDER BY n.published_at DESC, n.id DESC"
    });
    q.push(" LIMIT ").push_bind(size + 1).push(" OFFSET ").push_bind(page.max(0) * size);
    Ok(q.build_query_as().fetch_all(pool).await?)
}

/// The library's filter choices in one row: themes on notes (most used first, 50 at most),
/// prototypes with notes, experience statements and values in use.
#[derive(Debug, sqlx::FromRow)]
pub struct FilterChoicesRow {
    pub themes: Json<Vec<String>>,
    pub prototypes: Json<Vec<Choice>>,
    pub statements: Json<Vec<Choice>>,
    pub values: Json<Vec<Choice>>,
}

/// `drafts`: prototypes whose only notes are drafts count too, and prototypes never published.
pub async fn filter_choices(pool: &SqlitePool, drafts: bool) -> Result<FilterChoicesRow, AppError> {
    Ok(sqlx::query_as(
        "SELECT
            coalesce((SELECT json_group_array(theme ORDER BY n DESC, theme)
                FROM (SELECT t.theme, count(*) AS n FROM note_themes t JOIN learning_notes ln ON ln.id = t.note_id
                      WHERE ?1 OR ln.status = 'published' GROUP BY t.theme ORDER BY n DESC, t.theme LIMIT 50)), '[]') AS themes,
            coalesce((SELECT json_group_array(json_object('id', p.id, 'label', p.title) ORDER BY p.title COLLATE NOCASE, p.id)
                FROM prototypes p
                WHERE (?1 OR p.iteration_count > 0)
                  AND EXISTS (SELECT 1 FROM learning_notes n WHERE n.prototype_id = p.id AND (?1 OR n.status = 'published'))), '[]') AS prototypes,
            coalesce((SELECT json_group_array(json_object('id', s.id, 'label', coalesce(s.short_name, s.text)) ORDER BY s.position, s.id)
                FROM experience_statements s WHERE s.retired = 0), '[]') AS statements,
            coalesce((SELECT json_group_array(json_object('id', v.id, 'label', v.name) ORDER BY v.position, v.id)
                FROM lab_values v WHERE v.retired = 0), '[]') AS \"values\"",
    )
    .bind(drafts)
    .fetch_one(pool)
    .await?)
}

/// One note with its author's name (as the account reads now: "A former member" once erased).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoteRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub kind: String,
    pub status: String,
    pub shareable: bool,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    pub prototype_id: Option<i64>,
    pub prototype_title: Option<String>,
    pub prototype_iterations: i64,
    pub author: Option<String>,
    pub themes: Json<Vec<String>>,
}

pub async fn note(pool: &SqlitePool, id: i64) -> Result<Option<NoteRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT n.id, n.title, n.body, n.body_html, n.kind, n.status, n.shareable, n.published_at, n.updated_at,
            n.prototype_id, p.title AS prototype_title, coalesce(p.iteration_count, 0) AS prototype_iterations,
            u.display_name AS author, {THEMES} AS themes
         FROM learning_notes n LEFT JOIN prototypes p ON p.id = n.prototype_id LEFT JOIN users u ON u.id = n.created_by
         WHERE n.id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// A piece of evidence resolved against what it points at, as it is now. `found` is false
/// when the thing is gone (a deleted response's answer, say). Columns by kind:
/// iteration: `title` = prototype's title, `number`, `parent_id` = prototype;
/// round: `title`, `number` = its iteration, `parent_id` = prototype;
/// decision: `title` = the question, `parent_id` = meeting, `outcome`;
/// meeting: `title`, `at` = when it starts;
/// comment: `title` = prototype's title, `parent_id` = prototype, `text`, `consent`,
/// `anonymous`, `author`, `status`; answer: the same with `title` = the round's title and
/// `parent_id` = the round.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRow {
    pub kind: String,
    pub target_id: i64,
    pub found: bool,
    pub title: Option<String>,
    pub number: Option<i64>,
    pub parent_id: Option<i64>,
    pub text: Option<String>,
    pub consent: Option<String>,
    pub anonymous: bool,
    pub author: Option<String>,
    pub status: Option<String>,
    pub outcome: Option<String>,
    pub at: Option<i64>,
    /// Of the prototype it belongs to (0 when none, or never published).
    pub prototype_iterations: i64,
}

/// Resolves the evidence named by `ev(kind, target_id)` (a CTE the caller defines).
const RESOLVE: &str = "
    SELECT ev.kind, ev.target_id, i.id IS NOT NULL AS found, p.title, i.number, i.prototype_id AS parent_id,
        NULL AS text, NULL AS consent, 0 AS anonymous, NULL AS author, NULL AS status, NULL AS outcome,
        i.published_at AS at, coalesce(p.iteration_count, 0) AS prototype_iterations
    FROM ev LEFT JOIN iterations i ON i.id = ev.target_id LEFT JOIN prototypes p ON p.id = i.prototype_id
    WHERE ev.kind = 'iteration'
    UNION ALL
    SELECT ev.kind, ev.target_id, r.id IS NOT NULL, r.title, r.iteration_number, r.prototype_id,
        NULL, NULL, 0, NULL, NULL, NULL, r.opens_at, coalesce(p.iteration_count, 0)
    FROM ev LEFT JOIN rounds r ON r.id = ev.target_id LEFT JOIN prototypes p ON p.id = r.prototype_id
    WHERE ev.kind = 'round'
    UNION ALL
    SELECT ev.kind, ev.target_id, m.id IS NOT NULL AND m.status = 'closed', m.question, NULL, m.meeting_id,
        NULL, NULL, 0, NULL, NULL, m.outcome, m.decided_at, 0
    FROM ev LEFT JOIN motions m ON m.id = ev.target_id
    WHERE ev.kind = 'decision'
    UNION ALL
    SELECT ev.kind, ev.target_id, g.id IS NOT NULL, g.title, NULL, NULL,
        NULL, NULL, 0, NULL, NULL, NULL, g.starts_at, 0
    FROM ev LEFT JOIN meetings g ON g.id = ev.target_id
    WHERE ev.kind = 'meeting'
    UNION ALL
    SELECT ev.kind, ev.target_id, c.id IS NOT NULL, p.title, NULL, c.prototype_id,
        c.body, c.consent, coalesce(c.anonymous, 0), u.display_name, c.status, NULL, c.created_at, coalesce(p.iteration_count, 0)
    FROM ev LEFT JOIN comments c ON c.id = ev.target_id LEFT JOIN prototypes p ON p.id = c.prototype_id
        LEFT JOIN users u ON u.id = c.author_id
    WHERE ev.kind = 'comment'
    UNION ALL
    SELECT ev.kind, ev.target_id, x.id IS NOT NULL, r.title, NULL, x.round_id,
        a.text, x.consent, coalesce(x.anonymous, 0), u.display_name, x.status, NULL, x.created_at, coalesce(p.iteration_count, 0)
    FROM ev LEFT JOIN answers a ON a.id = ev.target_id LEFT JOIN responses x ON x.id = a.response_id
        LEFT JOIN rounds r ON r.id = x.round_id LEFT JOIN prototypes p ON p.id = r.prototype_id
        LEFT JOIN users u ON u.id = x.user_id
    WHERE ev.kind = 'answer'
    ORDER BY 1, 2";

/// A note's evidence, resolved, in one statement.
pub async fn evidence(pool: &SqlitePool, note: i64) -> Result<Vec<EvidenceRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "WITH ev (kind, target_id) AS (SELECT kind, target_id FROM note_evidence WHERE note_id = ?) {RESOLVE}"
    ))
    .bind(note)
    .fetch_all(pool)
    .await?)
}

/// Evidence named in a link (the "Add what we learned" prompts), resolved, in one statement.
pub async fn resolve(pool: &SqlitePool, refs: &[EvidenceRef]) -> Result<Vec<EvidenceRow>, AppError> {
    if refs.is_empty() {
        return Ok(Vec::new());
    }
    let pairs: Vec<(&str, i64)> = refs.iter().map(|r| (r.kind.as_str(), r.id)).collect();
    let json = serde_json::to_string(&pairs).map_err(AppError::internal)?;
    Ok(sqlx::query_as(&format!(
        "WITH ev (kind, target_id) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)) {RESOLVE}"
    ))
    .bind(json)
    .fetch_all(pool)
    .await?)
}

/// The id of a prototype's iteration `number` (the prompts name iterations by number).
pub async fn iteration_id(pool: &SqlitePool, prototype: i64, number: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM iterations WHERE prototype_id = ? AND number = ?")
        .bind(prototype)
        .bind(number)
        .fetch_optional(pool)
        .await?)
}

/// A candidate piece of evidence in the editor (a JSON object in `EditorChoicesRow`).
#[derive(Debug, Clone, Deserialize)]
pub struct CandidateRow {
    pub id: i64,
    pub title: Option<String>,
    pub number: Option<i64>,
    pub text: Option<String>,
    pub consent: Option<String>,
    /// 0 or 1 (JSON has no SQLite booleans).
    #[serde(default)]
    pub anonymous: i64,
    pub author: Option<String>,
    pub at: Option<i64>,
}

/// How many comments and answers the editor offers (newest first).
const FEEDBACK_OFFERED: i64 = 100;

/// What the editor offers from one prototype: its iterations, rounds, decisions (closed
/// motions on it), meetings where it (or one of its rounds) was on the agenda, and its
/// published comments and free-text answers (newest first, `FEEDBACK_OFFERED` each). Never
/// a held, hidden or removed item.
#[derive(Debug, sqlx::FromRow)]
pub struct CandidatesRow {
    pub iterations: Json<Vec<CandidateRow>>,
    pub rounds: Json<Vec<CandidateRow>>,
    pub decisions: Json<Vec<CandidateRow>>,
    pub meetings: Json<Vec<CandidateRow>>,
    pub comments: Json<Vec<CandidateRow>>,
    pub answers: Json<Vec<CandidateRow>>,
}

pub async fn candidates(pool: &SqlitePool, prototype: i64) -> Result<CandidatesRow, AppError> {
    Ok(sqlx::query_as(
        "SELECT
            coalesce((SELECT json_group_array(json_object('id', i.id, 'number', i.number, 'at', i.published_at) ORDER BY i.number)
                FROM iterations i WHERE i.prototype_id = ?1), '[]') AS iterations,
            coalesce((SELECT json_group_array(json_object('id', r.id, 'title', r.title, 'number', r.iteration_number, 'at', r.opens_at)
                    ORDER BY r.opens_at, r.id)
                FROM rounds r WHERE r.prototype_id = ?1), '[]') AS rounds,
            coalesce((SELECT json_group_array(json_object('id', m.id, 'title', m.question, 'at', m.decided_at) ORDER BY m.decided_at, m.id)
                FROM motions m WHERE m.status = 'closed'
                  AND (m.prototype_id = ?1 OR m.item_id IN (SELECT a.id FROM agenda_items a WHERE a.prototype_id = ?1))), '[]') AS decisions,
            coalesce((SELECT json_group_array(json_object('id', g.id, 'title', g.title, 'at', g.starts_at) ORDER BY g.starts_at, g.id)
                FROM meetings g WHERE g.id IN (SELECT a.meeting_id FROM agenda_items a
                    WHERE a.prototype_id = ?1 OR a.round_id IN (SELECT r.id FROM rounds r WHERE r.prototype_id = ?1))), '[]') AS meetings,
            coalesce((SELECT json_group_array(json_object('id', c.id, 'text', c.body, 'consent', c.consent,
                    'anonymous', c.anonymous, 'author', c.author, 'at', c.created_at) ORDER BY c.id DESC)
                FROM (SELECT c.id, c.body, c.consent, c.anonymous, u.display_name AS author, c.created_at
                      FROM comments c JOIN users u ON u.id = c.author_id
                      WHERE c.prototype_id = ?1 AND c.status = 'published' ORDER BY c.id DESC LIMIT ?2) c), '[]') AS comments,
            coalesce((SELECT json_group_array(json_object('id', a.id, 'title', a.title, 'text', a.text, 'consent', a.consent,
                    'anonymous', a.anonymous, 'author', a.author, 'at', a.created_at) ORDER BY a.id DESC)
                FROM (SELECT w.id, r.title, w.text, x.consent, x.anonymous, u.display_name AS author, x.created_at
                      FROM rounds r JOIN responses x ON x.round_id = r.id JOIN answers w ON w.response_id = x.id
                      LEFT JOIN users u ON u.id = x.user_id
                      WHERE r.prototype_id = ?1 AND x.status = 'published' AND w.text IS NOT NULL AND w.text <> ''
                      ORDER BY w.id DESC LIMIT ?2) a), '[]') AS answers",
    )
    .bind(prototype)
    .bind(FEEDBACK_OFFERED)
    .fetch_one(pool)
    .await?)
}

/// The editor's choices in one row: every prototype (by title; `iteration_count` says
/// whether it is published) and themes in use on notes and prototypes (most used first).
#[derive(Debug, sqlx::FromRow)]
pub struct EditorChoicesRow {
    pub prototypes: Json<Vec<Choice>>,
    pub themes: Json<Vec<String>>,
}

pub async fn editor_choices(pool: &SqlitePool) -> Result<EditorChoicesRow, AppError> {
    Ok(sqlx::query_as(
        "SELECT
            coalesce((SELECT json_group_array(json_object('id', p.id, 'label', p.title) ORDER BY p.title COLLATE NOCASE, p.id)
                FROM prototypes p), '[]') AS prototypes,
            coalesce((SELECT json_group_array(theme ORDER BY n DESC, theme)
                FROM (SELECT theme, count(*) AS n FROM
                        (SELECT theme FROM note_themes UNION ALL SELECT theme FROM prototype_themes)
                      GROUP BY theme ORDER BY n DESC, theme LIMIT 50)), '[]') AS themes",
    )
    .fetch_one(pool)
    .await?)
}

/// A published comment or free-text answer coded with a theme. `parent_id` is the
/// comment's prototype or the answer's round; `source_title` its title.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodedRow {
    pub kind: String,
    pub id: i64,
    pub text: String,
    pub consent: String,
    pub anonymous: bool,
    pub author: Option<String>,
    pub parent_id: i64,
    pub source_title: String,
    pub at: i64,
}

/// Published feedback coded with `theme`, newest first, `limit` at most.
pub async fn coded_feedback(pool: &SqlitePool, theme: &str, limit: i64) -> Result<Vec<CodedRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT t.item_kind AS kind, c.id, c.body AS text, c.consent, c.anonymous, u.display_name AS author,
            c.prototype_id AS parent_id, p.title AS source_title, c.created_at AS at
         FROM feedback_themes t JOIN comments c ON c.id = t.item_id JOIN prototypes p ON p.id = c.prototype_id
            JOIN users u ON u.id = c.author_id
         WHERE t.item_kind = 'comment' AND t.theme = ?1 AND c.status = 'published'
         UNION ALL
         SELECT t.item_kind, a.id, a.text, x.consent, x.anonymous, u.display_name,
            x.round_id, r.title, x.created_at
         FROM feedback_themes t JOIN answers a ON a.id = t.item_id JOIN responses x ON x.id = a.response_id
            JOIN rounds r ON r.id = x.round_id LEFT JOIN users u ON u.id = x.user_id
         WHERE t.item_kind = 'answer' AND t.theme = ?1 AND x.status = 'published' AND a.text IS NOT NULL
         ORDER BY 9 DESC, 2 DESC LIMIT ?2",
    )
    .bind(theme)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
