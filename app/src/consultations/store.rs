//! Consultation SQL. Reads return typed rows (sections with many rows come back as JSON
//! columns, decoded by `json_column`); they decide nothing about who may see what and format nothing:
//! the server functions and `views.rs` do. Permissions are checked by the callers (api.rs).

use serde::Deserialize;
use sqlx::SqlitePool;

use super::{rules::Answer, Audience, Consent, QuestionKind};
use crate::{
    auth::Perspective,
    error::AppError,
    json_column::JsonRows,
    notifications::{
        notify::{notify, round_audience, About, To},
        Kind,
    },
    prototypes::timeline::{record_event, NewEvent},
    safeguarding::audit::{audit, Item},
    time::now,
};

/// Kept for callers outside this module (feedback): the rule lives in `rules`.
pub use super::rules::outcome;

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
    /// The timeline entry's text, as the server function wrote it (stored as it was then).
    pub timeline_note: &'a str,
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
        "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at, opening_announced)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) RETURNING id",
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
    record_event(
        &mut tx,
        r.prototype,
        t,
        by,
        NewEvent::Consultation { round: id, iteration: r.iteration, note: r.timeline_note },
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

/// What a new round's form offers: the prototype's title, its iterations (newest first)
/// and the statements it addresses now (the ones a new round would rate).
#[derive(Debug, sqlx::FromRow)]
pub struct NewRoundRow {
    pub title: String,
    pub iterations: JsonRows<i64>,
    pub statements: JsonRows<StatementRow>,
}

pub async fn new_form(pool: &SqlitePool, prototype: i64) -> Result<NewRoundRow, AppError> {
    sqlx::query_as(
        "SELECT p.title,
            (SELECT json_group_array(number ORDER BY number DESC) FROM iterations WHERE prototype_id = p.id) AS iterations,
            (SELECT json_group_array(json_object('id', s.id, 'text', s.text, 'short_name', coalesce(s.short_name, '')) ORDER BY s.position, s.id)
               FROM prototype_statements x JOIN experience_statements s ON s.id = x.statement_id WHERE x.prototype_id = p.id) AS statements
         FROM prototypes p WHERE p.id = ?",
    )
    .bind(prototype)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// An experience statement a round rates.
#[derive(Debug, Clone, PartialEq, Deserialize, sqlx::FromRow)]
pub struct StatementRow {
    pub id: i64,
    pub text: String,
    pub short_name: String,
}

/// A round with its prototype's title and its count of published responses (a held or
/// hidden one is not public, and counting it would tell every visitor that triage held
/// someone's answer: issue 9, finding 9).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub title: String,
    pub prototype_id: i64,
    pub prototype_title: String,
    pub iteration_number: i64,
    pub audience: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub closed_early_at: Option<i64>,
    pub responses: i64,
}

const ROUND_COLUMNS: &str = "r.id, r.title, r.prototype_id, p.title AS prototype_title, r.iteration_number, r.audience,
        r.opens_at, r.closes_at, r.closed_early_at,
        r.published_responses AS responses";

/// One round.
pub async fn round(pool: &SqlitePool, id: i64) -> Result<RoundRow, AppError> {
    sqlx::query_as(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds r JOIN prototypes p ON p.id = r.prototype_id WHERE r.id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// The answer page's round: the round, its purpose, the iteration it asks about, and its
/// questions with the statements it rates.
#[derive(Debug, sqlx::FromRow)]
pub struct RoundPageRow {
    #[sqlx(flatten)]
    pub round: RoundRow,
    pub purpose_html: String,
    pub iteration_html: String,
    pub change_note: String,
    #[sqlx(flatten)]
    pub questions: QuestionsRow,
}

/// The round's questions in order and the statements it rates, as JSON columns.
#[derive(Debug, sqlx::FromRow)]
pub struct QuestionsRow {
    questions: JsonRows<QuestionRow>,
    statements: JsonRows<StatementRow>,
}

impl QuestionsRow {
    pub fn into_questions(self) -> RoundQuestions {
        RoundQuestions { questions: self.questions.0, statements: self.statements.0 }
    }
}

/// A round's questions in order, and the statements its rating questions rate (as they
/// were when it opened: later drafts do not change them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoundQuestions {
    pub questions: Vec<QuestionRow>,
    pub statements: Vec<StatementRow>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuestionRow {
    pub id: i64,
    pub kind: String,
    pub prompt: String,
    pub required: bool,
    pub low_label: String,
    pub high_label: String,
    /// One choice a line.
    pub options: String,
}

/// The questions and statements of round `?1` (or of the round in scope as `r.id`).
const QUESTIONS_COLUMNS: &str = "(SELECT json_group_array(json_object('id', q.id, 'kind', q.kind, 'prompt', q.prompt,
            'required', json(CASE q.required WHEN 1 THEN 'true' ELSE 'false' END), 'low_label', q.low_label,
            'high_label', q.high_label, 'options', q.options) ORDER BY q.position)
           FROM questions q WHERE q.round_id = r.id) AS questions,
        (SELECT json_group_array(json_object('id', s.id, 'text', s.text, 'short_name', coalesce(s.short_name, '')) ORDER BY s.position, s.id)
           FROM round_statements x JOIN experience_statements s ON s.id = x.statement_id WHERE x.round_id = r.id) AS statements";

