//! Erasing an account, in one transaction, when its grace period ends.
//!
//! The `users` row stays, emptied: email, name and password gone, the name "a former
//! member", never able to sign in. Keeping the row means no id is ever given to someone
//! else (a session or a link naming the old id can never reach a new person), and votes,
//! attendance and decisions keep their counts and their place.
//!
//! The person's words: every published comment and answer is removed, except those they
//! agreed could be quoted when they chose to keep them (then anonymously, and for answers
//! unlinked from the account). Held and hidden items stay until the collaborative's
//! retention for held items removes them: a safeguarding concern can outlive an account.
//! Their name in the minutes of meetings they attended and in their timeline and roll-out notes becomes
//! "a former member"; the reasons they gave with votes are removed, the votes kept. The request row records what was removed as counts, never the content.

use std::collections::BTreeMap;

use sqlx::{SqliteConnection, SqlitePool};

use super::{replace_name, FORMER_MEMBER};
use crate::{error::AppError, time::now};

/// Erases the account a due erasure request is about. `None` when the request is no longer
/// pending (cancelled by signing in at the last moment, or done by another instance).
pub async fn erase(pool: &SqlitePool, request: i64) -> Result<Option<BTreeMap<&'static str, u64>>, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let due: Option<(i64, bool)> = sqlx::query_as(
        "SELECT user_id, keep_quotes FROM data_requests
         WHERE id = ? AND kind = 'erasure' AND status = 'pending' AND due_at <= ?",
    )
    .bind(request)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user, keep_quotes)) = due else { return Ok(None) };
    let (name, email, role): (String, String, String) =
        sqlx::query_as("SELECT display_name, email, role FROM users WHERE id = ?")
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
    let mut counts = BTreeMap::new();

    // A last facilitator is never erased (the request refuses it; this catches two
    // facilitators whose grace periods ended together): it waits for another one.
    if role == "facilitator" && super::store::other_facilitators(&mut *tx, user).await? == 0 {
        tracing::warn!(request, "erasure waits: the account is the only facilitator");
        return Ok(None);
    }
    counts.insert("names_in_minutes", rename(&mut tx, user, &name).await?);
    let (kept, removed) = comments(&mut tx, user, keep_quotes).await?;
    counts.insert("comments_kept_anonymously", kept);
    counts.insert("comments_removed", removed);
    let (kept, removed) = responses(&mut tx, user, keep_quotes).await?;
    counts.insert("answers_kept_anonymously", kept);
    counts.insert("responses_removed", removed);
    counts.insert("vote_reasons_removed", vote_reasons(&mut tx, user).await?);
    for (what, sql) in [
        ("perspectives", "DELETE FROM user_perspectives WHERE user_id = ?"),
        ("notifications", "DELETE FROM notifications WHERE user_id = ?"),
        ("notification_preferences", "DELETE FROM notification_preferences WHERE user_id = ?"),
        ("password_resets", "DELETE FROM password_resets WHERE user_id = ?"),
        ("sessions", "DELETE FROM tower_sessions WHERE user_id = ?"),
        ("kept_drafts", "DELETE FROM draft_conflicts WHERE user_id = ?"),
        ("co_authorships", "DELETE FROM prototype_authors WHERE user_id = ?"),
        (
            "export_files",
            "DELETE FROM data_exports WHERE request_id IN (SELECT id FROM data_requests WHERE user_id = ?)",
        ),
    ] {
        counts.insert(what, exec(&mut tx, sql, user).await?);
    }
    // Rows keyed by the address: unsent and sent mail, sign-in and reset limits, and the
    // address an invitation was sent to.
    counts.insert(
        "emails",
        sqlx::query("DELETE FROM outbox WHERE to_address = ?").bind(&email).execute(&mut *tx).await?.rows_affected(),
    );
    counts.insert(
        "rate_limit_rows",
        sqlx::query("DELETE FROM rate_limits WHERE instr(key, ?) > 0")
            .bind(&email)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
    );
    sqlx::query("UPDATE invitations SET email = NULL WHERE used_by = ? OR email = ?")
        .bind(user)
        .bind(&email)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE data_requests SET status = 'cancelled', done_at = ?
         WHERE user_id = ? AND status IN ('pending', 'ready') AND id <> ?",
    )
    .bind(now())
    .bind(user)
    .bind(request)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE users SET email = 'erased-' || id, display_name = ?, password_hash = '', active = 0,
                session_epoch = session_epoch + 1, notifications_paused = 1, erased_at = ?
         WHERE id = ?",
    )
    .bind(FORMER_MEMBER)
    .bind(now())
    .bind(user)
    .execute(&mut *tx)
    .await?;
    let summary = serde_json::to_string(&counts).map_err(AppError::internal)?;
    sqlx::query("UPDATE data_requests SET status = 'done', done_at = ?, summary = ? WHERE id = ?")
        .bind(now())
        .bind(summary)
        .bind(request)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(counts))
}

