//! Meetings SQL: rows in, rows out. Tallies, what a viewer may see and the words a page
//! shows are assembled from these rows by `views` and `visibility`; the store keeps the data
//! rules (one vote per person, secret ballots unlinkable, final minutes, one transaction for a
//! decision and its consequences). Each page section is one statement.

use serde::Deserialize;
use sqlx::SqlitePool;

use super::{
    rules::{self, Ballot},
    Attendance, Choice, ItemKind, Method, Outcome, Quorum,
};
use crate::{
    auth::Perspective,
    error::AppError,
    json_column::JsonRows,
    notifications::{
        notify::{notify, About, To},
        Kind,
    },
    prototypes::timeline::{move_stage_in, record_event, NewEvent},
    time::now,
};

/// A meeting as the list shows it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub place: String,
    pub online_link: String,
}

/// Meetings starting after `since` (soonest first, up to 50), then the 50 most recent that
/// started at or before it (latest first), in one statement.
pub async fn list(pool: &SqlitePool, since: i64) -> Result<Vec<MeetingRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, title, starts_at, place, online_link FROM (
             SELECT * FROM (SELECT id, title, starts_at, place, online_link, 1 AS later FROM meetings
                            WHERE starts_at > ?1 ORDER BY starts_at, id LIMIT 50)
             UNION ALL
             SELECT * FROM (SELECT id, title, starts_at, place, online_link, 0 AS later FROM meetings
                            WHERE starts_at <= ?1 ORDER BY starts_at DESC, id DESC LIMIT 50))
         ORDER BY later DESC, CASE WHEN later = 1 THEN starts_at ELSE -starts_at END,
                  CASE WHEN later = 1 THEN id ELSE -id END",
    )
    .bind(since)
    .fetch_all(pool)
    .await?)
}

/// One agenda item, with the titles of the prototype and round it is about.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ItemRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub prototype_id: Option<i64>,
    pub prototype_title: Option<String>,
    pub round_id: Option<i64>,
    pub round_title: Option<String>,
    pub notes_html: String,
}

/// One person's recorded attendance.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AttendanceRow {
    pub user_id: i64,
    pub name: String,
    pub status: String,
}

/// A meeting with its minutes, agenda and attendance.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MeetingDetail {
    #[sqlx(flatten)]
    pub meeting: MeetingRow,
    pub minutes_draft: Option<String>,
    pub minutes_approved: Option<String>,
    pub minutes_approved_at: Option<i64>,
    /// The name of the person who approved the minutes.
    pub minutes_approved_by: Option<String>,
    /// In agenda order.
    pub items: JsonRows<ItemRow>,
    /// By name.
    pub attendance: JsonRows<AttendanceRow>,
    /// The collaborative's vision (rendered) and its values in use, shown above the agenda:
    /// read here so the page costs no statement more.
    pub vision_html: Option<String>,
    pub values: JsonRows<String>,
}

