//! Comments, reports, moderation, theme coding and "you said, we did" in SQL.

use sqlx::{sqlite::SqliteRow, Row, SqlitePool};

use super::{
    outcome::{record_outcome, NewOutcome},
    rules, ItemKind,
};
use crate::{
    consultations::Consent,
    error::AppError,
    json_column::JsonRows,
    notifications::{
        notify::{notify, About, To},
        Kind,
    },
    safeguarding::audit::{audit, Item},
    time::now,
};

fn item(kind: ItemKind, id: i64) -> Item {
    match kind {
        ItemKind::Response => Item::Response(id),
        ItemKind::Comment => Item::Comment(id),
    }
}

/// One comment as a thread shows it, with what the server function needs to decide what a
/// viewer may see of it (the author behind an anonymous comment, the parent's state) and
/// the themes the design group coded it with.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    pub anonymous: bool,
    pub status: String,
    pub body: String,
    pub iteration_number: Option<i64>,
    pub section: Option<String>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub acted_iteration: Option<i64>,
    pub not_taken_reason: Option<String>,
    pub prototype_id: i64,
    pub parent_status: Option<String>,
    pub parent_author: Option<i64>,
    pub themes: JsonRows<String>,
}

const COMMENT_COLUMNS: &str = "c.id, c.parent_id, c.author_id, u.display_name AS author_name, c.anonymous, c.status, c.body, c.iteration_number, c.section,
        c.created_at, c.edited_at, c.acted_iteration, c.not_taken_reason, c.prototype_id, p.status AS parent_status, p.author_id AS parent_author,
        (SELECT json_group_array(t.theme ORDER BY t.theme) FROM feedback_themes t WHERE t.item_kind = 'comment' AND t.item_id = c.id) AS themes";

/// The prototype, when it exists and the reader may see it: published (at least one
/// iteration), or any with `drafts` (the rule of `prototypes::views::visible`, in SQL).
const READABLE_PROTOTYPE: &str = "SELECT id FROM prototypes WHERE id = ?1 AND (iteration_count > 0 OR ?2)";

/// Whether the prototype exists and the reader may see it (`drafts`: unpublished ones too).
pub async fn prototype_readable(pool: &SqlitePool, prototype: i64, drafts: bool) -> Result<bool, AppError> {
    let found: Option<i64> =
        sqlx::query_scalar(READABLE_PROTOTYPE).bind(prototype).bind(drafts).fetch_optional(pool).await?;
    Ok(found.is_some())
}

/// Which held comments a list includes: the server function decides (its author's own).
#[derive(Debug, Clone, Copy)]
pub struct HeldOf(pub i64);

/// Which comments of a prototype to read, a page at a time.
#[derive(Debug, Clone, Copy)]
pub enum Thread {
    /// The whole thread, thread by thread, each in posting order.
    All,
    /// Top-level comments on the sections of one iteration, oldest first.
    Sections { iteration: i64 },
}

/// One page of comments; `None` from `comments` when the prototype does not exist or the
/// reader may not see it.
#[derive(Debug)]
pub struct CommentPage {
    pub rows: Vec<CommentRow>,
    /// How many comments the whole thread holds for this reader (removed ones keep their
    /// place but are not counted); not counted for the comments beside sections.
    pub total: Option<i64>,
}

/// A row of the page query: the prototype's own row (the total), with a comment when the
/// page has any.
struct PageRow {
    total: Option<i64>,
    comment: Option<CommentRow>,
}

impl<'r> sqlx::FromRow<'r, SqliteRow> for PageRow {
    fn from_row(row: &'r SqliteRow) -> Result<Self, sqlx::Error> {
        let id: Option<i64> = row.try_get("id")?;
        Ok(PageRow { total: row.try_get("total")?, comment: id.map(|_| CommentRow::from_row(row)).transpose()? })
    }
}

