//! Meeting server functions: parse → check permission → store → map errors.

use leptos::prelude::*;

use super::{LiveMotion, MeetingList, MeetingPage};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        rules::{self, Attendance, Choice, Method, Quorum},
        store::{self, Action as MotionAction, NewMotion, NewVote},
        views, visibility, ItemKind,
    },
    crate::{
        auth::{
            policy::{may, require, Action},
            session,
        },
        consultations::store::perspectives_of,
        prototypes::fields::Title,
        state::db,
        time::{from_local_input, now},
    },
};

/// An optional id from a select whose empty choice arrives as "".
#[cfg(feature = "ssr")]
fn optional_id(v: Option<String>, field: &str) -> Result<Option<i64>, AppError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| AppError::invalid(field, "Please choose from the list.")),
    }
}

#[server(prefix = "/api", endpoint = "list_meetings")]
pub async fn list_meetings() -> Result<MeetingList, AppError> {
    let me = require(Action::TakePart).await?;
    let t = now();
    let rows = store::list(&db()?.read, views::upcoming_since(t)).await?;
    Ok(views::list(rows, t, may(&me, Action::RunMeetings)))
}

/// The meeting page: the meeting with its agenda and attendance, its motions with their
/// ballots, and (facilitators) the forms' choices, in three statements. A read only reads:
/// timed motions are closed by the background job (`meetings::jobs`).
#[server(prefix = "/api", endpoint = "load_meeting")]
pub async fn load_meeting(id: i64) -> Result<MeetingPage, AppError> {
    let me = require(Action::TakePart).await?;
    let facilitator = may(&me, Action::RunMeetings);
    let pool = &db()?.read;
    let meeting = store::meeting(pool, id).await?;
    let motions = store::motions(pool, id, me.id).await?;
    let choices = if facilitator { Some(store::form_choices(pool).await?) } else { None };
    Ok(visibility::meeting_for(views::meeting(meeting, motions, choices, me.id, now()), facilitator))
}

