//! Round trips: the statements the consultation pages run, counted from sqlx's own log
//! (issue 10: at most 3 of a page's own after the request frame), and the results page
//! with 10,000 responses: aggregated in SQL, its numbers the same as those worked out one
//! answer at a time from the stored rows (the same rules, the same suppression).
// Reference tables read best as tuples.
#![allow(clippy::type_complexity)]

use crate::support;

use std::collections::{BTreeMap, HashSet};

use app::{
    auth::{Perspective, Role},
    consultations::results::{counts, mean, merge_small_groups, row_means},
};
use reqwest::StatusCode;
use serde_json::Value;
use support::{statements, Client, TestApp};

/// A published prototype rating two statements, and a round on it with one question of
/// each kind that opened a minute ago: (prototype, round, statements, question ids).
async fn prototype_and_round(app: &TestApp, gp: &mut Client) -> (i64, i64, Vec<i64>, Vec<i64>) {
    let mut statements = Vec::new();
    for (text, short) in [("I can get help when I need it", "easy in"), ("One plan, one person", "one plan")] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO experience_statements (text, short_name, position) VALUES (?, ?, 1) RETURNING id",
        )
        .bind(text)
        .bind(short)
        .fetch_one(&app.state.db.write)
        .await
        .unwrap();
        statements.push(id);
    }
    let (a, b) = (statements[0].to_string(), statements[1].to_string());
    let proto = gp
        .published_prototype(&[
            ("title", "Living Well Hub"),
            ("summary", "One front door"),
            ("body", "## The problem\n\nPeople wait.\n"),
            ("themes", ""),
            ("statements[]", &a),
            ("statements[]", &b),
        ])
        .await;
    let round = open_round(gp, proto).await;
    let page = gp.call("load_round", &[("id", &round.to_string())]).await.json();
    let questions = page["questions"].as_array().unwrap().iter().map(|q| q["id"].as_i64().unwrap()).collect();
    (proto, round, statements, questions)
}