/// One page of a prototype's comments (`limit` rows from `offset`), with the thread's total
/// and the check that the prototype is there for this reader, in one statement. The page's
/// ids come from one index range; only the rows shown are joined. Held comments are
/// included only when written by `held`.
pub async fn comments(
    pool: &SqlitePool,
    prototype: i64,
    drafts: bool,
    which: Thread,
    held: HeldOf,
    offset: i64,
    limit: i64,
) -> Result<Option<CommentPage>, AppError> {
    let (page, total) = match which {
        Thread::All => (
            "SELECT id, thread_id FROM comments WHERE prototype_id = ?1 AND (status <> 'held' OR author_id = ?3)
             ORDER BY thread_id, id LIMIT ?4 OFFSET ?5",
            "(SELECT count(*) FROM comments WHERE prototype_id = ?1 AND status <> 'removed' AND (status <> 'held' OR author_id = ?3))",
        ),
        Thread::Sections { .. } => (
            "SELECT id, id AS thread_id FROM comments
             WHERE prototype_id = ?1 AND iteration_number = ?6 AND parent_id IS NULL AND section IS NOT NULL
               AND (status <> 'held' OR author_id = ?3) ORDER BY id LIMIT ?4 OFFSET ?5",
            "NULL",
        ),
    };
    let sql = format!(
        "WITH readable AS ({READABLE_PROTOTYPE}), page AS ({page})
         SELECT {total} AS total, {COMMENT_COLUMNS}
         FROM readable LEFT JOIN page ON 1 LEFT JOIN comments c ON c.id = page.id LEFT JOIN users u ON u.id = c.author_id
              LEFT JOIN comments p ON p.id = c.parent_id
         ORDER BY page.thread_id, page.id"
    );
    let iteration = match which {
        Thread::All => None,
        Thread::Sections { iteration } => Some(iteration),
    };
    let rows: Vec<PageRow> = sqlx::query_as(&sql)
        .bind(prototype)
        .bind(drafts)
        .bind(held.0)
        .bind(limit)
        .bind(offset)
        .bind(iteration)
        .fetch_all(pool)
        .await?;
    let Some(total) = rows.first().map(|r| r.total) else {
        return Ok(None);
    };
    Ok(Some(CommentPage { rows: rows.into_iter().filter_map(|r| r.comment).collect(), total }))
}

pub struct NewComment<'a> {
    pub prototype: i64,
    pub parent: Option<i64>,
    pub iteration: Option<i64>,
    pub section: Option<&'a str>,
    pub author: i64,
    pub anonymous: bool,
    pub consent: Consent,
    pub body: &'a str,
    pub key_hash: &'a str,
    pub held_phrase: Option<&'a str>,
}

/// A comment as stored: its id, and whether triage held it.
#[derive(Debug, Clone, Copy)]
pub struct Added {
    pub id: i64,
    pub held: bool,
}

/// The comment a form key already posted.
#[derive(sqlx::FromRow)]
struct Posted {
    id: i64,
    status: String,
}

