//! SQL of the collaborative's report: one statement per part, each an aggregate over the
//! period, whatever the number of prototypes, rounds, motions or measures (no query per
//! item). Rows only: the server function decides what the viewer sees; the only
//! viewer-shaped inputs are data filters (`drafts`: prototypes never published count too;
//! `audiences`: the rounds to read), applied in SQL so that counts and limits count only
//! those. Instants are Unix seconds, `start` included and `end` not; days are
//! 'YYYY-MM-DD', both included. Indexes: `timeline_events (kind, at)` and
//! `motions (decided_at)` (migration 28); rounds by `closes_at`, readings by measure and
//! day, timelines by prototype and time already exist.

use serde::Deserialize;
use sqlx::SqlitePool;

use crate::{consultations::Audience, error::AppError, evaluation::report::store::DecisionRow, json_column::JsonRows};

/// A stage with what happened in it during the period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StageRow {
    pub id: i64,
    pub name: String,
    /// 'open' or 'closed'.
    pub kind: String,
    pub retired: bool,
    /// Distinct prototypes created in it or moved to it during the period.
    pub entered: i64,
    /// Distinct prototypes moved out of it during the period.
    pub exited: i64,
    /// Prototypes in it when the period ended.
    pub at_end: i64,
}

/// Every stage in pipeline order, in one statement. A prototype's stage when the period
/// ended is the stage its last `created` or `stage_move` event before the end took it to;
/// for one without such an event (made before timelines recorded creation) that existed
/// then, the stage its first later move left, or its stage now.
pub async fn pipeline(pool: &SqlitePool, start: i64, end: i64, drafts: bool) -> Result<Vec<StageRow>, AppError> {
    Ok(sqlx::query_as(
        "WITH moves AS MATERIALIZED (
             SELECT e.prototype_id, e.kind, e.from_stage_id, e.to_stage_id
             FROM timeline_events e JOIN prototypes p ON p.id = e.prototype_id
             WHERE e.kind IN ('created', 'stage_move') AND e.at >= ?1 AND e.at < ?2
               AND (?3 OR p.iteration_count > 0)),
         ends AS MATERIALIZED (
             SELECT coalesce(
                 (SELECT e.to_stage_id FROM timeline_events e
                  WHERE e.prototype_id = p.id AND e.kind IN ('created', 'stage_move') AND e.at < ?2
                  ORDER BY e.at DESC, e.id DESC LIMIT 1),
                 CASE WHEN p.created_at < ?2 THEN coalesce(
                     (SELECT e.from_stage_id FROM timeline_events e
                      WHERE e.prototype_id = p.id AND e.kind = 'stage_move' AND e.at >= ?2
                      ORDER BY e.at, e.id LIMIT 1),
                     p.stage_id) END) AS stage_id
             FROM prototypes p
             WHERE (?3 OR p.iteration_count > 0))
         SELECT s.id, s.name, s.kind, s.retired,
             (SELECT count(DISTINCT m.prototype_id) FROM moves m WHERE m.to_stage_id = s.id) AS entered,
             (SELECT count(DISTINCT m.prototype_id) FROM moves m
              WHERE m.kind = 'stage_move' AND m.from_stage_id = s.id) AS exited,
             (SELECT count(*) FROM ends x WHERE x.stage_id = s.id) AS at_end
         FROM stages s
         ORDER BY s.position, s.id",
    )
    .bind(start)
    .bind(end)
    .bind(drafts)
    .fetch_all(pool)
    .await?)
}

/// A round that closed during the period.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RoundItemRow {
    pub id: i64,
    pub title: String,
    pub prototype_id: i64,
    pub prototype_title: String,
    pub opens_at: i64,
    /// When it closed (early, if it was closed early), or closes.
    pub closed_at: i64,
    /// Its published responses.
    pub responses: i64,
}

/// The people heard in one perspective cell: a perspective's key, 'none' or 'several'
/// (`rules::CELL_NONE`, `rules::CELL_SEVERAL`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CellRow {
    pub cell: String,
    pub people: i64,
}

/// Rounds held and people heard, in one row.
#[derive(Debug, sqlx::FromRow)]
pub struct RoundsRow {
    pub rounds: i64,
    pub responses: i64,
    pub people: i64,
    /// The first `limit` rounds by the time they closed.
    pub listed: JsonRows<RoundItemRow>,
    pub cells: JsonRows<CellRow>,
}

