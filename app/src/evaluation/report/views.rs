//! The report's parts from rows, each by the rule the rest of the app already applies:
//! a round's perspective breakdown by `consultations::views::breakdown` (the round results
//! page's complementary suppression), a quote by `library::feedback_shown` as a member
//! reads it (words only where people agreed to be quoted, a name only for "quote with my
//! name" and never for an anonymous post, nothing held, hidden or removed), a motion by
//! `meetings::views::motion` then `meetings::visibility::motion` (the meeting page's view).
//! Plain functions, tested below.

use super::{
    rules::{excerpt, mean_words, quote_source, shown_mean, trend_sentence, turnout_line},
    store::{DecisionRow, ExampleRow, IterationRow, RatingRoundRow},
    DecisionItem, FeedbackExample, FeedbackSummary, GroupMean, IterationLine, RoundMean, StatementLine, StatementTrend,
    QUOTE_MAX,
};
use crate::{
    consultations::{
        self,
        store::{RoundQuestions, Tallies},
        Consent, QuestionKind, RatedStatement,
    },
    evaluation::{rules::long_date, ChartData, ChartPoint, MeasureKind},
    library::{feedback_shown, FeedbackShown, Reader},
    meetings,
    prototypes::{EventKind, TimelineEvent},
    statements::Statement,
};

