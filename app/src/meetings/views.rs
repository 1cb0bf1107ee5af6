//! The meeting pages' views, assembled from the store's rows: summaries with their dates,
//! each motion's tally (live from its ballots while open, as decided once closed), the
//! sentences a motion and the minutes show, and the viewer's own vote. What the viewer may
//! see of them is decided afterwards by `visibility`. Pure; tests below.

use super::{
    minutes,
    rules::{self, Ballot},
    store::{BallotRow, FormChoices, MeetingDetail, MeetingRow, MotionRow},
    AgendaItem, Attendance, ItemKind, MeetingList, MeetingPage, MeetingSummary, Method, MotionStatus, MotionView,
    OpenBallot, Quorum,
};
use crate::{prototypes::Person, time::when};

/// A meeting counts as upcoming until six hours after it starts.
pub const UPCOMING_FOR: i64 = 6 * 3600;

/// The start time after which a meeting is upcoming at `now`.
pub fn upcoming_since(now: i64) -> i64 {
    now - UPCOMING_FOR
}

pub fn summary(m: MeetingRow, now: i64) -> MeetingSummary {
    MeetingSummary {
        id: m.id,
        title: m.title,
        when: when(m.starts_at),
        place: m.place,
        online_link: m.online_link,
        upcoming: m.starts_at > upcoming_since(now),
    }
}

/// The meetings list from `store::list`'s rows (upcoming first, then past).
pub fn list(rows: Vec<MeetingRow>, now: i64, can_schedule: bool) -> MeetingList {
    let (upcoming, past) = rows.into_iter().map(|m| summary(m, now)).partition(|m| m.upcoming);
    MeetingList { upcoming, past, can_schedule }
}

fn status(s: &str) -> MotionStatus {
    match s {
        "open" => MotionStatus::Open,
        "closed" => MotionStatus::Closed,
        _ => MotionStatus::Draft,
    }
}

/// What happens if a motion passes, in words.
pub fn action_words(action: &str, stage: Option<&str>, iteration: Option<i64>) -> Option<String> {
    match (action, stage, iteration) {
        ("move_stage", Some(s), _) => Some(format!("If it passes, the prototype moves to {s}.")),
        ("adopt_iteration", _, Some(n)) => Some(format!("If it passes, iteration {n} is adopted.")),
        _ => None,
    }
}

/// A motion in full, for `viewer`: the stored decision once closed, else the live tally (which
/// `visibility` keeps from viewers while results are hidden or the ballot is secret).
pub fn motion(m: MotionRow, viewer: i64) -> MotionView {
    let method = Method::parse(&m.method).unwrap_or(Method::Majority);
    let status = status(&m.status);
    let quorum = Quorum { votes: m.quorum_votes, lived: m.quorum_lived };
    let options: Vec<(i64, String)> = m.options.iter().map(|o| (o.id, o.label.clone())).collect();
    let ballots: &[BallotRow] = &m.ballots;
    let tally = match &m.decision {
        Some(d) => serde_json::from_str(d).ok(),
        None => {
            let cast: Vec<Ballot> = ballots.iter().map(BallotRow::ballot).collect();
            Some(rules::tally(method, &cast, &options, quorum, m.lived))
        }
    };
    let open_ballots = if m.secret {
        Vec::new()
    } else {
        ballots
            .iter()
            .map(|b| OpenBallot {
                name: b.name.clone().unwrap_or_default(),
                choice: b.choice.clone(),
                reason: b.reason.clone(),
            })
            .collect()
    };
    // A closed secret ballot's breakdown was written when it closed (its ballots no longer
    // know their perspective); one closed before that has none.
    let breakdown = match (&m.breakdown, m.secret && status == MotionStatus::Closed) {
        (Some(b), _) => serde_json::from_str(b).unwrap_or_default(),
        (None, true) => Vec::new(),
        (None, false) => {
            let cells: Vec<(&str, &str)> =
                ballots.iter().map(|b| (b.perspective.as_str(), b.choice.as_str())).collect();
            rules::breakdown(&cells, m.secret)
        }
    };
    // An open ballot is the viewer's by its voter; a secret one only says that they voted.
    let my_vote = ballots
        .iter()
        .find(|b| b.user_id == Some(viewer))
        .map(|b| (b.choice.clone(), b.reason.clone(), b.options.clone()))
        .or_else(|| (m.secret && m.voted).then(|| ("secret".to_string(), String::new(), Vec::new())));
    let decision = (status == MotionStatus::Closed).then(|| tally.as_ref().map(|t| t.summary.clone())).flatten();
    MotionView {
        id: m.id,
        action: action_words(&m.action, m.action_stage.as_deref(), m.action_iteration),
        question: m.question,
        background_html: m.background_html,
        method,
        secret: m.secret,
        hide_results: m.hide_results,
        present_only: m.present_only,
        quorum,
        status,
        closes: m.closes_at.map(when),
        options,
        turnout: ballots.len() as i64,
        tally,
        ballots: open_ballots,
        breakdown,
        my_vote,
        decision,
    }
}

