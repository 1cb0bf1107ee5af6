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