/// A meeting, its agenda items and its attendance, in one statement.
pub async fn meeting(pool: &SqlitePool, id: i64) -> Result<MeetingDetail, AppError> {
    sqlx::query_as(
        "SELECT m.id, m.title, m.starts_at, m.place, m.online_link, m.minutes_draft, m.minutes_approved,
                m.minutes_approved_at, u.display_name AS minutes_approved_by,
                (SELECT json_group_array(json_object('id', a.id, 'kind', a.kind, 'title', a.title,
                            'prototype_id', a.prototype_id, 'prototype_title', p.title, 'round_id', a.round_id,
                            'round_title', r.title, 'notes_html', a.notes_html) ORDER BY a.position, a.id)
                 FROM agenda_items a LEFT JOIN prototypes p ON p.id = a.prototype_id
                 LEFT JOIN rounds r ON r.id = a.round_id WHERE a.meeting_id = m.id) AS items,
                (SELECT json_group_array(json_object('user_id', w.id, 'name', w.display_name, 'status', t.status)
                            ORDER BY w.display_name)
                 FROM attendance t JOIN users w ON w.id = t.user_id WHERE t.meeting_id = m.id) AS attendance,
                (SELECT body_html FROM vision_versions ORDER BY id DESC LIMIT 1) AS vision_html,
                coalesce((SELECT json_group_array(v.name ORDER BY v.position, v.id) FROM lab_values v WHERE v.retired = 0), '[]')
                    AS \"values\"
         FROM meetings m LEFT JOIN users u ON u.id = m.minutes_approved_by WHERE m.id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// The choices a facilitator's forms on the meeting page offer: members and up (by name),
/// the 200 most active published prototypes, the 100 latest rounds, the stages in use.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FormChoices {
    pub members: JsonRows<(i64, String)>,
    pub prototypes: JsonRows<(i64, String)>,
    pub rounds: JsonRows<(i64, String)>,
    pub stages: JsonRows<(i64, String)>,
}

pub async fn form_choices(pool: &SqlitePool) -> Result<FormChoices, AppError> {
    Ok(sqlx::query_as(
        "SELECT (SELECT json_group_array(json_array(id, display_name) ORDER BY display_name) FROM users
                 WHERE active = 1 AND role IN ('member', 'design_group', 'facilitator')) AS members,
                (SELECT json_group_array(json_array(id, title) ORDER BY last_activity DESC, id DESC)
                 FROM (SELECT id, title, last_activity FROM prototypes WHERE iteration_count > 0
                       ORDER BY last_activity DESC, id DESC LIMIT 200)) AS prototypes,
                (SELECT json_group_array(json_array(id, title) ORDER BY closes_at DESC, id DESC)
                 FROM (SELECT id, title, closes_at FROM rounds ORDER BY closes_at DESC, id DESC LIMIT 100)) AS rounds,
                (SELECT json_group_array(json_array(id, name) ORDER BY position, id) FROM stages WHERE retired = 0) AS stages",
    )
    .fetch_one(pool)
    .await?)
}

pub async fn schedule(
    pool: &SqlitePool,
    title: &str,
    starts: i64,
    place: &str,
    link: &str,
    by: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO meetings (title, starts_at, place, online_link, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
        .bind(title)
        .bind(starts)
        .bind(place)
        .bind(link)
        .bind(by)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
    let about = About { meeting: Some(id), ..About::default() };
    notify(&mut tx, Kind::Meeting, about, To::Members, Some(by)).await?;
    tx.commit().await?;
    Ok(id)
}

async fn exists(pool: &SqlitePool, sql: &str, id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_optional(pool).await?.is_some())
}

/// Minutes approved: the meeting's record is final.
async fn check_not_final(pool: &SqlitePool, meeting: i64) -> Result<(), AppError> {
    let approved: Option<Option<String>> = sqlx::query_scalar("SELECT minutes_approved FROM meetings WHERE id = ?")
        .bind(meeting)
        .fetch_optional(pool)
        .await?;
    match approved {
        None => Err(AppError::NotFound),
        Some(Some(_)) => {
            Err(AppError::Conflict("The minutes of this meeting are approved, so it can no longer change.".into()))
        }
        Some(None) => Ok(()),
    }
}

pub async fn add_item(
    pool: &SqlitePool,
    meeting: i64,
    kind: ItemKind,
    title: &str,
    prototype: Option<i64>,
    round: Option<i64>,
    notes: &str,
) -> Result<i64, AppError> {
    check_not_final(pool, meeting).await?;
    if let Some(p) = prototype {
        // Published prototypes only: members would otherwise see a draft's title on the agenda.
        if !exists(pool, "SELECT 1 FROM prototypes WHERE id = ? AND iteration_count > 0", p).await? {
            return Err(AppError::invalid("prototype", "Please choose a prototype from the list."));
        }
    }
    if let Some(r) = round {
        if !exists(pool, "SELECT 1 FROM rounds WHERE id = ?", r).await? {
            return Err(AppError::invalid("round", "Please choose a consultation round from the list."));
        }
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO agenda_items (meeting_id, position, kind, title, prototype_id, round_id, notes, notes_html)
         VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM agenda_items WHERE meeting_id = ?), ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(meeting)
    .bind(meeting)
    .bind(kind.as_str())
    .bind(title)
    .bind(prototype)
    .bind(round)
    .bind(notes)
    .bind(crate::markdown::render(notes))
    .fetch_one(pool)
    .await?)
}

