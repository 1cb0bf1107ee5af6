//! Everything the platform holds about one person, for their export: one query per kind of
//! thing (never one per item), each selecting only this person's rows and, from anyone
//! else's, only what gives the person's own words their place (a prototype's or a round's
//! title). Anonymous contributions are left out of an export made on someone's behalf: only
//! the person, signed in, may link themselves to them; so are notifications, whose times
//! (a reply to your comment at 14:02) could point to an anonymous comment.

use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::AppError;

/// SQL for a stored unix time as an ISO 8601 UTC string (JSON readers parse it; the HTML
/// page shows it as it is).
macro_rules! iso {
    ($col:literal) => {
        concat!("strftime('%Y-%m-%dT%H:%M:%SZ', ", $col, ", 'unixepoch')")
    };
}

#[derive(Debug, Clone, Serialize)]
pub struct Export {
    pub generated_at: String,
    pub collaborative: String,
    /// Made by a facilitator for the person (anonymous contributions left out).
    pub on_behalf: bool,
    pub profile: Profile,
    pub perspectives: Vec<String>,
    pub notification_settings: NotificationSettings,
    pub prototypes: Vec<PrototypeRow>,
    pub iterations_published: Vec<IterationRow>,
    pub learning_notes: Vec<LearningNoteRow>,
    pub measures_added: Vec<MeasureRow>,
    pub readings_entered: Vec<ReadingRow>,
    pub rollouts_updated: Vec<RolloutRow>,
    pub timeline_changes: Vec<TimelineRow>,
    pub unsaved_drafts: Vec<DraftRow>,
    pub comments: Vec<CommentRow>,
    pub responses: Vec<ResponseRow>,
    pub open_votes: Vec<VoteRow>,
    pub secret_votes: Vec<SecretVoteRow>,
    pub attendance: Vec<AttendanceRow>,
    pub reports: Vec<ReportRow>,
    pub notifications: Vec<NotificationRow>,
    pub password_resets: Vec<ResetRow>,
    pub data_requests: Vec<DataRequestRow>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Profile {
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub joined: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotificationSettings {
    pub paused: bool,
    /// Kind → "immediate", "digest" or "off", where the person chose (else the default).
    pub chosen: Vec<(String, String)>,
}

/// A learning note the person wrote (issue 11).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LearningNoteRow {
    pub title: String,
    pub kind: String,
    pub status: String,
    pub body: String,
    pub created_at: String,
}

/// An outcome measure the person added (issue 12).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MeasureRow {
    pub prototype: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub method: String,
    pub added_at: String,
}

/// A reading the person typed or imported (issue 12).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReadingRow {
    pub prototype: String,
    pub measure: String,
    pub value: f64,
    pub taken_on: String,
    pub site: String,
    pub source: String,
    pub entered_at: String,
}

/// A prototype's status at a site, as the person last set it (issue 12): the row keeps
/// only its latest change, whose note may be theirs.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RolloutRow {
    pub prototype: String,
    pub site: String,
    pub status: String,
    pub since: String,
    pub note: String,
    pub updated_at: String,
}