/// The answer page's round in one statement.
pub async fn round_page(pool: &SqlitePool, id: i64) -> Result<RoundPageRow, AppError> {
    sqlx::query_as(&format!(
        "SELECT {ROUND_COLUMNS}, r.purpose_html, i.body_html AS iteration_html, i.change_note, {QUESTIONS_COLUMNS}
         FROM rounds r JOIN prototypes p ON p.id = r.prototype_id
         JOIN iterations i ON i.prototype_id = r.prototype_id AND i.number = r.iteration_number
         WHERE r.id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// A round's questions (and the statements it rates), in one statement.
pub async fn questions(pool: &SqlitePool, round: i64) -> Result<RoundQuestions, AppError> {
    let row: QuestionsRow = sqlx::query_as(&format!("SELECT {QUESTIONS_COLUMNS} FROM rounds r WHERE r.id = ?"))
        .bind(round)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.into_questions())
}

/// Rounds of the given audiences: open ones first, then by closing time, newest first;
/// one more than `size` (so the caller knows whether there is a next page).
pub async fn list(
    pool: &SqlitePool,
    audiences: &[Audience],
    now: i64,
    page: i64,
    size: i64,
) -> Result<Vec<RoundRow>, AppError> {
    let marks = vec!["?"; audiences.len()].join(", ");
    let sql = format!(
        "SELECT {ROUND_COLUMNS} FROM rounds r JOIN prototypes p ON p.id = r.prototype_id WHERE r.audience IN ({marks})
         ORDER BY (r.opens_at <= ? AND coalesce(min(r.closed_early_at, r.closes_at), r.closes_at) > ?) DESC, r.closes_at DESC, r.id DESC
         LIMIT ? OFFSET ?"
    );
    let mut q = sqlx::query_as::<_, RoundRow>(&sql);
    for a in audiences {
        q = q.bind(a.as_str());
    }
    Ok(q.bind(now).bind(now).bind(size + 1).bind(page * size).fetch_all(pool).await?)
}

/// Rounds on one prototype, oldest first (for its page).
pub async fn for_prototype(pool: &SqlitePool, prototype: i64) -> Result<Vec<RoundRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds r JOIN prototypes p ON p.id = r.prototype_id
         WHERE r.prototype_id = ? ORDER BY r.opens_at, r.id"
    ))
    .bind(prototype)
    .fetch_all(pool)
    .await?)
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

/// The earlier copy of a response sent twice.
#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    status: String,
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
        let existing: Existing = sqlx::query_as("SELECT id, status FROM responses WHERE submission_hash = ?")
            .bind(r.submission_hash)
            .fetch_one(&mut *tx)
            .await?;
        add_receipt(&mut tx, r.receipt_hash, existing.id).await?;
        tx.commit().await?;
        return Ok(Submitted::Duplicate { held: existing.status == "held" });
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
        notify(&mut tx, Kind::Held, About::default(), To::Facilitators, None).await?;
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

/// Announces rounds whose opening time has come (and those that opened when created): each
/// in its own transaction with the flag that says it was announced, so once only.
pub async fn announce_due_rounds(pool: &SqlitePool) -> Result<usize, AppError> {
    let due: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT id, prototype_id, audience, created_by FROM rounds
         WHERE opening_announced = 0 AND opens_at <= ? AND closes_at > ? AND closed_early_at IS NULL",
    )
    .bind(now())
    .bind(now())
    .fetch_all(pool)
    .await?;
    for (id, prototype, audience, by) in &due {
        let mut tx = pool.begin().await?;
        let claimed = sqlx::query("UPDATE rounds SET opening_announced = 1 WHERE id = ? AND opening_announced = 0")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() == 1 {
            let about = About { prototype: Some(*prototype), round: Some(*id), ..About::default() };
            notify(&mut tx, Kind::RoundOpened, about, round_audience(audience), Some(*by)).await?;
        }
        tx.commit().await?;
    }
    Ok(due.len())
}