/// Rounds of `audiences` on readable prototypes that closed during the period (and have
/// closed by `now`), with all their published responses, in one statement. Whole closed
/// rounds only: the people heard are then a sum of what each round's results already
/// show, and no choice of period can single out the answers of one day, or of a round
/// still open (results are read once a round closes). A person is a signed-in account
/// (counted once across rounds), or one response without an account (a visitor's, or
/// answers typed in for someone). Their perspective cell is what they declared when
/// answering (`response_perspectives`, a snapshot, as the round results count it): one
/// perspective, 'several' when their answers declared more than one between them, or 'none'.
pub async fn rounds(
    pool: &SqlitePool,
    start: i64,
    end: i64,
    audiences: &[Audience],
    drafts: bool,
    limit: i64,
    now: i64,
) -> Result<RoundsRow, AppError> {
    let audiences =
        serde_json::to_string(&audiences.iter().map(|a| a.as_str()).collect::<Vec<_>>()).map_err(AppError::internal)?;
    Ok(sqlx::query_as(
        "WITH rr AS MATERIALIZED (
             SELECT r.id, r.title, r.prototype_id, p.title AS prototype_title, r.opens_at,
                 min(r.closes_at, coalesce(r.closed_early_at, r.closes_at)) AS closed_at
             FROM rounds r JOIN prototypes p ON p.id = r.prototype_id
             WHERE r.opens_at < ?2 AND r.closes_at >= ?1
               AND min(r.closes_at, coalesce(r.closed_early_at, r.closes_at)) >= ?1
               AND min(r.closes_at, coalesce(r.closed_early_at, r.closes_at)) < min(?2, ?6 + 1)
               AND r.audience IN (SELECT value FROM json_each(?3))
               AND (?4 OR p.iteration_count > 0)),
         x AS MATERIALIZED (
             SELECT x.id, x.round_id, coalesce('u' || x.user_id, 'r' || x.id) AS person
             FROM rr JOIN responses x ON x.round_id = rr.id
             WHERE x.status = 'published'),
         people AS MATERIALIZED (
             SELECT x.person,
                 CASE count(DISTINCT rp.perspective) WHEN 0 THEN 'none' WHEN 1 THEN max(rp.perspective) ELSE 'several' END AS cell
             FROM x LEFT JOIN response_perspectives rp ON rp.response_id = x.id
             GROUP BY x.person)
         SELECT
             (SELECT count(*) FROM rr) AS rounds,
             (SELECT count(*) FROM x) AS responses,
             (SELECT count(*) FROM people) AS people,
             coalesce((SELECT json_group_array(json_object('id', l.id, 'title', l.title, 'prototype_id', l.prototype_id,
                     'prototype_title', l.prototype_title, 'opens_at', l.opens_at, 'closed_at', l.closed_at,
                     'responses', l.n) ORDER BY l.closed_at, l.id)
                 FROM (SELECT rr.*, (SELECT count(*) FROM x WHERE x.round_id = rr.id) AS n
                       FROM rr ORDER BY rr.closed_at, rr.id LIMIT ?5) l), '[]') AS listed,
             coalesce((SELECT json_group_array(json_object('cell', g.cell, 'people', g.n))
                 FROM (SELECT cell, count(*) AS n FROM people GROUP BY cell) g), '[]') AS cells",
    )
    .bind(start)
    .bind(end)
    .bind(audiences)
    .bind(drafts)
    .bind(limit)
    .bind(now)
    .fetch_one(pool)
    .await?)
}

/// A motion closed during the period, as the meeting page reads it (`report::store`'s row),
/// with the prototype it is about and its outcome.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MotionDecisionRow {
    #[sqlx(flatten)]
    pub decision: DecisionRow,
    pub prototype_id: Option<i64>,
    pub prototype_title: Option<String>,
    /// 'passed', 'not_passed' or 'no_decision'.
    pub outcome: Option<String>,
}

