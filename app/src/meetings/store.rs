//! Meetings SQL. Tallies are computed from the stored ballots every time (rules::tally).

use std::collections::HashMap;

use sqlx::{SqliteConnection, SqlitePool};

use super::{
    rules::{self, Ballot},
    AgendaItem, Attendance, Choice, ItemKind, MeetingPage, MeetingSummary, Method, MotionStatus, MotionView,
    OpenBallot, Outcome, Quorum,
};
use crate::{
    auth::Perspective,
    error::AppError,
    prototypes::{
        timeline::{move_stage_in, record_event, NewEvent},
        Person,
    },
    time::{now, when},
};

type MeetingRow = (i64, String, i64, String, String);

fn summary((id, title, starts, place, online_link): MeetingRow, t: i64) -> MeetingSummary {
    MeetingSummary { id, title, when: when(starts), place, online_link, upcoming: starts + 6 * 3600 > t }
}

/// Upcoming meetings (soonest first) and the 50 most recent past ones.
pub async fn list(pool: &SqlitePool) -> Result<(Vec<MeetingSummary>, Vec<MeetingSummary>), AppError> {
    let t = now();
    let cut = t - 6 * 3600;
    let upcoming: Vec<MeetingRow> =
        sqlx::query_as("SELECT id, title, starts_at, place, online_link FROM meetings WHERE starts_at > ? ORDER BY starts_at, id LIMIT 50").bind(cut).fetch_all(pool).await?;
    let past: Vec<MeetingRow> =
        sqlx::query_as("SELECT id, title, starts_at, place, online_link FROM meetings WHERE starts_at <= ? ORDER BY starts_at DESC, id DESC LIMIT 50").bind(cut).fetch_all(pool).await?;
    Ok((upcoming.into_iter().map(|r| summary(r, t)).collect(), past.into_iter().map(|r| summary(r, t)).collect()))
}

pub async fn schedule(
    pool: &SqlitePool,
    title: &str,
    starts: i64,
    place: &str,
    link: &str,
    by: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO meetings (title, starts_at, place, online_link, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
        .bind(title)
        .bind(starts)
        .bind(place)
        .bind(link)
        .bind(by)
        .bind(now())
        .fetch_one(pool)
        .await?)
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

/// (meeting, status, method, secret, present_only, closes_at)
pub async fn motion_meta(
    pool: &SqlitePool,
    id: i64,
) -> Result<(i64, String, Method, bool, bool, Option<i64>), AppError> {
    let (meeting, status, method, secret, present_only, closes): (i64, String, String, bool, bool, Option<i64>) =
        sqlx::query_as("SELECT meeting_id, status, method, secret, present_only, closes_at FROM motions WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok((meeting, status, Method::parse(&method).unwrap_or(Method::Majority), secret, present_only, closes))
}

pub async fn open(pool: &SqlitePool, id: i64, closes_at: Option<i64>) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE motions SET status = 'open', closes_at = ? WHERE id = ? AND status = 'draft'")
        .bind(closes_at)
        .bind(id)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict("This motion is already open or closed.".into()));
    }
    Ok(())
}

pub async fn attendance_of(pool: &SqlitePool, meeting: i64, user: i64) -> Result<Option<Attendance>, AppError> {
    let s: Option<String> = sqlx::query_scalar("SELECT status FROM attendance WHERE meeting_id = ? AND user_id = ?")
        .bind(meeting)
        .bind(user)
        .fetch_optional(pool)
        .await?;
    Ok(s.as_deref().and_then(Attendance::parse))
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

pub async fn option_ids(pool: &SqlitePool, motion: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM motion_options WHERE motion_id = ? ORDER BY position")
        .bind(motion)
        .fetch_all(pool)
        .await?)
}

/// (id, motion, voter's name on an open ballot, choice, reason, breakdown cell)
type BallotRow = (i64, i64, Option<String>, String, String, String);

/// Which ballots to load: a whole meeting's (its page) or one motion's (its closing).
enum Scope {
    Meeting(i64),
    Motion(i64),
}

