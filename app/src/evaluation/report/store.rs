//! SQL the report needs that no other module's store already reads: all of a prototype's
//! iterations with their change notes, its feedback's "you said, we did" counts and a few
//! examples (one statement), its closed rounds' statement ratings by perspective cell (one
//! statement for every round, the round results page's tallies narrowed to statement
//! ratings), and its closed motions as the meeting page reads them (one statement). Rows
//! only: what a viewer may see is decided by the server function and `views`; the row types
//! of consultations and meetings are reused so that their own view functions apply as they
//! are. The only viewer-shaped input is a data filter (`quotable_only`), applied in SQL so
//! that the examples' limit counts quotable ones.

use serde::Deserialize;
use sqlx::SqlitePool;

use crate::{
    consultations::store::{CellRatings, CellSize, QuestionRow, StatementRow},
    error::AppError,
    json_column::JsonRows,
    meetings::store::MotionRow,
};

/// A published iteration's heading facts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IterationRow {
    pub number: i64,
    pub title: String,
    pub change_note: String,
    pub published_at: i64,
}

/// A published response or comment that has an outcome, with its words, who gave it and
/// under what consent (the server function decides what of it to show).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ExampleRow {
    /// 'response' or 'comment'.
    pub kind: String,
    pub id: i64,
    /// The round a response answered.
    pub round_title: Option<String>,
    /// The iteration a comment was made on, if any.
    pub iteration_number: Option<i64>,
    /// A comment's body, or a response's free-text answers joined with " / ".
    pub text: Option<String>,
    pub author_name: Option<String>,
    /// 0 or 1.
    pub anonymous: i64,
    pub consent: String,
    pub status: String,
    pub acted_iteration: Option<i64>,
    pub not_taken_reason: Option<String>,
}

/// The prototype's story in one row: its iterations, oldest first; how much of its
/// published feedback was acted on, not taken forward, or waits; and up to `examples`
/// pieces of feedback with an outcome and some words, latest outcome first.
#[derive(Debug, sqlx::FromRow)]
pub struct StoryRow {
    pub iterations: JsonRows<IterationRow>,
    pub acted: i64,
    pub not_taken: i64,
    pub waiting: i64,
    pub examples: JsonRows<ExampleRow>,
}

/// Published feedback counts as the publish form and the iteration pages count it: every
/// published response to the prototype's rounds and every published comment on it.
pub async fn story(
    pool: &SqlitePool,
    prototype: i64,
    quotable_only: bool,
    examples: i64,
) -> Result<StoryRow, AppError> {
    Ok(sqlx::query_as(
        "WITH fb AS MATERIALIZED (
             SELECT 'response' AS kind, x.id, r.title AS round_title, NULL AS iteration_number, x.user_id AS author_id,
                 x.anonymous, x.consent, x.status, x.acted_iteration, x.not_taken_reason, x.outcome_at
             FROM responses x JOIN rounds r ON r.id = x.round_id
             WHERE r.prototype_id = ?1 AND x.status = 'published'
             UNION ALL
             SELECT 'comment', c.id, NULL, c.iteration_number, c.author_id,
                 c.anonymous, c.consent, c.status, c.acted_iteration, c.not_taken_reason, c.outcome_at
             FROM comments c WHERE c.prototype_id = ?1 AND c.status = 'published'),
         ex AS (
             SELECT fb.*, CASE fb.kind
                     WHEN 'response' THEN (SELECT group_concat(a.text, ' / ') FROM answers a
                         WHERE a.response_id = fb.id AND a.text IS NOT NULL AND trim(a.text) <> '')
                     ELSE (SELECT c.body FROM comments c WHERE c.id = fb.id) END AS text
             FROM fb
             WHERE (fb.acted_iteration IS NOT NULL OR fb.not_taken_reason IS NOT NULL)
               AND (?2 = 0 OR fb.consent IN ('quote_anonymously', 'quote_with_name')))
         SELECT
             coalesce((SELECT json_group_array(json_object('number', i.number, 'title', i.title,
                     'change_note', i.change_note, 'published_at', i.published_at) ORDER BY i.number)
                 FROM iterations i WHERE i.prototype_id = ?1), '[]') AS iterations,
             (SELECT count(*) FROM fb WHERE acted_iteration IS NOT NULL) AS acted,
             (SELECT count(*) FROM fb WHERE acted_iteration IS NULL AND not_taken_reason IS NOT NULL) AS not_taken,
             (SELECT count(*) FROM fb WHERE acted_iteration IS NULL AND not_taken_reason IS NULL) AS waiting,
             coalesce((SELECT json_group_array(json_object('kind', e.kind, 'id', e.id, 'round_title', e.round_title,
                     'iteration_number', e.iteration_number, 'text', e.text, 'author_name', u.display_name,
                     'anonymous', e.anonymous, 'consent', e.consent, 'status', e.status,
                     'acted_iteration', e.acted_iteration, 'not_taken_reason', e.not_taken_reason)
                     ORDER BY e.outcome_at DESC, e.kind, e.id DESC)
                 FROM (SELECT * FROM ex WHERE ex.text IS NOT NULL AND trim(ex.text) <> ''
                       ORDER BY ex.outcome_at DESC, ex.kind, ex.id DESC LIMIT ?3) e
                 LEFT JOIN users u ON u.id = e.author_id), '[]') AS examples",
    )
    .bind(prototype)
    .bind(quotable_only)
    .bind(examples)
    .fetch_one(pool)
    .await?)
}

