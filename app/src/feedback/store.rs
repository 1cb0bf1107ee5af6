//! Comments, reports, moderation, theme coding and "you said, we did" in SQL.

use sqlx::{SqliteConnection, SqlitePool};

use super::{rules, AuditLine, ItemKind, ModerationItem, MyContribution};
use crate::{
    consultations::{store::outcome, Consent},
    error::AppError,
    safeguarding::audit::{audit, Item},
    time::{now, when},
};

fn item(kind: ItemKind, id: i64) -> Item {
    match kind {
        ItemKind::Response => Item::Response(id),
        ItemKind::Comment => Item::Comment(id),
    }
}

/// One comment as a thread shows it, with what the server function needs to decide what a
/// viewer may see of it (the author behind an anonymous comment, the parent's state).
#[derive(Debug, sqlx::FromRow)]
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
}

const COMMENT_COLUMNS: &str = "c.id, c.parent_id, c.author_id, u.display_name AS author_name, c.anonymous, c.status, c.body, c.iteration_number, c.section,
        c.created_at, c.edited_at, c.acted_iteration, c.not_taken_reason, c.prototype_id, p.status AS parent_status, p.author_id AS parent_author
    FROM comments c JOIN users u ON u.id = c.author_id LEFT JOIN comments p ON p.id = c.parent_id";

/// Which held comments a list includes: the server function decides (its author's own).
#[derive(Debug, Clone, Copy)]
pub struct HeldOf(pub i64);

/// One page of a prototype's comments in thread order (thread by thread, each in posting
/// order), `limit` rows from `offset`, from one index range. Held comments are included
/// only when written by `held`.
pub async fn thread_page(
    pool: &SqlitePool,
    prototype: i64,
    held: HeldOf,
    offset: i64,
    limit: i64,
) -> Result<Vec<CommentRow>, AppError> {
    // The page's ids come from the index alone; only the rows shown are joined.
    let sql = format!(
        "WITH page AS (SELECT id FROM comments WHERE prototype_id = ? AND (status <> 'held' OR author_id = ?) ORDER BY thread_id, id LIMIT ? OFFSET ?)
         SELECT {COMMENT_COLUMNS} JOIN page ON page.id = c.id ORDER BY c.thread_id, c.id"
    );
    Ok(sqlx::query_as(&sql).bind(prototype).bind(held.0).bind(limit).bind(offset).fetch_all(pool).await?)
}

/// How many comments a thread list holds (removed ones keep their place but are not counted).
pub async fn thread_total(pool: &SqlitePool, prototype: i64, held: HeldOf) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM comments WHERE prototype_id = ? AND status <> 'removed' AND (status <> 'held' OR author_id = ?)")
        .bind(prototype)
        .bind(held.0)
        .fetch_one(pool)
        .await?)
}

/// Top-level comments on the sections of one iteration, oldest first, `limit` rows from `offset`.
pub async fn section_page(
    pool: &SqlitePool,
    prototype: i64,
    iteration: i64,
    held: HeldOf,
    offset: i64,
    limit: i64,
) -> Result<Vec<CommentRow>, AppError> {
    let sql = format!(
        "SELECT {COMMENT_COLUMNS}
         WHERE c.prototype_id = ? AND c.iteration_number = ? AND c.parent_id IS NULL AND c.section IS NOT NULL
           AND (c.status <> 'held' OR c.author_id = ?) ORDER BY c.id LIMIT ? OFFSET ?"
    );
    Ok(sqlx::query_as(&sql)
        .bind(prototype)
        .bind(iteration)
        .bind(held.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?)
}

/// The themes coded on these comments, as (comment id, theme).
pub async fn comment_themes(pool: &SqlitePool, ids: &[i64]) -> Result<Vec<(i64, String)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!("SELECT item_id, theme FROM feedback_themes WHERE item_kind = 'comment' AND item_id IN ({marks}) ORDER BY theme");
    let mut q = sqlx::query_as(&sql);
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(pool).await?)
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

/// Adds a comment (once per form key) and returns its id and whether it is held.
pub async fn add(pool: &SqlitePool, c: &NewComment<'_>) -> Result<(i64, bool), AppError> {
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
        let (id, st): (i64, String) = sqlx::query_as("SELECT id, status FROM comments WHERE form_key_hash = ?")
            .bind(c.key_hash)
            .fetch_one(&mut *tx)
            .await?;
        return Ok((id, st == "held"));
    };
    if thread.is_none() {
        // A top-level comment starts its own thread.
        sqlx::query("UPDATE comments SET thread_id = id WHERE id = ?").bind(id).execute(&mut *tx).await?;
    }
    if let Some(phrase) = c.held_phrase {
        audit(&mut tx, None, "held", Item::Comment(id), &format!("Triage matched “{phrase}”")).await?;
    }
    tx.commit().await?;
    Ok((id, status == "held"))
}

