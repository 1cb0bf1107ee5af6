//! Evaluation and roll-out (issue 12): measures and readings are validated (units, dates,
//! direction) with nothing partial written; a CSV with bad rows writes nothing and names
//! each line; ratings are followed across rounds with small groups suppressed; roll-out
//! changes land on the timeline; what each role reads; the home page's "needs you".

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use sqlx::SqlitePool;
use support::TestApp;

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn exec(pool: &SqlitePool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

/// A measure's form: `fields` over the defaults of a valid number measure.
fn measure_form<'a>(proto: &'a str, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("prototype", proto),
        ("name", "Days waited for a first appointment"),
        ("method", "The median days from asking to a first appointment."),
        ("kind", "number"),
        ("unit", "days"),
        ("direction", "lower"),
        ("statement", ""),
        ("baseline", "28"),
        ("baseline_on", "2025-03-01"),
        ("baseline_source", "Service review"),
        ("target", "7"),
        ("target_on", "2026-12-31"),
    ];
    for (k, v) in fields {
        form.retain(|(f, _)| f != k);
        form.push((k, v));
    }
    form
}

fn form<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn location_id(r: &support::Reply) -> i64 {
    let loc = r.location();
    loc.split("/measures/")
        .nth(1)
        .and_then(|s| s.split(['?', '#']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{loc}"))
}

#[tokio::test]
async fn measures_and_readings_are_validated_and_csv_is_all_or_nothing() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let pool = app.state.db.write.clone();
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto =
        gp.published_prototype(&[("title", "Hub"), ("summary", "One door"), ("body", "Text"), ("themes", "")]).await;
    let p = proto.to_string();

    // Bad input: every problem at once, in plain words, nothing written, what was typed kept.
    let form = measure_form(
        &p,
        &[
            ("name", ""),
            ("kind", "percentage"),
            ("unit", "%"),
            ("baseline", "150"),
            ("baseline_on", "31/02/2025"),
            ("target", ""),
            ("target_on", "2026-12-31"),
        ],
    );
    let r = gp.call("add_measure", &form).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    for words in ["name", "150", "31/02/2025", "target"] {
        assert!(r.body.contains(words), "mentions {words}: {}", r.body);
    }
    assert!(r.body.contains("Nothing was saved"), "{}", r.body);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM measures").await, 0);
    let r = gp.call("add_measure", &measure_form(&p, &[("direction", "sideways")])).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = gp.call("add_measure", &measure_form(&p, &[("kind", "rating"), ("statement", "")])).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a rating needs a statement: {}", r.body);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM measures").await, 0);

    // A good one, through the form without JavaScript: it lands on its page.
    let r =
        gp.post_form_from(&format!("/prototypes/{proto}/measures"), "add_measure", &measure_form(&p, &[]), &[]).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let measure = location_id(&r);
    let m = measure.to_string();
    let stored: (String, f64, String) =
        sqlx::query_as("SELECT direction, baseline, baseline_on FROM measures").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, ("lower".into(), 28.0, "2025-03-01".into()));

    // One reading: a UK date is understood; a bad value or a future date is refused.
    let r = gp
        .call(
            "add_reading",
            &[("prototype", &p), ("measure", &m), ("value", "24"), ("taken_on", "28/04/2025"), ("source", "Audit")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = gp
        .call(
            "add_reading",
            &[("prototype", &p), ("measure", &m), ("value", "lots"), ("taken_on", "2025-05-28"), ("source", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("not a number"), "{}", r.body);
    let r = gp
        .call(
            "add_reading",
            &[("prototype", &p), ("measure", &m), ("value", "3"), ("taken_on", "2099-01-01"), ("source", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM readings").await, 1);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM readings WHERE taken_on = '2025-04-28'").await, 1);

    // A CSV of twelve monthly readings with three bad rows writes nothing and names each line.
    let mut lines = vec!["date,value,site,source".to_string()];
    for month in 1..=12 {
        lines.push(format!("2025-{month:02}-15,{},,Monthly report", 30 - month));
    }
    lines[3] = "2025-03-32,27,,Monthly report".into(); // line 4: no such day
    lines[7] = "2025-07-15,many,,Monthly report".into(); // line 8: not a number
    lines[11] = "2025-11-15,19,Nowhere Surgery,Monthly report".into(); // line 12: no such site
    let bad = lines.join("\n");
    let r = gp.call("import_readings", &[("prototype", &p), ("measure", &m), ("csv", &bad)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    for line in ["Line 4", "Line 8", "Line 12"] {
        assert!(r.body.contains(line), "names {line}: {}", r.body);
    }
    assert!(r.body.contains("3 problems") || r.body.contains("three problems"), "{}", r.body);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM readings").await, 1, "nothing written");
    let mut good = lines.clone();
    good[3] = "2025-03-15,27,,Monthly report".into();
    good[7] = "2025-07-15,23,,Monthly report".into();
    good[11] = "2025-11-15,19,,Monthly report".into();
    let r = gp.call("import_readings", &[("prototype", &p), ("measure", &m), ("csv", &good.join("\n"))]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM readings").await, 13);

    // The page: readings oldest first, a summary in plain words, a chart with its table.
    let v = gp.call("measure_page", &[("prototype", &p), ("measure", &m)]).await.json();
    let text = v.to_string();
    assert!(text.contains("Down from 28 to 18 days"), "{text}");
    assert!(text.contains("target 7"), "{text}");
    let list = gp.get(&format!("/prototypes/{proto}/measures")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Days waited for a first appointment") && list.body.contains("<svg"), "{}", list.body);
    let page = gp.get(&format!("/prototypes/{proto}/measures/{measure}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("<table"), "a chart and its table");
    assert!(!page.body.contains(" style=\""), "no inline styles (CSP)");

    // A measure of one prototype is not reachable through another's address.
    let other = gp.published_prototype(&[("title", "Other"), ("summary", "x"), ("body", "y"), ("themes", "")]).await;
    let r = gp.call("measure_page", &[("prototype", &other.to_string()), ("measure", &m)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = gp.call("delete_measure", &[("prototype", &other.to_string()), ("measure", &m), ("confirm", "on")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM measures").await, 1);

    // Contributors read a published prototype's measures; nobody but the design group writes.
    let mut contributor = app.signed_in("c@example.org", Role::Contributor).await;
    assert_eq!(contributor.call("measures_page", &[("prototype", &p)]).await.status, StatusCode::OK);
    let r = contributor
        .call(
            "add_reading",
            &[("prototype", &p), ("measure", &m), ("value", "1"), ("taken_on", "2025-12-01"), ("source", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A prototype never published is not found outside the design group.
    let r = gp.call("create_prototype", &[("title", "Draft"), ("summary", "x"), ("body", "y"), ("themes", "")]).await;
    let draft = r.created_id().to_string();
    assert_eq!(gp.call("measures_page", &[("prototype", &draft)]).await.status, StatusCode::OK);
    assert_eq!(contributor.call("measures_page", &[("prototype", &draft)]).await.status, StatusCode::NOT_FOUND);
    exec(&pool, "SELECT 1").await;
    app.stop().await;
}

#[tokio::test]
async fn an_uploaded_csv_file_is_checked_like_a_paste_and_refusals_come_back_to_the_form() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let pool = app.state.db.write.clone();
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto =
        gp.published_prototype(&[("title", "Hub"), ("summary", "One door"), ("body", "Text"), ("themes", "")]).await;
    let p = proto.to_string();
    let r = gp.call("add_measure", &measure_form(&p, &[])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m = scalar(&pool, "SELECT id FROM measures").await.to_string();
    let page = format!("/prototypes/{p}/measures/{m}");
    let ids = [("prototype", p.as_str()), ("measure", m.as_str())];

    // Three bad lines: nothing written, each line named, against the file input.
    let bad = "date,value\n2025-01-15,30\n2025-02-30,29\n2025-03-15,lots\n2025-04-15,27\n,26\n";
    let r = gp.upload(None, "upload_readings", &ids, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    for line in ["Line 3", "Line 4", "Line 6", "upload it again", "problem:file"] {
        assert!(r.body.contains(line), "names {line}: {}", r.body);
    }
    assert_eq!(scalar(&pool, "SELECT count(*) FROM readings").await, 0, "nothing written");
    // Not UTF-8 (a spreadsheet's old Windows encoding), empty, or not text: plain words.
    let r = gp.upload(None, "upload_readings", &ids, b"2025-01-15,\xA330\n").await;
    assert!(r.status == StatusCode::BAD_REQUEST && r.body.contains("CSV UTF-8"), "{}", r.body);
    let r = gp.upload(None, "upload_readings", &ids, b"").await;
    assert!(r.status == StatusCode::BAD_REQUEST && r.body.contains("Choose a CSV file"), "{}", r.body);
    let big = "2025-01-15,30\n".repeat(app::evaluation::CSV_BYTES_MAX / 14 + 1);
    let r = gp.upload(None, "upload_readings", &ids, big.as_bytes()).await;
    assert!(r.status == StatusCode::BAD_REQUEST && r.body.contains("too large"), "{}", r.body);
    // A form that is not ours (no ids) is "could not be read"; another prototype's measure is not found.
    let r = gp.upload(None, "upload_readings", &[("prototype", &p)], b"2025-01-15,30").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = gp.upload(None, "upload_readings", &[("prototype", "999"), ("measure", &m)], b"2025-01-15,30").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM readings").await, 0);

    // Without JavaScript a refusal comes back to the measure page, which lists the lines.
    let r = gp.upload(Some(&page), "upload_readings", &ids, bad.as_bytes()).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let loc = r.location();
    let back = gp.get(&loc[loc.find("/prototypes/").unwrap()..]).await;
    assert_eq!(back.status, StatusCode::OK);
    assert!(back.body.contains("Line 4") && back.body.contains("href=\"#f-file\""), "{}", back.body);

    // A spreadsheet's file (a byte-order mark, Windows line ends) is added whole.
    let good = "\u{FEFF}date,value,site,source\r\n2025-01-15,30,,Report\r\n2025-02-15,24,,Report\r\n";
    let r = gp.upload(Some(&page), "upload_readings", &ids, good.as_bytes()).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    assert!(r.location().ends_with(&format!("{page}?imported=2#readings")), "{}", r.location());
    assert_eq!(scalar(&pool, "SELECT count(*) FROM readings WHERE value IN (30, 24)").await, 2);
    let shown = gp.get(&format!("{page}?imported=2")).await;
    assert!(shown.body.contains("2 readings added."), "{}", shown.body);

    // Past 60 readings, the list of measures (and the report) shows each month's mean, saying
    // what it is of; the measure's own page still lists every reading.
    exec(
        &pool,
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 69)
             INSERT INTO readings (measure_id, value, taken_on, source, entered_at)
             SELECT {m}, 20 + i % 3, date('2025-03-01', '+' || i || ' days'), 'Daily count', 0 FROM n"
        ),
    )
    .await;
    let v = gp.call("measures_page", &[("prototype", &p)]).await.json();
    let card = &v["measures"][0];
    assert_eq!((card["by_month"].as_bool(), card["reading_count"].as_i64()), (Some(true), Some(72)), "{card}");
    let months = card["readings"].as_array().unwrap();
    assert_eq!(months.len(), 5, "March to May 2025 and the two uploaded months: {card}");
    assert_eq!(months[0]["source"], "The month's one reading", "January's upload: {card}");
    assert_eq!(months[2]["source"], "Mean of the month's 31 readings", "{card}");
    assert!((months[2]["value"].as_f64().unwrap() - 650.0 / 31.0).abs() < 1e-9, "March's mean: {card}");
    let list = gp.get(&format!("/prototypes/{p}/measures")).await;
    assert!(
        list.body.contains("Show the 5 months as a table") && list.body.contains("Monthly means of"),
        "{}",
        list.body
    );
    let one = gp.get(&page).await;
    assert_eq!(one.body.matches("Daily count").count(), 70, "every reading on its own page");

    // A body that cannot be a multipart form (no type, no boundary) is refused as unreadable,
    // for anyone: Leptos's decoder would panic on it before the function runs.
    let http = reqwest::Client::new();
    for content_type in
        [None, Some("multipart/form-data"), Some("text/plain"), Some("application/x-www-form-urlencoded")]
    {
        let mut req = http.post(format!("{}/api/upload_readings", app.base)).body("prototype=1&measure=1");
        if let Some(t) = content_type {
            req = req.header("content-type", t);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{content_type:?}");
        assert!(r.text().await.unwrap().contains("could not be read"));
    }
    assert_eq!(gp.get(&page).await.status, StatusCode::OK, "the server is still there");

    // Nobody outside the design group uploads, and nothing of theirs is read.
    let mut contributor = app.signed_in("c@example.org", Role::Contributor).await;
    let r = contributor.upload(None, "upload_readings", &ids, good.as_bytes()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM readings").await, 72);
    app.stop().await;
}

/// A closed round on `proto` asking about `statement`, with `ratings` published ratings (and
/// one held one, which must not count).
async fn rated_round(pool: &SqlitePool, proto: i64, statement: i64, by: i64, closed_at: i64, ratings: &[i64]) {
    let round: i64 = sqlx::query_scalar(
        "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at)
         VALUES (?, 1, 'Round', 'Why', '<p>Why</p>', 'public', ?, ?, ?, ?) RETURNING id",
    )
    .bind(proto)
    .bind(closed_at - 86_400)
    .bind(closed_at)
    .bind(by)
    .bind(closed_at - 86_400)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO round_statements (round_id, statement_id) VALUES (?, ?)")
        .bind(round)
        .bind(statement)
        .execute(pool)
        .await
        .unwrap();
    let question: i64 = sqlx::query_scalar(
        "INSERT INTO questions (round_id, position, kind, prompt) VALUES (?, 1, 'statements', 'Rate') RETURNING id",
    )
    .bind(round)
    .fetch_one(pool)
    .await
    .unwrap();
    let held = [1i64];
    for (i, n) in ratings.iter().map(|n| (n, "published")).chain(held.iter().map(|n| (n, "held"))).enumerate() {
        let (n, status) = n;
        let response: i64 = sqlx::query_scalar(
            "INSERT INTO responses (round_id, submission_hash, status, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(round)
        .bind(format!("{round}-{i}"))
        .bind(status)
        .bind(closed_at - 3600)
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO answers (response_id, question_id, statement_id, number) VALUES (?, ?, ?, ?)")
            .bind(response)
            .bind(question)
            .bind(statement)
            .bind(n)
            .execute(pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn ratings_are_followed_across_rounds_and_small_rounds_are_suppressed() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let pool = app.state.db.write.clone();
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let gp_id = scalar(&pool, "SELECT id FROM users WHERE email = 'gp@example.org'").await;
    let proto =
        gp.published_prototype(&[("title", "Hub"), ("summary", "One door"), ("body", "Text"), ("themes", "")]).await;
    let p = proto.to_string();
    exec(
        &pool,
        "INSERT INTO experience_statements (text, short_name, position) VALUES ('Easy in, easy out', 'easy in', 1)",
    )
    .await;
    let statement = scalar(&pool, "SELECT id FROM experience_statements ORDER BY position LIMIT 1").await;
    let s = statement.to_string();
    let r = gp
        .call(
            "add_measure",
            &measure_form(
                &p,
                &[
                    ("name", "Easy in rating"),
                    ("kind", "rating"),
                    ("unit", ""),
                    ("direction", "higher"),
                    ("statement", &s),
                    ("baseline", ""),
                    ("baseline_on", ""),
                    ("target", "4"),
                    ("target_on", ""),
                ],
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let now = app::time::now();
    rated_round(&pool, proto, statement, gp_id, now - 90 * 86_400, &[2, 2, 3, 3, 2]).await; // mean 2.4
    rated_round(&pool, proto, statement, gp_id, now - 30 * 86_400, &[4, 5]).await; // too few
    rated_round(&pool, proto, statement, gp_id, now - 86_400, &[4, 4, 3, 5, 4, 4]).await; // mean 4.0
    assert_eq!(scalar(&pool, "SELECT count(*) FROM readings").await, 0, "ratings are read, never typed");

    let mut member = app.signed_in("m@example.org", Role::Member).await;
    let v = member.call("measures_page", &[("prototype", &p)]).await.json();
    let text = v.to_string();
    assert!(
        text.contains("2.4") && text.contains("4.0") || text.contains("2.4") && text.contains("\"4\""),
        "both means: {text}"
    );
    assert!(text.contains("Fewer than 5"), "the small round is suppressed: {text}");
    assert!(!text.contains("4.5"), "the small round's mean never leaves the server: {text}");
    assert!(!text.contains("2.1"), "held answers do not count: {text}");
    // Contributors get no rating values (results summaries are for members and up).
    let mut contributor = app.signed_in("c@example.org", Role::Contributor).await;
    let v = contributor.call("measures_page", &[("prototype", &p)]).await.json();
    assert!(!v.to_string().contains("2.4"), "{v}");

    // The report follows the same rules for each role, and renders whole on the server.
    let v = member.call("prototype_report", &[("prototype", &p)]).await.json().to_string();
    assert!(v.contains("2.4"), "members see the ratings trend: {v}");
    assert!(!v.contains("4.5"), "never a small round's mean: {v}");
    let v = contributor.call("prototype_report", &[("prototype", &p)]).await.json().to_string();
    assert!(!v.contains("2.4"), "contributors see no rating values: {v}");
    let page = member.get(&format!("/prototypes/{proto}/report")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"report\"") && page.body.contains("Easy in rating"), "{}", page.body);
    assert!(!page.body.contains(" style=\""), "no inline styles (CSP)");
    let r = gp.call("create_prototype", &[("title", "Draft"), ("summary", "x"), ("body", "y"), ("themes", "")]).await;
    let draft = r.created_id().to_string();
    assert_eq!(member.call("prototype_report", &[("prototype", &draft)]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(gp.call("prototype_report", &[("prototype", &draft)]).await.status, StatusCode::OK);
    assert_eq!(app.client().call("prototype_report", &[("prototype", &p)]).await.status, StatusCode::UNAUTHORIZED);

    // Its downloads hold what the viewer's page holds, and no more.
    let md = member.get(&format!("/prototypes/{proto}/report.md")).await;
    assert_eq!(md.status, StatusCode::OK);
    assert!(md.headers[reqwest::header::CONTENT_DISPOSITION].to_str().unwrap().contains(&format!("report-{proto}.md")));
    assert!(md.body.contains("Easy in rating") && md.body.contains("2.4") && !md.body.contains("4.5"), "{}", md.body);
    let md = contributor.get(&format!("/prototypes/{proto}/report.md")).await;
    assert!(!md.body.contains("2.4"), "contributors: no rating values in the download either");
    let zip = member.get(&format!("/prototypes/{proto}/report.zip")).await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.headers[reqwest::header::CONTENT_TYPE], "application/zip");
    assert_eq!(member.get(&format!("/prototypes/{draft}/report.zip")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.client().get(&format!("/prototypes/{proto}/report.md")).await.status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn roll_out_changes_land_on_the_timeline_and_sites_import_all_or_nothing() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let pool = app.state.db.write.clone();
    let mut fac = app.signed_in("pat@example.org", Role::Facilitator).await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;

    // Sites: a CSV with three bad rows writes nothing and names each line.
    let bad = "name,kind,area\nAbbey Surgery,GP practice,North\n,GP practice,North\nBrook Surgery,,South\nabbey surgery,GP practice,North\nCastle Surgery,GP practice,East";
    let r = fac.call("import_sites", &[("csv", bad)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    for line in ["Line 3", "Line 4", "Line 5"] {
        assert!(r.body.contains(line), "names {line}: {}", r.body);
    }
    assert_eq!(scalar(&pool, "SELECT count(*) FROM sites").await, 0);
    let good = "name,kind,area\nAbbey Surgery,GP practice,North\nBrook Surgery,GP practice,South\nCastle Surgery,GP practice,East";
    let r = fac.call("import_sites", &[("csv", good)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM sites").await, 3);
    let r = fac.call("add_site", &[("name", "ABBEY SURGERY"), ("kind", "GP practice"), ("area", "North")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "one site per name: {}", r.body);
    assert_eq!(
        gp.call("add_site", &[("name", "Mine"), ("kind", "Hub"), ("area", "")]).await.status,
        StatusCode::FORBIDDEN
    );
    let abbey = scalar(&pool, "SELECT id FROM sites WHERE name = 'Abbey Surgery'").await.to_string();
    let brook = scalar(&pool, "SELECT id FROM sites WHERE name = 'Brook Surgery'").await.to_string();

    // A plan waits for Implementing.
    let proto =
        gp.published_prototype(&[("title", "Hub"), ("summary", "One door"), ("body", "Text"), ("themes", "")]).await;
    let p = proto.to_string();
    let r = gp.call("plan_sites", &[("prototype", &p), ("site_ids[]", &abbey), ("date", "")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "not yet at Implementing: {}", r.body);
    exec(
        &pool,
        &format!(
            "UPDATE prototypes SET stage_id = (SELECT id FROM stages WHERE name = 'Implementing') WHERE id = {proto}"
        ),
    )
    .await;
    let r = gp
        .call(
            "plan_sites",
            &[("prototype", &p), ("site_ids[]", &abbey), ("site_ids[]", &brook), ("date", "2026-01-15")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // planned → live → paused; paused → planned is refused and writes nothing.
    let set = |site: &str, status: &str, date: &str| {
        vec![
            ("prototype", p.clone()),
            ("site", site.to_string()),
            ("status", status.to_string()),
            ("date", date.to_string()),
            ("note", "From the GP lead".to_string()),
        ]
    };
    let live = set(&abbey, "live", "01/03/2026");
    let r = gp.call("set_rollout_status", &form(&live)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let paused = set(&abbey, "paused", "2026-04-01");
    assert_eq!(gp.call("set_rollout_status", &form(&paused)).await.status, StatusCode::OK);
    let back = set(&abbey, "planned", "2026-04-02");
    let r = gp.call("set_rollout_status", &form(&back)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let row: (String, String, Option<String>) =
        sqlx::query_as(&format!("SELECT status, since, live_on FROM rollouts WHERE site_id = {abbey}"))
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(row, ("paused".into(), "2026-04-01".into(), Some("2026-03-01".into())));
    assert_eq!(
        scalar(
            &pool,
            &format!("SELECT count(*) FROM timeline_events WHERE prototype_id = {proto} AND kind = 'rollout'")
        )
        .await,
        4
    );

    // The timeline says it in words; the plan counts it.
    let v = gp.call("prototype", &[("id", &p)]).await.json();
    let timeline = v["timeline"].to_string();
    assert!(timeline.contains("Abbey Surgery") && timeline.contains("paused"), "{timeline}");
    let plan = gp.call("rollout_plan", &[("prototype", &p)]).await.json().to_string();
    assert!(plan.contains("0 of 2"), "none live now: {plan}");
    let mut contributor = app.signed_in("c@example.org", Role::Contributor).await;
    assert_eq!(contributor.call("rollout_plan", &[("prototype", &p)]).await.status, StatusCode::OK);
    assert_eq!(contributor.call("set_rollout_status", &form(&live)).await.status, StatusCode::FORBIDDEN);
    let overview = contributor.call("rollout_overview", &[]).await.json().to_string();
    assert!(overview.contains("Abbey Surgery") && overview.contains("Hub"), "{overview}");
    // The pages render whole on the server (no JavaScript needed), editors' forms and all.
    for (who, path, words) in [
        ("gp", format!("/prototypes/{proto}/rollout"), "Abbey Surgery"),
        ("gp", format!("/prototypes/{proto}"), "See the roll-out"),
        ("contributor", "/rollout".to_string(), "Brook Surgery"),
        ("fac", "/settings/sites".to_string(), "Castle Surgery"),
        ("fac", "/".to_string(), "What needs you today"),
    ] {
        let client = match who {
            "gp" => &mut gp,
            "fac" => &mut fac,
            _ => &mut contributor,
        };
        let page = client.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains(words), "{path}: {}", page.body);
        assert!(!page.body.contains(" style=\""), "{path}: no inline styles (CSP)");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_home_page_says_what_needs_the_programme_manager() {
    let (app, _dir) = TestApp::fresh_quiet().await;
    let pool = app.state.db.write.clone();
    let mut fac = app.signed_in("pat@example.org", Role::Facilitator).await;
    let v = fac.call("load_home", &[]).await.json();
    assert!(v["attention"]["stale"].as_array().unwrap().is_empty(), "{v}");
    let proto =
        fac.published_prototype(&[("title", "Hub"), ("summary", "One door"), ("body", "Text"), ("themes", "")]).await;
    let p = proto.to_string();
    let r = fac.call("add_measure", &measure_form(&p, &[])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = fac.call("add_measure", &measure_form(&p, &[("name", "Fresh measure")])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The first measure's last reading is 100 days old; the second was defined today.
    exec(&pool, "INSERT INTO readings (measure_id, value, taken_on, entered_at) SELECT id, 20, date('now', '-100 days'), 0 FROM measures WHERE name LIKE 'Days%'").await;
    exec(&pool, "INSERT INTO sites (name, kind, area, created_at) VALUES ('Abbey Surgery', 'GP practice', 'North', 0)")
        .await;
    exec(&pool, &format!("INSERT INTO rollouts (prototype_id, site_id, status, since, live_on, updated_at) SELECT {proto}, id, 'paused', '2026-01-01', '2025-12-01', 0 FROM sites")).await;
    let v = fac.call("load_home", &[]).await.json();
    let stale = v["attention"]["stale"].to_string();
    assert!(stale.contains("Days waited") && !stale.contains("Fresh measure"), "{stale}");
    assert!(v["attention"]["paused"].to_string().contains("Hub at Abbey Surgery"), "{v}");
    let counts: i64 = v["pipeline"].as_array().unwrap().iter().map(|s| s["count"].as_i64().unwrap()).sum();
    assert_eq!(counts, 1, "{v}");
    // A stopped prototype's measures are not waiting for readings; an ended one still live
    // somewhere (adopted, say) is.
    exec(
        &pool,
        &format!("UPDATE prototypes SET stage_id = (SELECT id FROM stages WHERE name = 'Stopped') WHERE id = {proto}"),
    )
    .await;
    let v = fac.call("load_home", &[]).await.json();
    assert!(v["attention"]["stale"].as_array().unwrap().is_empty(), "{v}");
    exec(&pool, "UPDATE rollouts SET status = 'live'").await;
    let v = fac.call("load_home", &[]).await.json();
    assert!(v["attention"]["stale"].to_string().contains("Days waited"), "{v}");
    let mut contributor = app.signed_in("c@example.org", Role::Contributor).await;
    let v = contributor.call("load_home", &[]).await.json();
    assert!(v["attention"].is_null(), "only the programme manager: {v}");
    let v = app.client().call("load_home", &[]).await.json();
    assert!(v["pipeline"].as_array().unwrap().is_empty(), "visitors: {v}");
    app.stop().await;
}
