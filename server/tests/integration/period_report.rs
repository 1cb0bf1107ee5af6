//! The collaborative's report (`/report`, issue 12): the pipeline counts a known set of
//! stage moves inside the period and not outside it; people heard are broken down by
//! perspective with small groups never shown, not even by subtraction; each role sees only
//! the rounds its audiences admit and only readable prototypes' decisions; measures that
//! moved say better or worse; bad dates are said in words and the default period shown; and
//! the page renders whole on the server.

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::SqlitePool;
use support::{Client, TestApp};

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn exec(pool: &SqlitePool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

async fn stage(pool: &SqlitePool, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM stages WHERE name = ?").bind(name).fetch_one(pool).await.unwrap()
}

async fn move_to(c: &mut Client, prototype: i64, stage: i64) {
    let r = c
        .call(
            "move_stage",
            &[("id", &prototype.to_string()), ("stage", &stage.to_string()), ("reason", "Ready for the next step")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// A round on iteration 1 of `prototype` that opened two days before `closed_at`.
async fn round(pool: &SqlitePool, prototype: i64, by: i64, title: &str, audience: &str, closed_at: i64) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at)
         VALUES (?, 1, ?, 'Why', '<p>Why</p>', ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(prototype)
    .bind(title)
    .bind(audience)
    .bind(closed_at - 2 * 86_400)
    .bind(closed_at)
    .bind(by)
    .bind(closed_at - 2 * 86_400)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// `n` responses to `round` without an account (each one person), given at `at`, each
/// declaring `perspective`.
async fn respond(pool: &SqlitePool, round: i64, perspective: &str, n: usize, at: i64, status: &str) {
    for i in 0..n {
        let response: i64 = sqlx::query_scalar(
            "INSERT INTO responses (round_id, submission_hash, status, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(round)
        .bind(format!("{round}-{perspective}-{status}-{i}"))
        .bind(status)
        .bind(at)
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO response_perspectives (response_id, perspective) VALUES (?, ?)")
            .bind(response)
            .bind(perspective)
            .execute(pool)
            .await
            .unwrap();
    }
}

/// A stage's row of the pipeline: (entered, left, at the end of the period).
fn counts(v: &Value, name: &str) -> (i64, i64, i64) {
    let s = v["pipeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no stage {name}: {v}"));
    (s["entered"].as_i64().unwrap(), s["left"].as_i64().unwrap(), s["at_end"].as_i64().unwrap())
}

/// Every number in the answer that is not an id, with its key.
fn numbers(v: &Value, key: &str, out: &mut Vec<(String, f64)>) {
    match v {
        Value::Number(n) if !(key == "id" || key.ends_with("_id")) => out.push((key.to_string(), n.as_f64().unwrap())),
        Value::Array(items) => {
            for i in items {
                numbers(i, key, out);
            }
        }
        Value::Object(map) => {
            for (k, i) in map {
                numbers(i, k, out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn the_period_report_counts_the_pipeline_people_decisions_and_measures() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let pool = app.state.db.write.clone();
    let mut fac = app.signed_in("pat@example.org", Role::Facilitator).await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let mut member = app.signed_in("m@example.org", Role::Member).await;
    let mut contributor = app.signed_in("c@example.org", Role::Contributor).await;
    let gp_id = scalar(&pool, "SELECT id FROM users WHERE email = 'gp@example.org'").await;
    let now = app::time::now();

    // The pipeline: Alpha goes Idea → Co-design → Prototype, Beta Idea → Co-design (but was
    // created long before the period), and a draft never published stays at Idea.
    let alpha =
        gp.published_prototype(&[("title", "Alpha"), ("summary", "One door"), ("body", "Text"), ("themes", "")]).await;
    let beta =
        gp.published_prototype(&[("title", "Beta"), ("summary", "Two doors"), ("body", "Text"), ("themes", "")]).await;
    let r = gp
        .call("create_prototype", &[("title", "Zebracrossing draft"), ("summary", "x"), ("body", "y"), ("themes", "")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let draft = r.created_id();
    let (codesign, prototype) = (stage(&pool, "Co-design").await, stage(&pool, "Prototype").await);
    move_to(&mut gp, alpha, codesign).await;
    move_to(&mut gp, alpha, prototype).await;
    move_to(&mut gp, beta, codesign).await;
    exec(
        &pool,
        &format!("UPDATE timeline_events SET at = at - 800 * 86400 WHERE prototype_id = {beta} AND kind = 'created'"),
    )
    .await;
    exec(&pool, &format!("UPDATE prototypes SET created_at = created_at - 800 * 86400 WHERE id = {beta}")).await;

    // Rounds: a public one heard 6 service users, 5 practitioners and 3 carers (and one held
    // answer, which does not count); a members' round; one long before the period.
    let public = round(&pool, alpha, gp_id, "Evening line round", "public", now - 86_400).await;
    round(&pool, alpha, gp_id, "Okapi members round", "members", now - 86_400).await;
    let ancient = round(&pool, alpha, gp_id, "Ancient round", "public", now - 800 * 86_400).await;
    let heard_at = now - 2 * 86_400 + 3600;
    respond(&pool, public, "service_user", 6, heard_at, "published").await;
    respond(&pool, public, "practitioner", 5, heard_at, "published").await;
    respond(&pool, public, "carer", 3, heard_at, "published").await;
    respond(&pool, public, "carer", 1, heard_at, "held").await;
    respond(&pool, ancient, "carer", 1, now - 801 * 86_400, "published").await;
    // A round still open: its answers are not results yet, so no period shows them.
    let open = round(&pool, alpha, gp_id, "Still open round", "public", now + 86_400).await;
    respond(&pool, open, "carer", 5, now - 3600, "published").await;

    // Decisions: a motion on Alpha decided at a meeting; one on the draft (seeded).
    let r = fac
        .call(
            "schedule_meeting",
            &[
                ("title", "Spring collaborative"),
                ("starts", &app::time::to_local_input(now + 3600)),
                ("place", "The Hub"),
                ("online_link", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let meeting = r.created_id();
    let r = fac
        .call(
            "add_agenda_item",
            &[
                ("meeting", &meeting.to_string()),
                ("kind", "prototype"),
                ("title", "Alpha: next step"),
                ("prototype", &alpha.to_string()),
                ("round", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let item = scalar(&pool, "SELECT max(id) FROM agenda_items").await.to_string();
    let r = fac
        .call(
            "add_motion",
            &[
                ("item", &item),
                ("question", "Keep testing Alpha?"),
                ("background", ""),
                ("method", "majority"),
                ("options", ""),
                ("quorum_votes", "0"),
                ("quorum_lived", "0"),
                ("action", "none"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let motion = scalar(&pool, "SELECT max(id) FROM motions").await.to_string();
    let r = fac.call("open_motion", &[("id", &motion), ("hours", "")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = fac.call("close_motion", &[("id", &motion)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let aside: i64 = sqlx::query_scalar(
        "INSERT INTO agenda_items (meeting_id, position, kind, title) VALUES (?, 99, 'free', 'Aside') RETURNING id",
    )
    .bind(meeting)
    .fetch_one(&pool)
    .await
    .unwrap();
    let hidden: i64 = sqlx::query_scalar(
        "INSERT INTO motions (meeting_id, item_id, question, prototype_id, method, status, outcome, decided_at, created_at)
         VALUES (?, ?, 'Zebracrossing: go ahead?', ?, 'majority', 'closed', 'passed', ?, ?) RETURNING id",
    )
    .bind(meeting)
    .bind(aside)
    .bind(draft)
    .bind(now)
    .bind(now)
    .fetch_one(&pool)
    .await
    .unwrap();
    exec(
        &pool,
        &format!(
            "INSERT INTO timeline_events (prototype_id, kind, at, note, ref_id) VALUES ({draft}, 'decision', {now}, 'Spring collaborative: Zebracrossing decided.', {hidden})"
        ),
    )
    .await;

    // Measures: one went from 20 to 12 days during the period (99 long before it does not
    // count), lower is better; another ended where it started.
    let a = alpha.to_string();
    for name in ["Days waited for a first appointment", "Evening calls answered"] {
        let r = gp
            .call(
                "add_measure",
                &[
                    ("prototype", &a),
                    ("name", name),
                    ("method", "Counted by the practice."),
                    ("kind", "number"),
                    ("unit", "days"),
                    ("direction", "lower"),
                    ("statement", ""),
                    ("baseline", ""),
                    ("baseline_on", ""),
                    ("baseline_source", ""),
                    ("target", ""),
                    ("target_on", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    exec(
        &pool,
        "INSERT INTO readings (measure_id, value, taken_on, entered_at)
         SELECT id, 99, date('now', '-800 days'), 0 FROM measures WHERE name LIKE 'Days%'
         UNION ALL SELECT id, 20, date('now', '-60 days'), 0 FROM measures WHERE name LIKE 'Days%'
         UNION ALL SELECT id, 12, date('now', '-10 days'), 0 FROM measures WHERE name LIKE 'Days%'
         UNION ALL SELECT id, 5, date('now', '-50 days'), 0 FROM measures WHERE name LIKE 'Evening%'
         UNION ALL SELECT id, 5, date('now', '-20 days'), 0 FROM measures WHERE name LIKE 'Evening%'",
    )
    .await;

    // A member: the pipeline of published prototypes, both rounds, the breakdown.
    let r = member.call("period_report", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    let text = v.to_string();
    assert_eq!(counts(&v, "Idea"), (1, 2, 0), "Beta entered Idea before the period: {v}");
    assert_eq!(counts(&v, "Co-design"), (2, 1, 1));
    assert_eq!(counts(&v, "Prototype"), (1, 0, 1));
    assert_eq!(counts(&v, "Testing"), (0, 0, 0));
    let rounds = &v["rounds"];
    let totals = (rounds["count"].as_i64(), rounds["responses"].as_i64(), rounds["people"].as_i64());
    assert_eq!(totals, (Some(2), Some(14), Some(14)), "the held answer and the ancient round do not count: {v}");
    assert!(text.contains("Okapi members round") && !text.contains("Ancient round"), "{text}");
    assert!(!text.contains("Still open round"), "an open round's answers are not results yet: {text}");
    // The 3 carers are never a number: merged with the practitioners, as 14 - 6 - 5 would
    // otherwise give them away.
    let heard = rounds["perspectives"].as_array().expect("members see the breakdown");
    let rows: Vec<(&str, i64)> =
        heard.iter().map(|g| (g["label"].as_str().unwrap(), g["people"].as_i64().unwrap())).collect();
    assert_eq!(
        rows,
        [("Service user (lived experience)", 6), ("Other perspectives together (Carer, Practitioner)", 8)],
        "{v}"
    );
    assert!(!rounds["perspectives"].to_string().contains('3'), "{}", rounds["perspectives"]);
    let mut all = Vec::new();
    numbers(&v, "", &mut all);
    assert!(all.iter().all(|(_, n)| *n != 3.0), "no 3 anywhere in the answer: {all:?}");
    assert!(!text.contains("\"people\":3"), "{text}");
    // Decisions as the meeting page shows them, never a draft's.
    assert_eq!(v["decisions"]["in_full"], true);
    assert!(text.contains("Keep testing Alpha?") && text.contains("Spring collaborative"), "{text}");
    assert!(!text.contains("Zebracrossing"), "no draft's decision for members: {text}");
    // Measures: the one that moved, in words; the other counted as unchanged.
    let moved = v["measures"]["moved"].as_array().unwrap();
    assert_eq!(moved.len(), 1, "{v}");
    assert_eq!(
        (&moved[0]["first"], &moved[0]["last"], &moved[0]["change"], &moved[0]["verdict"]),
        (&Value::from("20 days"), &Value::from("12 days"), &Value::from("8 days lower"), &Value::from("Better"))
    );
    assert_eq!(v["measures"]["unchanged"], 1);

    // The design group also counts the draft.
    let v = gp.call("period_report", &[]).await.json();
    assert_eq!(counts(&v, "Idea"), (2, 2, 1), "{v}");

    // A contributor: no members' round, no breakdown, the timeline's record of decisions.
    let v = contributor.call("period_report", &[]).await.json();
    let text = v.to_string();
    assert_eq!(counts(&v, "Idea"), (1, 2, 0));
    assert_eq!(v["rounds"]["count"], 1, "{v}");
    assert!(v["rounds"]["perspectives"].is_null(), "results summaries are for members: {v}");
    assert!(!text.contains("Okapi"), "a round whose audience excludes them: {text}");
    assert!(!text.contains("Zebracrossing"), "an unpublished prototype's decision: {text}");
    assert_eq!(v["decisions"]["in_full"], false);
    let decisions = v["decisions"]["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 1, "{v}");
    assert_eq!(decisions[0]["prototype_title"], "Alpha");
    assert!(decisions[0]["meeting_id"].is_null() && decisions[0]["question"].is_null(), "{v}");
    assert!(decisions[0]["record"].as_str().unwrap().contains("Keep testing Alpha?"), "{v}");

    // A facilitator reads drafts, so the draft's decision too.
    let v = fac.call("period_report", &[]).await.json();
    assert!(v.to_string().contains("Zebracrossing: go ahead?"), "{v}");

    // An earlier period: only what happened in it (Beta's creation, the ancient round).
    let day = |ago: i64| (chrono::Utc::now().date_naive() - chrono::Duration::days(ago)).format("%d/%m/%Y").to_string();
    let (from, to) = (day(900), day(700));
    let v = member.call("period_report", &[("from", &from), ("to", &to)]).await.json();
    assert!(v["problem"].is_null(), "{v}");
    assert_eq!(v["from_input"], from.as_str());
    assert_eq!(counts(&v, "Idea"), (1, 0, 1), "{v}");
    assert_eq!(counts(&v, "Co-design"), (0, 0, 0));
    assert_eq!(v["rounds"]["count"], 1);
    assert_eq!(v["rounds"]["perspectives"], serde_json::json!([]), "one person: no breakdown");
    assert!(
        v["decisions"]["decisions"].as_array().unwrap().is_empty()
            && v["measures"]["moved"].as_array().unwrap().is_empty()
    );

    // Bad dates: said in plain words, what was typed kept, the default period shown.
    let default = member.call("period_report", &[]).await.json();
    for (from, to, field, words) in [
        ("31/02/2026", "", "from", "not a real day"),
        ("tomorrow", "", "from", "not a date we can read"),
        ("2026-05-01", "2026-01-31", "from", "after the end date"),
        ("2015-01-01", "2026-01-01", "to", "at most 5 years"),
    ] {
        let r = member.call("period_report", &[("from", from), ("to", to)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["problem"]["field"], field, "{from}–{to}: {v}");
        assert!(v["problem"]["message"].as_str().unwrap().contains(words), "{from}–{to}: {v}");
        assert_eq!(v["words"], default["words"], "the default period instead: {v}");
        assert_eq!((v["from_input"].as_str(), v["to_input"].as_str()), (Some(from), Some(to)));
    }

    // The page renders whole on the server, for every account; visitors are asked to sign in.
    for who in ["facilitator", "contributor"] {
        let client = if who == "facilitator" { &mut fac } else { &mut contributor };
        let page = client.get("/report").await;
        assert_eq!(page.status, StatusCode::OK, "{who}: {}", page.body);
        assert!(page.body.contains("The pipeline") && page.body.contains("Evening line round"), "{who}: {}", page.body);
        assert!(page.body.contains("<caption>"), "{who}: tables have captions");
        assert!(!page.body.contains(" style=\""), "{who}: no inline styles (CSP)");
    }
    let page = member.get("/report?from=tomorrow&to=").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("not a date we can read") && page.body.contains("value=\"tomorrow\""), "{}", page.body);
    let mut visitor = app.client();
    assert_eq!(visitor.call("period_report", &[]).await.status, StatusCode::UNAUTHORIZED);
    let page = visitor.get("/report").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains("/login"), "a way to sign in: {}", page.body);
    app.stop().await;
}

/// One account asking for reports in a loop is held to a minute's allowance, shared by the
/// collaborative's report, a prototype's report and its downloads (each reads every rating
/// of every closed round); someone else still reads them.
#[tokio::test]
async fn reports_are_limited_per_person_per_minute() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(&format!("sqlite://{}/test.db", dir.path().display()));
    config.report_per_minute = 4;
    let app = TestApp::spawn_quiet(config).await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto =
        gp.published_prototype(&[("title", "Hub"), ("summary", "One door"), ("body", "Text"), ("themes", "")]).await;
    let p = proto.to_string();
    let mut busy = app.signed_in("loop@example.org", Role::Member).await;
    assert_eq!(busy.call("period_report", &[]).await.status, StatusCode::OK);
    assert_eq!(busy.call("prototype_report", &[("prototype", &p)]).await.status, StatusCode::OK);
    assert_eq!(busy.get(&format!("/prototypes/{p}/report.md")).await.status, StatusCode::OK);
    assert_eq!(busy.get("/report").await.status, StatusCode::OK);
    // The fifth, whichever report it is, waits for the minute's end, in words.
    let r = busy.call("prototype_report", &[("prototype", &p)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("TooOften"), "{}", r.body);
    assert_eq!(busy.call("period_report", &[]).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(busy.get(&format!("/prototypes/{p}/report.zip")).await.status, StatusCode::TOO_MANY_REQUESTS);
    let page = busy.get("/report").await;
    assert!(page.body.contains("try again"), "the page says so: {}", page.body);
    assert_eq!(gp.call("period_report", &[]).await.status, StatusCode::OK, "someone else is not held");
    app.stop().await;
}
