//! Consultation SQL. Permissions are checked by the callers (api.rs), never here.

use std::collections::HashMap;

use sqlx::SqlitePool;

use super::{
    results::{self, Bar, Breakdown, GroupRow, QuestionResult, RoundResults, TextAnswer},
    rules::{self, Answer},
    Audience, Consent, NewRoundForm, Outcome, Question, QuestionKind, RatedStatement, Receipt, RoundSummary,
};
use crate::{
    auth::Perspective,
    error::AppError,
    prototypes::timeline::{record_event, NewEvent},
    safeguarding::audit::{audit, Item},
    time::{now, when},
};

pub struct NewQuestion {
    pub kind: QuestionKind,
    pub prompt: String,
    pub required: bool,
    pub low: String,
    pub high: String,
    pub options: Vec<String>,
}

pub struct NewRound<'a> {
    pub prototype: i64,
    pub iteration: i64,
    pub title: &'a str,
    pub purpose: &'a str,
    pub audience: Audience,
    pub opens: i64,
    pub closes: i64,
    pub questions: Vec<NewQuestion>,
}

/// Opens a round and puts it on the prototype's timeline, in one transaction.
pub async fn create(pool: &SqlitePool, r: &NewRound<'_>, by: i64) -> Result<i64, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM iterations WHERE prototype_id = ? AND number = ?")
        .bind(r.prototype)
        .bind(r.iteration)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(AppError::invalid("iteration", "Please choose a published iteration of this prototype."));
    }
    let t = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(r.prototype)
    .bind(r.iteration)
    .bind(r.title)
    .bind(r.purpose)
    .bind(crate::markdown::render(r.purpose))
    .bind(r.audience.as_str())
    .bind(r.opens)
    .bind(r.closes)
    .bind(by)
    .bind(t)
    .fetch_one(&mut *tx)
    .await?;
    for (i, q) in r.questions.iter().enumerate() {
        sqlx::query("INSERT INTO questions (round_id, position, kind, prompt, required, low_label, high_label, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(id)
            .bind(i as i64)
            .bind(q.kind.as_str())
            .bind(&q.prompt)
            .bind(q.required)
            .bind(&q.low)
            .bind(&q.high)
            .bind(q.options.join("\n"))
            .execute(&mut *tx)
            .await?;
    }
    // The statements it rates are fixed now: later drafts and iterations do not change them.
    sqlx::query("INSERT INTO round_statements (round_id, statement_id) SELECT ?, statement_id FROM prototype_statements WHERE prototype_id = ?")
        .bind(id)
        .bind(r.prototype)
        .execute(&mut *tx)
        .await?;
    let note = format!("{} (open {} to {})", r.title, when(r.opens), when(r.closes));
    record_event(
        &mut tx,
        r.prototype,
        t,
        by,
        NewEvent::Consultation { round: id, iteration: r.iteration, note: &note },
    )
    .await?;
    sqlx::query("UPDATE prototypes SET last_activity = ? WHERE id = ?")
        .bind(t)
        .bind(r.prototype)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn new_form(pool: &SqlitePool, prototype: i64) -> Result<NewRoundForm, AppError> {
    let title: String = sqlx::query_scalar("SELECT title FROM prototypes WHERE id = ?")
        .bind(prototype)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let iterations: Vec<i64> =
        sqlx::query_scalar("SELECT number FROM iterations WHERE prototype_id = ? ORDER BY number DESC")
            .bind(prototype)
            .fetch_all(pool)
            .await?;
    let t = now();
    Ok(NewRoundForm {
        prototype_id: prototype,
        prototype_title: title,
        iterations,
        statements: statements_of(pool, prototype).await?,
        opens: crate::time::to_local_input(t - t % 60),
        closes: crate::time::to_local_input(t - t % 60 + 14 * 86_400),
    })
}

/// The statements a prototype addresses now (the ones a new round would rate).
async fn statements_of(pool: &SqlitePool, prototype: i64) -> Result<Vec<RatedStatement>, AppError> {
    rated(pool, "SELECT s.id, s.text, s.short_name FROM prototype_statements x JOIN experience_statements s ON s.id = x.statement_id WHERE x.prototype_id = ? ORDER BY s.position, s.id", prototype).await
}

/// The statements a round rates, as they were when it opened.
async fn statements_of_round(pool: &SqlitePool, round: i64) -> Result<Vec<RatedStatement>, AppError> {
    rated(pool, "SELECT s.id, s.text, s.short_name FROM round_statements x JOIN experience_statements s ON s.id = x.statement_id WHERE x.round_id = ? ORDER BY s.position, s.id", round).await
}

async fn rated(pool: &SqlitePool, sql: &str, id: i64) -> Result<Vec<RatedStatement>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(sql).bind(id).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, text, short)| RatedStatement {
            id,
            label: if short.is_empty() { text } else { format!("{short}: {text}") },
        })
        .collect())
}