/// Ballots with their approved options, in id order, which is random (two queries, however
/// many motions).
async fn ballots(
    conn: &mut SqliteConnection,
    scope: Scope,
) -> Result<(Vec<BallotRow>, HashMap<i64, Vec<i64>>), AppError> {
    let (filter, id) = match scope {
        Scope::Meeting(id) => ("m.meeting_id = ?", id),
        Scope::Motion(id) => ("b.motion_id = ?", id),
    };
    let rows: Vec<BallotRow> = sqlx::query_as(&format!(
        "SELECT b.id, b.motion_id, u.display_name, b.choice, b.reason, b.perspective FROM ballots b
         JOIN motions m ON m.id = b.motion_id LEFT JOIN users u ON u.id = b.user_id WHERE {filter} ORDER BY b.id"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let opts: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT bo.ballot_id, bo.option_id FROM ballot_options bo JOIN ballots b ON b.id = bo.ballot_id JOIN motions m ON m.id = b.motion_id WHERE {filter}"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_ballot: HashMap<i64, Vec<i64>> = HashMap::new();
    for (b, o) in opts {
        by_ballot.entry(b).or_default().push(o);
    }
    Ok((rows, by_ballot))
}

fn to_ballots(rows: &[&BallotRow], opts: &HashMap<i64, Vec<i64>>) -> Vec<Ballot> {
    rows.iter()
        .map(|r| Ballot {
            choice: Choice::parse(&r.3).unwrap_or(Choice::Abstain),
            reason: r.4.clone(),
            options: opts.get(&r.0).cloned().unwrap_or_default(),
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct MotionRow {
    id: i64,
    item_id: i64,
    question: String,
    background_html: String,
    action: String,
    action_stage_id: Option<i64>,
    action_iteration: Option<i64>,
    method: String,
    secret: bool,
    hide_results: bool,
    present_only: bool,
    quorum_votes: i64,
    quorum_lived: i64,
    status: String,
    closes_at: Option<i64>,
    decision: Option<String>,
    breakdown: Option<String>,
}

/// Closes a motion: the decision (outcome, tallies, method, quorum) is computed from the
/// ballots, written once, put on the prototype's timeline, and a passed motion's action is
/// applied with the decision as its reason, all in one transaction. A secret ballot's
/// breakdown is written onto the motion and its ballots forget their perspective cells.
/// The decision is dated when voting ended: now, or the motion's closing time if that has
/// already passed (a timed motion closed by the background job).
pub async fn close(pool: &SqlitePool, id: i64, by: Option<i64>) -> Result<Outcome, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    #[allow(clippy::type_complexity)]
    let (meeting, status, question, method, prototype, action, stage, iteration, quorum_votes, quorum_lived, secret, closes_at): (i64, String, String, String, Option<i64>, String, Option<i64>, Option<i64>, i64, i64, bool, Option<i64>) =
        sqlx::query_as("SELECT meeting_id, status, question, method, prototype_id, action, action_stage_id, action_iteration, quorum_votes, quorum_lived, secret, closes_at FROM motions WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    if status != "open" {
        return Err(AppError::Conflict(
            if status == "closed" {
                "This motion is already closed; its decision stands."
            } else {
                "This motion has not been opened for voting."
            }
            .into(),
        ));
    }
    let method = Method::parse(&method).unwrap_or(Method::Majority);
    let opts: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, label FROM motion_options WHERE motion_id = ? ORDER BY position")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    let (rows, chosen) = ballots(&mut tx, Scope::Motion(id)).await?;
    let row_refs = rows.iter().collect::<Vec<_>>();
    let ballots = to_ballots(&row_refs, &chosen);
    let quorum = Quorum { votes: quorum_votes, lived: quorum_lived };
    let lived: i64 = sqlx::query_scalar("SELECT coalesce(sum(lived), 0) FROM voters WHERE motion_id = ?")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let tally = rules::tally(method, &ballots, &opts, quorum, lived);
    let t = closes_at.map_or(now(), |c| c.min(now()));
    let decision = serde_json::to_string(&tally).map_err(AppError::internal)?;
    let secret_breakdown = if secret {
        Some(serde_json::to_string(&breakdown(&row_refs, true)).map_err(AppError::internal)?)
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
    if secret {
        sqlx::query("UPDATE ballots SET perspective = '' WHERE motion_id = ?").bind(id).execute(&mut *tx).await?;
    }
    if let Some(p) = prototype {
        let title: String =
            sqlx::query_scalar("SELECT title FROM meetings WHERE id = ?").bind(meeting).fetch_one(&mut *tx).await?;
        let quorum_words = match (quorum.votes, quorum.lived) {
            (0, 0) => "no quorum set".to_string(),
            (v, 0) => format!("quorum {v} votes"),
            (v, l) => format!("quorum {v} votes including {l} from service users or carers"),
        };
        let note = format!("{title}: “{question}”. {} ({} vote; {quorum_words}).", tally.summary, method.as_str());
        // A motion that closes by itself (its time ran out) is recorded as the meeting's creator's act.
        let actor = match by {
            Some(a) => a,
            None => {
                sqlx::query_scalar("SELECT created_by FROM meetings WHERE id = ?")
                    .bind(meeting)
                    .fetch_one(&mut *tx)
                    .await?
            }
        };
        record_event(&mut tx, p, t, actor, NewEvent::Decision { motion: id, note: &note }).await?;
        if tally.outcome == Outcome::Passed {
            if let (Some(stage), "move_stage" | "adopt_iteration") = (stage, action.as_str()) {
                let reason = match iteration {
                    Some(n) => format!("Decision of {title}: iteration {n} adopted. {}", tally.summary),
                    None => format!("Decision of {title}: {}", tally.summary),
                };
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

fn perspective_label(p: &str) -> String {
    match p {
        "several" => crate::suppression::SEVERAL.to_string(),
        _ => Perspective::parse(p).map(|p| p.label().to_string()).unwrap_or_else(|| "No perspective given".into()),
    }
}

/// Everything the meeting page shows.
pub async fn page(pool: &SqlitePool, meeting: i64, viewer: i64, facilitator: bool) -> Result<MeetingPage, AppError> {
    let t = now();
    let row: (i64, String, i64, String, String, Option<String>, Option<String>, Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT m.id, m.title, m.starts_at, m.place, m.online_link, m.minutes_draft, m.minutes_approved, m.minutes_approved_at, u.display_name
         FROM meetings m LEFT JOIN users u ON u.id = m.minutes_approved_by WHERE m.id = ?",
    )
    .bind(meeting)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let (id, title, starts, place, link, draft, approved, approved_at, approved_by) = row;
    let summary = summary((id, title, starts, place, link), t);
    let items: Vec<(i64, String, String, Option<i64>, Option<String>, Option<i64>, Option<String>, String)> = sqlx::query_as(
        "SELECT a.id, a.kind, a.title, a.prototype_id, p.title, a.round_id, r.title, a.notes_html FROM agenda_items a
         LEFT JOIN prototypes p ON p.id = a.prototype_id LEFT JOIN rounds r ON r.id = a.round_id WHERE a.meeting_id = ? ORDER BY a.position, a.id",
    )
    .bind(meeting)
    .fetch_all(pool)
    .await?;
    let motions: Vec<MotionRow> = sqlx::query_as(
        "SELECT m.id, m.item_id, m.question, m.background_html, m.action, m.action_stage_id, m.action_iteration, m.method, m.secret, m.hide_results,
                m.present_only, m.quorum_votes, m.quorum_lived, m.status, m.closes_at, m.decision, m.breakdown
         FROM motions m WHERE m.meeting_id = ? ORDER BY m.id",
    )
    .bind(meeting)
    .fetch_all(pool)
    .await?;
    let options: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT o.motion_id, o.id, o.label FROM motion_options o JOIN motions m ON m.id = o.motion_id WHERE m.meeting_id = ? ORDER BY o.position").bind(meeting).fetch_all(pool).await?;
    let (ballot_rows, ballot_opts) = ballots(&mut *pool.acquire().await?, Scope::Meeting(meeting)).await?;
    let mine: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT b.motion_id, b.choice, b.reason, b.id FROM ballots b JOIN motions m ON m.id = b.motion_id WHERE m.meeting_id = ? AND b.user_id = ?",
    )
    .bind(meeting)
    .bind(viewer)
    .fetch_all(pool)
    .await?;
    let secret_voted: Vec<i64> =
        sqlx::query_scalar("SELECT v.motion_id FROM voters v JOIN motions m ON m.id = v.motion_id WHERE m.meeting_id = ? AND v.user_id = ? AND m.secret = 1").bind(meeting).bind(viewer).fetch_all(pool).await?;
    let stages = crate::stages::store::all(pool).await?;
    let lived: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT v.motion_id, coalesce(sum(v.lived), 0) FROM voters v JOIN motions m ON m.id = v.motion_id WHERE m.meeting_id = ? GROUP BY v.motion_id",
    )
    .bind(meeting)
    .fetch_all(pool)
    .await?;

    let motion_views = |item: i64| -> Vec<MotionView> {
        motions
            .iter()
            .filter(|m| m.item_id == item)
            .map(|m| {
                let (mid, method, secret, hide) =
                    (m.id, Method::parse(&m.method).unwrap_or(Method::Majority), m.secret, m.hide_results);
                let status = match m.status.as_str() {
                    "open" => MotionStatus::Open,
                    "closed" => MotionStatus::Closed,
                    _ => MotionStatus::Draft,
                };
                let opts: Vec<(i64, String)> =
                    options.iter().filter(|o| o.0 == mid).map(|o| (o.1, o.2.clone())).collect();
                let rows: Vec<&BallotRow> = ballot_rows.iter().filter(|b| b.1 == mid).collect();
                let quorum = Quorum { votes: m.quorum_votes, lived: m.quorum_lived };
                let lived = lived.iter().find(|l| l.0 == mid).map_or(0, |l| l.1);
                // A closed motion has its stored decision; an open one the live tally (which
                // `visibility` keeps from viewers while results are hidden or secret).
                let tally = match &m.decision {
                    Some(d) => serde_json::from_str(d).ok(),
                    None => Some(rules::tally(method, &to_ballots(&rows, &ballot_opts), &opts, quorum, lived)),
                };
                let action = match (m.action.as_str(), m.action_stage_id, m.action_iteration) {
                    ("move_stage", Some(s), _) => Some(format!(
                        "If it passes, the prototype moves to {}.",
                        stages.iter().find(|x| x.id == s).map(|x| x.name.clone()).unwrap_or_default()
                    )),
                    ("adopt_iteration", _, Some(n)) => Some(format!("If it passes, iteration {n} is adopted.")),
                    _ => None,
                };
                let ballots = if secret {
                    Vec::new()
                } else {
                    rows.iter()
                        .map(|b| OpenBallot {
                            name: b.2.clone().unwrap_or_default(),
                            choice: b.3.clone(),
                            reason: b.4.clone(),
                        })
                        .collect()
                };
                // A closed secret ballot's breakdown was written when it closed (its ballots
                // no longer know their perspective); one closed before that has none.
                let breakdown = match (&m.breakdown, secret && status == MotionStatus::Closed) {
                    (Some(b), _) => serde_json::from_str(b).unwrap_or_default(),
                    (None, true) => Vec::new(),
                    (None, false) => breakdown(&rows, secret),
                };
                let my_vote = mine
                    .iter()
                    .find(|v| v.0 == mid)
                    .map(|v| (v.1.clone(), v.2.clone(), ballot_opts.get(&v.3).cloned().unwrap_or_default()));
                let my_vote = my_vote
                    .or_else(|| secret_voted.contains(&mid).then(|| ("secret".to_string(), String::new(), Vec::new())));
                let decision_words =
                    (status == MotionStatus::Closed).then(|| tally.as_ref().map(|t| t.summary.clone())).flatten();
                MotionView {
                    id: mid,
                    question: m.question.clone(),
                    background_html: m.background_html.clone(),
                    method,
                    secret,
                    hide_results: hide,
                    present_only: m.present_only,
                    quorum,
                    status,
                    closes: m.closes_at.map(when),
                    action,
                    options: opts,
                    turnout: rows.len() as i64,
                    tally,
                    ballots,
                    breakdown,
                    my_vote,
                    decision: decision_words,
                }
            })
            .collect()
    };
    let items = items
        .iter()
        .map(|(iid, kind, title, pid, ptitle, rid, rtitle, notes)| AgendaItem {
            id: *iid,
            kind: ItemKind::parse(kind).unwrap_or(ItemKind::Free),
            title: title.clone(),
            prototype: pid.zip(ptitle.clone()),
            round: rid.zip(rtitle.clone()),
            notes_html: notes.clone(),
            motions: motion_views(*iid),
        })
        .collect();
    let attendance: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, a.status FROM attendance a JOIN users u ON u.id = a.user_id WHERE a.meeting_id = ? ORDER BY u.display_name",
    )
    .bind(meeting)
    .fetch_all(pool)
    .await?;
    let my_attendance = attendance.iter().find(|a| a.0 == viewer).and_then(|a| Attendance::parse(&a.2));
    let members: Vec<(i64, String)> = if facilitator {
        sqlx::query_as("SELECT id, display_name FROM users WHERE active = 1 AND role IN ('member', 'design_group', 'facilitator') ORDER BY display_name").fetch_all(pool).await?
    } else {
        Vec::new()
    };
    let (prototypes, rounds): (Vec<(i64, String)>, Vec<(i64, String)>) = if facilitator {
        (
            sqlx::query_as(
                "SELECT id, title FROM prototypes WHERE iteration_count > 0 ORDER BY last_activity DESC LIMIT 200",
            )
            .fetch_all(pool)
            .await?,
            sqlx::query_as("SELECT id, title FROM rounds ORDER BY closes_at DESC LIMIT 100").fetch_all(pool).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let page = MeetingPage {
        meeting: summary,
        items,
        attendance: attendance
            .into_iter()
            .filter_map(|(id, name, s)| Attendance::parse(&s).map(|a| (Person { id, name }, a)))
            .collect(),
        is_facilitator: facilitator,
        my_attendance,
        minutes_draft: String::new(),
        minutes_html: approved.as_deref().map(crate::markdown::render),
        minutes_approved: approved.clone(),
        minutes_approved_note: approved_at
            .map(|at| format!("Approved by {} on {}", approved_by.unwrap_or_default(), when(at))),
        members: members.into_iter().map(|(id, name)| Person { id, name }).collect(),
        prototypes,
        rounds,
        stages: stages.into_iter().filter(|s| !s.retired).collect(),
    };
    let draft = draft.unwrap_or_else(|| super::minutes::draft(&page));
    Ok(MeetingPage { minutes_draft: draft, ..page })
}

/// Choice counts per perspective cell. On a secret ballot under complementary suppression
/// (`crate::suppression`): no group, nor everyone outside it, under 5, so that nobody's
/// choice can be worked out, by subtraction from the tally either.
fn breakdown(rows: &[&BallotRow], secret: bool) -> Vec<(String, i64, Vec<(String, i64)>)> {
    let cells = Perspective::ALL.iter().map(|p| p.as_str()).chain(["", "several"]);
    let groups: Vec<(String, Vec<i64>)> = cells
        .map(|c| (perspective_label(c), rows.iter().filter(|b| b.5 == c).map(|b| b.0).collect::<Vec<_>>()))
        .filter(|g| !g.1.is_empty())
        .collect();
    let groups = if secret { crate::suppression::rows(groups) } else { groups };
    groups
        .into_iter()
        .map(|(label, ids)| {
            let mut counts: Vec<(String, i64)> = Vec::new();
            for b in rows.iter().filter(|b| ids.contains(&b.0)) {
                match counts.iter_mut().find(|c| c.0 == b.3) {
                    Some(c) => c.1 += 1,
                    None => counts.push((b.3.clone(), 1)),
                }
            }
            (label, ids.len() as i64, counts)
        })
        .collect()
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
    sqlx::query("UPDATE meetings SET minutes_draft = ?, minutes_approved = ?, minutes_approved_at = ?, minutes_approved_by = ? WHERE id = ? AND minutes_approved IS NULL")
        .bind(text)
        .bind(text)
        .bind(now())
        .bind(by)
        .bind(meeting)
        .execute(pool)
        .await?;
    Ok(())
}

/// The approved minutes and the meeting's title (for the Markdown download).
pub async fn approved_minutes(pool: &SqlitePool, meeting: i64) -> Result<(String, Option<String>), AppError> {
    sqlx::query_as("SELECT title, minutes_approved FROM meetings WHERE id = ?")
        .bind(meeting)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// The latest decisions on published prototypes, newest first (the home page).
pub async fn recent_decisions(pool: &SqlitePool, limit: i64) -> Result<Vec<crate::home::Decision>, AppError> {
    let rows: Vec<(i64, String, String, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT p.id, p.title, e.note, e.at, e.ref_id, (SELECT m.meeting_id FROM motions m WHERE m.id = e.ref_id)
         FROM timeline_events e JOIN prototypes p ON p.id = e.prototype_id WHERE e.kind = 'decision' AND p.iteration_count > 0
         ORDER BY e.at DESC, e.id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(prototype_id, prototype_title, note, at, motion, meeting)| crate::home::Decision {
            prototype_id,
            prototype_title,
            note,
            at: when(at),
            link: format!("/meetings/{}#motion-{}", meeting.unwrap_or_default(), motion.unwrap_or_default()),
        })
        .collect())
}
