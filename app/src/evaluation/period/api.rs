//! The collaborative report's server function: parse → `require(Action)` → stores → view.
//! Every account may read it (as a prototype's report); each part holds only what the
//! viewer may see elsewhere: prototypes never published only for the design group, rounds
//! by audience, the breakdown of people heard by perspective (a results summary) and
//! meetings' decisions for members and up, everyone else getting the timelines' record of
//! each decision. Four statements, whatever the number of prototypes, rounds, motions or
//! measures.

use leptos::prelude::*;

use super::PeriodView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        rules,
        store::{self, MeasureMoveRow, RoundsRow},
        DecisionLine, DecisionsPart, MeasureMove, MeasuresPart, PerspectiveLine, RoundLine, RoundsPart, StageLine,
        Verdict, DECISIONS_MAX, MEASURES_MAX, ROUNDS_MAX,
    },
    crate::{
        auth::{
            policy::{may, require, Action},
            session::Viewer,
        },
        consultations::Audience,
        days::iso,
        evaluation::{
            report::views::{day, decisions as meeting_decisions},
            rules::{long_date, uk_date, with_unit},
            Direction, MeasureKind,
        },
        state::{caches, db},
        time::{now, today},
    },
};

/// What typed into a date box is shown back in it at most (a date is ten characters).
#[cfg(feature = "ssr")]
const TYPED_MAX: usize = 40;

#[server(prefix = "/api", endpoint = "period_report")]
pub async fn period_report(from: Option<String>, to: Option<String>) -> Result<PeriodView, AppError> {
    let me = require(Action::ReadPublished).await?;
    // One instant for the whole request: the limit, and which rounds have closed "by now".
    let now = now();
    caches()?.reports.admit(me.id, now)?;
    let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
    let today = today();
    let (period, problem) = match rules::parse_period(&from, &to, today) {
        Ok(p) => (p, None),
        Err(problem) => (rules::default_period(today), Some(problem)),
    };
    // The boxes show the period used, or what was typed when it could not be used.
    let (from_input, to_input) = if problem.is_some() {
        (typed(&from), typed(&to))
    } else {
        (uk_date(&iso(period.from)), uk_date(&iso(period.to)))
    };
    let db = db()?;
    let pool = &db.read;
    let (start, end) = rules::instants(&period);
    // Prototypes never published: the design group and facilitators.
    let drafts = may(&me, Action::ReadDrafts);
    // Results summaries and meetings: members and up.
    let members = may(&me, Action::TakePart);

    let pipeline = store::pipeline(pool, start, end, drafts)
        .await?
        .into_iter()
        .filter(|s| rules::stage_listed(s.retired, s.entered, s.exited, s.at_end))
        .map(|s| StageLine {
            stage_id: s.id,
            closed: s.kind == "closed",
            name: s.name,
            retired: s.retired,
            entered: s.entered,
            left: s.exited,
            at_end: s.at_end,
        })
        .collect();

    let audiences: Vec<Audience> = Audience::ALL.into_iter().filter(|a| a.admits(Some(me.role)).is_ok()).collect();
    let rounds = rounds_part(store::rounds(pool, start, end, &audiences, drafts, ROUNDS_MAX, now).await?, members, now);
    let decisions = decisions_part(pool, &me, start, end, drafts, members).await?;
    let rows = store::measures(pool, &iso(period.from), &iso(period.to), drafts, MEASURES_MAX + 1).await?;
    let measures = measures_part(rows);

    Ok(PeriodView {
        from: iso(period.from),
        to: iso(period.to),
        words: rules::words(&period),
        from_input,
        to_input,
        problem,
        pipeline,
        rounds,
        decisions,
        measures,
        printed_on: long_date(&iso(today)),
    })
}

/// What was typed, trimmed and cut to `TYPED_MAX` characters.
#[cfg(feature = "ssr")]
fn typed(raw: &str) -> String {
    raw.trim().chars().take(TYPED_MAX).collect()
}

/// Rounds and people heard; the perspective breakdown only for members and up, and only
/// the rows complementary suppression allows.
#[cfg(feature = "ssr")]
fn rounds_part(row: RoundsRow, members: bool, now: i64) -> RoundsPart {
    let RoundsRow { rounds, responses, people, listed, cells } = row;
    let listed: Vec<RoundLine> = listed
        .0
        .into_iter()
        .map(|r| RoundLine {
            round_id: r.id,
            title: r.title,
            prototype_id: r.prototype_id,
            prototype_title: r.prototype_title,
            opened: day(r.opens_at),
            closed: day(r.closed_at),
            open_now: r.closed_at > now,
            responses: r.responses,
        })
        .collect();
    let perspectives = members.then(|| {
        let cells: Vec<(String, i64)> = cells.0.into_iter().map(|c| (c.cell, c.people)).collect();
        rules::perspective_rows(&cells).into_iter().map(|(label, people)| PerspectiveLine { label, people }).collect()
    });
    RoundsPart { count: rounds, responses, people, more: rounds > listed.len() as i64, rounds: listed, perspectives }
}