/// `announce_due_rounds` every 15 seconds.
pub fn announce_rounds_job() -> crate::jobs::Job {
    crate::jobs::Job::new("consultations.announce_rounds", std::time::Duration::from_secs(15), |pool| async move {
        announce_due_rounds(&pool).await
    })
}

/// Every ten minutes, refused forms past the collaborative's retention for them (an hour
/// by default) are forgotten: they may hold health data that was never sent.
pub fn purge_kept_forms_job() -> crate::jobs::Job {
    crate::jobs::Job::new("consultations.purge_kept_forms", std::time::Duration::from_secs(600), |pool| async move {
        purge_kept_forms(&pool).await.map(|n| n as usize)
    })
}

/// Forgets refused forms past their retention (`retention.refused_form_hours`; a form is
/// offered back only for its first KEPT_SECS whatever that is).
pub async fn purge_kept_forms(pool: &SqlitePool) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "DELETE FROM kept_forms WHERE created_at < ? - 3600 * (SELECT refused_form_hours FROM retention WHERE id = 1)",
    )
    .bind(now())
    .execute(pool)
    .await?
    .rows_affected())
}

/// One stored answer (several for a multiple choice or a statements question).
#[derive(Debug, Clone, PartialEq, Deserialize, sqlx::FromRow)]
pub struct AnswerRow {
    pub question_id: i64,
    pub statement_id: Option<i64>,
    pub number: Option<i64>,
    pub text: Option<String>,
}

/// The receipt behind a key: the response, what became of it, and its answers in order
/// with the round's questions.
#[derive(Debug, sqlx::FromRow)]
pub struct ReceiptRow {
    pub round_id: i64,
    pub round_title: String,
    pub prototype_id: i64,
    pub prototype_title: String,
    pub consent: String,
    pub status: String,
    pub created_at: i64,
    pub acted_iteration: Option<i64>,
    pub not_taken_reason: Option<String>,
    pub answers: JsonRows<AnswerRow>,
    #[sqlx(flatten)]
    pub questions: QuestionsRow,
}

