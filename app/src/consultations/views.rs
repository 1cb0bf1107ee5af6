//! What the consultation pages show, assembled from the store's rows: dates in UK wall
//! time, labels, the results' numbers from SQL tallies, and what each viewer may see (the
//! server function says which, from `auth::policy`). Pure functions, tested below.

use std::collections::HashMap;

use super::{
    results::{self, Bar, Breakdown, GroupRow, QuestionResult, RoundResults, TextAnswer, TEXTS_PER_PAGE},
    rules,
    store::{
        AnswerRow, QuestionRow, ReceiptRow, ResultsRow, RoundQuestions, RoundRow, StatementRow, Tallies, TextAnswerRow,
        NONE, SEVERAL,
    },
    AnswerView, Audience, Consent, Question, QuestionKind, RatedStatement, Receipt, RoundSummary,
};
use crate::{auth::Perspective, error::AppError, time::when};

/// A round as lists and pages show it, its status by the clock at `now`.
pub fn summary(r: RoundRow, now: i64) -> RoundSummary {
    RoundSummary {
        id: r.id,
        title: r.title,
        prototype_id: r.prototype_id,
        prototype_title: r.prototype_title,
        iteration_number: r.iteration_number,
        audience: Audience::parse(&r.audience).unwrap_or(Audience::Members),
        status: rules::status(now, r.opens_at, r.closes_at, r.closed_early_at),
        opens: when(r.opens_at),
        closes: when(r.closed_early_at.map_or(r.closes_at, |c| c.min(r.closes_at))),
        responses: r.responses,
    }
}

/// The prototype timeline's entry for a new round (stored as written then).
pub fn timeline_note(title: &str, opens: i64, closes: i64) -> String {
    format!("{title} (open {} to {})", when(opens), when(closes))
}

/// A statement with its short name first, when it has one.
pub fn statement(s: &StatementRow) -> RatedStatement {
    RatedStatement {
        id: s.id,
        label: if s.short_name.is_empty() { s.text.clone() } else { format!("{}: {}", s.short_name, s.text) },
    }
}

fn question(q: QuestionRow, statements: &[RatedStatement]) -> Question {
    let kind = QuestionKind::parse(&q.kind).unwrap_or(QuestionKind::Text);
    Question {
        id: q.id,
        kind,
        prompt: q.prompt,
        required: q.required,
        low_label: q.low_label,
        high_label: q.high_label,
        options: q.options.lines().map(str::to_string).filter(|o| !o.is_empty()).collect(),
        statements: if kind == QuestionKind::Statements { statements.to_vec() } else { Vec::new() },
    }
}

/// A round's questions, each ratings question with the statements it rates.
pub fn questions(q: RoundQuestions) -> Vec<Question> {
    let statements: Vec<RatedStatement> = q.statements.iter().map(statement).collect();
    q.questions.into_iter().map(|row| question(row, &statements)).collect()
}