/// Motions closed during the period (about a readable prototype, or none), in the order
/// they were decided, at most `limit`, each with the columns of `meetings::store::motions`
/// and whether `voter` voted; one statement.
pub async fn motion_decisions(
    pool: &SqlitePool,
    start: i64,
    end: i64,
    voter: i64,
    drafts: bool,
    limit: i64,
) -> Result<Vec<MotionDecisionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {},
             m.meeting_id, mt.title AS meeting_title, m.decided_at,
             m.prototype_id, p.title AS prototype_title, m.outcome
         FROM motions m
         JOIN meetings mt ON mt.id = m.meeting_id
         LEFT JOIN prototypes p ON p.id = m.prototype_id
         LEFT JOIN stages s ON s.id = m.action_stage_id
         WHERE m.decided_at >= ?1 AND m.decided_at < ?2 AND m.status = 'closed'
           AND (m.prototype_id IS NULL OR ?4 OR p.iteration_count > 0)
         ORDER BY m.decided_at, m.id
         LIMIT ?5",
        crate::meetings::store::motion_columns("?3")
    ))
    .bind(start)
    .bind(end)
    .bind(voter)
    .bind(drafts)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// A decision as a prototype's timeline records it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TimelineDecisionRow {
    pub at: i64,
    pub note: String,
    pub prototype_id: i64,
    pub prototype_title: String,
    pub outcome: Option<String>,
}

/// Decisions on readable prototypes recorded on their timelines during the period, oldest
/// first, at most `limit`; one statement.
pub async fn timeline_decisions(
    pool: &SqlitePool,
    start: i64,
    end: i64,
    drafts: bool,
    limit: i64,
) -> Result<Vec<TimelineDecisionRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.at, e.note, e.prototype_id, p.title AS prototype_title, m.outcome
         FROM timeline_events e
         JOIN prototypes p ON p.id = e.prototype_id
         LEFT JOIN motions m ON m.id = e.ref_id
         WHERE e.kind = 'decision' AND e.at >= ?1 AND e.at < ?2 AND (?3 OR p.iteration_count > 0)
         ORDER BY e.at, e.id
         LIMIT ?4",
    )
    .bind(start)
    .bind(end)
    .bind(drafts)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// A measure with two or more readings during the period: the first and the last of them
/// (by day; on one day, the first typed and the last typed).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeasureMoveRow {
    pub id: i64,
    pub prototype_id: i64,
    pub prototype_title: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub direction: String,
    pub readings: i64,
    pub first_on: String,
    pub first_value: f64,
    pub last_on: String,
    pub last_value: f64,
}

/// Number and percentage measures of readable prototypes with at least two readings from
/// `from` to `to` (days, both included), by prototype title then each prototype's own
/// order, at most `limit`; one statement. The readings are found per measure through
/// `readings_measure` (measure, day). Lived-experience ratings are left out: they have no
/// readings (their values are rounds' means, results summaries for members and up, which
/// the prototype's own report follows round by round).
pub async fn measures(
    pool: &SqlitePool,
    from: &str,
    to: &str,
    drafts: bool,
    limit: i64,
) -> Result<Vec<MeasureMoveRow>, AppError> {
    Ok(sqlx::query_as(
        "WITH inp AS MATERIALIZED (
             SELECT x.measure_id, count(*) AS n, min(x.taken_on) AS first_on, max(x.taken_on) AS last_on
             FROM measures m
             JOIN prototypes p ON p.id = m.prototype_id
             JOIN readings x ON x.measure_id = m.id AND x.taken_on >= ?1 AND x.taken_on <= ?2
             WHERE m.kind <> 'rating' AND (?3 OR p.iteration_count > 0)
             GROUP BY x.measure_id
             HAVING count(*) >= 2)
         SELECT m.id, m.prototype_id, p.title AS prototype_title, m.name, m.kind, m.unit, m.direction,
             inp.n AS readings, inp.first_on,
             (SELECT r.value FROM readings r WHERE r.measure_id = inp.measure_id AND r.taken_on = inp.first_on
              ORDER BY r.id LIMIT 1) AS first_value,
             inp.last_on,
             (SELECT r.value FROM readings r WHERE r.measure_id = inp.measure_id AND r.taken_on = inp.last_on
              ORDER BY r.id DESC LIMIT 1) AS last_value
         FROM inp
         JOIN measures m ON m.id = inp.measure_id
         JOIN prototypes p ON p.id = m.prototype_id
         ORDER BY p.title COLLATE NOCASE, p.id, m.position, m.id
         LIMIT ?4",
    )
    .bind(from)
    .bind(to)
    .bind(drafts)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
