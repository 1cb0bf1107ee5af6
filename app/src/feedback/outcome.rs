//! The "you said, we did" writer: what became of one response or comment. Called by the
//! outcome form (`feedback::store::set_outcome`) and by publishing an iteration that names
//! the feedback it acted on (`prototypes::store::publish`), inside that caller's
//! transaction; one place keeps the rule for which feedback belongs to which prototype.

use super::ItemKind;
use crate::notifications::{
    notify::{notify, About, To},
    Kind,
};

/// What became of the feedback: acted on in an iteration, or not taken up for a reason
/// (both `None` clears it).
pub struct NewOutcome<'a> {
    pub iteration: Option<i64>,
    pub reason: Option<&'a str>,
    pub at: i64,
}

/// Records the outcome of `kind` `id`, provided it is feedback on `prototype`: a response to
/// one of its rounds, or one of its published comments. Returns false when it is not (the
/// caller decides what that means to the person).
pub async fn record_outcome(
    conn: &mut sqlx::SqliteConnection,
    prototype: i64,
    kind: ItemKind,
    id: i64,
    outcome: NewOutcome<'_>,
) -> Result<bool, sqlx::Error> {
    let sql = match kind {
        ItemKind::Response => {
            "UPDATE responses SET acted_iteration = ?, not_taken_reason = ?, outcome_at = ?
             WHERE id = ? AND round_id IN (SELECT id FROM rounds WHERE prototype_id = ?)"
        }
        ItemKind::Comment => {
            "UPDATE comments SET acted_iteration = ?, not_taken_reason = ?, outcome_at = ?
             WHERE id = ? AND prototype_id = ? AND status = 'published'"
        }
    };
    // What it said before: only a change is news to the person.
    let before: Option<(Option<i64>, Option<String>)> = sqlx::query_as(match kind {
        ItemKind::Response => "SELECT acted_iteration, not_taken_reason FROM responses WHERE id = ?",
        ItemKind::Comment => "SELECT acted_iteration, not_taken_reason FROM comments WHERE id = ?",
    })
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let changed = before.is_none_or(|(i, r)| i != outcome.iteration || r.as_deref() != outcome.reason);
    let done = sqlx::query(sql)
        .bind(outcome.iteration)
        .bind(outcome.reason)
        .bind(outcome.at)
        .bind(id)
        .bind(prototype)
        .execute(&mut *conn)
        .await?;
    let recorded = done.rows_affected() > 0;
    if recorded && changed && (outcome.iteration.is_some() || outcome.reason.is_some()) {
        // "You said, we did": the person who gave the feedback hears what became of it.
        let (to, comment) = match kind {
            ItemKind::Response => (To::ResponseAuthor(id), None),
            ItemKind::Comment => (To::CommentAuthor(id), Some(id)),
        };
        let about = About { prototype: Some(prototype), comment, ..About::default() };
        notify(conn, Kind::Outcome, about, to, None).await?;
    }
    Ok(recorded)
}