/// Something the person recorded on a prototype's timeline (a stage move and its reason, a
/// roll-out change and its note, an iteration published): every one, where a roll-out row
/// keeps only the latest.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TimelineRow {
    pub prototype: String,
    pub kind: String,
    pub from_stage: String,
    pub to_stage: String,
    pub site: String,
    pub status: String,
    pub note: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PrototypeRow {
    pub title: String,
    pub summary: String,
    /// "created" or "co-author".
    pub relation: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct IterationRow {
    pub prototype: String,
    pub number: i64,
    pub title: String,
    pub change_note: String,
    pub body: String,
    pub published_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DraftRow {
    pub prototype: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub saved_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CommentRow {
    pub prototype: String,
    pub body: String,
    pub anonymous: bool,
    pub consent: String,
    pub status: String,
    pub is_reply: bool,
    pub posted_at: String,
    pub edited_at: Option<String>,
    /// "You said, we did": the iteration that acted on it, or why it was not taken forward.
    pub acted_in_iteration: Option<i64>,
    pub not_taken_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ResponseRow {
    #[serde(skip)]
    pub id: i64,
    pub round: String,
    pub prototype: String,
    pub anonymous: bool,
    pub consent: String,
    pub status: String,
    pub submitted_at: String,
    pub acted_in_iteration: Option<i64>,
    pub not_taken_reason: Option<String>,
    #[sqlx(skip)]
    pub answers: Vec<AnswerRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerRow {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VoteRow {
    pub meeting: String,
    pub question: String,
    pub choice: String,
    pub options: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SecretVoteRow {
    pub meeting: String,
    pub question: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AttendanceRow {
    pub meeting: String,
    pub starts_at: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReportRow {
    pub prototype: String,
    pub reason: String,
    pub reported_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NotificationRow {
    pub kind: String,
    pub about: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ResetRow {
    pub made_at: String,
    pub used_at: Option<String>,
    pub made_by_a_facilitator: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DataRequestRow {
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub requested_at: String,
}

/// One stored answer with its question, before it is put into words.
#[derive(sqlx::FromRow)]
struct StoredAnswer {
    response_id: i64,
    prompt: String,
    kind: String,
    options: String,
    text: Option<String>,
    number: Option<i64>,
    statement: Option<String>,
}

/// How many things an export of this person would hold: above INLINE_EXPORT_ITEMS the
/// background job makes it.
pub async fn size(pool: &SqlitePool, user: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM comments WHERE author_id = ?1)
              + (SELECT count(*) FROM answers WHERE response_id IN (SELECT id FROM responses WHERE user_id = ?1))
              + (SELECT count(*) FROM notifications WHERE user_id = ?1)
              + (SELECT count(*) FROM iterations WHERE published_by = ?1)
              + (SELECT count(*) FROM readings WHERE entered_by = ?1)",
    )
    .bind(user)
    .fetch_one(pool)
    .await?)
}

pub async fn export(pool: &SqlitePool, user: i64, on_behalf: bool) -> Result<Export, AppError> {
    // The highest `anonymous` flag included: all items for the person, none of their
    // anonymous ones on someone's behalf.
    let anon = if on_behalf { 0 } else { 1 };
    let profile: Profile = sqlx::query_as(concat!(
        "SELECT display_name, email, role, active, ",
        iso!("created_at"),
        " AS joined FROM users WHERE id = ?"
    ))
    .bind(user)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let collaborative: String =
        sqlx::query_scalar("SELECT name FROM collaborative WHERE id = 1").fetch_one(pool).await?;
    let perspectives =
        sqlx::query_scalar("SELECT perspective FROM user_perspectives WHERE user_id = ? ORDER BY perspective")
            .bind(user)
            .fetch_all(pool)
            .await?;
    let paused: bool =
        sqlx::query_scalar("SELECT notifications_paused FROM users WHERE id = ?").bind(user).fetch_one(pool).await?;
    let chosen = sqlx::query_as("SELECT kind, delivery FROM notification_preferences WHERE user_id = ? ORDER BY kind")
        .bind(user)
        .fetch_all(pool)
        .await?;
    let prototypes = sqlx::query_as(
        "SELECT title, summary, 'created' AS relation FROM prototypes WHERE created_by = ?1
         UNION ALL
         SELECT p.title, p.summary, 'co-author' FROM prototype_authors a JOIN prototypes p ON p.id = a.prototype_id
         WHERE a.user_id = ?1 AND p.created_by <> ?1
         ORDER BY 1",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    let iterations_published = sqlx::query_as(concat!(
        "SELECT p.title AS prototype, i.number, i.title, i.change_note, i.body, ",
        iso!("i.published_at"),
        " AS published_at FROM iterations i JOIN prototypes p ON p.id = i.prototype_id
         WHERE i.published_by = ? ORDER BY i.published_at, i.id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let learning_notes = sqlx::query_as(concat!(
        "SELECT title, kind, status, body, ",
        iso!("created_at"),
        " AS created_at FROM learning_notes WHERE created_by = ? ORDER BY created_at, id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let measures_added = sqlx::query_as(concat!(
        "SELECT p.title AS prototype, m.name, m.kind, m.unit, m.method, ",
        iso!("m.created_at"),
        " AS added_at FROM measures m JOIN prototypes p ON p.id = m.prototype_id
         WHERE m.created_by = ? ORDER BY m.created_at, m.id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let readings_entered = sqlx::query_as(concat!(
        "SELECT p.title AS prototype, m.name AS measure, r.value, r.taken_on, coalesce(s.name, '') AS site, r.source, ",
        iso!("r.entered_at"),
        " AS entered_at FROM readings r JOIN measures m ON m.id = r.measure_id JOIN prototypes p ON p.id = m.prototype_id
         LEFT JOIN sites s ON s.id = r.site_id
         WHERE r.entered_by = ? ORDER BY r.entered_at, r.id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let rollouts_updated = sqlx::query_as(concat!(
        "SELECT p.title AS prototype, s.name AS site, o.status, o.since, o.note, ",
        iso!("o.updated_at"),
        " AS updated_at FROM rollouts o JOIN prototypes p ON p.id = o.prototype_id JOIN sites s ON s.id = o.site_id
         WHERE o.updated_by = ? ORDER BY o.updated_at, p.id, s.id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let timeline_changes = sqlx::query_as(concat!(
        "SELECT p.title AS prototype, t.kind, coalesce(f.name, '') AS from_stage, coalesce(g.name, '') AS to_stage,
                coalesce(s.name, '') AS site, CASE t.kind WHEN 'rollout' THEN coalesce(t.detail, '') ELSE '' END AS status,
                t.note, ",
        iso!("t.at"),
        " AS at FROM timeline_events t JOIN prototypes p ON p.id = t.prototype_id
         LEFT JOIN stages f ON f.id = t.from_stage_id LEFT JOIN stages g ON g.id = t.to_stage_id
         LEFT JOIN sites s ON s.id = t.ref_id AND t.kind = 'rollout'
         WHERE t.actor_id = ? ORDER BY t.at, t.id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let unsaved_drafts = sqlx::query_as(concat!(
        "SELECT p.title AS prototype, d.title, d.summary, d.body, ",
        iso!("d.created_at"),
        " AS saved_at FROM draft_conflicts d JOIN prototypes p ON p.id = d.prototype_id
         WHERE d.user_id = ? ORDER BY d.id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let comments = sqlx::query_as(concat!(
        "SELECT p.title AS prototype, c.body, c.anonymous, c.consent, c.status, c.parent_id IS NOT NULL AS is_reply, ",
        iso!("c.created_at"),
        " AS posted_at, ",
        iso!("c.edited_at"),
        " AS edited_at, c.acted_iteration AS acted_in_iteration, c.not_taken_reason
         FROM comments c JOIN prototypes p ON p.id = c.prototype_id
         WHERE c.author_id = ? AND c.status <> 'removed' AND c.anonymous <= ? ORDER BY c.created_at, c.id"
    ))
    .bind(user)
    .bind(anon)
    .fetch_all(pool)
    .await?;
    let mut responses: Vec<ResponseRow> = sqlx::query_as(concat!(
        "SELECT x.id, r.title AS round, p.title AS prototype, x.anonymous, x.consent, x.status, ",
        iso!("x.created_at"),
        " AS submitted_at, x.acted_iteration AS acted_in_iteration, x.not_taken_reason
         FROM responses x JOIN rounds r ON r.id = x.round_id JOIN prototypes p ON p.id = r.prototype_id
         WHERE x.user_id = ? AND x.anonymous <= ? ORDER BY x.created_at, x.id"
    ))
    .bind(user)
    .bind(anon)
    .fetch_all(pool)
    .await?;
    let answers: Vec<StoredAnswer> = sqlx::query_as(
        "SELECT a.response_id, q.prompt, q.kind, q.options, a.text, a.number, s.text AS statement
         FROM answers a JOIN questions q ON q.id = a.question_id
         LEFT JOIN experience_statements s ON s.id = a.statement_id
         WHERE a.response_id IN (SELECT id FROM responses WHERE user_id = ? AND anonymous <= ?)
         ORDER BY a.response_id, q.position, a.id",
    )
    .bind(user)
    .bind(anon)
    .fetch_all(pool)
    .await?;
    let index: std::collections::HashMap<i64, usize> = responses.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    for a in answers {
        let answer = answer_text(&a.kind, &a.options, a.text, a.number, a.statement);
        if let Some(&i) = index.get(&a.response_id) {
            responses[i].answers.push(AnswerRow { question: a.prompt, answer });
        }
    }
    let open_votes = sqlx::query_as(
        "SELECT mt.title AS meeting, m.question, b.choice,
                coalesce((SELECT group_concat(o.label, '; ') FROM ballot_options bo JOIN motion_options o ON o.id = bo.option_id
                          WHERE bo.ballot_id = b.id), '') AS options,
                b.reason
         FROM ballots b JOIN motions m ON m.id = b.motion_id JOIN meetings mt ON mt.id = m.meeting_id
         WHERE b.user_id = ? ORDER BY b.id",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    let secret_votes = sqlx::query_as(
        "SELECT mt.title AS meeting, m.question FROM voters v JOIN motions m ON m.id = v.motion_id
         JOIN meetings mt ON mt.id = m.meeting_id WHERE v.user_id = ? AND m.secret = 1 ORDER BY m.id",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    let attendance = sqlx::query_as(concat!(
        "SELECT m.title AS meeting, ",
        iso!("m.starts_at"),
        " AS starts_at, a.status FROM attendance a JOIN meetings m ON m.id = a.meeting_id
         WHERE a.user_id = ? ORDER BY m.starts_at"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let reports = sqlx::query_as(concat!(
        "SELECT p.title AS prototype, r.reason, ",
        iso!("r.created_at"),
        " AS reported_at FROM reports r JOIN comments c ON c.id = r.comment_id JOIN prototypes p ON p.id = c.prototype_id
         WHERE r.reporter_id = ? ORDER BY r.id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let notifications = sqlx::query_as(concat!(
        "SELECT n.kind, coalesce(p.title, r.title, m.title, '') AS about, ",
        iso!("n.created_at"),
        " AS created_at, ",
        iso!("n.read_at"),
        " AS read_at FROM notifications n
         LEFT JOIN prototypes p ON p.id = n.prototype_id LEFT JOIN rounds r ON r.id = n.round_id
         LEFT JOIN meetings m ON m.id = n.meeting_id
         WHERE n.user_id = ? AND ? = 1 ORDER BY n.id"
    ))
    .bind(user)
    .bind(anon)
    .fetch_all(pool)
    .await?;
    let password_resets = sqlx::query_as(concat!(
        "SELECT ",
        iso!("created_at"),
        " AS made_at, ",
        iso!("used_at"),
        " AS used_at, issued_by IS NOT NULL AS made_by_a_facilitator FROM password_resets WHERE user_id = ? ORDER BY id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let data_requests = sqlx::query_as(concat!(
        "SELECT kind, channel, status, ",
        iso!("requested_at"),
        " AS requested_at FROM data_requests WHERE user_id = ? ORDER BY id"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?;
    let generated_at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    Ok(Export {
        generated_at,
        collaborative,
        on_behalf,
        profile,
        perspectives,
        notification_settings: NotificationSettings { paused, chosen },
        prototypes,
        iterations_published,
        learning_notes,
        measures_added,
        readings_entered,
        rollouts_updated,
        timeline_changes,
        unsaved_drafts,
        comments,
        responses,
        open_votes,
        secret_votes,
        attendance,
        reports,
        notifications,
        password_resets,
        data_requests,
    })
}

/// An answer as words: its text, the chosen option's label, a scale's number, or the
/// experience statement chosen.
fn answer_text(
    kind: &str,
    options: &str,
    text: Option<String>,
    number: Option<i64>,
    statement: Option<String>,
) -> String {
    if let Some(s) = statement {
        return s;
    }
    if let Some(t) = text {
        return t;
    }
    match (kind, number) {
        ("single" | "multiple", Some(n)) => {
            options.lines().nth(n.max(0) as usize).map(str::to_string).unwrap_or_else(|| n.to_string())
        }
        (_, Some(n)) => n.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::answer_text;

    #[test]
    fn answers_read_as_words() {
        assert_eq!(answer_text("single", "Phone\nText", None, Some(1), None), "Text");
        assert_eq!(answer_text("scale", "", None, Some(4), None), "4");
        assert_eq!(answer_text("text", "", Some("Evenings".into()), None, None), "Evenings");
        assert_eq!(answer_text("statements", "", None, None, Some("I am heard".into())), "I am heard");
        assert_eq!(answer_text("single", "Phone", None, Some(7), None), "7");
    }
}
