//! The home page's reads: the pipeline at a glance and what needs the programme manager
//! today, each in one statement. No permission decisions here: the server function asks
//! only for what the viewer may see.

use sqlx::SqlitePool;

use crate::{error::AppError, json_column::Json};

/// Each stage in use, in pipeline order, with how many prototypes are in it: published
/// ones, and with `drafts` those never published too.
#[derive(Debug, sqlx::FromRow)]
pub struct PipelineRow {
    pub id: i64,
    pub name: String,
    pub n: i64,
}

pub async fn pipeline(pool: &SqlitePool, drafts: bool) -> Result<Vec<PipelineRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.name,
                (SELECT count(*) FROM prototypes p WHERE p.stage_id = s.id AND (p.iteration_count > 0 OR ?1)) AS n
         FROM stages s WHERE s.retired = 0 ORDER BY s.position, s.id",
    )
    .bind(drafts)
    .fetch_all(pool)
    .await?)
}

/// A measure due a reading: prototype, its title, measure, its name, last reading's day.
pub type StaleMeasure = (i64, String, i64, String, String);

/// At most this many of each kind of thing waiting.
pub const SHOWN: i64 = 10;

/// What waits: rounds closing within the week (id, title, closes at), open motions (meeting,
/// motion, question), measures with no reading since `stale_before` (prototype, title,
/// measure, name, last reading's day or ""), and paused roll-outs (prototype, title, site,
/// since), oldest first in each.
#[derive(Debug, sqlx::FromRow)]
pub struct AttentionRow {
    pub closing: Json<Vec<(i64, String, i64)>>,
    pub motions: Json<Vec<(i64, i64, String)>>,
    pub stale: Json<Vec<StaleMeasure>>,
    pub paused: Json<Vec<(i64, String, String, String)>>,
}

/// `now` and `week_end` are instants; `stale_before` is a day ('YYYY-MM-DD'): a measure is
/// stale when its latest reading (or, with none, the day it was defined) is before it.
/// Ratings are read from consultation rounds, so they are never stale here; nor are the
/// measures of a prototype whose pipeline has ended (Stopped, Adopted) unless it is still
/// live somewhere, where its readings still count.
pub async fn attention(
    pool: &SqlitePool,
    now: i64,
    week_end: i64,
    stale_before: &str,
) -> Result<AttentionRow, AppError> {
    Ok(sqlx::query_as(
        "SELECT
            coalesce((SELECT json_group_array(json_array(id, title, closes_at)) FROM (
                SELECT r.id, r.title, r.closes_at FROM rounds r
                WHERE r.closes_at > ?1 AND r.closes_at <= ?2 AND r.opens_at <= ?1 AND r.closed_early_at IS NULL
                ORDER BY r.closes_at, r.id LIMIT ?4)), '[]') AS closing,
            coalesce((SELECT json_group_array(json_array(meeting_id, id, question)) FROM (
                SELECT m.meeting_id, m.id, m.question FROM motions m WHERE m.status = 'open'
                ORDER BY m.closes_at IS NULL, m.closes_at, m.id LIMIT ?4)), '[]') AS motions,
            coalesce((SELECT json_group_array(json_array(prototype_id, title, id, name, last)) FROM (
                SELECT m.prototype_id, p.title, m.id, m.name,
                       coalesce((SELECT max(r.taken_on) FROM readings r WHERE r.measure_id = m.id), '') AS last
                FROM measures m JOIN prototypes p ON p.id = m.prototype_id JOIN stages g ON g.id = p.stage_id
                WHERE m.kind <> 'rating'
                  AND (g.kind = 'open'
                       OR EXISTS (SELECT 1 FROM rollouts o WHERE o.prototype_id = p.id AND o.status = 'live'))
                  AND coalesce((SELECT max(r.taken_on) FROM readings r WHERE r.measure_id = m.id),
                               date(m.created_at, 'unixepoch')) < ?3
                ORDER BY last, m.id LIMIT ?4)), '[]') AS stale,
            coalesce((SELECT json_group_array(json_array(prototype_id, title, name, since)) FROM (
                SELECT o.prototype_id, p.title, s.name, o.since
                FROM rollouts o JOIN prototypes p ON p.id = o.prototype_id JOIN sites s ON s.id = o.site_id
                WHERE o.status = 'paused' ORDER BY o.since, s.name LIMIT ?4)), '[]') AS paused",
    )
    .bind(now)
    .bind(week_end)
    .bind(stale_before)
    .bind(SHOWN)
    .fetch_one(pool)
    .await?)
}