async fn open_round(gp: &mut Client, proto: i64) -> i64 {
    let p = proto.to_string();
    let t = chrono::Utc::now().timestamp();
    let (opens, closes) = (app::time::to_local_input(t - 60), app::time::to_local_input(t + 7 * 86_400));
    let mut form: Vec<(&str, &str)> = vec![
        ("prototype", &p),
        ("iteration", "1"),
        ("title", "First thoughts"),
        ("purpose", "Tell us what you think."),
        ("audience", "public"),
        ("opens", &opens),
        ("closes", &closes),
    ];
    for (kind, prompt, options) in [
        ("text", "What would make this work for you?", ""),
        ("scale", "How much would you use it?", ""),
        ("single", "How would you contact it?", "Phone\nText\nDrop in"),
        ("multiple", "When do you need it?", "Daytime\nEvenings\nWeekends"),
        ("statements", "How well would this meet each of these?", ""),
    ] {
        form.extend([
            ("kind[]", kind),
            ("prompt[]", prompt),
            ("options[]", options),
            ("low[]", "Not at all"),
            ("high[]", "A lot"),
            ("required[]", "no"),
        ]);
    }
    let r = gp.call("open_round", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.created_id()
}

/// `people` responses written straight into the tables in one transaction, by the same
/// generator the benchmark uses (every answer kind, small groups, some held, some named).
async fn seed_responses(
    app: &TestApp,
    round: i64,
    statements: &[i64],
    q: &[i64],
    people: std::ops::Range<usize>,
    named: i64,
) {
    let mut tx = app.state.db.write.begin().await.unwrap();
    server::bench::insert_responses(&mut tx, round, statements, q, people, Some(named)).await.unwrap();
    tx.commit().await.unwrap();
}

/// The results worked out one answer at a time from the stored rows, with the pure rules
/// the page has always used: (bars per question, means, statement means, answered per
/// question, breakdown rows as (label, people, means), suppressed).
struct Reference {
    answered: BTreeMap<i64, i64>,
    bars: BTreeMap<i64, Vec<i64>>,
    scale_mean: Option<f64>,
    statement_means: Vec<Option<f64>>,
    breakdown: Vec<(String, i64, Vec<Option<f64>>)>,
    suppressed: i64,
    responses: i64,
}

async fn reference(app: &TestApp, round: i64, statements: &[i64], q: &[i64]) -> Reference {
    let pool = &app.state.db.read;
    let answers: Vec<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT a.response_id, a.question_id, a.statement_id, a.number FROM answers a JOIN responses x ON x.id = a.response_id
         WHERE x.round_id = ? AND x.status = 'published' ORDER BY a.id",
    )
    .bind(round)
    .fetch_all(pool)
    .await
    .unwrap();
    let declared: Vec<(i64, String)> = sqlx::query_as(
        "SELECT p.response_id, p.perspective FROM response_perspectives p JOIN responses x ON x.id = p.response_id
         WHERE x.round_id = ? AND x.status = 'published'",
    )
    .bind(round)
    .fetch_all(pool)
    .await
    .unwrap();
    let responses: i64 =
        sqlx::query_scalar("SELECT count(*) FROM responses WHERE round_id = ? AND status = 'published'")
            .bind(round)
            .fetch_one(pool)
            .await
            .unwrap();
    let of = |question: i64| answers.iter().filter(move |a| a.1 == question);
    let mut answered = BTreeMap::new();
    for &question in q {
        let people: HashSet<i64> = of(question).map(|a| a.0).collect();
        answered.insert(question, people.len() as i64);
    }
    let numbers = |question: i64| of(question).filter_map(|a| a.3).collect::<Vec<_>>();
    let mut bars = BTreeMap::new();
    bars.insert(q[1], counts(&numbers(q[1]).iter().map(|n| n - 1).collect::<Vec<_>>(), 5));
    bars.insert(q[2], counts(&numbers(q[2]), 3));
    bars.insert(q[3], counts(&numbers(q[3]), 3));
    let statement_means = statements
        .iter()
        .map(|s| mean(&of(q[4]).filter(|a| a.2 == Some(*s)).filter_map(|a| a.3).collect::<Vec<_>>()))
        .collect();

    let mut groups: Vec<(String, Vec<i64>)> = Perspective::ALL
        .iter()
        .map(|p| (p.label().to_string(), declared.iter().filter(|r| r.1 == p.as_str()).map(|r| r.0).collect()))
        .collect();
    let with_perspective: HashSet<i64> = declared.iter().map(|r| r.0).collect();
    let mut undeclared: Vec<i64> = answers.iter().map(|a| a.0).filter(|r| !with_perspective.contains(r)).collect();
    undeclared.sort_unstable();
    undeclared.dedup();
    groups.push(("No perspective given".into(), undeclared));
    let (rows, suppressed) = merge_small_groups(groups);
    let items: Vec<(i64, Option<i64>)> =
        std::iter::once((q[1], None)).chain(statements.iter().map(|s| (q[4], Some(*s)))).collect();
    let per_item: Vec<Vec<Option<f64>>> = items
        .iter()
        .map(|(question, statement)| {
            let ratings: Vec<Vec<i64>> = rows
                .iter()
                .map(|(_, people)| {
                    let people: HashSet<i64> = people.iter().copied().collect();
                    of(*question).filter(|a| a.2 == *statement && people.contains(&a.0)).filter_map(|a| a.3).collect()
                })
                .collect();
            row_means(&ratings)
        })
        .collect();
    let breakdown = rows
        .into_iter()
        .enumerate()
        .map(|(r, (label, people))| (label, people.len() as i64, per_item.iter().map(|m| m[r]).collect()))
        .collect();
    Reference { answered, bars, scale_mean: mean(&numbers(q[1])), statement_means, breakdown, suppressed, responses }
}

/// The page's numbers against the reference, field by field.
fn assert_matches(v: &Value, want: &Reference, q: &[i64]) {
    assert_eq!(v["responses"], want.responses);
    let questions = v["questions"].as_array().unwrap();
    for (i, question) in q.iter().enumerate() {
        assert_eq!(questions[i]["id"], *question);
        assert_eq!(questions[i]["answered"], want.answered[question], "answered, question {i}");
        if let Some(bars) = want.bars.get(question) {
            let got: Vec<i64> =
                questions[i]["bars"].as_array().unwrap().iter().map(|b| b["count"].as_i64().unwrap()).collect();
            assert_eq!(&got, bars, "bars, question {i}");
        }
    }
    assert_eq!(questions[1]["mean"].as_f64(), want.scale_mean);
    let means: Vec<Option<f64>> = questions[4]["ratings"].as_array().unwrap().iter().map(|r| r[1].as_f64()).collect();
    assert_eq!(means, want.statement_means);
    let rows: Vec<(String, i64, Vec<Option<f64>>)> = v["breakdown"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["label"].as_str().unwrap().to_string(),
                r["people"].as_i64().unwrap(),
                r["means"].as_array().unwrap().iter().map(Value::as_f64).collect(),
            )
        })
        .collect();
    assert_eq!(rows, want.breakdown);
    assert_eq!(v["breakdown"]["suppressed"], want.suppressed);
}