/// The UK calendar day of an instant, as 'YYYY-MM-DD'.
pub fn uk_day(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.with_timezone(&chrono_tz::Europe::London).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// An instant as the report dates things: "3 March 2025" (UK time).
pub fn day(t: i64) -> String {
    long_date(&uk_day(t))
}

pub fn statements(all: &[Statement]) -> Vec<StatementLine> {
    all.iter().map(|s| StatementLine { id: s.id, short_name: s.short_name.clone(), text: s.text.clone() }).collect()
}

pub fn iterations(rows: &[IterationRow]) -> Vec<IterationLine> {
    rows.iter()
        .map(|r| IterationLine {
            number: r.number,
            title: r.title.clone(),
            date: day(r.published_at),
            change_note: r.change_note.clone(),
        })
        .collect()
}

/// One piece of feedback as the printed report may quote it, or `None`. Everyone reads the
/// report as a member does, the design group too: it is made to be shared, and a quote in
/// it must be one its author agreed to.
pub fn example(prototype: i64, r: ExampleRow) -> Option<FeedbackExample> {
    let consent = Consent::parse(&r.consent).unwrap_or(Consent::DesignGroupOnly);
    let shown =
        feedback_shown(Reader::Member, Some(r.status.as_str()), consent, r.anonymous != 0, r.author_name.as_deref());
    let FeedbackShown::Quote { by } = shown else { return None };
    let text = r.text.as_deref().map(str::trim).filter(|t| !t.is_empty())?;
    Some(FeedbackExample {
        source: quote_source(&r.kind, r.round_title.as_deref(), r.iteration_number),
        quote: excerpt(text, QUOTE_MAX),
        by,
        outcome: consultations::rules::outcome(prototype, r.acted_iteration, r.not_taken_reason),
    })
}

/// "You said, we did": the counts in words and up to `max` quotable examples.
pub fn feedback(
    prototype: i64,
    (acted, not_taken, waiting): (i64, i64, i64),
    rows: Vec<ExampleRow>,
    max: usize,
) -> FeedbackSummary {
    FeedbackSummary {
        acted,
        not_taken,
        waiting,
        line: super::rules::feedback_line(acted, not_taken, waiting),
        examples: rows.into_iter().filter_map(|r| example(prototype, r)).take(max).collect(),
    }
}

/// Each statement rated in the prototype's closed rounds, in the order they were first
/// rated, with its mean per round (shown from `MIN_GROUP` ratings) and, per round, the
/// round results page's breakdown by perspective for that statement.
pub fn trends(rows: Vec<RatingRoundRow>) -> Vec<StatementTrend> {
    let mut out: Vec<(RatedStatement, Vec<RoundMean>)> = Vec::new();
    for row in rows {
        let questions = consultations::views::questions(RoundQuestions {
            questions: row.questions.0,
            statements: row.statements.0,
        });
        let tallies = Tallies { cells: row.cells.0, cell_ratings: row.cell_ratings.0, ..Tallies::default() };
        let breakdown = consultations::views::breakdown(&questions, &tallies);
        // The breakdown's items, in its own order: a scale question, or one statement of a
        // ratings question (this round's rows hold statement questions only).
        let items: Vec<(i64, Option<i64>)> = questions
            .iter()
            .flat_map(|q| match q.kind {
                QuestionKind::Scale => vec![(q.id, None)],
                QuestionKind::Statements => q.statements.iter().map(|s| (q.id, Some(s.id))).collect(),
                _ => Vec::new(),
            })
            .collect();
        let closed_on = uk_day(row.closed_at);
        let rated = questions.iter().filter(|q| q.kind == QuestionKind::Statements).flat_map(|q| q.statements.iter());
        for statement in rated {
            if out.iter().any(|(s, rounds)| s.id == statement.id && rounds.last().is_some_and(|r| r.round_id == row.id))
            {
                // Rated twice in one round (two questions): the first question counts.
                continue;
            }
            let Some(index) = items.iter().position(|(_, s)| *s == Some(statement.id)) else { continue };
            let question = items[index].0;
            let (count, total) = tallies
                .cell_ratings
                .iter()
                .filter(|c| c.question_id == question && c.statement_id == Some(statement.id))
                .fold((0, 0), |(n, t), c| (n + c.ratings, t + c.total));
            let mean = shown_mean(count, total);
            let round = RoundMean {
                round_id: row.id,
                title: row.title.clone(),
                iteration: row.iteration_number,
                date: long_date(&closed_on),
                closed_on: closed_on.clone(),
                mean,
                ratings: mean.map(|_| count),
                shown: mean_words(mean),
                groups: breakdown
                    .rows
                    .iter()
                    .map(|g| GroupMean {
                        label: g.label.clone(),
                        people: g.people,
                        mean: g.means.get(index).copied().flatten(),
                    })
                    .collect(),
                suppressed: breakdown.suppressed,
            };
            match out.iter_mut().find(|(s, _)| s.id == statement.id) {
                Some((_, rounds)) => rounds.push(round),
                None => out.push((statement.clone(), vec![round])),
            }
        }
    }
    out.into_iter()
        .map(|(statement, rounds)| {
            let sentence: Vec<(String, Option<f64>)> = rounds.iter().map(|r| (r.title.clone(), r.mean)).collect();
            let points = rounds
                .iter()
                .filter_map(|r| r.mean.map(|value| ChartPoint { date: r.closed_on.clone(), value }))
                .collect();
            StatementTrend {
                id: statement.id,
                label: statement.label,
                summary: trend_sentence(&sentence),
                rounds,
                chart: ChartData {
                    kind: MeasureKind::Rating,
                    unit: String::new(),
                    points,
                    baseline: None,
                    target: None,
                },
            }
        })
        .collect()
}

/// The prototype's closed motions as the meeting page shows them to `viewer`.
pub fn decisions(rows: Vec<DecisionRow>, viewer: i64) -> Vec<DecisionItem> {
    rows.into_iter()
        .map(|r| {
            let mut m = meetings::views::motion(r.motion, viewer);
            meetings::visibility::motion(&mut m);
            let tally = m.tally.take();
            DecisionItem {
                date: r.decided_at.map(day).unwrap_or_default(),
                meeting: Some((r.meeting_id, r.meeting_title)),
                motion_id: Some(m.id),
                question: Some(m.question),
                method: Some(m.method.label().to_string()),
                outcome: m.decision.unwrap_or_else(|| "No result recorded.".to_string()),
                turnout: tally.as_ref().map(|t| turnout_line(t.turnout, t.lived_turnout, t.quorum_met)),
                counts: tally.as_ref().map(|t| t.counts.clone()).unwrap_or_default(),
                objections: tally.as_ref().map(|t| t.objections.clone()).unwrap_or_default(),
                blocks: tally.map(|t| t.blocks).unwrap_or_default(),
            }
        })
        .collect()
}

/// The decisions as the prototype page's timeline records them, for readers who do not
/// take part in meetings: the record written when each motion closed, nothing more.
pub fn timeline_decisions(events: &[TimelineEvent]) -> Vec<DecisionItem> {
    events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Decision { .. }))
        .map(|e| DecisionItem {
            date: e.at.clone(),
            meeting: None,
            motion_id: None,
            question: None,
            method: None,
            outcome: e.note.clone(),
            counts: Vec::new(),
            turnout: None,
            objections: Vec::new(),
            blocks: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        consultations::{
            store::{CellRatings, CellSize, QuestionRow, StatementRow},
            Outcome,
        },
        json_column::Json,
        meetings::store::MotionRow,
    };

    fn example_row(consent: &str, anonymous: bool, status: &str) -> ExampleRow {
        ExampleRow {
            kind: "response".into(),
            id: 4,
            round_title: Some("Evening line".into()),
            iteration_number: None,
            text: Some("Please   answer the phone\nafter 6".into()),
            author_name: Some("Ann".into()),
            anonymous: i64::from(anonymous),
            consent: consent.into(),
            status: status.into(),
            acted_iteration: Some(2),
            not_taken_reason: None,
        }
    }

    #[test]
    fn quotes_only_as_consent_allows_and_names_only_when_chosen() {
        assert_eq!(example(7, example_row("design_group_only", false, "published")), None);
        let anon = example(7, example_row("quote_anonymously", false, "published")).unwrap();
        assert_eq!((anon.by, anon.quote.as_str()), (None, "Please answer the phone after 6"));
        assert_eq!(anon.source, "An answer to “Evening line”");
        assert_eq!(anon.outcome, Outcome::ActedOn { prototype_id: 7, iteration: 2 });
        let named = example(7, example_row("quote_with_name", false, "published")).unwrap();
        assert_eq!(named.by.as_deref(), Some("Ann"));
        let posted_anonymously = example(7, example_row("quote_with_name", true, "published")).unwrap();
        assert_eq!(posted_anonymously.by, None);
        for status in ["held", "hidden", "removed"] {
            assert_eq!(example(7, example_row("quote_with_name", false, status)), None, "{status}");
        }
        let mut silent = example_row("quote_with_name", false, "published");
        silent.text = Some("  ".into());
        assert_eq!(example(7, silent), None, "nothing to quote");
        // An unreadable consent counts as the most private.
        assert_eq!(example(7, example_row("whatever", false, "published")), None);
    }

    #[test]
    fn the_summary_counts_and_keeps_at_most_the_examples_asked_for() {
        let rows = vec![
            example_row("quote_anonymously", false, "published"),
            example_row("design_group_only", false, "published"),
            example_row("quote_with_name", false, "published"),
            example_row("quote_with_name", true, "published"),
        ];
        let f = feedback(7, (3, 1, 2), rows, 2);
        assert_eq!(f.examples.len(), 2);
        assert_eq!(f.examples[1].by.as_deref(), Some("Ann"), "the design-group-only one is skipped, not counted");
        assert!(f.line.starts_with("6 pieces of feedback published: 3 acted on"));
    }

    fn question(id: i64) -> QuestionRow {
        QuestionRow {
            id,
            kind: "statements".into(),
            prompt: "Rate".into(),
            required: false,
            low_label: String::new(),
            high_label: String::new(),
            options: String::new(),
        }
    }

    fn statement(id: i64, short: &str) -> StatementRow {
        StatementRow { id, text: format!("Statement {id}"), short_name: short.into() }
    }

    fn cell(cell: &str, responses: i64) -> CellSize {
        CellSize { cell: cell.into(), responses }
    }

    fn rated(cell: &str, question: i64, statement: i64, ratings: i64, total: i64) -> CellRatings {
        CellRatings { cell: cell.into(), question_id: question, statement_id: Some(statement), ratings, total }
    }

    fn round(
        id: i64,
        closed_at: i64,
        statements: Vec<StatementRow>,
        cells: Vec<CellSize>,
        ratings: Vec<CellRatings>,
    ) -> RatingRoundRow {
        RatingRoundRow {
            id,
            title: format!("Round {id}"),
            iteration_number: id,
            closed_at,
            questions: Json(vec![question(id * 10)]),
            statements: Json(statements),
            cells: Json(cells),
            cell_ratings: Json(ratings),
        }
    }

    /// The round results page's breakdown: 6 service users, 6 carers and 2 commissioners
    /// show as service users and everyone else together (the 2 would otherwise be found
    /// by subtraction); a round with 4 people shows no mean and no breakdown.
    #[test]
    fn trends_use_the_results_pages_suppression() {
        let first = round(
            1,
            1_799_589_600,
            vec![statement(1, "Easy in"), statement(2, "")],
            vec![cell("service_user", 6), cell("carer", 6), cell("commissioner", 2)],
            vec![
                rated("service_user", 10, 1, 6, 24),
                rated("carer", 10, 1, 6, 12),
                rated("commissioner", 10, 1, 2, 10),
                rated("service_user", 10, 2, 6, 30),
                rated("carer", 10, 2, 1, 5),
            ],
        );
        let second = round(
            2,
            1_815_224_400,
            vec![statement(1, "Easy in")],
            vec![cell("carer", 4)],
            vec![rated("carer", 20, 1, 4, 16)],
        );
        let t = trends(vec![first, second]);
        assert_eq!(
            t.iter().map(|s| (s.id, s.label.as_str())).collect::<Vec<_>>(),
            [(1, "Easy in: Statement 1"), (2, "Statement 2")]
        );

        let easy = &t[0];
        assert_eq!(easy.rounds.len(), 2);
        let r1 = &easy.rounds[0];
        assert_eq!((r1.mean, r1.ratings, r1.shown.as_str()), (Some(3.3), Some(14), "3.3 out of 5"));
        assert_eq!(r1.date, "10 January 2027");
        assert_eq!(
            r1.groups.iter().map(|g| (g.label.as_str(), g.people, g.mean)).collect::<Vec<_>>(),
            [
                ("Service user (lived experience)", 6, Some(4.0)),
                ("Other perspectives together (Carer, Commissioner)", 8, Some(2.8)),
            ]
        );
        assert_eq!(r1.suppressed, 0);
        let r2 = &easy.rounds[1];
        assert_eq!((r2.mean, r2.ratings, r2.shown.as_str()), (None, None, "Fewer than 5 ratings"));
        assert!(r2.groups.is_empty() && r2.suppressed == 4, "{r2:?}");
        assert_eq!(easy.chart.points.len(), 1, "only shown means are drawn");
        assert_eq!(easy.chart.points[0].date, "2027-01-10");
        assert_eq!(easy.summary, "Rated 3.3 out of 5 in “Round 1”, the only round with enough ratings to show.");

        // Statement 2: 7 ratings overall, but the carers' one rating is too few to show
        // apart, and hiding it alone would give it away: neither group's mean is shown.
        let person = &t[1].rounds[0];
        assert_eq!(person.mean, Some(5.0));
        assert!(person.groups.iter().all(|g| g.mean.is_none()), "{person:?}");
        assert_eq!(t[1].rounds.len(), 1, "round 2 did not rate it");
    }

    #[test]
    fn a_closed_motion_reads_as_the_meeting_page_shows_it() {
        let tally =
            meetings::rules::tally(meetings::Method::Majority, &[], &[], meetings::Quorum { votes: 0, lived: 0 }, 0);
        let row = DecisionRow {
            motion: MotionRow {
                id: 5,
                item_id: 1,
                question: "Adopt the hub?".into(),
                background_html: String::new(),
                action: "none".into(),
                action_stage: None,
                action_iteration: None,
                method: "majority".into(),
                secret: true,
                hide_results: true,
                present_only: false,
                quorum_votes: 0,
                quorum_lived: 0,
                status: "closed".into(),
                closes_at: None,
                decision: Some(serde_json::to_string(&tally).unwrap()),
                breakdown: None,
                options: Json(vec![]),
                lived: 0,
                voted: true,
                ballots: Json(vec![]),
            },
            meeting_id: 3,
            meeting_title: "March collaborative".into(),
            decided_at: Some(1_799_589_600),
        };
        let d = decisions(vec![row], 9);
        assert_eq!(d.len(), 1);
        let d = &d[0];
        assert_eq!(d.outcome, tally.summary);
        assert_eq!(d.meeting, Some((3, "March collaborative".to_string())));
        assert_eq!(d.date, "10 January 2027");
        assert_eq!(d.method.as_deref(), Some(meetings::Method::Majority.label()));
        assert_eq!(d.counts, tally.counts, "closed: the counts, even of a secret ballot with hidden results");
        assert_eq!(d.turnout.as_deref(), Some("0 votes, 0 from service users or carers. Quorum met."));
    }

    #[test]
    fn readers_outside_meetings_get_the_timelines_record() {
        let event = |kind: EventKind, note: &str| TimelineEvent {
            at: "10 Jan 2027, 14:00 GMT".into(),
            actor: Some("Pat".into()),
            kind,
            note: note.into(),
        };
        let events = vec![
            event(EventKind::Iteration { number: 1 }, "First"),
            event(EventKind::Decision { motion: 5, meeting: 3 }, "March: “Adopt?”. Passed: 5 for, 1 against."),
        ];
        let d = timeline_decisions(&events);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].outcome, "March: “Adopt?”. Passed: 5 for, 1 against.");
        assert_eq!((d[0].meeting.clone(), d[0].question.clone(), d[0].counts.len()), (None, None, 0));
    }
}