type SummaryRow = (i64, String, i64, String, i64, String, i64, i64, Option<i64>, i64);

// Counts published responses only: a held or hidden one is not public, and counting it
// would tell every visitor that triage held someone's answer (issue 9, finding 9).
const SUMMARY: &str = "SELECT r.id, r.title, r.prototype_id, p.title, r.iteration_number, r.audience, r.opens_at, r.closes_at, r.closed_early_at,
        (SELECT count(*) FROM responses x WHERE x.round_id = r.id AND x.status = 'published')
    FROM rounds r JOIN prototypes p ON p.id = r.prototype_id";

fn summary_of(row: SummaryRow, t: i64) -> RoundSummary {
    let (id, title, prototype_id, prototype_title, iteration_number, audience, opens, closes, closed_early, responses) =
        row;
    RoundSummary {
        id,
        title,
        prototype_id,
        prototype_title,
        iteration_number,
        audience: Audience::parse(&audience).unwrap_or(Audience::Members),
        status: rules::status(t, opens, closes, closed_early),
        opens: when(opens),
        closes: when(closed_early.map_or(closes, |c| c.min(closes))),
        responses,
    }
}

/// One round's summary, its purpose (HTML) and its creator.
pub async fn round(pool: &SqlitePool, id: i64) -> Result<(RoundSummary, String), AppError> {
    let sql = format!("{SUMMARY} WHERE r.id = ?");
    let row: SummaryRow = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?.ok_or(AppError::NotFound)?;
    let purpose: String =
        sqlx::query_scalar("SELECT purpose_html FROM rounds WHERE id = ?").bind(id).fetch_one(pool).await?;
    Ok((summary_of(row, now()), purpose))
}

/// Rounds the viewer's audiences may see: open ones first, then by closing time, newest first.
pub async fn list(
    pool: &SqlitePool,
    audiences: &[Audience],
    page: i64,
    size: i64,
) -> Result<(Vec<RoundSummary>, bool), AppError> {
    let t = now();
    let marks = vec!["?"; audiences.len()].join(", ");
    let sql = format!(
        "{SUMMARY} WHERE r.audience IN ({marks})
         ORDER BY (r.opens_at <= ?1 AND coalesce(min(r.closed_early_at, r.closes_at), r.closes_at) > ?1) DESC, r.closes_at DESC, r.id DESC
         LIMIT ? OFFSET ?"
    )
    .replace("?1", "?");
    let mut q = sqlx::query_as::<_, SummaryRow>(&sql);
    for a in audiences {
        q = q.bind(a.as_str());
    }
    let rows = q.bind(t).bind(t).bind(size + 1).bind(page * size).fetch_all(pool).await?;
    let has_more = rows.len() as i64 > size;
    Ok((rows.into_iter().take(size as usize).map(|r| summary_of(r, t)).collect(), has_more))
}

/// Rounds on one prototype, oldest first (for its page).
pub async fn for_prototype(pool: &SqlitePool, prototype: i64) -> Result<Vec<RoundSummary>, AppError> {
    let sql = format!("{SUMMARY} WHERE r.prototype_id = ? ORDER BY r.opens_at, r.id");
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(prototype).fetch_all(pool).await?;
    let t = now();
    Ok(rows.into_iter().map(|r| summary_of(r, t)).collect())
}