pub async fn receipt(pool: &SqlitePool, token_hash: &str) -> Result<ReceiptRow, AppError> {
    sqlx::query_as(&format!(
        "SELECT r.id AS round_id, r.title AS round_title, r.prototype_id, p.title AS prototype_title, x.consent, x.status,
            x.created_at, x.acted_iteration, x.not_taken_reason,
            (SELECT json_group_array(json_object('question_id', a.question_id, 'statement_id', a.statement_id,
                 'number', a.number, 'text', a.text) ORDER BY a.id) FROM answers a WHERE a.response_id = x.id) AS answers,
            {QUESTIONS_COLUMNS}
         FROM receipts t JOIN responses x ON x.id = t.response_id JOIN rounds r ON r.id = x.round_id
         JOIN prototypes p ON p.id = r.prototype_id WHERE t.token_hash = ?"
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// The results page's round: the round, how many responses are held, the round before it
/// on the same prototype that rated statements (if any), the prototype's iterations, the
/// questions, and the themes coded on its answers with their counts (most first).
#[derive(Debug, sqlx::FromRow)]
pub struct ResultsRow {
    #[sqlx(flatten)]
    pub round: RoundRow,
    /// Bumped by triggers whenever what the results count changes (migration 12).
    pub results_version: i64,
    pub held: i64,
    pub previous_id: Option<i64>,
    pub previous_title: Option<String>,
    pub previous_version: Option<i64>,
    pub iterations: JsonRows<i64>,
    pub theme_counts: JsonRows<(String, i64)>,
    #[sqlx(flatten)]
    pub questions: QuestionsRow,
}

/// The comparison is with the latest earlier round that has closed by `now` (a round still
/// open shows its numbers to no one but the design group, so none may leak through a later
/// round's results).
pub async fn results_round(pool: &SqlitePool, id: i64, now: i64) -> Result<ResultsRow, AppError> {
    sqlx::query_as(&format!(
        "SELECT {ROUND_COLUMNS}, r.results_version,
            (SELECT count(*) FROM responses x WHERE x.round_id = r.id AND x.status = 'held') AS held,
            prev.id AS previous_id, prev.title AS previous_title, prev.results_version AS previous_version,
            (SELECT json_group_array(number ORDER BY number) FROM iterations WHERE prototype_id = r.prototype_id) AS iterations,
            (SELECT json_group_array(json_array(theme, n) ORDER BY n DESC, theme)
               FROM (SELECT theme, count(*) AS n FROM feedback_themes WHERE item_kind = 'answer' AND round_id = r.id GROUP BY theme)) AS theme_counts,
            {QUESTIONS_COLUMNS}
         FROM rounds r JOIN prototypes p ON p.id = r.prototype_id
         LEFT JOIN rounds prev ON prev.id = (
             SELECT o.id FROM rounds o WHERE o.prototype_id = r.prototype_id AND o.id <> r.id
               AND (o.opens_at < r.opens_at OR (o.opens_at = r.opens_at AND o.id < r.id))
               AND EXISTS (SELECT 1 FROM questions q WHERE q.round_id = o.id AND q.kind = 'statements')
               AND min(o.closes_at, coalesce(o.closed_early_at, o.closes_at)) <= ?2
             ORDER BY o.opens_at DESC, o.id DESC LIMIT 1)
         WHERE r.id = ?1"
    ))
    .bind(id)
    .bind(now)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// How many published answers gave one value: per question, statement (ratings) and number
/// (a scale point, a rating or a choice's index).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ValueCount {
    pub question_id: i64,
    pub statement_id: Option<i64>,
    pub number: Option<i64>,
    pub answers: i64,
}

/// How many published responses answered a question.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Answered {
    pub question_id: i64,
    pub responses: i64,
}

/// How many published responses fall in one perspective cell: the one perspective they
/// declared (`Perspective::as_str`), `several` for more than one, `none` for none (counted
/// only when they answered something).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CellSize {
    pub cell: String,
    pub responses: i64,
}

/// Sum and count of the numbers one cell gave one rated item (a scale question, or one
/// statement of a ratings question).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CellRatings {
    pub cell: String,
    pub question_id: i64,
    pub statement_id: Option<i64>,
    pub ratings: i64,
    pub total: i64,
}

/// A statement's mean rating in the previous round (rounded to one decimal, in SQL).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PreviousMean {
    pub statement_id: i64,
    pub mean: f64,
}

/// Every number on the results page, aggregated in SQL over the round's published answers
/// (kept by `cache` under the round's results version).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tallies {
    pub values: Vec<ValueCount>,
    pub answered: Vec<Answered>,
    pub cells: Vec<CellSize>,
    pub cell_ratings: Vec<CellRatings>,
    pub previous: Vec<PreviousMean>,
}

#[derive(sqlx::FromRow)]
struct TalliesRow {
    values_json: JsonRows<ValueCount>,
    answered_json: JsonRows<Answered>,
    cells_json: JsonRows<CellSize>,
    cell_ratings_json: JsonRows<CellRatings>,
    previous_json: JsonRows<PreviousMean>,
}

/// The cell names `CellSize` uses besides a perspective's own.
pub const SEVERAL: &str = "several";
pub const NONE: &str = "none";

