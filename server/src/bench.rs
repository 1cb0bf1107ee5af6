//! `seed-bench`: fills an empty database with many prototypes for the benchmark
//! (scripts/bench.sh). Bulk inserts in one transaction, so 10,000 prototypes take seconds,
//! with each iteration's HTML rendered through the app's real Markdown pipeline.

use app::{
    auth::{
        fields::{DisplayName, Email},
        hashing, store, Role,
    },
    prototypes::timeline::{record_event, NewEvent},
    state::Db,
};

use crate::cli::CliError;

pub const BENCH_EMAIL: &str = "bench@bench.test";
pub const BENCH_PASSWORD: &str = "benchmark password";

/// About 8 KB of realistic Markdown: the template's sections with paragraphs, lists and a table.
fn body(n: usize, iteration: usize) -> String {
    let mut s = String::with_capacity(9 * 1024);
    let sections = [
        "The problem",
        "Who it is for",
        "What we will try",
        "How we will know it works",
        "What people with lived experience told us",
    ];
    for (i, heading) in sections.iter().enumerate() {
        s.push_str(&format!("## {heading}\n\n"));
        for p in 0..3 {
            s.push_str(&format!(
                "Prototype {n}, iteration {iteration}: people told us that getting help is hard when services do not talk to each other. \
                 In paragraph {p} of section {i} we describe **what changes** for *service users and carers*, with a [link](https://example.org/{n}/{p}) \
                 to the evidence, and we note what the design group will watch for in the next round of consultation.\n\n"
            ));
        }
        s.push_str("- one front door, open in the evening\n- a personal guide who coordinates care\n- easy in, easy out after discharge\n\n");
        if i == 3 {
            s.push_str("| measure | now | target |\n|---|---|---|\n| days to first contact | 21 | 3 |\n| people re-referred | 40% | 10% |\n\n");
        }
    }
    s
}

pub async fn seed(db: &Db, prototypes: usize) -> Result<(), CliError> {
    let err = |e: sqlx::Error| CliError(e.to_string());
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&db.read).await.map_err(err)?;
    if users > 0 {
        return Err(CliError("seed-bench only fills an empty database.".into()));
    }
    let hash = hashing::hash(BENCH_PASSWORD.into()).await?;
    let author = store::create_user(
        &db.write,
        &Email::parse(BENCH_EMAIL)?,
        &DisplayName::parse("Bench author")?,
        &hash,
        Role::DesignGroup,
        None,
    )
    .await?;
    let stages: Vec<i64> = sqlx::query_scalar("SELECT id FROM stages WHERE retired = 0 ORDER BY position")
        .fetch_all(&db.read)
        .await
        .map_err(err)?;
    let mut tx = db.write.begin().await.map_err(err)?;
    for n in 0..prototypes {
        let t = 1_700_000_000 + n as i64 * 60;
        let stage = stages[n % stages.len()];
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO prototypes (title, summary, stage_id, draft_body, iteration_count, created_by, created_at, last_activity)
             VALUES (?, ?, ?, ?, 5, ?, ?, ?) RETURNING id",
        )
        .bind(format!("Prototype {n}: a better front door"))
        .bind("One place to ask for help, with a personal guide")
        .bind(stage)
        .bind(body(n, 5))
        .bind(author)
        .bind(t)
        .bind(t + 3000)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        sqlx::query("INSERT INTO prototype_authors (prototype_id, user_id) VALUES (?, ?)")
            .bind(id)
            .bind(author)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        for theme in ["Living Well Hub", if n % 2 == 0 { "out of hours" } else { "carers" }] {
            sqlx::query("INSERT INTO prototype_themes (prototype_id, theme) VALUES (?, ?)")
                .bind(id)
                .bind(theme)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        record_event(&mut tx, id, t, author, NewEvent::Created { stage }).await?;
        for i in 1..=5 {
            let text = body(n, i);
            sqlx::query("INSERT INTO iterations (prototype_id, number, title, body, body_html, change_note, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(id)
                .bind(i as i64)
                .bind(format!("Prototype {n}: a better front door"))
                .bind(&text)
                .bind(app::markdown::render(&text))
                .bind(format!("Iteration {i}: changes after consultation round {i}."))
                .bind(author)
                .bind(t + i as i64 * 600)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            let note = format!("Iteration {i}: changes after consultation round {i}.");
            record_event(
                &mut tx,
                id,
                t + i as i64 * 600,
                author,
                NewEvent::Iteration { number: i as i64, note: &note },
            )
            .await?;
        }
    }
    tx.commit().await.map_err(err)?;
    println!("Seeded {prototypes} prototypes with 5 iterations each. Sign in as {BENCH_EMAIL} / {BENCH_PASSWORD}.");
    Ok(())
}

