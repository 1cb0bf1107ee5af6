//! Search benchmark data (issue 11): comments and learning notes on a database `seed-bench`
//! filled, and the write cost of keeping the search index (acknowledged comments per second).

use std::time::Instant;

use app::{
    consultations::rules::Consent,
    feedback::store::{self as feedback, NewComment},
};

use app::state::Db;

use crate::cli::CliError;

/// Everyday words, so a common word matches many documents: each comment is four of these.
const SENTENCES: [&str; 8] = [
    "Nobody answered the phone after five, so I waited until morning.",
    "The front door was easy to find and the guide called me back the same day.",
    "My carer had to tell my story three times before anyone could help.",
    "Getting back in after discharge took a new referral and six weeks.",
    "The peer supporter in the surgery listened and knew where to send me.",
    "I would like help in the evening, when things get hard at home.",
    "Letters arrived after the appointment they were about.",
    "The quiet room made it easier to talk about what was going on.",
];

/// The rare word: in one comment of every 10,000.
pub const RARE: &str = "kingfisherline";

/// Adds `comments` published comments spread over the published prototypes and `notes`
/// published learning notes, in one transaction each batch (triggers index them as they go).
pub async fn seed(db: &Db, comments: usize, notes: usize) -> Result<(), CliError> {
    let err = |e: sqlx::Error| CliError(e.to_string());
    let author: i64 =
        sqlx::query_scalar("SELECT id FROM users ORDER BY id LIMIT 1").fetch_one(&db.read).await.map_err(err)?;
    let prototypes: Vec<i64> = sqlx::query_scalar("SELECT id FROM prototypes WHERE iteration_count > 0 ORDER BY id")
        .fetch_all(&db.read)
        .await
        .map_err(err)?;
    if prototypes.is_empty() {
        return Err(CliError("Seed prototypes first.".into()));
    }
    let t = 1_700_000_000i64;
    for batch in (0..comments).collect::<Vec<_>>().chunks(10_000) {
        let mut tx = db.write.begin().await.map_err(err)?;
        for &n in batch {
            let mut body = (0..4).map(|k| SENTENCES[(n * 3 + k * 5) % SENTENCES.len()]).collect::<Vec<_>>().join(" ");
            if n % 10_000 == 7 {
                body.push_str(&format!(" Has anyone tried a {RARE} for evenings?"));
            }
            let consent = Consent::ALL[n % 3].as_str();
            sqlx::query(
                "INSERT INTO comments (prototype_id, author_id, anonymous, consent, body, status, form_key_hash, created_at)
                 VALUES (?, ?, ?, ?, ?, 'published', ?, ?)",
            )
            .bind(prototypes[n % prototypes.len()])
            .bind(author)
            .bind(n % 2 == 0)
            .bind(consent)
            .bind(&body)
            .bind(format!("bench-comment-{n}"))
            .bind(t + n as i64)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
        sqlx::query("UPDATE comments SET thread_id = id WHERE thread_id IS NULL")
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        tx.commit().await.map_err(err)?;
    }
    let kinds = ["worked", "did_not_work", "surprise", "method"];
    let mut tx = db.write.begin().await.map_err(err)?;
    for n in 0..notes {
        let body = format!(
            "What we learned from prototype {}: {} {}",
            n % prototypes.len(),
            SENTENCES[n % SENTENCES.len()],
            SENTENCES[(n + 3) % SENTENCES.len()]
        );
        sqlx::query(
            "INSERT INTO learning_notes (prototype_id, title, body, body_html, kind, status, created_by, created_at, updated_at, published_at)
             VALUES (?, ?, ?, ?, ?, 'published', ?, ?, ?, ?)",
        )
        .bind(prototypes[n % prototypes.len()])
        .bind(format!("Learning note {n}: evening help"))
        .bind(&body)
        .bind(app::markdown::render(&body))
        .bind(kinds[n % kinds.len()])
        .bind(author)
        .bind(t + n as i64)
        .bind(t + n as i64)
        .bind(t + n as i64)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    }
    tx.commit().await.map_err(err)?;
    println!("Seeded {comments} comments and {notes} learning notes.");
    Ok(())
}

/// Posts `count` comments one after another through the store function `add_comment` uses
/// (each its own write transaction, committed before the next: an acknowledged comment) and
/// prints how many per second.
pub async fn comment_writes(db: &Db, count: usize) -> Result<(), CliError> {
    let err = |e: sqlx::Error| CliError(e.to_string());
    let author: i64 =
        sqlx::query_scalar("SELECT id FROM users ORDER BY id LIMIT 1").fetch_one(&db.read).await.map_err(err)?;
    let prototype: i64 = sqlx::query_scalar("SELECT id FROM prototypes WHERE iteration_count > 0 ORDER BY id LIMIT 1")
        .fetch_one(&db.read)
        .await
        .map_err(err)?;
    let run = std::process::id();
    let start = Instant::now();
    for n in 0..count {
        let body = format!("{} {}", SENTENCES[n % SENTENCES.len()], SENTENCES[(n + 1) % SENTENCES.len()]);
        let key = format!("bench-write-{run}-{n}");
        let c = NewComment {
            prototype,
            parent: None,
            iteration: None,
            section: None,
            author,
            anonymous: false,
            consent: Consent::QuoteAnonymously,
            body: &body,
            key_hash: &key,
            held_phrase: None,
        };
        feedback::add(&db.write, &c).await?;
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{:.0}", count as f64 / secs);
    Ok(())
}