#[tokio::test]
async fn the_round_and_its_results_read_in_few_statements_and_10000_responses_add_up() {
    let _alone = statements::alone().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let app = TestApp::spawn_quiet(support::config(&db)).await;
    let mut gp = app.signed_in("gp@lab.test", Role::DesignGroup).await;
    let (_, round, statements, q) = prototype_and_round(&app, &mut gp).await;
    let named = app.user("named@lab.test", Role::Contributor).await;
    seed_responses(&app, round, &statements, &q, 0..40, named).await;
    let mut pat = app.signed_in("pat@lab.test", Role::Facilitator).await;
    let _ = statements::own_of("warm-up", pat.get("/login")).await;

    // A small round: the pages, signed in as the roles that see the most.
    let paths = [format!("/consultations/{round}"), format!("/consultations/{round}/results")];
    for path in &paths {
        let own = statements::own_of(&format!("{path} (facilitator, 40 responses)"), pat.get(path)).await;
        assert!(own.len() <= 3, "{path}: {} own statements", own.len());
    }
    let small = pat.call("load_results", &[("id", &round.to_string())]).await.json();
    assert_matches(&small, &reference(&app, round, &statements, &q).await, &q);

    if std::env::var("SMALL_ONLY").is_ok() {
        return;
    }
    // 10,000 responses on a second round: the same statement count, the same numbers.
    let (_, big, statements, q) = prototype_and_round(&app, &mut gp).await;
    let started = std::time::Instant::now();
    seed_responses(&app, big, &statements, &q, 0..10_000, named).await;
    println!("seeded 10,000 responses in {:?}", started.elapsed());
    let path = format!("/consultations/{big}/results");
    let own = statements::own_of(&format!("{path} (facilitator, 10,000 responses)"), pat.get(&path)).await;
    assert!(own.len() <= 3, "{path}: {} own statements", own.len());
    let started = std::time::Instant::now();
    let r = pat.call("load_results", &[("id", &big.to_string())]).await;
    println!("load_results with 10,000 responses: {:?} (debug build)", started.elapsed());
    let v = r.json();
    assert_matches(&v, &reference(&app, big, &statements, &q).await, &q);
    assert_eq!(v["questions"][0]["texts"].as_array().unwrap().len(), 50, "one page of free text");
    assert_eq!(v["questions"][0]["more_texts"], true);
    let texts = v["questions"][0]["answered"].as_i64().unwrap();
    let last_page = (texts - 1) / 50;
    let last = pat.call("load_results", &[("id", &big.to_string()), ("page", &last_page.to_string())]).await.json();
    assert_eq!(last["questions"][0]["texts"].as_array().unwrap().len() as i64, texts - last_page * 50);
    assert_eq!(last["questions"][0]["more_texts"], false);
    // A theme or outcome form on a later page of answers returns to that page, not the first
    // (without JavaScript the form's `back` is where the person lands).
    let later = pat.get(&format!("{path}?page=1")).await;
    assert!(later.body.contains(&format!("value=\"{path}?page=1#answer-")), "back to page 1 of the answers");

    // The tallies are kept under the round's results version: a second look reads two
    // statements, and any change (new answers, a perspective, a release) is counted at once.
    let own = statements::own_of(&format!("{path} (again)"), pat.get(&path)).await;
    assert!(own.len() <= 2, "{path}: the tallies come from the cache");
    seed_responses(&app, big, &statements, &q, 10_000..10_040, named).await;
    sqlx::query("UPDATE responses SET status = 'published' WHERE round_id = ? AND status = 'held' AND id % 2 = 0")
        .bind(big)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let v = pat.call("load_results", &[("id", &big.to_string())]).await.json();
    assert_matches(&v, &reference(&app, big, &statements, &q).await, &q);

    // The round's published count is kept by triggers (migration 16): it follows inserts,
    // releases, holds, moves to another round and deletions, as a fresh count would.
    let db = &app.state.db.write;
    let moves = [
        format!("UPDATE responses SET status = 'held' WHERE round_id = {big} AND id % 5 = 0"),
        format!("UPDATE responses SET round_id = {round} WHERE round_id = {big} AND id % 7 = 1"),
        format!("DELETE FROM responses WHERE round_id = {big} AND id % 11 = 2"),
        format!("UPDATE responses SET status = 'published' WHERE round_id = {round}"),
    ];
    for sql in ["SELECT 1".to_string()].iter().chain(&moves) {
        sqlx::raw_sql(sql).execute(db).await.unwrap();
        for r in [round, big] {
            let (kept, counted): (i64, i64) = sqlx::query_as(
                "SELECT published_responses, (SELECT count(*) FROM responses WHERE round_id = ?1 AND status = 'published')
                 FROM rounds WHERE id = ?1",
            )
            .bind(r)
            .fetch_one(db)
            .await
            .unwrap();
            assert_eq!(kept, counted, "round {r} after {sql}");
        }
    }
    let listed = pat.call("load_round", &[("id", &big.to_string())]).await.json();
    let counted: i64 = sqlx::query_scalar("SELECT count(*) FROM responses WHERE round_id = ? AND status = 'published'")
        .bind(big)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(listed["round"]["responses"], counted, "the round page shows the kept count");
    app.stop().await;
}