/// Adds a comment (once per form key: the same key again answers with the first).
pub async fn add(pool: &SqlitePool, c: &NewComment<'_>) -> Result<Added, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    // A reply is published to every reader, so it may only answer a published comment of
    // the same prototype: under a held or hidden one it would show (and point at) something
    // others may not see. Refused as "not found", the same answer as for a comment that
    // does not exist, so a reply cannot be used to learn that a held comment exists.
    let thread: Option<i64> = match c.parent {
        Some(parent) => Some(
            sqlx::query_scalar(
                "SELECT thread_id FROM comments WHERE id = ? AND prototype_id = ? AND status = 'published'",
            )
            .bind(parent)
            .bind(c.prototype)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    if let Some(n) = c.iteration {
        let ok: Option<i64> = sqlx::query_scalar("SELECT 1 FROM iterations WHERE prototype_id = ? AND number = ?")
            .bind(c.prototype)
            .bind(n)
            .fetch_optional(&mut *tx)
            .await?;
        if ok.is_none() {
            return Err(AppError::NotFound);
        }
    }
    let status = if c.held_phrase.is_some() { "held" } else { "published" };
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO comments (prototype_id, parent_id, thread_id, iteration_number, section, author_id, anonymous, consent, body, status, held_phrase, form_key_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (form_key_hash) DO NOTHING RETURNING id",
    )
    .bind(c.prototype)
    .bind(c.parent)
    .bind(thread)
    .bind(c.iteration)
    .bind(c.section)
    .bind(c.author)
    .bind(c.anonymous)
    .bind(c.consent.as_str())
    .bind(c.body)
    .bind(status)
    .bind(c.held_phrase)
    .bind(c.key_hash)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        let posted: Posted = sqlx::query_as("SELECT id, status FROM comments WHERE form_key_hash = ?")
            .bind(c.key_hash)
            .fetch_one(&mut *tx)
            .await?;
        return Ok(Added { id: posted.id, held: posted.status == "held" });
    };
    if thread.is_none() {
        // A top-level comment starts its own thread.
        sqlx::query("UPDATE comments SET thread_id = id WHERE id = ?").bind(id).execute(&mut *tx).await?;
    }
    if let Some(phrase) = c.held_phrase {
        audit(&mut tx, None, "held", Item::Comment(id), &format!("Triage matched “{phrase}”")).await?;
        notify(&mut tx, Kind::Held, About::default(), To::Facilitators, None).await?;
    } else {
        notify_published_comment(&mut tx, c.prototype, id, c.parent, c.author).await?;
    }
    tx.commit().await?;
    Ok(Added { id, held: status == "held" })
}

/// Tells the people a newly visible comment concerns: the author of the comment it answers,
/// then the prototype's co-authors (each person once; never its own author).
async fn notify_published_comment(
    conn: &mut sqlx::SqliteConnection,
    prototype: i64,
    comment: i64,
    parent: Option<i64>,
    author: i64,
) -> Result<(), AppError> {
    let about = About { prototype: Some(prototype), comment: Some(comment), ..About::default() };
    if let Some(parent) = parent {
        notify(conn, Kind::Reply, about, To::CommentAuthor(parent), Some(author)).await?;
    }
    notify(conn, Kind::CommentOnYours, about, To::PrototypeAuthors(prototype), Some(author)).await?;
    Ok(())
}

/// What the checks on editing, removing and reporting a comment need to know of it.
#[derive(Debug, sqlx::FromRow)]
pub struct CommentMeta {
    pub prototype_id: i64,
    pub author_id: i64,
    pub created_at: i64,
    pub status: String,
    pub iteration_number: Option<i64>,
}

pub async fn comment_meta(pool: &SqlitePool, id: i64) -> Result<CommentMeta, AppError> {
    sqlx::query_as("SELECT prototype_id, author_id, created_at, status, iteration_number FROM comments WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit(pool: &SqlitePool, id: i64, body: &str, held_phrase: Option<&str>) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let status = if held_phrase.is_some() { "held" } else { "published" };
    // Only a published comment is edited: one a moderator held or hid after the caller's
    // check stays as the moderator left it (an edit must never publish it again).
    let done = sqlx::query(
        "UPDATE comments SET body = ?, edited_at = ?, status = ?, held_phrase = coalesce(?, held_phrase)
         WHERE id = ? AND status = 'published'",
    )
    .bind(body)
    .bind(now())
    .bind(status)
    .bind(held_phrase)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "This comment can no longer be edited: a moderator is looking at it, or it was removed.".into(),
        ));
    }
    if let Some(phrase) = held_phrase {
        audit(&mut tx, None, "held", Item::Comment(id), &format!("Triage matched “{phrase}” after an edit")).await?;
        notify(&mut tx, Kind::Held, About::default(), To::Facilitators, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The author removes their comment: the words go, the place in the thread stays.
pub async fn remove(pool: &SqlitePool, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE comments SET status = 'removed', body = '' WHERE id = ?").bind(id).execute(pool).await?;
    Ok(())
}

pub async fn report(pool: &SqlitePool, comment: i64, by: i64, reason: rules::ReportReason) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let done = sqlx::query("INSERT INTO reports (comment_id, reporter_id, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (comment_id, reporter_id) DO NOTHING")
        .bind(comment)
        .bind(by)
        .bind(reason.as_str())
        .bind(now())
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() > 0 {
        audit(&mut tx, Some(by), "reported", Item::Comment(comment), reason.label()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The queue: held responses and comments plus published comments with open reports,
/// oldest first, the first 100. Each part is read from an index (held ones by status, the
/// reported ones from the open reports; `+` keeps SQLite from scanning every published
/// comment instead).
const QUEUE: &str = "SELECT 'response' AS kind, x.id, x.created_at AS at, x.status, u.display_name AS author_name, x.gathered_at,
            r.title AS context_title, r.id AS target_id, '[]' AS reports
     FROM responses x JOIN rounds r ON r.id = x.round_id LEFT JOIN users u ON u.id = x.user_id WHERE x.status = 'held'
     UNION ALL
     SELECT 'comment', c.id, c.created_at, c.status, u.display_name, '', p.title, p.id,
            (SELECT json_group_array(rp.reason ORDER BY rp.id) FROM reports rp WHERE rp.comment_id = c.id AND rp.resolved_at IS NULL)
     FROM comments c JOIN users u ON u.id = c.author_id JOIN prototypes p ON p.id = c.prototype_id
     WHERE c.status = 'held' OR (c.id IN (SELECT comment_id FROM reports WHERE resolved_at IS NULL) AND +c.status = 'published')
     ORDER BY 3, 2 LIMIT 100";

/// A held or reported contribution in the moderation queue, with its words and its history.
#[derive(Debug, sqlx::FromRow)]
pub struct QueueRow {
    pub kind: String,
    pub id: i64,
    pub at: i64,
    pub status: String,
    /// None for a visitor's response, or one a design-group member typed in.
    pub author_name: Option<String>,
    /// Where answers gathered in person were given (empty otherwise).
    pub gathered_at: String,
    /// The round a response answered, or the prototype a comment is on.
    pub context_title: String,
    pub target_id: i64,
    /// The open reports' reasons (`ReportReason::as_str`), first reported first.
    pub reports: JsonRows<String>,
    /// (answer id, or the comment's own id; its text)
    pub texts: JsonRows<(i64, String)>,
    pub history: JsonRows<AuditRow>,
}

/// One line of an item's audit log; no actor for triage's own decisions.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct AuditRow {
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub detail: String,
}

/// The moderation queue, in two statements whatever its length: every held item about to
/// be shown to `viewer` is recorded in the audit log as viewed, then the items are read
/// with their texts and histories (which include that view), in one transaction, so what
/// is shown is what was recorded.
pub async fn queue(pool: &SqlitePool, viewer: i64) -> Result<Vec<QueueRow>, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(&format!(
        "INSERT INTO audit_log (at, actor_id, action, item_kind, item_id, detail)
         SELECT ?, ?, 'viewed', q.kind, q.id, '' FROM ({QUEUE}) q WHERE q.status = 'held' ORDER BY q.at, q.id"
    ))
    .bind(now())
    .bind(viewer)
    .execute(&mut *tx)
    .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT q.*,
            CASE q.kind
              WHEN 'response' THEN (SELECT json_group_array(json_array(a.id, a.text) ORDER BY a.id) FROM answers a
                                    WHERE a.response_id = q.id AND a.text IS NOT NULL)
              ELSE (SELECT json_array(json_array(c.id, c.body)) FROM comments c WHERE c.id = q.id)
            END AS texts,
            (SELECT json_group_array(json_object('at', a.at, 'actor', u.display_name, 'action', a.action, 'detail', a.detail) ORDER BY a.at, a.id)
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE a.item_kind = q.kind AND a.item_id = q.id) AS history
         FROM ({QUEUE}) q ORDER BY q.at, q.id"
    ))
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}