/// Adds a consultation round with `responses` responses to a database `seed` filled: on
/// prototype `prototype`'s latest iteration, one question of each kind, the bench author's
/// account as the round's creator, perspectives spread so some groups are merged. Written
/// straight into the tables in one transaction (10,000 responses take a few seconds).
/// Returns the round's id: its results page is `/consultations/{id}/results`.
pub async fn seed_consultation(db: &Db, prototype: i64, responses: usize) -> Result<i64, CliError> {
    let err = |e: sqlx::Error| CliError(e.to_string());
    let mut tx = db.write.begin().await.map_err(err)?;
    let author: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
        .bind(BENCH_EMAIL)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
    let iteration: i64 = sqlx::query_scalar("SELECT iteration_count FROM prototypes WHERE id = ?")
        .bind(prototype)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
    let mut statements: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM experience_statements ORDER BY position, id LIMIT 2")
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
    if statements.is_empty() {
        for (text, short) in [("I can get help when I need it", "easy in"), ("One plan, one person", "one plan")] {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO experience_statements (text, short_name, position) VALUES (?, ?, 1) RETURNING id",
            )
            .bind(text)
            .bind(short)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
            statements.push(id);
        }
    }
    let now = app::time::now();
    let round: i64 = sqlx::query_scalar(
        "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at)
         VALUES (?, ?, 'Benchmark round', 'Tell us what you think.', '<p>Tell us what you think.</p>', 'public', ?, ?, ?, ?) RETURNING id",
    )
    .bind(prototype)
    .bind(iteration)
    .bind(now - 7 * 86_400)
    .bind(now + 7 * 86_400)
    .bind(author)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(err)?;
    for s in &statements {
        sqlx::query("INSERT INTO round_statements (round_id, statement_id) VALUES (?, ?)")
            .bind(round)
            .bind(s)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
    }
    let mut q = Vec::new();
    for (i, (kind, prompt, options)) in [
        ("text", "What would make this work for you?", ""),
        ("scale", "How much would you use it?", ""),
        ("single", "How would you contact it?", "Phone\nText\nDrop in"),
        ("multiple", "When do you need it?", "Daytime\nEvenings\nWeekends"),
        ("statements", "How well would this meet each of these?", ""),
    ]
    .into_iter()
    .enumerate()
    {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO questions (round_id, position, kind, prompt, low_label, high_label, options)
             VALUES (?, ?, ?, ?, 'Not at all', 'A lot', ?) RETURNING id",
        )
        .bind(round)
        .bind(i as i64)
        .bind(kind)
        .bind(prompt)
        .bind(options)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        q.push(id);
    }
    insert_responses(&mut tx, round, &statements, &q, 0..responses, None).await.map_err(err)?;
    tx.commit().await.map_err(err)?;
    println!("Seeded round {round} with {responses} responses: /consultations/{round}/results");
    Ok(round)
}

/// One answer row to insert: question, statement, number, text.
type AnswerCells = (i64, Option<i64>, Option<i64>, Option<String>);

/// Writes responses `people` to round `round` (questions `q`: text, scale, single, multiple,
/// statements — the order `seed_consultation` creates them in): every answer kind, some
/// people answering only some questions, perspectives skewed so some groups are small
/// enough to merge (and some people declare two), one in 97 held, one in 14 anonymous and,
/// with `named`, one in 7 signed in as that account. Shared by the benchmark and the test
/// that checks the results page's numbers against a one-answer-at-a-time reference.
pub async fn insert_responses(
    tx: &mut sqlx::SqliteConnection,
    round: i64,
    statements: &[i64],
    q: &[i64],
    people: std::ops::Range<usize>,
    named: Option<i64>,
) -> Result<(), sqlx::Error> {
    let perspectives = app::auth::Perspective::ALL;
    let start = app::time::now() - 86_400;
    for i in people {
        let status = if i % 97 == 13 { "held" } else { "published" };
        let user = named.filter(|_| i % 7 == 0);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO responses (round_id, user_id, anonymous, gathered_at, consent, submission_hash, status, created_at)
             VALUES (?, ?, ?, '', 'quote_anonymously', ?, ?, ?) RETURNING id",
        )
        .bind(round)
        .bind(user)
        .bind(i % 14 == 7)
        .bind(format!("seed-{round}-{i}"))
        .bind(status)
        .bind(start + i as i64)
        .fetch_one(&mut *tx)
        .await?;
        let mut rows: Vec<AnswerCells> = Vec::new();
        if i % 5 != 4 {
            rows.push((
                q[0],
                None,
                None,
                Some(format!("Answer {i}: nobody answers the phone after 5pm, which is when I need it.")),
            ));
        }
        rows.push((q[1], None, Some((i % 5) as i64 + 1), None));
        if i % 11 != 3 {
            rows.push((q[2], None, Some((i % 3) as i64), None));
        }
        rows.extend((0..3).filter(|c| (i >> c) & 1 == 1).map(|c| (q[3], None, Some(c as i64), None)));
        for (k, s) in statements.iter().enumerate() {
            if (i + k) % 9 != 0 {
                rows.push((q[4], Some(*s), Some(((i * (k + 2)) % 5) as i64 + 1), None));
            }
        }
        for (question, statement, number, text) in rows {
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
        // Most people one perspective (skewed: few commissioners), some none, some two.
        let declared: &[usize] = match i % 40 {
            0..=17 => &[0],
            18..=27 => &[1],
            28..=32 => &[2],
            33 if i % 400 == 33 => &[3],
            34 => &[0, 1],
            35 => &[4],
            39 if i == 39 => &[5],
            _ => &[],
        };
        for p in declared {
            sqlx::query("INSERT INTO response_perspectives (response_id, perspective) VALUES (?, ?)")
                .bind(id)
                .bind(perspectives[*p].as_str())
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}