pub async fn questions(pool: &SqlitePool, round: i64) -> Result<Vec<Question>, AppError> {
    let rows: Vec<(i64, String, String, bool, String, String, String)> =
        sqlx::query_as("SELECT id, kind, prompt, required, low_label, high_label, options FROM questions WHERE round_id = ? ORDER BY position").bind(round).fetch_all(pool).await?;
    let needs_statements = rows.iter().any(|r| r.1 == "statements");
    let statements = if needs_statements { statements_of_round(pool, round).await? } else { Vec::new() };
    Ok(rows
        .into_iter()
        .map(|(id, kind, prompt, required, low_label, high_label, options)| {
            let kind = QuestionKind::parse(&kind).unwrap_or(QuestionKind::Text);
            Question {
                id,
                kind,
                prompt,
                required,
                low_label,
                high_label,
                options: options.lines().map(str::to_string).filter(|o| !o.is_empty()).collect(),
                statements: if kind == QuestionKind::Statements { statements.clone() } else { Vec::new() },
            }
        })
        .collect())
}

pub async fn close(pool: &SqlitePool, id: i64) -> Result<(), AppError> {
    let t = now();
    let done =
        sqlx::query("UPDATE rounds SET closed_early_at = ? WHERE id = ? AND closed_early_at IS NULL AND closes_at > ?")
            .bind(t)
            .bind(id)
            .bind(t)
            .execute(pool)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict("This consultation has already closed.".into()));
    }
    Ok(())
}

pub struct NewResponse<'a> {
    pub round: i64,
    pub user: Option<i64>,
    pub anonymous: bool,
    pub entered_by: Option<i64>,
    pub gathered_at: &'a str,
    pub consent: Consent,
    pub content_note: &'a str,
    /// SHA-256 of the form key with everything sent: the same form sent twice is one response.
    pub submission_hash: &'a str,
    /// SHA-256 of the receipt token minted for this request (a resend gets its own token).
    pub receipt_hash: &'a str,
    /// The sending browser's kept form for this round, if any, is cleared on success.
    pub browser_hash: Option<&'a str>,
    pub held_phrase: Option<&'a str>,
    pub perspectives: Vec<Perspective>,
    pub answers: &'a [(i64, Answer)],
}

/// Whether the response was new, and whether it (or the earlier copy) is held.
#[derive(Debug, PartialEq, Eq)]
pub enum Submitted {
    Recorded { held: bool },
    Duplicate { held: bool },
}

/// Records a response and all its answers in one transaction that takes the write lock
/// first. A second copy of the same form (same key, same content) changes nothing but
/// gets a receipt of its own to the same response.
pub async fn submit(pool: &SqlitePool, r: &NewResponse<'_>) -> Result<Submitted, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let status = if r.held_phrase.is_some() { "held" } else { "published" };
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO responses (round_id, user_id, anonymous, entered_by, gathered_at, consent, content_note, submission_hash, status, held_phrase, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_hash) DO NOTHING RETURNING id",
    )
    .bind(r.round)
    .bind(r.user)
    .bind(r.anonymous)
    .bind(r.entered_by)
    .bind(r.gathered_at)
    .bind(r.consent.as_str())
    .bind(r.content_note)
    .bind(r.submission_hash)
    .bind(status)
    .bind(r.held_phrase)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        let (existing, held): (i64, String) =
            sqlx::query_as("SELECT id, status FROM responses WHERE submission_hash = ?")
                .bind(r.submission_hash)
                .fetch_one(&mut *tx)
                .await?;
        add_receipt(&mut tx, r.receipt_hash, existing).await?;
        tx.commit().await?;
        return Ok(Submitted::Duplicate { held: held == "held" });
    };
    for (question, answer) in r.answers {
        let rows: Vec<(Option<i64>, Option<i64>, Option<&str>)> = match answer {
            Answer::Text(t) => vec![(None, None, Some(t.as_str()))],
            Answer::Number(n) => vec![(None, Some(*n), None)],
            Answer::Choices(c) => c.iter().map(|i| (None, Some(*i), None)).collect(),
            Answer::Ratings(r) => r.iter().map(|(s, n)| (Some(*s), Some(*n), None)).collect(),
        };
        for (statement, number, text) in rows {
            sqlx::query(
                "INSERT INTO answers (response_id, question_id, statement_id, number, text) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(question)
            .bind(statement)
            .bind(number)
            .bind(text)
            .execute(&mut *tx)
            .await?;
        }
    }
    for p in &r.perspectives {
        sqlx::query("INSERT OR IGNORE INTO response_perspectives (response_id, perspective) VALUES (?, ?)")
            .bind(id)
            .bind(p.as_str())
            .execute(&mut *tx)
            .await?;
    }
    if let Some(phrase) = r.held_phrase {
        audit(&mut tx, None, "held", Item::Response(id), &format!("Triage matched “{phrase}”")).await?;
    }
    add_receipt(&mut tx, r.receipt_hash, id).await?;
    if let Some(browser) = r.browser_hash {
        sqlx::query("DELETE FROM kept_forms WHERE browser_hash = ? AND round_id = ?")
            .bind(browser)
            .bind(r.round)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Submitted::Recorded { held: status == "held" })
}