/// (prototype, author, created_at, status, iteration)
pub async fn comment_meta(pool: &SqlitePool, id: i64) -> Result<(i64, i64, i64, String, Option<i64>), AppError> {
    sqlx::query_as("SELECT prototype_id, author_id, created_at, status, iteration_number FROM comments WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit(pool: &SqlitePool, id: i64, body: &str, held_phrase: Option<&str>) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let status = if held_phrase.is_some() { "held" } else { "published" };
    sqlx::query(
        "UPDATE comments SET body = ?, edited_at = ?, status = ?, held_phrase = coalesce(?, held_phrase) WHERE id = ?",
    )
    .bind(body)
    .bind(now())
    .bind(status)
    .bind(held_phrase)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if let Some(phrase) = held_phrase {
        audit(&mut tx, None, "held", Item::Comment(id), &format!("Triage matched “{phrase}” after an edit")).await?;
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

type QueueRow = (String, i64, i64, String, String, String, i64, Option<String>);

/// Held and reported contributions, oldest first. Showing a held item to a facilitator is
/// itself recorded in the audit log, in the same transaction as the read.
pub async fn queue(pool: &SqlitePool, viewer: i64) -> Result<Vec<ModerationItem>, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let rows: Vec<QueueRow> = sqlx::query_as(
        "SELECT 'response', x.id, x.created_at, x.status, coalesce(u.display_name, CASE WHEN x.gathered_at <> '' THEN 'Gathered in person: ' || x.gathered_at ELSE 'A visitor' END),
                'Answer to “' || r.title || '”', r.id, NULL
         FROM responses x JOIN rounds r ON r.id = x.round_id LEFT JOIN users u ON u.id = x.user_id WHERE x.status = 'held'
         UNION ALL
         SELECT 'comment', c.id, c.created_at, c.status, u.display_name, 'Comment on “' || p.title || '”', p.id,
                (SELECT group_concat(reason, ',') FROM reports rp WHERE rp.comment_id = c.id AND rp.resolved_at IS NULL)
         FROM comments c JOIN users u ON u.id = c.author_id JOIN prototypes p ON p.id = c.prototype_id
         WHERE c.status = 'held' OR (c.status = 'published' AND EXISTS (SELECT 1 FROM reports rp WHERE rp.comment_id = c.id AND rp.resolved_at IS NULL))
         ORDER BY 3, 2 LIMIT 100",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut out = Vec::new();
    for (kind, id, at, status, author, context, target, reports) in rows {
        let kind = ItemKind::parse(&kind).unwrap_or(ItemKind::Comment);
        let texts: Vec<(i64, String)> = match kind {
            ItemKind::Response => {
                sqlx::query_as("SELECT id, text FROM answers WHERE response_id = ? AND text IS NOT NULL ORDER BY id")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?
            }
            ItemKind::Comment => {
                sqlx::query_as("SELECT id, body FROM comments WHERE id = ?").bind(id).fetch_all(&mut *tx).await?
            }
        };
        let held = status == "held";
        if held {
            audit(&mut tx, Some(viewer), "viewed", item(kind, id), "").await?;
        }
        let history = history(&mut tx, kind, id).await?;
        let reports = reports
            .unwrap_or_default()
            .split(',')
            .filter(|r| !r.is_empty())
            .map(|r| {
                rules::ReportReason::ALL
                    .into_iter()
                    .find(|x| x.as_str() == r)
                    .map_or(r.to_string(), |x| x.label().to_string())
            })
            .collect();
        let link = match kind {
            ItemKind::Response => format!("/consultations/{target}"),
            ItemKind::Comment => format!("/prototypes/{target}#comment-{id}"),
        };
        out.push(ModerationItem { kind, id, held, reports, at: when(at), author, context, link, texts, history });
    }
    tx.commit().await?;
    Ok(out)
}

async fn history(conn: &mut SqliteConnection, kind: ItemKind, id: i64) -> Result<Vec<AuditLine>, AppError> {
    let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT a.at, u.display_name, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         WHERE a.item_kind = ? AND a.item_id = ? ORDER BY a.at, a.id",
    )
    .bind(kind.as_str())
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, detail)| AuditLine {
            at: when(at),
            actor: actor.unwrap_or_else(|| "Triage".into()),
            action,
            detail,
        })
        .collect())
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
    match decision {
        Decision::Release => {
            sqlx::query(&format!("UPDATE {table} SET status = 'published', hidden_reason = NULL WHERE id = ?"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            audit(&mut tx, Some(by), "released", item(kind, id), "").await?;
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
/// forward for `reason`.
pub async fn set_outcome(
    conn: &mut SqliteConnection,
    prototype: i64,
    kind: ItemKind,
    id: i64,
    iteration: Option<i64>,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let sql = match kind {
        ItemKind::Response => {
            "UPDATE responses SET acted_iteration = ?, not_taken_reason = ?, outcome_at = ? WHERE id = ? AND round_id IN (SELECT id FROM rounds WHERE prototype_id = ?)"
        }
        ItemKind::Comment => "UPDATE comments SET acted_iteration = ?, not_taken_reason = ?, outcome_at = ? WHERE id = ? AND prototype_id = ? AND status = 'published'",
    };
    let done =
        sqlx::query(sql).bind(iteration).bind(reason).bind(now()).bind(id).bind(prototype).execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
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

/// A person's own responses and comments, newest first, with what became of them.
pub async fn mine(pool: &SqlitePool, user: i64) -> Result<Vec<MyContribution>, AppError> {
    let rows: Vec<(String, String, String, i64, String, Option<i64>, Option<String>, i64)> = sqlx::query_as(
        "SELECT 'response', 'Your answers to “' || r.title || '”', '/consultations/' || r.id, x.created_at, x.status, x.acted_iteration, x.not_taken_reason, r.prototype_id
         FROM responses x JOIN rounds r ON r.id = x.round_id WHERE x.user_id = ?
         UNION ALL
         SELECT 'comment', 'Your comment on “' || p.title || '”', '/prototypes/' || p.id || '#comment-' || c.id, c.created_at, c.status, c.acted_iteration, c.not_taken_reason, p.id
         FROM comments c JOIN prototypes p ON p.id = c.prototype_id WHERE c.author_id = ? AND c.status <> 'removed'
         ORDER BY 4 DESC LIMIT 100",
    )
    .bind(user)
    .bind(user)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, title, link, at, status, acted, reason, prototype)| MyContribution {
            kind: ItemKind::parse(&kind).unwrap_or(ItemKind::Comment),
            title,
            link,
            at: when(at),
            held: status == "held",
            outcome: outcome(prototype, acted, reason),
        })
        .collect())
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