/// The results' numbers in one statement: counts per value, responses per question, the
/// perspective cells and each cell's ratings per rated item, and the previous round's means.
pub async fn tallies(pool: &SqlitePool, round: i64, previous: Option<i64>) -> Result<Tallies, AppError> {
    let row: TalliesRow = sqlx::query_as(
        "WITH x AS MATERIALIZED (SELECT id FROM responses WHERE round_id = ?1 AND status = 'published'),
         a AS MATERIALIZED (SELECT a.response_id, a.question_id, a.statement_id, a.number
                FROM x JOIN answers a ON a.response_id = x.id),
         cells AS MATERIALIZED (
             SELECT x.id AS response_id,
                    CASE count(p.perspective) WHEN 0 THEN 'none' WHEN 1 THEN max(p.perspective) ELSE 'several' END AS cell
             FROM x LEFT JOIN response_perspectives p ON p.response_id = x.id GROUP BY x.id)
         SELECT
           (SELECT json_group_array(json_object('question_id', question_id, 'statement_id', statement_id, 'number', number, 'answers', n))
              FROM (SELECT question_id, statement_id, number, count(*) AS n FROM a GROUP BY question_id, statement_id, number)) AS values_json,
           (SELECT json_group_array(json_object('question_id', question_id, 'responses', n))
              FROM (SELECT question_id, count(DISTINCT response_id) AS n FROM a GROUP BY question_id)) AS answered_json,
           (SELECT json_group_array(json_object('cell', cell, 'responses', n))
              FROM (SELECT c.cell, count(*) AS n FROM cells c
                    WHERE c.cell <> 'none' OR EXISTS (SELECT 1 FROM answers w WHERE w.response_id = c.response_id)
                    GROUP BY cell)) AS cells_json,
           (SELECT json_group_array(json_object('cell', cell, 'question_id', question_id, 'statement_id', statement_id, 'ratings', n, 'total', total))
              FROM (SELECT c.cell, a.question_id, a.statement_id, count(a.number) AS n, coalesce(sum(a.number), 0) AS total
                    FROM a JOIN cells c ON c.response_id = a.response_id
                    JOIN questions q ON q.id = a.question_id AND q.kind IN ('scale', 'statements')
                    GROUP BY c.cell, a.question_id, a.statement_id)) AS cell_ratings_json,
           (SELECT json_group_array(json_object('statement_id', statement_id, 'mean', mean))
              FROM (SELECT a.statement_id, round(avg(a.number), 1) AS mean FROM answers a JOIN responses p ON p.id = a.response_id
                    WHERE p.round_id = ?2 AND p.status = 'published' AND a.statement_id IS NOT NULL GROUP BY a.statement_id)) AS previous_json",
    )
    .bind(round)
    .bind(previous)
    .fetch_one(pool)
    .await?;
    Ok(Tallies {
        values: row.values_json.0,
        answered: row.answered_json.0,
        cells: row.cells_json.0,
        cell_ratings: row.cell_ratings_json.0,
        previous: row.previous_json.0,
    })
}

/// A published free-text answer with who gave it, what became of it and its themes.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TextAnswerRow {
    pub question_id: i64,
    pub answer_id: i64,
    pub response_id: i64,
    pub text: String,
    pub display_name: Option<String>,
    pub anonymous: bool,
    pub gathered_at: String,
    pub acted_iteration: Option<i64>,
    pub not_taken_reason: Option<String>,
    pub themes: JsonRows<String>,
}

/// One page of each free-text question's published answers, oldest first: `size + 1` rows
/// at most per question (the extra one says there is a next page).
pub async fn text_answers(pool: &SqlitePool, round: i64, page: i64, size: i64) -> Result<Vec<TextAnswerRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT q.id AS question_id, a.id AS answer_id, a.response_id, a.text, u.display_name, x.anonymous, x.gathered_at,
            x.acted_iteration, x.not_taken_reason,
            (SELECT json_group_array(t.theme ORDER BY t.theme) FROM feedback_themes t
              WHERE t.item_kind = 'answer' AND t.item_id = a.id AND t.round_id = q.round_id) AS themes
         FROM questions q
         JOIN answers a ON a.id IN (
             SELECT w.id FROM answers w JOIN responses v ON v.id = w.response_id
             WHERE w.question_id = q.id AND v.status = 'published' AND w.text IS NOT NULL
             ORDER BY w.id LIMIT ?2 OFFSET ?3)
         JOIN responses x ON x.id = a.response_id LEFT JOIN users u ON u.id = x.user_id
         WHERE q.round_id = ?1 AND q.kind = 'text'
         ORDER BY q.position, a.id",
    )
    .bind(round)
    .bind(size + 1)
    .bind(page * size)
    .fetch_all(pool)
    .await?)
}

/// Answers of a round's published responses, for the export: who, with what consent, and
/// every answer in order.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub consent: String,
    pub anonymous: bool,
    pub display_name: Option<String>,
    pub created_at: i64,
    pub answers: JsonRows<AnswerRow>,
}

pub async fn export_rows(pool: &SqlitePool, round: i64) -> Result<Vec<ExportRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT x.id, x.consent, x.anonymous, u.display_name, x.created_at,
            (SELECT json_group_array(json_object('question_id', a.question_id, 'statement_id', a.statement_id,
                 'number', a.number, 'text', a.text) ORDER BY a.id) FROM answers a WHERE a.response_id = x.id) AS answers
         FROM responses x LEFT JOIN users u ON u.id = x.user_id
         WHERE x.round_id = ? AND x.status = 'published' ORDER BY x.id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?)
}