#[server(prefix = "/api", endpoint = "schedule_meeting")]
pub async fn schedule_meeting(
    title: String,
    starts: String,
    place: String,
    online_link: String,
) -> Result<(), AppError> {
    let me = require(Action::RunMeetings).await?;
    let keep = |e: AppError| {
        e.keeping(&[
            ("title", title.as_str()),
            ("starts", starts.as_str()),
            ("place", place.as_str()),
            ("online_link", online_link.as_str()),
        ])
    };
    let t = Title::parse(&title).map_err(keep)?;
    let at = from_local_input(&starts)
        .ok_or_else(|| keep(AppError::invalid("starts", "Please give the date and time of the meeting.")))?;
    let link = online_link.trim();
    if !link.is_empty() && !link.starts_with("https://") && !link.starts_with("http://") {
        return Err(keep(AppError::invalid("online_link", "An online link starts with https://.")));
    }
    if place.trim().is_empty() && link.is_empty() {
        return Err(keep(AppError::invalid("place", "Please give a place, an online link, or both.")));
    }
    if place.chars().count() > 300 || link.len() > 500 {
        return Err(keep(AppError::invalid("place", "Please keep the place and link shorter.")));
    }
    let id = store::schedule(&db()?.write, t.as_str(), at, place.trim(), link, me.id).await?;
    leptos_axum::redirect(&format!("/meetings/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "add_agenda_item")]
pub async fn add_agenda_item(
    meeting: i64,
    kind: String,
    title: String,
    prototype: Option<String>,
    round: Option<String>,
    notes: String,
) -> Result<(), AppError> {
    require(Action::RunMeetings).await?;
    let keep = |e: AppError| e.keeping(&[("title", title.as_str()), ("notes", notes.as_str())]);
    let kind = ItemKind::parse(&kind)
        .ok_or_else(|| keep(AppError::invalid("kind", "Please choose what kind of item this is.")))?;
    let (prototype, round) =
        (optional_id(prototype, "prototype").map_err(keep)?, optional_id(round, "round").map_err(keep)?);
    match kind {
        ItemKind::Prototype if prototype.is_none() => {
            return Err(keep(AppError::invalid("prototype", "Please choose the prototype to discuss.")))
        }
        ItemKind::Results if round.is_none() => {
            return Err(keep(AppError::invalid("round", "Please choose the consultation round.")))
        }
        _ => {}
    }
    let t = Title::parse(&title).map_err(keep)?;
    if notes.chars().count() > crate::consultations::MAX_TEXT {
        return Err(keep(AppError::invalid("notes", "Please keep the notes under 20,000 characters.")));
    }
    let item = store::add_item(
        &db()?.write,
        meeting,
        kind,
        t.as_str(),
        prototype.filter(|_| kind == ItemKind::Prototype),
        round.filter(|_| kind == ItemKind::Results),
        notes.trim(),
    )
    .await
    .map_err(keep)?;
    leptos_axum::redirect(&format!("/meetings/{meeting}#item-{item}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "add_motion")]
#[allow(clippy::too_many_arguments)]
pub async fn add_motion(
    item: i64,
    question: String,
    background: String,
    method: String,
    options: String,
    secret: Option<String>,
    hide_results: Option<String>,
    present_only: Option<String>,
    quorum_votes: String,
    quorum_lived: String,
    action: String,
    stage: Option<String>,
    iteration: Option<String>,
) -> Result<(), AppError> {
    require(Action::RunMeetings).await?;
    let keep = |e: AppError| {
        e.keeping(&[
            ("question", question.as_str()),
            ("background", background.as_str()),
            ("options", options.as_str()),
            ("quorum_votes", quorum_votes.as_str()),
            ("quorum_lived", quorum_lived.as_str()),
        ])
    };
    let parsed = (|| {
        let q = question.trim();
        if q.is_empty() || q.chars().count() > 500 {
            return Err(AppError::invalid(
                "question",
                "Please write the question put to the vote (up to 500 characters).",
            ));
        }
        let method =
            Method::parse(&method).ok_or_else(|| AppError::invalid("method", "Please choose a voting method."))?;
        let opts: Vec<String> = options.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        if method == Method::Approval && opts.len() < 2 {
            return Err(AppError::invalid("options", "An approval vote needs at least two options, one per line."));
        }
        let number = |v: &str, field: &str| -> Result<i64, AppError> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(0);
            }
            v.parse::<i64>()
                .ok()
                .filter(|n| (0..=10_000).contains(n))
                .ok_or_else(|| AppError::invalid(field, "Please give a whole number, 0 or more."))
        };
        let quorum =
            Quorum { votes: number(&quorum_votes, "quorum_votes")?, lived: number(&quorum_lived, "quorum_lived")? };
        if quorum.lived > quorum.votes && quorum.votes > 0 {
            return Err(AppError::invalid(
                "quorum_lived",
                "The lived-experience part cannot be larger than the whole quorum.",
            ));
        }
        let action = match action.as_str() {
            "none" | "" => MotionAction::None,
            "move_stage" => MotionAction::MoveStage(
                optional_id(stage.clone(), "stage")?
                    .ok_or_else(|| AppError::invalid("stage", "Please choose the stage to move to."))?,
            ),
            "adopt_iteration" => MotionAction::AdoptIteration(
                optional_id(iteration.clone(), "iteration")?
                    .ok_or_else(|| AppError::invalid("iteration", "Please give the iteration number to adopt."))?,
            ),
            _ => return Err(AppError::invalid("action", "Please choose what happens if it passes.")),
        };
        if method == Method::Approval && !matches!(action, MotionAction::None) {
            return Err(AppError::invalid(
                "action",
                "An approval vote chooses between options; it cannot carry an action.",
            ));
        }
        Ok((q.to_string(), method, opts, quorum, action))
    })();
    let (q, method, opts, quorum, action) = parsed.map_err(keep)?;
    let on = |v: &Option<String>| v.as_deref() == Some("on");
    let motion = NewMotion {
        item,
        question: &q,
        background: background.trim(),
        method,
        options: if method == Method::Approval { opts } else { Vec::new() },
        present_only: on(&present_only),
        secret: on(&secret),
        hide_results: on(&hide_results),
        quorum,
        action,
    };
    let db = db()?;
    let id = store::add_motion(&db.write, &motion).await.map_err(keep)?;
    let meeting = store::meeting_of(&db.read, id).await?;
    leptos_axum::redirect(&format!("/meetings/{meeting}#motion-{id}"));
    Ok(())
}

/// Opens voting, optionally for a set time (for people who cannot attend).
#[server(prefix = "/api", endpoint = "open_motion")]
pub async fn open_motion(id: i64, hours: Option<String>) -> Result<(), AppError> {
    let me = require(Action::RunMeetings).await?;
    let hours = match hours.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
        None => None,
        Some(h) => Some(h.parse::<i64>().ok().filter(|h| (1..=24 * 14).contains(h)).ok_or_else(|| {
            AppError::invalid("hours", "Please give a number of hours from 1 to 336, or leave it empty.")
        })?),
    };
    let db = db()?;
    store::open(&db.write, id, hours.map(|h| crate::time::now() + h * 3600), me.id).await?;
    let meeting = store::meeting_of(&db.read, id).await?;
    leptos_axum::redirect(&format!("/meetings/{meeting}#motion-{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "close_motion")]
pub async fn close_motion(id: i64) -> Result<(), AppError> {
    let me = require(Action::RunMeetings).await?;
    let db = db()?;
    let outcome = store::close(&db.write, id, Some(me.id)).await?;
    tracing::info!(motion = id, outcome = outcome.as_str(), "motion closed");
    let meeting = store::meeting_of(&db.read, id).await?;
    leptos_axum::redirect(&format!("/meetings/{meeting}#motion-{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "record_attendance")]
pub async fn record_attendance(meeting: i64, user: i64, status: String) -> Result<(), AppError> {
    require(Action::RunMeetings).await?;
    let status = Attendance::parse(&status)
        .ok_or_else(|| AppError::invalid("status", "Please choose present in person, online, or apologies."))?;
    store::record_attendance(&db()?.write, meeting, user, status).await?;
    leptos_axum::redirect(&format!("/meetings/{meeting}#attendance-heading"));
    Ok(())
}

/// One vote per eligible person per motion: the database's primary key on `voters` makes
/// sure, however many copies of the request arrive at once.
#[server(prefix = "/api", endpoint = "cast_vote")]
pub async fn cast_vote(
    motion: i64,
    choice: String,
    reason: Option<String>,
    options: Option<Vec<i64>>,
) -> Result<(), AppError> {
    let viewer = session::viewer().await?;
    let db = db()?;
    let context = store::vote_context(&db.read, motion, viewer.as_ref().map(|v| v.id)).await?;
    let (meeting, method) = (context.meeting_id, Method::parse(&context.method).unwrap_or(Method::Majority));
    let attendance = context.attendance.as_deref().and_then(Attendance::parse);
    rules::check_eligible(viewer.as_ref().map(|v| v.role), context.present_only, attendance)?;
    let me = viewer.ok_or(AppError::NotSignedIn)?;
    let reason = reason.unwrap_or_default();
    let keep = |e: AppError| e.keeping(&[("reason", reason.as_str())]);
    let choice =
        Choice::parse(&choice).ok_or_else(|| keep(AppError::invalid("choice", "Please choose your answer.")))?;
    let options = options.unwrap_or_default();
    rules::check_ballot(method, choice, &reason, &options, &context.options).map_err(keep)?;
    let vote = NewVote {
        motion,
        voter: me.id,
        choice,
        reason: &reason,
        options: &options,
        perspectives: perspectives_of(&db.read, me.id).await?,
    };
    store::cast(&db.write, &vote).await.map_err(keep)?;
    leptos_axum::redirect(&format!("/meetings/{meeting}?voted={motion}#motion-{motion}"));
    Ok(())
}

/// Saves the minutes' draft, or approves it (`intent=approve`): approved minutes are final.
#[server(prefix = "/api", endpoint = "save_minutes")]
pub async fn save_minutes(meeting: i64, text: String, intent: Option<String>) -> Result<(), AppError> {
    let me = require(Action::RunMeetings).await?;
    if text.trim().is_empty() || text.len() > 200 * 1024 {
        return Err(AppError::invalid("text", "The minutes cannot be empty or over 200 KB.")
            .keeping(&[("text", if text.len() <= 8 * 1024 { text.as_str() } else { "" })]));
    }
    let db = db()?;
    if intent.as_deref() == Some("approve") {
        store::approve_minutes(&db.write, meeting, text.trim(), me.id).await?;
    } else {
        store::save_minutes(&db.write, meeting, text.trim()).await?;
    }
    leptos_axum::redirect(&format!("/meetings/{meeting}?minutes=1#minutes-heading"));
    Ok(())
}

/// Turnout and tallies for the live view (polled every few seconds with JavaScript on).
#[server(prefix = "/api", endpoint = "live_tallies")]
pub async fn live_tallies(meeting: i64) -> Result<Vec<LiveMotion>, AppError> {
    let me = require(Action::TakePart).await?;
    let pool = &db()?.read;
    let motions = store::motions(pool, meeting, me.id).await?;
    if motions.is_empty() && !store::meeting_exists(pool, meeting).await? {
        return Err(AppError::NotFound);
    }
    Ok(motions
        .into_iter()
        .map(|row| {
            let mut m = views::motion(row, me.id);
            visibility::motion(&mut m);
            LiveMotion { id: m.id, status: m.status, turnout: m.turnout, tally: m.tally }
        })
        .collect())
}

/// Property tests (issue 9, finding 13). `add_motion` and `cast_vote` parse inside their
/// server functions; the pure parts they call are tested here (`optional_id`) and in
/// `rules` (`Method::parse`, `Choice::parse`, `check_ballot`).
#[cfg(all(test, feature = "ssr"))]
mod props {
    use proptest::prelude::*;

    use crate::props::{config, value};

    proptest! {
        #![proptest_config(config())]

        /// A select's id: empty is none, a whole number is that number, anything else refused.
        #[test]
        fn optional_id_never_panics(v in proptest::option::of(prop_oneof![value(), any::<i64>().prop_map(|n| format!(" {n} "))])) {
            match super::optional_id(v.clone(), "stage") {
                Ok(None) => prop_assert!(v.as_deref().is_none_or(|s| s.trim().is_empty())),
                Ok(Some(n)) => prop_assert_eq!(v.as_deref().map(|s| s.trim().parse::<i64>().ok()), Some(Some(n))),
                Err(_) => prop_assert!(v.as_deref().is_some_and(|s| s.trim().parse::<i64>().is_err())),
            }
        }
    }
}