pub enum Action {
    None,
    MoveStage(i64),
    AdoptIteration(i64),
}

pub struct NewMotion<'a> {
    pub item: i64,
    pub question: &'a str,
    pub background: &'a str,
    pub method: Method,
    pub options: Vec<String>,
    pub present_only: bool,
    pub secret: bool,
    pub hide_results: bool,
    pub quorum: Quorum,
    pub action: Action,
}

/// Adds a motion to an agenda item. Its prototype is the item's; a stage to move to must
/// be in use (not retired), an iteration to adopt must exist.
pub async fn add_motion(pool: &SqlitePool, m: &NewMotion<'_>) -> Result<i64, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let (meeting, prototype): (i64, Option<i64>) =
        sqlx::query_as("SELECT meeting_id, prototype_id FROM agenda_items WHERE id = ?")
            .bind(m.item)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let approved: Option<String> = sqlx::query_scalar("SELECT minutes_approved FROM meetings WHERE id = ?")
        .bind(meeting)
        .fetch_one(&mut *tx)
        .await?;
    if approved.is_some() {
        return Err(AppError::Conflict("The minutes of this meeting are approved, so it can no longer change.".into()));
    }
    let (action, stage, iteration) = match m.action {
        Action::None => ("none", None, None),
        Action::MoveStage(stage) => {
            let retired: Option<bool> = sqlx::query_scalar("SELECT retired FROM stages WHERE id = ?")
                .bind(stage)
                .fetch_optional(&mut *tx)
                .await?;
            match retired {
                None => return Err(AppError::invalid("stage", "Please choose a stage from the list.")),
                Some(true) => return Err(AppError::invalid(
                    "stage",
                    "That stage is retired, so a motion cannot move a prototype there. Please choose a stage in use.",
                )),
                Some(false) => {}
            }
            ("move_stage", Some(stage), None)
        }
        Action::AdoptIteration(n) => {
            let ok: Option<i64> = sqlx::query_scalar("SELECT 1 FROM iterations WHERE prototype_id = ? AND number = ?")
                .bind(prototype)
                .bind(n)
                .fetch_optional(&mut *tx)
                .await?;
            if ok.is_none() {
                return Err(AppError::invalid("iteration", "That iteration has not been published."));
            }
            // By its flag: facilitators may rename the stage.
            let adopted: Option<i64> = sqlx::query_scalar("SELECT id FROM stages WHERE adoption = 1 AND retired = 0")
                .fetch_optional(&mut *tx)
                .await?;
            ("adopt_iteration", Some(adopted.ok_or_else(|| AppError::invalid("action", "There is no adoption stage in use to move the prototype to. Please ask a facilitator to check the stages in Settings."))?), Some(n))
        }
    };
    if !matches!(m.action, Action::None) && prototype.is_none() {
        return Err(AppError::invalid(
            "action",
            "Only a motion on a prototype item can move it or adopt an iteration.",
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO motions (meeting_id, item_id, question, background, background_html, prototype_id, action, action_stage_id, action_iteration, method,
                              present_only, secret, hide_results, quorum_votes, quorum_lived, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(meeting)
    .bind(m.item)
    .bind(m.question)
    .bind(m.background)
    .bind(crate::markdown::render(m.background))
    .bind(prototype)
    .bind(action)
    .bind(stage)
    .bind(iteration)
    .bind(m.method.as_str())
    .bind(m.present_only)
    .bind(m.secret)
    .bind(m.hide_results)
    .bind(m.quorum.votes)
    .bind(m.quorum.lived)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    for (i, o) in m.options.iter().enumerate() {
        sqlx::query("INSERT INTO motion_options (motion_id, position, label) VALUES (?, ?, ?)")
            .bind(id)
            .bind(i as i64)
            .bind(o)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The meeting a motion is on.
pub async fn meeting_of(pool: &SqlitePool, motion: i64) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT meeting_id FROM motions WHERE id = ?")
        .bind(motion)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn open(pool: &SqlitePool, id: i64, closes_at: Option<i64>, by: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let meeting: Option<i64> = sqlx::query_scalar(
        "UPDATE motions SET status = 'open', closes_at = ? WHERE id = ? AND status = 'draft'
         RETURNING (SELECT meeting_id FROM agenda_items WHERE agenda_items.id = motions.item_id)",
    )
    .bind(closes_at)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(meeting) = meeting else {
        return Err(AppError::Conflict("This motion is already open or closed.".into()));
    };
    // Everyone who may vote (members and up) hears that a vote is open.
    let about = About { meeting: Some(meeting), ..About::default() };
    notify(&mut tx, Kind::MotionOpened, about, To::Members, Some(by)).await?;
    tx.commit().await?;
    Ok(())
}

/// What checking a vote needs: the motion's meeting, method and rule on presence, the
/// voter's attendance at that meeting, and the motion's option ids (in one statement).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VoteContext {
    pub meeting_id: i64,
    pub method: String,
    pub present_only: bool,
    pub attendance: Option<String>,
    pub options: JsonRows<i64>,
}

pub async fn vote_context(pool: &SqlitePool, motion: i64, voter: Option<i64>) -> Result<VoteContext, AppError> {
    sqlx::query_as(
        "SELECT m.meeting_id, m.method, m.present_only,
                (SELECT a.status FROM attendance a WHERE a.meeting_id = m.meeting_id AND a.user_id = ?) AS attendance,
                (SELECT json_group_array(o.id ORDER BY o.position) FROM motion_options o WHERE o.motion_id = m.id) AS options
         FROM motions m WHERE m.id = ?",
    )
    .bind(voter)
    .bind(motion)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn record_attendance(pool: &SqlitePool, meeting: i64, user: i64, status: Attendance) -> Result<(), AppError> {
    check_not_final(pool, meeting).await?;
    if !exists(pool, "SELECT 1 FROM users WHERE id = ?", user).await? {
        return Err(AppError::invalid("user", "Please choose a member from the list."));
    }
    sqlx::query("INSERT INTO attendance (meeting_id, user_id, status) VALUES (?, ?, ?) ON CONFLICT (meeting_id, user_id) DO UPDATE SET status = excluded.status")
        .bind(meeting)
        .bind(user)
        .bind(status.as_str())
        .execute(pool)
        .await?;
    Ok(())
}

pub struct NewVote<'a> {
    pub motion: i64,
    pub voter: i64,
    pub choice: Choice,
    pub reason: &'a str,
    pub options: &'a [i64],
    pub perspectives: Vec<Perspective>,
}

/// Records a vote in one transaction that takes the write lock first: the motion must be
/// open; one person has one vote (the primary key on `voters`); an open ballot's later vote
/// replaces the earlier one; a secret ballot is stored without the voter and cannot change.
/// Nothing links a secret ballot to its `voters` row: the ballot has no time and a random
/// id, and keeps only the voter's breakdown cell (cleared when the motion closes).
pub async fn cast(pool: &SqlitePool, v: &NewVote<'_>) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let (status, secret, closes): (String, bool, Option<i64>) =
        sqlx::query_as("SELECT status, secret, closes_at FROM motions WHERE id = ?")
            .bind(v.motion)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let t = now();
    if status != "open" || closes.is_some_and(|c| c <= t) {
        return Err(AppError::Conflict(
            if status == "draft" {
                "Voting on this motion has not opened yet."
            } else {
                "Voting on this motion has closed."
            }
            .into(),
        ));
    }
    let voted: Option<i64> = sqlx::query_scalar("SELECT 1 FROM voters WHERE motion_id = ? AND user_id = ?")
        .bind(v.motion)
        .bind(v.voter)
        .fetch_optional(&mut *tx)
        .await?;
    rules::check_change(secret, voted.is_some())?;
    let lived = v.perspectives.iter().any(|p| p.is_lived_experience());
    sqlx::query(
        "INSERT INTO voters (motion_id, user_id, cast_at, lived) VALUES (?, ?, ?, ?)
         ON CONFLICT (motion_id, user_id) DO UPDATE SET cast_at = excluded.cast_at, lived = excluded.lived",
    )
    .bind(v.motion)
    .bind(v.voter)
    .bind(t)
    .bind(lived)
    .execute(&mut *tx)
    .await?;
    if !secret {
        sqlx::query("DELETE FROM ballots WHERE motion_id = ? AND user_id = ?")
            .bind(v.motion)
            .bind(v.voter)
            .execute(&mut *tx)
            .await?;
    }
    // A random id (63 bits): ids in voting order would pair ballots with `voters` rows.
    let ballot: i64 = sqlx::query_scalar("INSERT INTO ballots (id, motion_id, user_id, choice, reason, perspective) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
        .bind(rand::random::<i64>() & i64::MAX)
        .bind(v.motion)
        .bind(if secret { None } else { Some(v.voter) })
        .bind(v.choice.as_str())
        .bind(v.reason.trim())
        .bind(rules::perspective_cell(&v.perspectives))
        .fetch_one(&mut *tx)
        .await?;
    for o in v.options {
        sqlx::query("INSERT INTO ballot_options (ballot_id, option_id) VALUES (?, ?)")
            .bind(ballot)
            .bind(o)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One option of an approval vote.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OptionRow {
    pub id: i64,
    pub label: String,
}

/// One stored ballot. `user_id` and `name` are the voter's on an open ballot and empty on a
/// secret one; `perspective` is the voter's breakdown cell (cleared when a secret ballot closes).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BallotRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub name: Option<String>,
    pub choice: String,
    pub reason: String,
    pub perspective: String,
    /// The options it approves (approval votes).
    pub options: Vec<i64>,
}

impl BallotRow {
    /// What the ballot says, for the tally.
    pub fn ballot(&self) -> Ballot {
        Ballot {
            choice: Choice::parse(&self.choice).unwrap_or(Choice::Abstain),
            reason: self.reason.clone(),
            options: self.options.clone(),
        }
    }
}

/// A motion's options (in order) as a JSON array, for a statement on `motions m`.
const OPTIONS_JSON: &str = "(SELECT json_group_array(json_object('id', o.id, 'label', o.label) ORDER BY o.position)
     FROM motion_options o WHERE o.motion_id = m.id)";

/// A motion's ballots with their approved options, in id order (which is random), as a JSON
/// array, for a statement on `motions m`.
const BALLOTS_JSON: &str =
    "(SELECT json_group_array(json_object('id', b.id, 'user_id', b.user_id, 'name', bu.display_name,
            'choice', b.choice, 'reason', b.reason, 'perspective', b.perspective,
            'options', json((SELECT json_group_array(bo.option_id) FROM ballot_options bo WHERE bo.ballot_id = b.id)))
            ORDER BY b.id)
     FROM ballots b LEFT JOIN users bu ON bu.id = b.user_id WHERE b.motion_id = m.id)";

/// How many of a motion's voters declared a service-user or carer perspective, for `motions m`.
const LIVED: &str = "(SELECT coalesce(sum(v.lived), 0) FROM voters v WHERE v.motion_id = m.id)";

/// `MotionRow`'s columns, for a statement on `motions m` with `LEFT JOIN stages s ON s.id =
/// m.action_stage_id`; `voter` is the parameter (`?`, `?2`…) naming whose vote `voted` asks
/// about. Shared with the reports, which read decisions exactly as the meeting page does.
pub fn motion_columns(voter: &str) -> String {
    format!(
        "m.id, m.item_id, m.question, m.background_html, m.action, s.name AS action_stage, m.action_iteration,
         m.method, m.secret, m.hide_results, m.present_only, m.quorum_votes, m.quorum_lived, m.status,
         m.closes_at, m.decision, m.breakdown, {OPTIONS_JSON} AS options, {LIVED} AS lived,
         EXISTS (SELECT 1 FROM voters v WHERE v.motion_id = m.id AND v.user_id = {voter}) AS voted,
         {BALLOTS_JSON} AS ballots"
    )
}

/// A motion with everything its section of the meeting page shows.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MotionRow {
    pub id: i64,
    pub item_id: i64,
    pub question: String,
    pub background_html: String,
    pub action: String,
    /// The name of the stage a passed motion moves the prototype to.
    pub action_stage: Option<String>,
    pub action_iteration: Option<i64>,
    pub method: String,
    pub secret: bool,
    pub hide_results: bool,
    pub present_only: bool,
    pub quorum_votes: i64,
    pub quorum_lived: i64,
    pub status: String,
    pub closes_at: Option<i64>,
    /// The tally written when it closed (JSON).
    pub decision: Option<String>,
    /// A closed secret ballot's suppressed breakdown, written when it closed (JSON).
    pub breakdown: Option<String>,
    pub options: JsonRows<OptionRow>,
    /// Voters who declared a service-user or carer perspective.
    pub lived: i64,
    /// Whether the person asked about has voted (recorded for secret ballots too).
    pub voted: bool,
    pub ballots: JsonRows<BallotRow>,
}

/// A meeting's motions in agenda order, each with its options, ballots and lived-experience
/// turnout, and whether `voter` has voted on it, in one statement.
pub async fn motions(pool: &SqlitePool, meeting: i64, voter: i64) -> Result<Vec<MotionRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {}
         FROM motions m JOIN agenda_items a ON a.id = m.item_id LEFT JOIN stages s ON s.id = m.action_stage_id
         WHERE m.meeting_id = ? ORDER BY a.position, a.id, m.id",
        motion_columns("?")
    ))
    .bind(voter)
    .bind(meeting)
    .fetch_all(pool)
    .await?)
}