/// Decisions as `report::api::report_for` chooses them: each closed motion as the meeting
/// page shows it to members and up; for everyone else, the record the timeline keeps.
#[cfg(feature = "ssr")]
async fn decisions_part(
    pool: &sqlx::SqlitePool,
    me: &Viewer,
    start: i64,
    end: i64,
    drafts: bool,
    members: bool,
) -> Result<DecisionsPart, AppError> {
    if !members {
        let rows = store::timeline_decisions(pool, start, end, drafts, DECISIONS_MAX + 1).await?;
        let more = rows.len() as i64 > DECISIONS_MAX;
        let decisions = rows
            .into_iter()
            .take(DECISIONS_MAX as usize)
            .map(|r| DecisionLine {
                date: day(r.at),
                prototype_id: Some(r.prototype_id),
                prototype_title: Some(r.prototype_title),
                meeting_id: None,
                meeting_title: None,
                motion_id: None,
                question: None,
                outcome: rules::outcome_word(r.outcome.as_deref(), false).to_string(),
                record: r.note,
                turnout: None,
            })
            .collect();
        return Ok(DecisionsPart { decisions, in_full: false, more });
    }
    let rows = store::motion_decisions(pool, start, end, me.id, drafts, DECISIONS_MAX + 1).await?;
    let more = rows.len() as i64 > DECISIONS_MAX;
    let mut about = Vec::new();
    let mut motions = Vec::new();
    for r in rows.into_iter().take(DECISIONS_MAX as usize) {
        let approval = r.decision.motion.method == crate::meetings::rules::Method::Approval.as_str();
        about.push((r.prototype_id, r.prototype_title, r.outcome, approval));
        motions.push(r.decision);
    }
    // One item per row, in order (`meeting_decisions` maps them one to one).
    let decisions = meeting_decisions(motions, me.id)
        .into_iter()
        .zip(about)
        .map(|(d, (prototype_id, prototype_title, outcome, approval))| {
            let (meeting_id, meeting_title) = match d.meeting {
                Some((id, title)) => (Some(id), Some(title)),
                None => (None, None),
            };
            DecisionLine {
                date: d.date,
                prototype_id,
                prototype_title,
                meeting_id,
                meeting_title,
                motion_id: d.motion_id,
                question: d.question,
                outcome: rules::outcome_word(outcome.as_deref(), approval).to_string(),
                record: d.outcome,
                turnout: d.turnout,
            }
        })
        .collect();
    Ok(DecisionsPart { decisions, in_full: true, more })
}

/// The measures that moved, and how many with readings in the period did not.
#[cfg(feature = "ssr")]
fn measures_part(rows: Vec<MeasureMoveRow>) -> MeasuresPart {
    let more = rows.len() as i64 > MEASURES_MAX;
    let mut moved = Vec::new();
    let mut unchanged = 0;
    for m in rows.into_iter().take(MEASURES_MAX as usize) {
        // The store reads numbers and percentages only; anything else reads as a number.
        let kind = MeasureKind::parse(&m.kind).unwrap_or(MeasureKind::Number);
        let direction = Direction::parse(&m.direction).unwrap_or(Direction::Higher);
        let verdict = rules::verdict(kind, &m.unit, direction, m.first_value, m.last_value);
        if verdict == Verdict::Unchanged {
            unchanged += 1;
            continue;
        }
        moved.push(MeasureMove {
            measure_id: m.id,
            prototype_id: m.prototype_id,
            prototype_title: m.prototype_title,
            direction: direction.label().to_string(),
            first: with_unit(kind, &m.unit, m.first_value),
            first_on: long_date(&m.first_on),
            last: with_unit(kind, &m.unit, m.last_value),
            last_on: long_date(&m.last_on),
            readings: m.readings,
            change: rules::change_words(kind, &m.unit, m.first_value, m.last_value),
            verdict,
            name: m.name,
        });
    }
    MeasuresPart { moved, unchanged, more }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn typed_text_is_kept_short() {
        assert_eq!(typed("  31/02/2026 "), "31/02/2026");
        assert_eq!(typed(&"x".repeat(100)).chars().count(), TYPED_MAX);
    }

    #[test]
    fn only_moved_measures_are_listed_and_the_rest_counted() {
        let row = |id: i64, first: f64, last: f64| MeasureMoveRow {
            id,
            prototype_id: 1,
            prototype_title: "Hub".into(),
            name: format!("Measure {id}"),
            kind: "number".into(),
            unit: "days".into(),
            direction: "lower".into(),
            readings: 2,
            first_on: "2026-01-05".into(),
            first_value: first,
            last_on: "2026-06-05".into(),
            last_value: last,
        };
        let part = measures_part(vec![row(1, 28.0, 9.0), row(2, 9.0, 9.0), row(3, 9.0, 12.0)]);
        assert_eq!(part.unchanged, 1);
        assert!(!part.more);
        assert_eq!(part.moved.len(), 2);
        let first = &part.moved[0];
        assert_eq!((first.first.as_str(), first.last.as_str()), ("28 days", "9 days"));
        assert_eq!((first.change.as_str(), first.verdict), ("19 days lower", Verdict::Better));
        assert_eq!(first.first_on, "5 January 2026");
        assert_eq!(part.moved[1].verdict, Verdict::Worse);
    }
}