pub enum Decision<'a> {
    Release,
    Hide {
        reason: &'a str,
    },
    /// Replace one text (an answer's, or the comment's own) to take out personal details.
    Edit {
        text_id: i64,
        text: &'a str,
    },
}

/// Applies a moderator's decision and records it (with the original text, for an edit).
pub async fn moderate(
    pool: &SqlitePool,
    kind: ItemKind,
    id: i64,
    decision: Decision<'_>,
    by: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let table = match kind {
        ItemKind::Response => "responses",
        ItemKind::Comment => "comments",
    };
    let status: Option<String> = sqlx::query_scalar(&format!("SELECT status FROM {table} WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let status = status.ok_or(AppError::NotFound)?;
    if status == "removed" {
        return Err(AppError::Conflict("Its author has already removed it.".into()));
    }
    // Kept after its author's account was deleted only as a safeguarding record: never published.
    if matches!(decision, Decision::Release) {
        let author = if kind == ItemKind::Comment { "author_id" } else { "user_id" };
        let erased: bool = sqlx::query_scalar(&format!(
            "SELECT EXISTS (SELECT 1 FROM {table} t JOIN users u ON u.id = t.{author} WHERE t.id = ? AND u.erased_at IS NOT NULL)"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if erased {
            return Err(AppError::Conflict(
                "Its author has deleted their account, so it can no longer be published. It can still be hidden."
                    .into(),
            ));
        }
    }
    match decision {
        Decision::Release => {
            sqlx::query(&format!("UPDATE {table} SET status = 'published', hidden_reason = NULL WHERE id = ?"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            audit(&mut tx, Some(by), "released", item(kind, id), "").await?;
            if kind == ItemKind::Comment && status == "held" {
                // Now others can see it: tell those it concerns, as if it had just been posted.
                let (prototype, parent, author): (i64, Option<i64>, i64) =
                    sqlx::query_as("SELECT prototype_id, parent_id, author_id FROM comments WHERE id = ?")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                notify_published_comment(&mut tx, prototype, id, parent, author).await?;
            }
        }
        Decision::Hide { reason } => {
            sqlx::query(&format!("UPDATE {table} SET status = 'hidden', hidden_reason = ? WHERE id = ?"))
                .bind(reason)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            audit(&mut tx, Some(by), "hidden", item(kind, id), reason).await?;
        }
        Decision::Edit { text_id, text } => {
            let original: Option<String> = match kind {
                ItemKind::Response => sqlx::query_scalar("SELECT text FROM answers WHERE id = ? AND response_id = ?")
                    .bind(text_id)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .flatten(),
                ItemKind::Comment => {
                    sqlx::query_scalar("SELECT body FROM comments WHERE id = ? AND ? = id")
                        .bind(id)
                        .bind(text_id)
                        .fetch_optional(&mut *tx)
                        .await?
                }
            };
            let original = original.ok_or(AppError::NotFound)?;
            match kind {
                ItemKind::Response => {
                    sqlx::query("UPDATE answers SET text = ? WHERE id = ?")
                        .bind(text)
                        .bind(text_id)
                        .execute(&mut *tx)
                        .await?
                }
                ItemKind::Comment => {
                    sqlx::query("UPDATE comments SET body = ? WHERE id = ?")
                        .bind(text)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?
                }
            };
            audit(&mut tx, Some(by), "edited", item(kind, id), &format!("Original: {original}")).await?;
        }
    }
    if kind == ItemKind::Comment {
        sqlx::query("UPDATE reports SET resolved_at = ? WHERE comment_id = ? AND resolved_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The prototype an item belongs to (for checks and links), if it exists.
pub async fn prototype_of(pool: &SqlitePool, kind: ItemKind, id: i64) -> Result<i64, AppError> {
    let sql = match kind {
        ItemKind::Response => {
            "SELECT r.prototype_id FROM responses x JOIN rounds r ON r.id = x.round_id WHERE x.id = ?"
        }
        ItemKind::Comment => "SELECT prototype_id FROM comments WHERE id = ?",
    };
    sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await?.ok_or(AppError::NotFound)
}

/// Replaces the themes coded on a free-text answer or a comment.
pub async fn code(pool: &SqlitePool, answer_or_comment: (&str, i64), themes: &[String]) -> Result<(), AppError> {
    let (kind, id) = answer_or_comment;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let round: Option<Option<i64>> = match kind {
        "answer" => sqlx::query_scalar("SELECT x.round_id FROM answers a JOIN responses x ON x.id = a.response_id WHERE a.id = ? AND a.text IS NOT NULL")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .map(Some),
        // Only published comments are coded: a held one is the moderators' until released.
        _ => sqlx::query_scalar("SELECT NULL FROM comments WHERE id = ? AND status = 'published'").bind(id).fetch_optional(&mut *tx).await?,
    };
    let round = round.ok_or(AppError::NotFound)?;
    sqlx::query("DELETE FROM feedback_themes WHERE item_kind = ? AND item_id = ?")
        .bind(kind)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for t in themes {
        sqlx::query("INSERT OR IGNORE INTO feedback_themes (item_kind, item_id, theme, round_id) VALUES (?, ?, ?, ?)")
            .bind(kind)
            .bind(id)
            .bind(t)
            .bind(round)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records what became of a piece of feedback: acted on in `iteration`, or not taken
/// forward for `reason`. The feedback must be this prototype's (a response to one of its
/// rounds, or one of its published comments); publishing an iteration applies the same rule.
pub async fn set_outcome(
    pool: &SqlitePool,
    prototype: i64,
    kind: ItemKind,
    id: i64,
    iteration: Option<i64>,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    let outcome = NewOutcome { iteration, reason, at: now() };
    if !record_outcome(&mut conn, prototype, kind, id, outcome).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A response or comment as feedback on a prototype: who wrote it, under what consent, and
/// what became of it. The server function decides what of it a viewer may read.
#[derive(Debug, sqlx::FromRow)]
pub struct FeedbackRow {
    pub kind: String,
    pub id: i64,
    /// The round a response answered.
    pub round_title: Option<String>,
    /// The iteration a comment was made on, if any.
    pub iteration_number: Option<i64>,
    pub text: Option<String>,
    pub author_name: Option<String>,
    pub anonymous: bool,
    pub consent: String,
    pub acted_iteration: Option<i64>,
    pub not_taken_reason: Option<String>,
    pub prototype_id: i64,
}

const FEEDBACK: &str = "SELECT 'response' AS kind, x.id, r.title AS round_title, NULL AS iteration_number,
        (SELECT group_concat(a.text, ' / ') FROM answers a WHERE a.response_id = x.id AND a.text IS NOT NULL) AS text,
        u.display_name AS author_name, x.anonymous, x.consent, x.acted_iteration, x.not_taken_reason, r.prototype_id
    FROM responses x JOIN rounds r ON r.id = x.round_id LEFT JOIN users u ON u.id = x.user_id
    WHERE r.prototype_id = ?1 AND x.status = 'published' AND {response_filter}
    UNION ALL
    SELECT 'comment', c.id, NULL, c.iteration_number, c.body, u.display_name, c.anonymous, c.consent, c.acted_iteration, c.not_taken_reason, c.prototype_id
    FROM comments c JOIN users u ON u.id = c.author_id
    WHERE c.prototype_id = ?1 AND c.status = 'published' AND {comment_filter}
    ORDER BY 1, 2";

/// Published feedback on a prototype with no outcome yet (offered when publishing an iteration).
pub async fn open_feedback(pool: &SqlitePool, prototype: i64) -> Result<Vec<FeedbackRow>, AppError> {
    let sql = FEEDBACK
        .replace("{response_filter}", "x.acted_iteration IS NULL AND x.not_taken_reason IS NULL")
        .replace("{comment_filter}", "c.acted_iteration IS NULL AND c.not_taken_reason IS NULL")
        .replace("?1", "?");
    Ok(sqlx::query_as(&sql).bind(prototype).bind(prototype).fetch_all(pool).await?)
}

/// The published feedback an iteration acted on ("you said, we did" on its page).
pub async fn answered_by(pool: &SqlitePool, prototype: i64, number: i64) -> Result<Vec<FeedbackRow>, AppError> {
    let sql = FEEDBACK
        .replace("{response_filter}", "x.acted_iteration = ?")
        .replace("{comment_filter}", "c.acted_iteration = ?")
        .replace("?1", "?");
    Ok(sqlx::query_as(&sql).bind(prototype).bind(number).bind(prototype).bind(number).fetch_all(pool).await?)
}

/// One of a person's own responses or comments, with what became of it.
#[derive(Debug, sqlx::FromRow)]
pub struct MineRow {
    pub kind: String,
    pub id: i64,
    /// The round a response answered, or the prototype a comment is on.
    pub context_title: String,
    /// The round (for a response) or the prototype (for a comment).
    pub target_id: i64,
    pub created_at: i64,
    pub status: String,
    pub acted_iteration: Option<i64>,
    pub not_taken_reason: Option<String>,
    pub prototype_id: i64,
}

/// A person's own responses and comments, newest first (the latest 100).
pub async fn mine(pool: &SqlitePool, user: i64) -> Result<Vec<MineRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT 'response' AS kind, x.id, r.title AS context_title, r.id AS target_id, x.created_at, x.status, x.acted_iteration,
                x.not_taken_reason, r.prototype_id
         FROM responses x JOIN rounds r ON r.id = x.round_id WHERE x.user_id = ?1
         UNION ALL
         SELECT 'comment', c.id, p.title, p.id, c.created_at, c.status, c.acted_iteration, c.not_taken_reason, p.id
         FROM comments c JOIN prototypes p ON p.id = c.prototype_id WHERE c.author_id = ?1 AND c.status <> 'removed'
         ORDER BY 5 DESC LIMIT 100",
    )
    .bind(user)
    .fetch_all(pool)
    .await?)
}

/// Held responses and comments plus reported comments: the moderation queue's length.
pub async fn waiting(pool: &SqlitePool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM responses WHERE status = 'held') + (SELECT count(*) FROM comments WHERE status = 'held')
              + (SELECT count(DISTINCT comment_id) FROM reports WHERE resolved_at IS NULL)",
    )
    .fetch_one(pool)
    .await?)
}