/// "Approved by … on …", once the minutes are approved.
pub fn approved_note(by: Option<&str>, at: Option<i64>) -> Option<String> {
    at.map(|at| format!("Approved by {} on {}", by.unwrap_or_default(), when(at)))
}

/// The meeting page in full, for `viewer`, before `visibility` (which is what a facilitator
/// sees). `choices` fill the facilitator's forms. With no saved draft, the minutes' draft is
/// built from the page.
pub fn meeting(
    m: MeetingDetail,
    motions: Vec<MotionRow>,
    choices: Option<FormChoices>,
    viewer: i64,
    now: i64,
) -> MeetingPage {
    let mut motions: Vec<(i64, MotionView)> = motions.into_iter().map(|r| (r.item_id, motion(r, viewer))).collect();
    let items = m
        .items
        .0
        .into_iter()
        .map(|i| {
            let (these, rest): (Vec<_>, Vec<_>) =
                std::mem::take(&mut motions).into_iter().partition(|(item, _)| *item == i.id);
            motions = rest;
            AgendaItem {
                id: i.id,
                kind: ItemKind::parse(&i.kind).unwrap_or(ItemKind::Free),
                title: i.title,
                prototype: i.prototype_id.zip(i.prototype_title),
                round: i.round_id.zip(i.round_title),
                notes_html: i.notes_html,
                motions: these.into_iter().map(|(_, v)| v).collect(),
            }
        })
        .collect();
    let attendance: Vec<(Person, Attendance)> = m
        .attendance
        .0
        .into_iter()
        .filter_map(|a| Attendance::parse(&a.status).map(|s| (Person { id: a.user_id, name: a.name }, s)))
        .collect();
    let my_attendance = attendance.iter().find(|(who, _)| who.id == viewer).map(|(_, a)| *a);
    let people = |rows: Vec<(i64, String)>| rows.into_iter().map(|(id, name)| Person { id, name }).collect();
    let choices = choices.unwrap_or(FormChoices {
        members: Default::default(),
        prototypes: Default::default(),
        rounds: Default::default(),
        stages: Default::default(),
    });
    let page = MeetingPage {
        minutes_html: m.minutes_approved.as_deref().map(crate::markdown::render),
        minutes_approved_note: approved_note(m.minutes_approved_by.as_deref(), m.minutes_approved_at),
        minutes_approved: m.minutes_approved,
        meeting: summary(m.meeting, now),
        items,
        attendance,
        is_facilitator: false,
        my_attendance,
        minutes_draft: String::new(),
        members: people(choices.members.0),
        prototypes: choices.prototypes.0,
        rounds: choices.rounds.0,
        stages: choices.stages.0,
        vision_html: m.vision_html,
        values: m.values.0,
    };
    let draft = m.minutes_draft.unwrap_or_else(|| minutes::draft(&page));
    MeetingPage { minutes_draft: draft, ..page }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        json_column::Json,
        meetings::{
            store::{AttendanceRow, ItemRow, OptionRow},
            visibility,
        },
    };

    fn ballot(id: i64, user: Option<(i64, &str)>, choice: &str, reason: &str, cell: &str) -> BallotRow {
        BallotRow {
            id,
            user_id: user.map(|u| u.0),
            name: user.map(|u| u.1.to_string()),
            choice: choice.into(),
            reason: reason.into(),
            perspective: cell.into(),
            options: vec![],
        }
    }

    fn motion_row(id: i64, item: i64, method: &str, secret: bool, ballots: Vec<BallotRow>) -> MotionRow {
        MotionRow {
            id,
            item_id: item,
            question: "Move it?".into(),
            background_html: String::new(),
            action: "move_stage".into(),
            action_stage: Some("Implementing".into()),
            action_iteration: None,
            method: method.into(),
            secret,
            hide_results: false,
            present_only: false,
            quorum_votes: 2,
            quorum_lived: 1,
            status: "open".into(),
            closes_at: None,
            decision: None,
            breakdown: None,
            options: Json(vec![]),
            lived: 1,
            voted: false,
            ballots: Json(ballots),
        }
    }

    #[test]
    fn an_open_motion_is_tallied_from_its_ballots_and_knows_the_viewers_vote() {
        let row = motion_row(
            1,
            1,
            "consent",
            false,
            vec![
                ballot(9, Some((7, "Alex")), "block", "Carers were not asked", "carer"),
                ballot(3, Some((8, "Sam")), "agree", "", ""),
            ],
        );
        let m = motion(row, 7);
        let t = m.tally.clone().expect("a live tally");
        assert_eq!(t.summary, "Not passed: 1 agree, 0 abstaining, 0 objecting, 1 blocking");
        assert_eq!(t.blocks, vec!["Carers were not asked".to_string()]);
        assert_eq!((m.turnout, m.status, m.decision.clone()), (2, MotionStatus::Open, None));
        assert_eq!(m.action.as_deref(), Some("If it passes, the prototype moves to Implementing."));
        assert_eq!(
            m.ballots[0],
            OpenBallot { name: "Alex".into(), choice: "block".into(), reason: "Carers were not asked".into() }
        );
        assert_eq!(m.my_vote, Some(("block".into(), "Carers were not asked".into(), vec![])));
        assert_eq!(m.breakdown.len(), 2, "an open ballot's breakdown is not suppressed");
    }

    #[test]
    fn a_secret_ballot_names_nobody_and_says_only_that_the_viewer_voted() {
        let mut row = motion_row(1, 1, "majority", true, vec![ballot(5, None, "for", "", "carer")]);
        row.voted = true;
        let mut m = motion(row, 7);
        assert!(m.ballots.is_empty());
        assert_eq!(m.my_vote, Some(("secret".into(), String::new(), vec![])));
        visibility::motion(&mut m);
        assert_eq!((m.tally.is_none(), m.breakdown.len(), m.turnout), (true, 0, 1), "open: turnout only");
        // Closed: the stored decision and breakdown; a secret one closed without a breakdown shows none.
        let mut row = motion_row(1, 1, "majority", true, vec![ballot(5, None, "for", "", "")]);
        row.status = "closed".into();
        row.decision = Some(
            serde_json::to_string(&rules::tally(Method::Majority, &[], &[], Quorum { votes: 0, lived: 0 }, 0)).unwrap(),
        );
        let m = motion(row, 7);
        assert_eq!(m.decision.as_deref(), Some("Not passed: 0 for, 0 against, 0 abstaining"));
        assert!(m.breakdown.is_empty() && m.my_vote.is_none());
    }

    #[test]
    fn the_page_puts_motions_under_their_items_and_drafts_the_minutes() {
        let detail = MeetingDetail {
            meeting: MeetingRow {
                id: 1,
                title: "March collaborative".into(),
                starts_at: 1_799_589_600,
                place: "The Hub".into(),
                online_link: String::new(),
            },
            minutes_draft: None,
            minutes_approved: None,
            minutes_approved_at: None,
            minutes_approved_by: None,
            vision_html: None,
            values: Json(Vec::new()),
            items: Json(vec![
                ItemRow {
                    id: 10,
                    kind: "prototype".into(),
                    title: "Hub".into(),
                    prototype_id: Some(4),
                    prototype_title: Some("Living Well Hub".into()),
                    round_id: None,
                    round_title: None,
                    notes_html: String::new(),
                },
                ItemRow {
                    id: 11,
                    kind: "free".into(),
                    title: "AOB".into(),
                    prototype_id: None,
                    prototype_title: None,
                    round_id: None,
                    round_title: None,
                    notes_html: String::new(),
                },
            ]),
            attendance: Json(vec![AttendanceRow { user_id: 7, name: "Alex".into(), status: "online".into() }]),
        };
        let mut approval = motion_row(2, 11, "approval", false, vec![]);
        approval.options = Json(vec![OptionRow { id: 1, label: "High street".into() }]);
        let motions = vec![motion_row(1, 10, "majority", false, vec![]), approval];
        let page = meeting(detail, motions, None, 7, 1_799_589_600 + 7 * 3600);
        assert_eq!(
            page.items.iter().map(|i| i.motions.iter().map(|m| m.id).collect::<Vec<_>>()).collect::<Vec<_>>(),
            vec![vec![1], vec![2]]
        );
        assert_eq!(page.items[0].prototype, Some((4, "Living Well Hub".into())));
        assert_eq!(page.items[1].motions[0].options, vec![(1, "High street".to_string())]);
        assert_eq!(page.my_attendance, Some(Attendance::Online));
        assert!(!page.meeting.upcoming, "seven hours after it started");
        assert_eq!(page.meeting.when, "10 Jan 2027, 14:00 GMT");
        assert!(page.minutes_draft.starts_with("# Minutes: March collaborative"), "{}", page.minutes_draft);
        assert!(page.minutes_draft.contains("- Present online: Alex"));
    }

    #[test]
    fn lists_split_upcoming_from_past_and_approved_minutes_say_by_whom() {
        let row = |id, starts_at| MeetingRow {
            id,
            title: "M".into(),
            starts_at,
            place: String::new(),
            online_link: String::new(),
        };
        let now = 1_799_589_600;
        let l = list(vec![row(1, now + 60), row(2, now - 5 * 3600), row(3, now - 7 * 3600)], now, false);
        assert_eq!(
            (l.upcoming.iter().map(|m| m.id).collect::<Vec<_>>(), l.past.iter().map(|m| m.id).collect::<Vec<_>>()),
            (vec![1, 2], vec![3])
        );
        assert_eq!(approved_note(Some("Pat"), Some(now)).as_deref(), Some("Approved by Pat on 10 Jan 2027, 14:00 GMT"));
        assert_eq!(approved_note(Some("Pat"), None), None);
    }
}