/// One response's answers in words, in question order.
pub fn answer_views(answers: &[AnswerRow], questions: &[Question]) -> Vec<AnswerView> {
    let mut out = Vec::new();
    for q in questions {
        let mine: Vec<&AnswerRow> = answers.iter().filter(|a| a.question_id == q.id).collect();
        if mine.is_empty() {
            continue;
        }
        let answer = match q.kind {
            QuestionKind::Text => mine[0].text.clone().unwrap_or_default(),
            QuestionKind::Scale => format!("{} out of 5", mine[0].number.unwrap_or_default()),
            QuestionKind::Single | QuestionKind::Multiple => mine
                .iter()
                .filter_map(|a| a.number.and_then(|i| q.options.get(i as usize)).cloned())
                .collect::<Vec<_>>()
                .join("; "),
            QuestionKind::Statements => mine
                .iter()
                .map(|a| {
                    let label = q
                        .statements
                        .iter()
                        .find(|s| Some(s.id) == a.statement_id)
                        .map(|s| s.label.clone())
                        .unwrap_or_default();
                    format!("{label}: {} out of 5", a.number.unwrap_or_default())
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        out.push(AnswerView { prompt: q.prompt.clone(), answer });
    }
    out
}

/// A receipt: the person's own answers and what became of them.
pub fn receipt(row: ReceiptRow) -> Result<Receipt, AppError> {
    let questions = questions(row.questions.into_questions());
    let answers = row.answers.0;
    Ok(Receipt {
        round_id: row.round_id,
        round_title: row.round_title,
        prototype_title: row.prototype_title,
        submitted: when(row.created_at),
        consent: Consent::parse(&row.consent).unwrap_or(Consent::DesignGroupOnly),
        held: row.status == "held",
        answers: answer_views(&answers, &questions),
        outcome: rules::outcome(row.prototype_id, row.acted_iteration, row.not_taken_reason),
    })
}

/// Who gave an answer, as the design group may see it: a name given anonymously only to
/// those who may see it (`sees_anonymous`: facilitators), else where it was gathered.
pub fn who(name: Option<String>, anonymous: bool, gathered: &str, sees_anonymous: bool) -> String {
    match (name, anonymous) {
        (Some(n), false) => n,
        (Some(n), true) if sees_anonymous => format!("{n} (answered anonymously)"),
        _ if !gathered.is_empty() => format!("Gathered in person: {gathered}"),
        _ => "Anonymous".to_string(),
    }
}

/// What a viewer of the results may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultsAccess {
    /// The full results (free text, held count, coding, export) rather than the summary.
    pub full: bool,
    /// Names behind anonymous answers (facilitators).
    pub sees_anonymous: bool,
}

/// The results page from the round, its tallies and (full results only) one page of free text.
pub fn results(
    round: ResultsRow,
    tallies: &Tallies,
    texts: Vec<TextAnswerRow>,
    access: ResultsAccess,
    page: i64,
    now: i64,
) -> Result<RoundResults, AppError> {
    let questions = questions(round.questions.into_questions());
    let iterations = if access.full { round.iterations.0 } else { Vec::new() };
    let theme_counts = if access.full { round.theme_counts.0 } else { Vec::new() };
    let previous_round = round.previous_id.zip(round.previous_title.clone());
    let previous: HashMap<i64, f64> = tallies.previous.iter().map(|p| (p.statement_id, p.mean)).collect();
    let answered: HashMap<i64, i64> = tallies.answered.iter().map(|a| (a.question_id, a.responses)).collect();
    let prototype = round.round.prototype_id;
    // (count, total) of the numbers given to a question, optionally for one statement only.
    let numbers = |q: i64, s: Option<Option<i64>>| {
        tallies
            .values
            .iter()
            .filter(|v| v.question_id == q && s.is_none_or(|s| v.statement_id == s))
            .filter_map(|v| v.number.map(|n| (v.answers, n * v.answers)))
            .fold((0, 0), |(c, t), (n, x)| (c + n, t + x))
    };
    // Counts of each value in 0..n given to a question (out-of-range values are ignored).
    let bars = |q: i64, shift: i64, n: usize| {
        let mut c = vec![0; n];
        for v in tallies.values.iter().filter(|v| v.question_id == q) {
            if let Some(slot) = v.number.and_then(|x| usize::try_from(x - shift).ok()).and_then(|i| c.get_mut(i)) {
                *slot += v.answers;
            }
        }
        c
    };
    let mut by_question: HashMap<i64, Vec<TextAnswerRow>> = HashMap::new();
    for t in texts {
        by_question.entry(t.question_id).or_default().push(t);
    }
    let mut out = Vec::new();
    for q in &questions {
        let mut r = QuestionResult {
            id: q.id,
            prompt: q.prompt.clone(),
            kind: q.kind,
            answered: answered.get(&q.id).copied().unwrap_or(0),
            bars: Vec::new(),
            mean: None,
            ratings: Vec::new(),
            texts: Vec::new(),
            more_texts: false,
        };
        match q.kind {
            QuestionKind::Scale => {
                let c = bars(q.id, 1, 5);
                r.bars = (1..=5)
                    .map(|n| {
                        let label = match n {
                            1 if !q.low_label.is_empty() => format!("1 ({})", q.low_label),
                            5 if !q.high_label.is_empty() => format!("5 ({})", q.high_label),
                            _ => n.to_string(),
                        };
                        Bar { label, count: c[n - 1] }
                    })
                    .collect();
                let (count, total) = numbers(q.id, None);
                r.mean = results::mean_of(count, total);
            }
            QuestionKind::Single | QuestionKind::Multiple => {
                let c = bars(q.id, 0, q.options.len());
                r.bars = q.options.iter().zip(c).map(|(o, count)| Bar { label: o.clone(), count }).collect();
            }
            QuestionKind::Statements => {
                r.ratings = q
                    .statements
                    .iter()
                    .map(|s| {
                        let (count, total) = numbers(q.id, Some(Some(s.id)));
                        let before = previous_round.as_ref().and_then(|_| previous.get(&s.id).copied());
                        (s.label.clone(), results::mean_of(count, total), before)
                    })
                    .collect();
            }
            QuestionKind::Text if access.full => {
                let mut rows = by_question.remove(&q.id).unwrap_or_default();
                r.more_texts = rows.len() as i64 > TEXTS_PER_PAGE;
                rows.truncate(TEXTS_PER_PAGE as usize);
                r.texts = rows
                    .into_iter()
                    .map(|t| TextAnswer {
                        answer_id: t.answer_id,
                        response_id: t.response_id,
                        themes: t.themes.0,
                        who: who(t.display_name, t.anonymous, &t.gathered_at, access.sees_anonymous),
                        outcome: rules::outcome(prototype, t.acted_iteration, t.not_taken_reason),
                        text: t.text,
                    })
                    .collect();
            }
            QuestionKind::Text => {}
        }
        out.push(r);
    }
    Ok(RoundResults {
        responses: round.round.responses,
        held: access.full.then_some(round.held),
        breakdown: breakdown(&questions, tallies),
        questions: out,
        theme_counts,
        previous_round,
        full: access.full,
        iterations,
        page,
        round: summary(round.round, now),
    })
}

/// Means of every rated item (scales and statements) per declared perspective, with small
/// groups merged so nobody can be picked out (`crate::suppression`): the perspective cells
/// in the order the rules have always used (each perspective, then people who gave none,
/// then people who gave several), each row's means from its cells' sums.
pub fn breakdown(questions: &[Question], tallies: &Tallies) -> Breakdown {
    let size = |cell: &str| tallies.cells.iter().filter(|c| c.cell == cell).map(|c| c.responses).sum::<i64>();
    let mut keys: Vec<(String, &str)> = Perspective::ALL.iter().map(|p| (p.label().to_string(), p.as_str())).collect();
    keys.push(("No perspective given".into(), NONE));
    keys.push((crate::suppression::SEVERAL.to_string(), SEVERAL));
    keys.retain(|(_, k)| size(k) > 0);
    // Each cell as its index repeated once per person: the suppression rules count people.
    let cells: Vec<(String, Vec<usize>)> =
        keys.iter().enumerate().map(|(i, (label, k))| (label.clone(), vec![i; size(k) as usize])).collect();
    let total: usize = cells.iter().map(|(_, ids)| ids.len()).sum();
    let rows = crate::suppression::rows(cells);
    let shown: usize = rows.iter().map(|(_, ids)| ids.len()).sum();

    let mut items: Vec<(String, i64, Option<i64>)> = Vec::new();
    for q in questions {
        match q.kind {
            QuestionKind::Scale => items.push((q.prompt.clone(), q.id, None)),
            QuestionKind::Statements => items.extend(q.statements.iter().map(|s| (s.label.clone(), q.id, Some(s.id)))),
            _ => {}
        }
    }
    let row_cells: Vec<Vec<&str>> = rows
        .iter()
        .map(|(_, ids)| {
            let mut idx = ids.clone();
            idx.dedup();
            idx.into_iter().map(|i| keys[i].1).collect()
        })
        .collect();
    let per_item: Vec<Vec<Option<f64>>> = items
        .iter()
        .map(|(_, q, s)| {
            let ratings: Vec<(i64, i64)> = row_cells
                .iter()
                .map(|cells| {
                    tallies
                        .cell_ratings
                        .iter()
                        .filter(|r| r.question_id == *q && r.statement_id == *s && cells.contains(&r.cell.as_str()))
                        .fold((0, 0), |(n, t), r| (n + r.ratings, t + r.total))
                })
                .collect();
            results::row_means_of(&ratings)
        })
        .collect();
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(r, (label, people))| GroupRow {
            label,
            people: people.len() as i64,
            means: per_item.iter().map(|m| m[r]).collect(),
        })
        .collect();
    Breakdown { items: items.into_iter().map(|i| i.0).collect(), rows, suppressed: (total - shown) as i64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultations::store::{CellRatings, CellSize};

    #[test]
    fn who_gave_an_answer() {
        assert_eq!(who(Some("Ann".into()), false, "", false), "Ann");
        assert_eq!(who(Some("Ann".into()), true, "", false), "Anonymous");
        assert_eq!(who(Some("Ann".into()), true, "", true), "Ann (answered anonymously)");
        assert_eq!(who(None, false, "Workshop", false), "Gathered in person: Workshop");
        assert_eq!(who(Some("Ann".into()), true, "Workshop", false), "Gathered in person: Workshop");
        assert_eq!(who(None, false, "", true), "Anonymous");
    }

    #[test]
    fn a_summary_shows_the_early_close_and_its_status() {
        let row = RoundRow {
            id: 1,
            title: "T".into(),
            prototype_id: 2,
            prototype_title: "P".into(),
            iteration_number: 1,
            audience: "public".into(),
            opens_at: 100,
            closes_at: 1_000,
            closed_early_at: Some(500),
            responses: 3,
        };
        let s = summary(row.clone(), 600);
        assert_eq!(s.status, crate::consultations::RoundStatus::Closed);
        assert_eq!(s.closes, when(500));
        assert_eq!(summary(row, 200).status, crate::consultations::RoundStatus::Open);
    }

    fn scale(id: i64) -> Question {
        Question {
            id,
            kind: QuestionKind::Scale,
            prompt: "How much?".into(),
            required: false,
            low_label: String::new(),
            high_label: String::new(),
            options: Vec::new(),
            statements: Vec::new(),
        }
    }

    /// The breakdown from SQL's cell sizes and sums is the one the rules give over people.
    #[test]
    fn the_breakdown_from_tallies_matches_the_rules_over_people() {
        // 6 service users rating 4, 6 carers rating 2, 2 commissioners rating 5, 1 person
        // with two perspectives rating 1: the 2 + 1 must be merged with a larger group.
        let tallies = Tallies {
            cells: vec![
                CellSize { cell: "service_user".into(), responses: 6 },
                CellSize { cell: "carer".into(), responses: 6 },
                CellSize { cell: "commissioner".into(), responses: 2 },
                CellSize { cell: SEVERAL.into(), responses: 1 },
            ],
            cell_ratings: vec![
                CellRatings { cell: "service_user".into(), question_id: 9, statement_id: None, ratings: 6, total: 24 },
                CellRatings { cell: "carer".into(), question_id: 9, statement_id: None, ratings: 6, total: 12 },
                CellRatings { cell: "commissioner".into(), question_id: 9, statement_id: None, ratings: 2, total: 10 },
                CellRatings { cell: SEVERAL.into(), question_id: 9, statement_id: None, ratings: 1, total: 1 },
            ],
            ..Tallies::default()
        };
        let b = breakdown(&[scale(9)], &tallies);
        let people = |range: std::ops::Range<i64>| range.collect::<Vec<_>>();
        let (rows, suppressed) = results::merge_small_groups(vec![
            (Perspective::ALL[0].label().into(), people(0..6)),
            (Perspective::ALL[1].label().into(), people(10..16).into_iter().chain([30]).collect()),
            (Perspective::ALL[3].label().into(), people(20..22).into_iter().chain([30]).collect()),
        ]);
        assert_eq!(b.suppressed, suppressed);
        assert_eq!(b.rows.iter().map(|r| (r.label.clone(), r.people)).collect::<Vec<_>>(), {
            rows.iter().map(|(l, p)| (l.clone(), p.len() as i64)).collect::<Vec<_>>()
        });
        assert_eq!(b.rows.len(), 2, "{:?}", b.rows);
        assert_eq!(b.rows[0].means, vec![Some(4.0)]);
        assert_eq!(b.rows[1].means, vec![Some((12 + 10 + 1) as f64 / 9.0 * 10.0).map(|m: f64| m.round() / 10.0)]);
    }
}