async fn add_receipt(tx: &mut sqlx::SqliteConnection, token_hash: &str, response: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO receipts (token_hash, response_id, created_at) VALUES (?, ?, ?)")
        .bind(token_hash)
        .bind(response)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A person's declared perspectives (snapshotted onto their response).
pub async fn perspectives_of(pool: &SqlitePool, user: i64) -> Result<Vec<Perspective>, AppError> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT perspective FROM user_perspectives WHERE user_id = ?")
        .bind(user)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().filter_map(|p| Perspective::parse(p)).collect())
}

/// How long a refused form's fields are kept.
pub const KEPT_SECS: i64 = 3600;

/// Keeps a refused form's fields for an hour, for the browser that sent it only.
pub async fn keep_form(pool: &SqlitePool, browser_hash: &str, round: i64, fields: &str) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO kept_forms (browser_hash, round_id, fields, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (browser_hash, round_id) DO UPDATE SET fields = excluded.fields, created_at = excluded.created_at",
    )
    .bind(browser_hash)
    .bind(round)
    .bind(fields)
    .bind(now())
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn kept_form(pool: &SqlitePool, browser_hash: &str, round: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT fields FROM kept_forms WHERE browser_hash = ? AND round_id = ? AND created_at >= ?")
        .bind(browser_hash)
        .bind(round)
        .bind(now() - KEPT_SECS)
        .fetch_optional(pool)
        .await?)
}

/// Every ten minutes, refused forms older than their hour are forgotten: they may hold
/// health data that was never sent.
pub fn purge_kept_forms_job() -> crate::jobs::Job {
    crate::jobs::Job {
        name: "consultations.purge_kept_forms",
        every: std::time::Duration::from_secs(600),
        run: |pool| Box::pin(async move { purge_kept_forms(&pool).await.map(|n| n as usize) }),
    }
}

/// Forgets refused forms older than their hour.
pub async fn purge_kept_forms(pool: &SqlitePool) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM kept_forms WHERE created_at < ?")
        .bind(now() - KEPT_SECS)
        .execute(pool)
        .await?
        .rows_affected())
}

pub fn outcome(prototype: i64, acted: Option<i64>, reason: Option<String>) -> Outcome {
    match (acted, reason) {
        (Some(iteration), _) => Outcome::ActedOn { prototype_id: prototype, iteration },
        (None, Some(reason)) => Outcome::NotTakenForward { reason },
        _ => Outcome::Open,
    }
}