/// Whether a meeting exists.
pub async fn meeting_exists(pool: &SqlitePool, id: i64) -> Result<bool, AppError> {
    exists(pool, "SELECT 1 FROM meetings WHERE id = ?", id).await
}

/// What closing a motion reads, in one statement inside its transaction.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
struct ClosingRow {
    meeting_id: i64,
    meeting_title: String,
    meeting_created_by: i64,
    status: String,
    question: String,
    method: String,
    prototype_id: Option<i64>,
    action: String,
    action_stage_id: Option<i64>,
    action_iteration: Option<i64>,
    quorum_votes: i64,
    quorum_lived: i64,
    secret: bool,
    closes_at: Option<i64>,
    lived: i64,
    options: JsonRows<OptionRow>,
    ballots: JsonRows<BallotRow>,
}

/// Closes a motion: the decision (outcome, tallies, method, quorum) is computed from the
/// ballots, written once, put on the prototype's timeline, and a passed motion's action is
/// applied with the decision as its reason, all in one transaction. A secret ballot's
/// breakdown is written onto the motion and its ballots forget their perspective cells.
/// The decision is dated when voting ended: now, or the motion's closing time if that has
/// already passed (a timed motion closed by the background job).
pub async fn close(pool: &SqlitePool, id: i64, by: Option<i64>) -> Result<Outcome, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let m: ClosingRow = sqlx::query_as(&format!(
        "SELECT m.meeting_id, mt.title AS meeting_title, mt.created_by AS meeting_created_by, m.status, m.question,
                m.method, m.prototype_id, m.action, m.action_stage_id, m.action_iteration, m.quorum_votes,
                m.quorum_lived, m.secret, m.closes_at, {LIVED} AS lived, {OPTIONS_JSON} AS options,
                {BALLOTS_JSON} AS ballots
         FROM motions m JOIN meetings mt ON mt.id = m.meeting_id WHERE m.id = ?"
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if m.status != "open" {
        return Err(AppError::Conflict(
            if m.status == "closed" {
                "This motion is already closed; its decision stands."
            } else {
                "This motion has not been opened for voting."
            }
            .into(),
        ));
    }
    let method = Method::parse(&m.method).unwrap_or(Method::Majority);
    let opts: Vec<(i64, String)> = m.options.iter().map(|o| (o.id, o.label.clone())).collect();
    let ballots: Vec<Ballot> = m.ballots.iter().map(BallotRow::ballot).collect();
    let quorum = Quorum { votes: m.quorum_votes, lived: m.quorum_lived };
    let tally = rules::tally(method, &ballots, &opts, quorum, m.lived);
    let t = m.closes_at.map_or(now(), |c| c.min(now()));
    let decision = serde_json::to_string(&tally).map_err(AppError::internal)?;
    let secret_breakdown = if m.secret {
        let cells: Vec<(&str, &str)> = m.ballots.iter().map(|b| (b.perspective.as_str(), b.choice.as_str())).collect();
        Some(serde_json::to_string(&rules::breakdown(&cells, true)).map_err(AppError::internal)?)
    } else {
        None
    };
    sqlx::query("UPDATE motions SET status = 'closed', outcome = ?, decision = ?, breakdown = ?, decided_at = ?, closes_at = ? WHERE id = ?")
        .bind(tally.outcome.as_str())
        .bind(&decision)
        .bind(&secret_breakdown)
        .bind(t)
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if m.secret {
        sqlx::query("UPDATE ballots SET perspective = '' WHERE motion_id = ?").bind(id).execute(&mut *tx).await?;
    }
    if let Some(p) = m.prototype_id {
        let note = rules::decision_note(&m.meeting_title, &m.question, &tally);
        // A motion that closes by itself (its time ran out) is recorded as the meeting's creator's act.
        let actor = by.unwrap_or(m.meeting_created_by);
        record_event(&mut tx, p, t, actor, NewEvent::Decision { motion: id, note: &note }).await?;
        if tally.outcome == Outcome::Passed {
            if let (Some(stage), "move_stage" | "adopt_iteration") = (m.action_stage_id, m.action.as_str()) {
                let reason = rules::decision_reason(&m.meeting_title, m.action_iteration, &tally);
                move_stage_in(&mut tx, p, stage, &reason, actor).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(tally.outcome)
}

/// Closes every open motion whose voting time has run out, in every meeting; returns how
/// many it closed. Run by the background job (`meetings::jobs`), never by a page read.
pub async fn close_due(pool: &SqlitePool) -> Result<usize, AppError> {
    let due: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM motions WHERE status = 'open' AND closes_at IS NOT NULL AND closes_at <= ? ORDER BY closes_at, id LIMIT 500")
            .bind(now())
            .fetch_all(pool)
            .await?;
    let mut closed = 0;
    for id in due {
        match close(pool, id, None).await {
            Ok(_) => closed += 1,
            // Closed by a facilitator meanwhile.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(closed)
}

pub async fn save_minutes(pool: &SqlitePool, meeting: i64, text: &str) -> Result<(), AppError> {
    check_not_final(pool, meeting).await?;
    sqlx::query("UPDATE meetings SET minutes_draft = ? WHERE id = ? AND minutes_approved IS NULL")
        .bind(text)
        .bind(meeting)
        .execute(pool)
        .await?;
    Ok(())
}

/// Approves the minutes: the draft as it stands becomes the read-only record.
pub async fn approve_minutes(pool: &SqlitePool, meeting: i64, text: &str, by: i64) -> Result<(), AppError> {
    check_not_final(pool, meeting).await?;
    let mut tx = pool.begin().await?;
    let done = sqlx::query("UPDATE meetings SET minutes_draft = ?, minutes_approved = ?, minutes_approved_at = ?, minutes_approved_by = ? WHERE id = ? AND minutes_approved IS NULL")
        .bind(text)
        .bind(text)
        .bind(now())
        .bind(by)
        .bind(meeting)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 1 {
        let about = About { meeting: Some(meeting), ..About::default() };
        notify(&mut tx, Kind::Meeting, about, To::Members, Some(by)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A meeting's title and its approved minutes, if they have been approved.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MinutesRow {
    pub title: String,
    pub text: Option<String>,
}

/// The approved minutes and the meeting's title (for the Markdown download).
pub async fn approved_minutes(pool: &SqlitePool, meeting: i64) -> Result<MinutesRow, AppError> {
    sqlx::query_as("SELECT title, minutes_approved AS text FROM meetings WHERE id = ?")
        .bind(meeting)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// A decision on a published prototype, where it was taken.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DecisionRow {
    pub prototype_id: i64,
    pub prototype_title: String,
    pub note: String,
    pub at: i64,
    pub motion_id: Option<i64>,
    pub meeting_id: Option<i64>,
}

/// The latest decisions on published prototypes, newest first (the home page).
pub async fn recent_decisions(pool: &SqlitePool, limit: i64) -> Result<Vec<DecisionRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.id AS prototype_id, p.title AS prototype_title, e.note, e.at, e.ref_id AS motion_id,
                (SELECT m.meeting_id FROM motions m WHERE m.id = e.ref_id) AS meeting_id
         FROM timeline_events e JOIN prototypes p ON p.id = e.prototype_id
         WHERE e.kind = 'decision' AND p.iteration_count > 0
         ORDER BY e.at DESC, e.id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