/// A closed round that rated experience statements, with what the round results page's
/// perspective breakdown is computed from, narrowed to statement ratings: its statement
/// questions and the statements they rate, the size of each perspective cell, and each
/// cell's count and sum of ratings per statement.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RatingRoundRow {
    pub id: i64,
    pub title: String,
    pub iteration_number: i64,
    /// When it closed (early, if it was closed early).
    pub closed_at: i64,
    pub questions: JsonRows<QuestionRow>,
    pub statements: JsonRows<StatementRow>,
    pub cells: JsonRows<CellSize>,
    pub cell_ratings: JsonRows<CellRatings>,
}

/// Every round of the prototype that has closed by `now` and asked people to rate
/// statements, oldest first, in one statement. Cells are as `consultations::store::tallies`
/// makes them: a published response's one declared perspective, `several`, or `none`
/// (counted only when it answered something).
pub async fn rating_rounds(pool: &SqlitePool, prototype: i64, now: i64) -> Result<Vec<RatingRoundRow>, AppError> {
    Ok(sqlx::query_as(
        "WITH rr AS MATERIALIZED (
             SELECT r.id, r.title, r.iteration_number, min(r.closes_at, coalesce(r.closed_early_at, r.closes_at)) AS closed_at
             FROM rounds r
             WHERE r.prototype_id = ?1 AND min(r.closes_at, coalesce(r.closed_early_at, r.closes_at)) <= ?2
               AND EXISTS (SELECT 1 FROM questions q WHERE q.round_id = r.id AND q.kind = 'statements')),
         x AS MATERIALIZED (
             SELECT x.id, x.round_id FROM rr JOIN responses x ON x.round_id = rr.id AND x.status = 'published'),
         cells AS MATERIALIZED (
             SELECT x.id AS response_id, x.round_id,
                 CASE count(p.perspective) WHEN 0 THEN 'none' WHEN 1 THEN max(p.perspective) ELSE 'several' END AS cell
             FROM x LEFT JOIN response_perspectives p ON p.response_id = x.id GROUP BY x.id, x.round_id)
         SELECT rr.id, rr.title, rr.iteration_number, rr.closed_at,
             coalesce((SELECT json_group_array(json_object('id', q.id, 'kind', q.kind, 'prompt', q.prompt,
                     'required', json(CASE q.required WHEN 1 THEN 'true' ELSE 'false' END), 'low_label', q.low_label,
                     'high_label', q.high_label, 'options', q.options) ORDER BY q.position)
                 FROM questions q WHERE q.round_id = rr.id AND q.kind = 'statements'), '[]') AS questions,
             coalesce((SELECT json_group_array(json_object('id', s.id, 'text', s.text, 'short_name', coalesce(s.short_name, ''))
                     ORDER BY s.position, s.id)
                 FROM round_statements rs JOIN experience_statements s ON s.id = rs.statement_id
                 WHERE rs.round_id = rr.id), '[]') AS statements,
             coalesce((SELECT json_group_array(json_object('cell', g.cell, 'responses', g.n))
                 FROM (SELECT c.cell, count(*) AS n FROM cells c
                       WHERE c.round_id = rr.id
                         AND (c.cell <> 'none' OR EXISTS (SELECT 1 FROM answers w WHERE w.response_id = c.response_id))
                       GROUP BY c.cell) g), '[]') AS cells,
             coalesce((SELECT json_group_array(json_object('cell', g.cell, 'question_id', g.question_id,
                     'statement_id', g.statement_id, 'ratings', g.n, 'total', g.total))
                 FROM (SELECT c.cell, a.question_id, a.statement_id, count(a.number) AS n, coalesce(sum(a.number), 0) AS total
                       FROM cells c JOIN answers a ON a.response_id = c.response_id
                       JOIN questions q ON q.id = a.question_id AND q.kind = 'statements'
                       WHERE c.round_id = rr.id
                       GROUP BY c.cell, a.question_id, a.statement_id) g), '[]') AS cell_ratings
         FROM rr ORDER BY rr.closed_at, rr.id",
    )
    .bind(prototype)
    .bind(now)
    .fetch_all(pool)
    .await?)
}

/// A closed motion about the prototype, as the meeting page reads it, with its meeting.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRow {
    #[sqlx(flatten)]
    pub motion: MotionRow,
    pub meeting_id: i64,
    pub meeting_title: String,
    pub decided_at: Option<i64>,
}

/// The prototype's closed motions in the order they were decided, each with its options,
/// ballots and lived-experience turnout and whether `voter` voted (the columns of
/// `meetings::store::motions`), found through the timeline's decisions (indexed by
/// prototype); one statement.
pub async fn decisions(pool: &SqlitePool, prototype: i64, voter: i64) -> Result<Vec<DecisionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {},
             m.meeting_id, mt.title AS meeting_title, m.decided_at
         FROM timeline_events e
         JOIN motions m ON m.id = e.ref_id AND m.prototype_id = e.prototype_id
         JOIN meetings mt ON mt.id = m.meeting_id
         LEFT JOIN stages s ON s.id = m.action_stage_id
         WHERE e.prototype_id = ?1 AND e.kind = 'decision' AND m.status = 'closed'
         ORDER BY e.at, e.id",
        crate::meetings::store::motion_columns("?2")
    ))
    .bind(prototype)
    .bind(voter)
    .fetch_all(pool)
    .await?)
}