/// Readable answers of one response, in question order.
async fn answer_views(
    pool: &SqlitePool,
    response: i64,
    questions: &[Question],
) -> Result<Vec<super::AnswerView>, AppError> {
    let rows: Vec<(i64, Option<i64>, Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT question_id, statement_id, number, text FROM answers WHERE response_id = ? ORDER BY id")
            .bind(response)
            .fetch_all(pool)
            .await?;
    let mut out = Vec::new();
    for q in questions {
        let mine: Vec<_> = rows.iter().filter(|r| r.0 == q.id).collect();
        if mine.is_empty() {
            continue;
        }
        let answer = match q.kind {
            QuestionKind::Text => mine[0].3.clone().unwrap_or_default(),
            QuestionKind::Scale => format!("{} out of 5", mine[0].2.unwrap_or_default()),
            QuestionKind::Single | QuestionKind::Multiple => mine
                .iter()
                .filter_map(|r| r.2.and_then(|i| q.options.get(i as usize)).cloned())
                .collect::<Vec<_>>()
                .join("; "),
            QuestionKind::Statements => mine
                .iter()
                .map(|r| {
                    let label =
                        q.statements.iter().find(|s| Some(s.id) == r.1).map(|s| s.label.clone()).unwrap_or_default();
                    format!("{label}: {} out of 5", r.2.unwrap_or_default())
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        out.push(super::AnswerView { prompt: q.prompt.clone(), answer });
    }
    Ok(out)
}

/// The receipt behind a key: the response, its answers and what became of it.
pub async fn receipt(pool: &SqlitePool, token_hash: &str) -> Result<Receipt, AppError> {
    let row: (i64, i64, String, i64, String, String, i64, Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT x.id, r.id, r.title, r.prototype_id, x.consent, x.status, x.created_at, x.acted_iteration, x.not_taken_reason
         FROM receipts t JOIN responses x ON x.id = t.response_id JOIN rounds r ON r.id = x.round_id WHERE t.token_hash = ?",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let (response, round, round_title, prototype, consent, status, at, acted, reason) = row;
    let prototype_title: String =
        sqlx::query_scalar("SELECT title FROM prototypes WHERE id = ?").bind(prototype).fetch_one(pool).await?;
    let questions = questions(pool, round).await?;
    Ok(Receipt {
        round_id: round,
        round_title,
        prototype_title,
        submitted: when(at),
        consent: Consent::parse(&consent).unwrap_or(Consent::DesignGroupOnly),
        held: status == "held",
        answers: answer_views(pool, response, &questions).await?,
        outcome: outcome(prototype, acted, reason),
    })
}

/// All answers of a round's visible (not held, not hidden) responses.
type AnswerRow = (i64, i64, i64, Option<i64>, Option<i64>, Option<String>);

async fn answers_of(pool: &SqlitePool, round: i64) -> Result<Vec<AnswerRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.response_id, a.question_id, a.statement_id, a.number, a.text FROM answers a
         JOIN responses x ON x.id = a.response_id WHERE x.round_id = ? AND x.status = 'published' ORDER BY a.id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?)
}

/// Means per statement in the round before this one on the same prototype, if any.
async fn previous_ratings(
    pool: &SqlitePool,
    round: &RoundSummary,
) -> Result<Option<(i64, String, HashMap<i64, f64>)>, AppError> {
    let prev: Option<(i64, String)> = sqlx::query_as(
        "SELECT r.id, r.title FROM rounds r WHERE r.prototype_id = ? AND r.id <> ?
           AND (r.opens_at < (SELECT opens_at FROM rounds WHERE id = ?) OR (r.opens_at = (SELECT opens_at FROM rounds WHERE id = ?) AND r.id < ?))
           AND EXISTS (SELECT 1 FROM questions q WHERE q.round_id = r.id AND q.kind = 'statements')
         ORDER BY r.opens_at DESC, r.id DESC LIMIT 1",
    )
    .bind(round.prototype_id)
    .bind(round.id)
    .bind(round.id)
    .bind(round.id)
    .bind(round.id)
    .fetch_optional(pool)
    .await?;
    let Some((id, title)) = prev else { return Ok(None) };
    let rows: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT a.statement_id, round(avg(a.number), 1) FROM answers a JOIN responses x ON x.id = a.response_id
         WHERE x.round_id = ? AND x.status = 'published' AND a.statement_id IS NOT NULL GROUP BY a.statement_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(Some((id, title, rows.into_iter().collect())))
}

/// Who wrote each response, as the design group may see it.
async fn authors(
    pool: &SqlitePool,
    round: i64,
    facilitator: bool,
) -> Result<HashMap<i64, (String, Outcome)>, AppError> {
    let rows: Vec<(i64, Option<String>, bool, String, i64, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT x.id, u.display_name, x.anonymous, x.gathered_at, r.prototype_id, x.acted_iteration, x.not_taken_reason
         FROM responses x JOIN rounds r ON r.id = x.round_id LEFT JOIN users u ON u.id = x.user_id
         WHERE x.round_id = ? AND x.status = 'published'",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, anonymous, gathered, prototype, acted, reason)| {
            let who = match (name, anonymous) {
                (Some(n), false) => n,
                (Some(n), true) if facilitator => format!("{n} (answered anonymously)"),
                _ if !gathered.is_empty() => format!("Gathered in person: {gathered}"),
                _ => "Anonymous".to_string(),
            };
            (id, (who, outcome(prototype, acted, reason)))
        })
        .collect())
}

/// The results page: every number is computed from the stored answers.
pub async fn results(
    pool: &SqlitePool,
    round_id: i64,
    full: bool,
    facilitator: bool,
) -> Result<RoundResults, AppError> {
    let (round, _) = round(pool, round_id).await?;
    let questions = questions(pool, round_id).await?;
    let answers = answers_of(pool, round_id).await?;
    let held: Option<i64> = if full {
        Some(
            sqlx::query_scalar("SELECT count(*) FROM responses WHERE round_id = ? AND status = 'held'")
                .bind(round_id)
                .fetch_one(pool)
                .await?,
        )
    } else {
        None
    };
    let previous = previous_ratings(pool, &round).await?;
    let authors = if full { authors(pool, round_id, facilitator).await? } else { HashMap::new() };
    let themes: Vec<(i64, String)> = if full {
        sqlx::query_as(
            "SELECT item_id, theme FROM feedback_themes WHERE item_kind = 'answer' AND round_id = ? ORDER BY theme",
        )
        .bind(round_id)
        .fetch_all(pool)
        .await?
    } else {
        Vec::new()
    };

    let mut out = Vec::new();
    for q in &questions {
        let mine: Vec<&AnswerRow> = answers.iter().filter(|a| a.2 == q.id).collect();
        let mut responders: Vec<i64> = mine.iter().map(|a| a.1).collect();
        responders.dedup();
        let numbers: Vec<i64> = mine.iter().filter_map(|a| a.4).collect();
        let mut r = QuestionResult {
            id: q.id,
            prompt: q.prompt.clone(),
            kind: q.kind,
            answered: responders.len() as i64,
            bars: Vec::new(),
            mean: None,
            ratings: Vec::new(),
            texts: Vec::new(),
        };
        match q.kind {
            QuestionKind::Scale => {
                let c = results::counts(&numbers.iter().map(|n| n - 1).collect::<Vec<_>>(), 5);
                r.bars = (1..=5)
                    .map(|n| {
                        let end = match n {
                            1 if !q.low_label.is_empty() => format!("1 ({})", q.low_label),
                            5 if !q.high_label.is_empty() => format!("5 ({})", q.high_label),
                            _ => n.to_string(),
                        };
                        Bar { label: end, count: c[n - 1] }
                    })
                    .collect();
                r.mean = results::mean(&numbers);
            }
            QuestionKind::Single | QuestionKind::Multiple => {
                let c = results::counts(&numbers, q.options.len());
                r.bars = q.options.iter().zip(c).map(|(o, count)| Bar { label: o.clone(), count }).collect();
            }
            QuestionKind::Statements => {
                r.ratings = q
                    .statements
                    .iter()
                    .map(|s| {
                        let v: Vec<i64> = mine.iter().filter(|a| a.3 == Some(s.id)).filter_map(|a| a.4).collect();
                        (s.label.clone(), results::mean(&v), previous.as_ref().and_then(|p| p.2.get(&s.id).copied()))
                    })
                    .collect();
            }
            QuestionKind::Text if full => {
                r.texts = mine
                    .iter()
                    .filter_map(|a| {
                        let (who, outcome) =
                            authors.get(&a.1).cloned().unwrap_or_else(|| ("Anonymous".into(), Outcome::Open));
                        a.5.clone().map(|text| TextAnswer {
                            answer_id: a.0,
                            response_id: a.1,
                            text,
                            who,
                            themes: themes.iter().filter(|(i, _)| *i == a.0).map(|(_, t)| t.clone()).collect(),
                            outcome,
                        })
                    })
                    .collect();
            }
            QuestionKind::Text => {}
        }
        out.push(r);
    }

    let responses: i64 =
        sqlx::query_scalar("SELECT count(*) FROM responses WHERE round_id = ? AND status = 'published'")
            .bind(round_id)
            .fetch_one(pool)
            .await?;
    let breakdown = breakdown(pool, round_id, &questions, &answers).await?;
    let mut theme_counts: HashMap<String, i64> = HashMap::new();
    for (_, t) in &themes {
        *theme_counts.entry(t.clone()).or_default() += 1;
    }
    let mut theme_counts: Vec<(String, i64)> = theme_counts.into_iter().collect();
    theme_counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let iterations = if full {
        sqlx::query_scalar("SELECT number FROM iterations WHERE prototype_id = ? ORDER BY number")
            .bind(round.prototype_id)
            .fetch_all(pool)
            .await?
    } else {
        Vec::new()
    };
    Ok(RoundResults {
        round,
        responses,
        held,
        questions: out,
        breakdown,
        theme_counts,
        previous_round: previous.map(|(id, t, _)| (id, t)),
        full,
        iterations,
    })
}

/// Means of every rated item (scales and statements) per declared perspective, with small
/// groups merged so nobody can be picked out.
async fn breakdown(
    pool: &SqlitePool,
    round: i64,
    questions: &[Question],
    answers: &[AnswerRow],
) -> Result<Breakdown, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT p.response_id, p.perspective FROM response_perspectives p JOIN responses x ON x.id = p.response_id WHERE x.round_id = ? AND x.status = 'published'",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    let mut groups: Vec<(String, Vec<i64>)> = Perspective::ALL
        .iter()
        .map(|p| (p.label().to_string(), rows.iter().filter(|r| r.1 == p.as_str()).map(|r| r.0).collect()))
        .collect();
    let declared: std::collections::HashSet<i64> = rows.iter().map(|r| r.0).collect();
    let mut undeclared: Vec<i64> = answers.iter().map(|a| a.1).filter(|r| !declared.contains(r)).collect();
    undeclared.sort_unstable();
    undeclared.dedup();
    groups.push(("No perspective given".into(), undeclared));
    let (groups, suppressed) = results::merge_small_groups(groups);

    // The rated items: each scale question, and each statement of a ratings question.
    let mut items: Vec<(String, i64, Option<i64>)> = Vec::new();
    for q in questions {
        match q.kind {
            QuestionKind::Scale => items.push((q.prompt.clone(), q.id, None)),
            QuestionKind::Statements => items.extend(q.statements.iter().map(|s| (s.label.clone(), q.id, Some(s.id)))),
            _ => {}
        }
    }
    // Per item, the means of all rows together (results::row_means leaves out any that
    // could be recovered by subtraction), then laid out per row.
    let per_item: Vec<Vec<Option<f64>>> = items
        .iter()
        .map(|(_, q, s)| {
            let ratings: Vec<Vec<i64>> = groups
                .iter()
                .map(|(_, people)| {
                    answers
                        .iter()
                        .filter(|a| a.2 == *q && a.3 == *s && people.contains(&a.1))
                        .filter_map(|a| a.4)
                        .collect()
                })
                .collect();
            results::row_means(&ratings)
        })
        .collect();
    let rows = groups
        .into_iter()
        .enumerate()
        .map(|(r, (label, people))| GroupRow {
            label,
            people: people.len() as i64,
            means: per_item.iter().map(|m| m[r]).collect(),
        })
        .collect();
    Ok(Breakdown { items: items.into_iter().map(|i| i.0).collect(), rows, suppressed })
}