async fn exec(tx: &mut SqliteConnection, sql: &str, user: i64) -> Result<u64, AppError> {
    Ok(sqlx::query(sql).bind(user).execute(tx).await?.rows_affected())
}

/// Where a facilitator wrote the person's name: the minutes of meetings they attended,
/// timeline notes and roll-out notes they made, and learning notes that quote their comments or answers (a
/// shareable note is public, so its words must not keep a name the person took back). The name, as a whole word, becomes "a former member". Only
/// there, and only a name of three letters or more, so that a name chosen to match common
/// words ("the", another member's) cannot rewrite records about other people. Stored JSON
/// (a motion's decision) is never rewritten as text.
/// Learning notes that link the person's comments or answers (`?1`).
const QUOTING_THEM: &str = "id IN (SELECT e.note_id FROM note_evidence e WHERE
    (e.kind = 'comment' AND e.target_id IN (SELECT id FROM comments WHERE author_id = ?1))
    OR (e.kind = 'answer' AND e.target_id IN
        (SELECT a.id FROM answers a JOIN responses x ON x.id = a.response_id WHERE x.user_id = ?1)))";

async fn rename(tx: &mut SqliteConnection, user: i64, name: &str) -> Result<u64, AppError> {
    if name.trim().chars().count() < 3 {
        return Ok(0);
    }
    let mut changed = 0;
    for (table, column, mine) in [
        ("meetings", "minutes_draft", "id IN (SELECT meeting_id FROM attendance WHERE user_id = ?1)"),
        ("meetings", "minutes_approved", "id IN (SELECT meeting_id FROM attendance WHERE user_id = ?1)"),
        ("timeline_events", "note", "actor_id = ?1"),
        ("learning_notes", "title", QUOTING_THEM),
        ("learning_notes", "body", QUOTING_THEM),
    ] {
        let rows: Vec<(i64, String)> =
            sqlx::query_as(&format!("SELECT id, {column} FROM {table} WHERE {mine} AND {column} IS NOT NULL"))
                .bind(user)
                .fetch_all(&mut *tx)
                .await?;
        for (id, text) in rows {
            let new = replace_name(&text, name, &FORMER_MEMBER.to_lowercase());
            if new != text {
                // A note's page shows the HTML rendered at save: it is rendered again.
                let html = (table == "learning_notes" && column == "body").then(|| crate::markdown::render(&new));
                sqlx::query(&format!("UPDATE {table} SET {column} = ? WHERE id = ?"))
                    .bind(&new)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if let Some(html) = html {
                    sqlx::query("UPDATE learning_notes SET body_html = ? WHERE id = ?")
                        .bind(html)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                changed += 1;
            }
        }
    }
    // A roll-out's current note repeats its latest timeline note (renamed above); the table
    // has no id column (one row per prototype and site).
    let rows: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT prototype_id, site_id, note FROM rollouts WHERE updated_by = ?1 AND note <> ''")
            .bind(user)
            .fetch_all(&mut *tx)
            .await?;
    for (prototype, site, text) in rows {
        let new = replace_name(&text, name, &FORMER_MEMBER.to_lowercase());
        if new != text {
            sqlx::query("UPDATE rollouts SET note = ? WHERE prototype_id = ? AND site_id = ?")
                .bind(&new)
                .bind(prototype)
                .bind(site)
                .execute(&mut *tx)
                .await?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The reasons the person gave with objections and blocks were copied into each closed
/// consent motion's stored result, to show with it: taken out there too (one copy each),
/// then from the ballots. The choices stay, so every count stays right.
async fn vote_reasons(tx: &mut SqliteConnection, user: i64) -> Result<u64, AppError> {
    let given: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT m.id, m.decision, b.reason FROM ballots b JOIN motions m ON m.id = b.motion_id
         WHERE b.user_id = ? AND b.reason <> '' AND m.decision IS NOT NULL",
    )
    .bind(user)
    .fetch_all(&mut *tx)
    .await?;
    for (motion, decision, reason) in given {
        let Ok(mut d) = serde_json::from_str::<serde_json::Value>(&decision) else { continue };
        for list in ["objections", "blocks"] {
            if let Some(items) = d.get_mut(list).and_then(|v| v.as_array_mut()) {
                if let Some(i) = items.iter().position(|r| r.as_str() == Some(reason.as_str())) {
                    items.remove(i);
                }
            }
        }
        sqlx::query("UPDATE motions SET decision = ? WHERE id = ?")
            .bind(d.to_string())
            .bind(motion)
            .execute(&mut *tx)
            .await?;
    }
    exec(tx, "UPDATE ballots SET reason = '' WHERE user_id = ? AND reason <> ''", user).await
}

/// Comments: quotable published ones kept anonymously (if chosen); the rest of the
/// published ones emptied to "removed" (the row stays so replies keep their thread), with
/// their themes and any moderator's copy of the original text.
async fn comments(tx: &mut SqliteConnection, user: i64, keep_quotes: bool) -> Result<(u64, u64), AppError> {
    let kept = if keep_quotes {
        exec(
            tx,
            "UPDATE comments SET anonymous = 1, consent = 'quote_anonymously'
             WHERE author_id = ? AND status = 'published' AND consent <> 'design_group_only'",
            user,
        )
        .await?
    } else {
        0
    };
    let removed: Vec<i64> = sqlx::query_scalar(
        "UPDATE comments SET status = 'removed', body = '', edited_at = NULL, not_taken_reason = NULL,
                held_phrase = NULL, hidden_reason = NULL
         WHERE author_id = ?1 AND (status = 'removed' OR (status = 'published' AND (?2 = 0 OR consent = 'design_group_only')))
         RETURNING id",
    )
    .bind(user)
    .bind(keep_quotes)
    .fetch_all(&mut *tx)
    .await?;
    let ids = serde_json::to_string(&removed).map_err(AppError::internal)?;
    sqlx::query(
        "DELETE FROM feedback_themes WHERE item_kind = 'comment' AND item_id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE audit_log SET detail = '' WHERE item_kind = 'comment' AND item_id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids)
    .execute(&mut *tx)
    .await?;
    Ok((kept, removed.len() as u64))
}

/// Responses: quotable published ones kept anonymously and unlinked from the account (if
/// chosen); the rest of the published ones deleted with their answers, themes and receipts.
async fn responses(tx: &mut SqliteConnection, user: i64, keep_quotes: bool) -> Result<(u64, u64), AppError> {
    let kept = if keep_quotes {
        exec(
            tx,
            "UPDATE responses SET user_id = NULL, anonymous = 1, consent = 'quote_anonymously'
             WHERE user_id = ? AND status = 'published' AND consent <> 'design_group_only'",
            user,
        )
        .await?
    } else {
        0
    };
    let going = "SELECT id FROM responses WHERE user_id = ? AND status = 'published'";
    exec(
        tx,
        &format!(
            "DELETE FROM feedback_themes WHERE item_kind = 'answer'
             AND item_id IN (SELECT id FROM answers WHERE response_id IN ({going}))"
        ),
        user,
    )
    .await?;
    exec(tx, &format!("UPDATE audit_log SET detail = '' WHERE item_kind = 'response' AND item_id IN ({going})"), user)
        .await?;
    let removed = exec(tx, "DELETE FROM responses WHERE user_id = ? AND status = 'published'", user).await?;
    Ok((kept, removed))
}

/// After erasures: rewrites the database file so the freed pages (which still hold the
/// erased bytes) are gone, and empties the write-ahead log, which holds old page copies.
pub async fn compact(pool: &SqlitePool) -> Result<(), AppError> {
    // FTS5 keeps a deleted row's words in older index segments until they merge: a rebuild
    // writes the search index afresh from what is findable now, so VACUUM can free the rest.
    sqlx::query("INSERT INTO search_index (search_index) VALUES ('rebuild')").execute(pool).await?;
    sqlx::query("VACUUM").execute(pool).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(pool).await?;
    Ok(())
}
