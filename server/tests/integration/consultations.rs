//! Consultation rounds, responses, comments, safeguarding, moderation and "you said, we
//! did", over HTTP against the real server, with the bad inputs the issue names.
// Test tables read best as rows of tuples, one case a line.
#![allow(clippy::type_complexity)]

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::Value;
use support::{Client, TestApp};

fn location(r: &support::Reply) -> String {
    r.headers.get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.db.read).await.unwrap()
}

fn json(r: &support::Reply) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", r.status, r.body))
}

/// A prototype addressing two statements with one published iteration; returns its id and
/// the statement ids.
async fn published_prototype(app: &TestApp, gp: &mut Client) -> (i64, Vec<i64>) {
    let mut statements = Vec::new();
    for (text, short) in
        [("I can get help when I need it", "easy in, easy out"), ("One plan, one person coordinating", "one plan")]
    {
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
    let r = gp
        .call(
            "create_prototype",
            &[
                ("title", "Living Well Hub"),
                ("summary", "One front door"),
                ("body", "## The problem\n\nPeople wait.\n\n## Who it is for\n\nAdults.\n"),
                ("themes", "Living Well Hub"),
                ("statements[]", &a),
                ("statements[]", &b),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id: i64 = location(&r).split('/').nth(2).unwrap().parse().unwrap();
    let r = gp.call("publish_iteration", &[("id", &id.to_string()), ("change_note", "First try")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    (id, statements)
}

fn when(offset_secs: i64) -> String {
    app::time::to_local_input(chrono::Utc::now().timestamp() + offset_secs)
}

/// Opens a round with one question of each kind; returns its id.
async fn open_round(gp: &mut Client, prototype: i64, audience: &str, opens_in: i64) -> i64 {
    let p = prototype.to_string();
    let (opens, closes) = (when(opens_in), when(opens_in + 7 * 86_400));
    let slots: [(&str, &str, &str, &str); 5] = [
        ("text", "What would make this work for you?", "", "yes"),
        ("scale", "How much would you use it?", "", "no"),
        ("single", "How would you contact it?", "Phone\nText\nDrop in", "no"),
        ("multiple", "When do you need it?", "Daytime\nEvenings\nWeekends", "no"),
        ("statements", "How well would this meet each of these?", "", "no"),
    ];
    let mut form: Vec<(&str, &str)> = vec![
        ("prototype", &p),
        ("iteration", "1"),
        ("title", "First thoughts"),
        ("purpose", "Tell us what you think."),
        ("audience", audience),
        ("opens", &opens),
        ("closes", &closes),
    ];
    for (kind, prompt, options, required) in &slots {
        form.extend([
            ("kind[]", *kind),
            ("prompt[]", *prompt),
            ("options[]", *options),
            ("low[]", "Not at all"),
            ("high[]", "A lot"),
            ("required[]", *required),
        ]);
    }
    let r = gp.call("open_round", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    location(&r).split('/').nth(2).unwrap().split('?').next().unwrap().parse().unwrap()
}

/// A fresh server, a design-group member, a published prototype and an open public round.
async fn public_round() -> (TestApp, tempfile::TempDir, Client, i64, Vec<i64>, i64) {
    let (app, dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (proto, statements) = published_prototype(&app, &mut gp).await;
    let round = open_round(&mut gp, proto, "public", -60).await;
    (app, dir, gp, proto, statements, round)
}

/// The round's question ids in order, and a fresh form key.
async fn page(c: &mut Client, round: i64) -> (Vec<i64>, String) {
    let r = c.call("load_round", &[("id", &round.to_string())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = json(&r);
    let ids = v["questions"].as_array().unwrap().iter().map(|q| q["id"].as_i64().unwrap()).collect();
    (ids, v["key"].as_str().unwrap().to_string())
}

/// A full, valid set of answers for `open_round`'s questions.
fn answers(q: &[i64], statements: &[i64], text: &str) -> Vec<(String, String)> {
    vec![
        (format!("answers[q{}]", q[0]), text.to_string()),
        (format!("answers[q{}]", q[1]), "4".into()),
        (format!("answers[q{}]", q[2]), "1".into()),
        (format!("answers[q{}_1]", q[3]), "on".into()),
        (format!("answers[q{}_2]", q[3]), "on".into()),
        (format!("answers[q{}_s{}]", q[4], statements[0]), "3".into()),
        (format!("answers[q{}_s{}]", q[4], statements[1]), "5".into()),
    ]
}

async fn submit(
    c: &mut Client,
    round: i64,
    key: &str,
    answers: &[(String, String)],
    extra: &[(&str, &str)],
) -> support::Reply {
    let round = round.to_string();
    let mut form: Vec<(&str, &str)> = vec![("round", &round), ("key", key)];
    form.extend(answers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    form.extend_from_slice(extra);
    c.call("submit_response", &form).await
}

#[tokio::test]
async fn a_visitor_answers_a_public_round_once_and_keeps_a_receipt() {
    let (app, _dir, _, _, statements, round) = public_round().await;

    // The round is on the prototype's timeline and in the list a visitor sees.
    assert_eq!(count(&app, "SELECT count(*) FROM timeline_events WHERE kind = 'consultation'").await, 1);
    let mut visitor = app.client();
    let list = json(&visitor.call("list_rounds", &[]).await);
    assert_eq!(list["rounds"].as_array().unwrap().len(), 1);

    let (q, key) = page(&mut visitor, round).await;
    let a = answers(&q, &statements, "Nobody answers after 5pm");
    let r =
        submit(&mut visitor, round, &key, &a, &[("consent", "quote_anonymously"), ("perspectives[]", "service_user")])
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = location(&r).strip_prefix("/receipts/").unwrap().to_string();
    assert_ne!(token, key, "the receipt is minted by the server, never the form key");
    // A double click or a resend is recorded once, with a receipt of its own to the same answers.
    let again =
        submit(&mut visitor, round, &key, &a, &[("consent", "quote_anonymously"), ("perspectives[]", "service_user")])
            .await;
    let token2 = location(&again).strip_prefix("/receipts/").unwrap().to_string();
    assert_ne!(token2, token);
    assert_eq!(
        json(&visitor.call("load_receipt", &[("token", &token2)]).await)["answers"][0]["answer"],
        "Nobody answers after 5pm"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM responses").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM answers").await, 7, "text, scale, single, two choices, two ratings");
    assert_eq!(count(&app, "SELECT count(*) FROM response_perspectives WHERE perspective = 'service_user'").await, 1);

    let receipt = json(&visitor.call("load_receipt", &[("token", &token)]).await);
    assert_eq!(receipt["answers"][0]["answer"], "Nobody answers after 5pm");
    assert_eq!(receipt["answers"][3]["answer"], "Evenings; Weekends");
    assert_eq!(receipt["outcome"], "Open");
    // Only hashes are stored: neither the token nor the key is in the database.
    assert_eq!(
        count(&app, &format!("SELECT count(*) FROM receipts WHERE token_hash IN ('{token}', '{key}')")).await,
        0
    );
    for wrong in ["0".repeat(32), key.clone()] {
        let r = visitor.call("load_receipt", &[("token", &wrong)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "a form key opens nothing");
    }
    let r = visitor.get(&format!("/receipts/{token}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Nobody answers after 5pm") && r.body.contains("116 123"));
    app.stop().await;
}

#[tokio::test]
async fn bad_answers_are_refused_plainly_and_write_nothing() {
    let (app, _dir, mut gp, proto, statements, round) = public_round().await;
    let other = open_round(&mut gp, proto, "public", -60).await;
    let mut visitor = app.client();
    let (q, key) = page(&mut visitor, round).await;
    let (other_q, _) = page(&mut visitor, other).await;

    let cases: Vec<(&str, Vec<(String, String)>, &[(&str, &str)], StatusCode, &str)> = vec![
        ("missing required answer", answers(&q, &statements, "")[1..].to_vec(), &[], StatusCode::BAD_REQUEST, "needed"),
        (
            "scale out of range",
            {
                let mut a = answers(&q, &statements, "x");
                a[1].1 = "9".into();
                a
            },
            &[],
            StatusCode::BAD_REQUEST,
            "1 to 5",
        ),
        (
            "text over 20,000 characters",
            answers(&q, &statements, &"a".repeat(20_001)),
            &[],
            StatusCode::BAD_REQUEST,
            "20000",
        ),
        (
            "forged question from another round",
            {
                let mut a = answers(&q, &statements, "x");
                a.push((format!("answers[q{}]", other_q[0]), "sneaky".into()));
                a
            },
            &[],
            StatusCode::BAD_REQUEST,
            "not in this consultation",
        ),
        (
            "quoted by name without an account",
            answers(&q, &statements, "x"),
            &[("consent", "quote_with_name")],
            StatusCode::BAD_REQUEST,
            "sign in",
        ),
        (
            "entering answers for others as a visitor",
            answers(&q, &statements, "x"),
            &[("on_behalf", "on"), ("gathered_at", "Workshop")],
            StatusCode::UNAUTHORIZED,
            "NotSignedIn",
        ),
    ];
    for (what, a, extra, status, says) in cases {
        let r = submit(&mut visitor, round, &key, &a, extra).await;
        assert_eq!(r.status, status, "{what}: {}", r.body);
        assert!(r.body.contains(says), "{what}: {}", r.body);
        assert!(!r.body.contains("Internal"), "{what}");
    }
    // Closed and not-yet-open rounds.
    gp.call("close_round", &[("id", &other.to_string())]).await;
    let (oq, okey) = page(&mut visitor, other).await;
    let r = submit(&mut visitor, other, &okey, &answers(&oq, &statements, "late"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("closed"));
    let later = open_round(&mut gp, proto, "public", 3600).await;
    let (lq, lkey) = page(&mut visitor, later).await;
    let r = submit(&mut visitor, later, &lkey, &answers(&lq, &statements, "early"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("not open yet"));
    // Members-only rounds: a visitor is asked to sign in, a contributor is refused.
    let members = open_round(&mut gp, proto, "members", -60).await;
    let r = visitor.call("load_round", &[("id", &members.to_string())]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = submit(&mut visitor, members, &"a".repeat(32), &[], &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let mut contributor = app.signed_in("c@example.org", Role::Contributor).await;
    let r = contributor.call("load_round", &[("id", &members.to_string())]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "SELECT count(*) FROM responses").await, 0, "nothing partial was written");
    assert_eq!(count(&app, "SELECT count(*) FROM answers").await, 0);

    // Without JavaScript the refusal is a redirect that carries only the message; what was
    // typed (maybe health data) is kept on the server for this browser and comes back with the page.
    let round_s = round.to_string();
    let mut form: Vec<(&str, &str)> = vec![("round", &round_s), ("key", &key)];
    let typed = answers(&q, &statements, "My private words");
    let bad_scale = format!("answers[q{}]", q[1]);
    form.extend(typed.iter().map(|(k, v)| (k.as_str(), if *k == bad_scale { "7" } else { v.as_str() })));
    let r = visitor.post_form("submit_response", &form, &[]).await;
    assert_eq!(r.status, StatusCode::FOUND);
    let to = location(&r);
    let err = to.split("__err=").nth(1).unwrap_or_default().split('&').next().unwrap().replace("%3D", "=");
    use base64::Engine as _;
    let err = String::from_utf8(
        base64::engine::general_purpose::URL_SAFE
            .decode(&err)
            .or_else(|_| base64::engine::general_purpose::STANDARD.decode(&err))
            .unwrap(),
    )
    .unwrap();
    assert!(!err.contains(&key) && err.contains("1 to 5") && !err.contains("private"), "{err}");
    let back = json(&visitor.call("load_round", &[("id", &round_s)]).await);
    assert_ne!(back["key"], key.as_str(), "a fresh key: keys are never carried in URLs");
    assert!(back["typed"].to_string().contains("My private words"));
    // Another browser, even one that knows the form key, gets none of it.
    let other = json(&app.client().call("load_round", &[("id", &round_s), ("key", &key)]).await);
    assert!(!other["typed"].to_string().contains("private"));
    app.stop().await;
}

#[tokio::test]
async fn results_compare_rounds_merge_small_groups_and_exports_honour_consent() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (proto, statements) = published_prototype(&app, &mut gp).await;
    let first = open_round(&mut gp, proto, "signed_in", -120).await;
    let second = open_round(&mut gp, proto, "signed_in", -60).await;
    let mut carer = app.signed_in("carer@example.org", Role::Contributor).await;
    carer.call("update_profile", &[("display_name", "Cath Carer"), ("carer", "on")]).await;
    for (round, rating) in [(first, "2"), (second, "4")] {
        let (q, key) = page(&mut carer, round).await;
        let mut a = answers(&q, &statements, "Quote me by name");
        a[5].1 = rating.into();
        let r = submit(&mut carer, round, &key, &a, &[("consent", "quote_with_name")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    for i in 0..5 {
        let mut v = app.signed_in(&format!("su{i}@example.org"), Role::Contributor).await;
        v.call("update_profile", &[("display_name", "Someone"), ("service_user", "on")]).await;
        let (q, key) = page(&mut v, second).await;
        let consent = if i == 0 { "design_group_only" } else { "quote_anonymously" };
        let r = submit(
            &mut v,
            second,
            &key,
            &answers(&q, &statements, &format!("private thought {i}")),
            &[("consent", consent)],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // While the first round is still open its numbers are shown to no one outside the
    // design group, so the second round's results compare with nothing yet: a member
    // polling them could otherwise work out each new answer to the open round.
    // (Members see a round's summary only once it closes, and never the free text.)
    let mut member = app.signed_in("m@example.org", Role::Member).await;
    let r = member.call("load_results", &[("id", &second.to_string())]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    gp.call("close_round", &[("id", &second.to_string())]).await;
    for who in [&mut gp, &mut member] {
        let v = json(&who.call("load_results", &[("id", &second.to_string())]).await);
        assert!(v["previous_round"].is_null(), "{}", v["previous_round"]);
        let ratings = v["questions"][4]["ratings"].as_array().unwrap();
        assert!(ratings.iter().all(|r| r[2].is_null()), "no previous means: {ratings:?}");
    }
    gp.call("close_round", &[("id", &first.to_string())]).await;
    let r = gp.call("load_results", &[("id", &second.to_string())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = json(&r);
    assert_eq!(v["responses"], 6);
    let scale = &v["questions"][1];
    assert_eq!(scale["bars"][3]["count"], 6, "everyone chose 4");
    let ratings = &v["questions"][4]["ratings"];
    assert_eq!(ratings[0][0], "easy in, easy out: I can get help when I need it");
    assert_eq!(ratings[0][2], 2.0, "the previous round's mean");
    assert_eq!(v["previous_round"][0], first);
    // Five service users and one carer (issue 9, finding 3): showing the five would give
    // the carer's ratings by subtraction from the totals, so no row is shown at all.
    let rows = v["breakdown"]["rows"].as_array().unwrap();
    assert!(rows.is_empty(), "{rows:?}");
    assert_eq!(v["breakdown"]["suppressed"], 6);
    assert_eq!(v["questions"][0]["texts"].as_array().unwrap().len(), 6);

    let v = json(&member.call("load_results", &[("id", &second.to_string())]).await);
    assert_eq!(v["full"], false);
    assert!(v["questions"][0]["texts"].as_array().unwrap().is_empty());
    assert!(!v.to_string().contains("private thought"));

    // Exports: for publication, design-group-only words never appear, names only by choice.
    let publication = gp.get(&format!("/consultations/{second}/responses.csv?for=publication")).await;
    assert_eq!(publication.status, StatusCode::OK);
    assert!(publication.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(!publication.body.contains("private thought 0"), "{}", publication.body);
    assert!(publication.body.contains("private thought 1"));
    assert!(publication.body.contains("Cath Carer"));
    assert!(!publication.body.contains("Someone"), "anonymous quotes carry no name");
    let everything = gp.get(&format!("/consultations/{second}/responses.csv?for=design_group")).await;
    assert!(everything.body.contains("private thought 0"));
    let r = member.get(&format!("/consultations/{second}/responses.csv?for=publication")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.client().get(&format!("/consultations/{second}/responses.csv")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn triage_holds_a_contribution_and_moderators_release_hide_and_edit() {
    let (app, _dir, mut gp, proto, statements, round) = public_round().await;
    let mut visitor = app.client();
    let (q, key) = page(&mut visitor, round).await;
    let r =
        submit(&mut visitor, round, &key, &answers(&q, &statements, "Some nights I want to END IT ALL."), &[]).await;
    let to = location(&r);
    assert!(to.starts_with("/receipts/") && to.ends_with("?held=1"), "{to}");
    let token = to.strip_prefix("/receipts/").unwrap().strip_suffix("?held=1").unwrap().to_string();
    let receipt = json(&visitor.call("load_receipt", &[("token", &token)]).await);
    assert_eq!(receipt["held"], true);
    // Held responses are not in the results until released.
    let v = json(&gp.call("load_results", &[("id", &round.to_string())]).await);
    assert_eq!((v["responses"].as_i64(), v["held"].as_i64()), (Some(0), Some(1)));

    // A held comment is seen only by its author (and facilitators).
    let mut carer = app.signed_in("carer@example.org", Role::Contributor).await;
    let k = json(&carer.call("prototype_comments", &[("id", &proto.to_string())]).await)["key"]
        .as_str()
        .unwrap()
        .to_string();
    let r = carer
        .call(
            "add_comment",
            &[("prototype", &proto.to_string()), ("key", &k), ("body", "I could hurt myself when nobody answers")],
        )
        .await;
    assert!(location(&r).contains("held=1"), "{}", location(&r));
    let others = json(&gp.call("prototype_comments", &[("id", &proto.to_string())]).await);
    assert!(others["comments"].as_array().unwrap().is_empty());
    let own = json(&carer.call("prototype_comments", &[("id", &proto.to_string())]).await);
    assert_eq!(own["comments"][0]["state"], "Held");

    // The facilitator's queue: oldest first; opening it is audited.
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let queue = json(&pat.call("moderation_queue", &[]).await);
    let items = queue.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "Response");
    assert!(items[0]["texts"].to_string().contains("END IT ALL"));
    assert_eq!(count(&app, "SELECT count(*) FROM audit_log WHERE action = 'held'").await, 2);
    assert_eq!(count(&app, "SELECT count(*) FROM audit_log WHERE action = 'viewed'").await, 2);
    let r = gp.call("moderation_queue", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let comment = items[1]["id"].as_i64().unwrap().to_string();
    let r = pat.call("moderate", &[("kind", "comment"), ("id", &comment), ("decision", "release")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let others = json(&gp.call("prototype_comments", &[("id", &proto.to_string())]).await);
    assert_eq!(others["comments"][0]["state"], "Published");

    // Reported for personal information: edited out, the original kept for facilitators only.
    let r = gp.call("report_comment", &[("id", &comment), ("reason", "personal_information")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = gp.call("report_comment", &[("id", &comment), ("reason", "boring")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let queue = json(&pat.call("moderation_queue", &[]).await);
    assert!(queue.to_string().contains("personal information"), "{queue}");
    let r = pat
        .call(
            "moderate",
            &[
                ("kind", "comment"),
                ("id", &comment),
                ("decision", "edit"),
                ("text_id", &comment),
                ("text", "I could [removed] when nobody answers"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body: String = sqlx::query_scalar("SELECT body FROM comments").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(body, "I could [removed] when nobody answers");
    assert_eq!(
        count(&app, "SELECT count(*) FROM audit_log WHERE action = 'edited' AND detail LIKE '%hurt myself%'").await,
        1
    );
    // Hiding needs a reason; then the comment keeps its place without its words.
    let r = pat.call("moderate", &[("kind", "comment"), ("id", &comment), ("decision", "hide"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    pat.call("moderate", &[("kind", "comment"), ("id", &comment), ("decision", "hide"), ("reason", "Off-topic")]).await;
    let others = json(&gp.call("prototype_comments", &[("id", &proto.to_string())]).await);
    assert_eq!(others["comments"][0]["state"], "Hidden");
    assert!(others["comments"][0]["body"].is_null());

    // Releasing the held response puts it into the results.
    let response = items[0]["id"].as_i64().unwrap().to_string();
    pat.call("moderate", &[("kind", "response"), ("id", &response), ("decision", "release")]).await;
    let v = json(&gp.call("load_results", &[("id", &round.to_string())]).await);
    assert_eq!(v["responses"], 1);
    app.stop().await;
}

#[tokio::test]
async fn threaded_comments_edits_removals_and_drafts() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (proto, _) = published_prototype(&app, &mut gp).await;
    let p = proto.to_string();
    let mut carer = app.signed_in("carer@example.org", Role::Contributor).await;
    let key = |v: &Value| v["key"].as_str().unwrap().to_string();
    let k = key(&json(&carer.call("prototype_comments", &[("id", &p)]).await));
    let r = carer
        .call(
            "add_comment",
            &[("prototype", &p), ("key", &k), ("body", "How would this work for families?"), ("anonymous", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    carer.call("add_comment", &[("prototype", &p), ("key", &k), ("body", "How would this work for families?")]).await;
    assert_eq!(count(&app, "SELECT count(*) FROM comments").await, 1, "the same form twice is one comment");
    let first: i64 = sqlx::query_scalar("SELECT id FROM comments").fetch_one(&app.state.db.read).await.unwrap();
    let k = key(&json(&gp.call("prototype_comments", &[("id", &p)]).await));
    gp.call(
        "add_comment",
        &[
            ("prototype", &p),
            ("key", &k),
            ("body", "We will ask at the carers' group."),
            ("parent", &first.to_string()),
        ],
    )
    .await;
    // Anchored to a section of iteration 1.
    let k = key(&json(&carer.call("prototype_comments", &[("id", &p)]).await));
    let r = carer
        .call(
            "add_comment",
            &[
                ("prototype", &p),
                ("key", &k),
                ("body", "Carers too, please"),
                ("iteration", "1"),
                ("section", "section-who-it-is-for"),
            ],
        )
        .await;
    assert!(location(&r).starts_with(&format!("/prototypes/{proto}/iterations/1?commented=")), "{}", location(&r));

    let v = json(&gp.call("prototype_comments", &[("id", &p)]).await);
    let c = v["comments"].as_array().unwrap();
    assert_eq!(c.len(), 3);
    assert_eq!((c[0]["depth"].as_i64(), c[1]["depth"].as_i64()), (Some(0), Some(1)), "the reply sits under its parent");
    assert_eq!(c[0]["author"], "Anonymous");
    assert_eq!(c[2]["section"], "section-who-it-is-for");
    let facilitator_view = json(
        &app.signed_in("pat@example.org", Role::Facilitator).await.call("prototype_comments", &[("id", &p)]).await,
    );
    assert!(facilitator_view["comments"][0]["author"].as_str().unwrap().contains("anonymously"));

    // The design group codes a comment with themes.
    let r = gp
        .call("code_themes", &[("kind", "comment"), ("id", &first.to_string()), ("themes", "families, carers")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = json(&gp.call("prototype_comments", &[("id", &p)]).await);
    assert_eq!(v["comments"][0]["themes"], serde_json::json!(["carers", "families"]));
    // Only the author edits (within 15 minutes) and removes.
    let id = first.to_string();
    let r = gp.call("edit_comment", &[("id", &id), ("body", "hijacked")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = carer.call("edit_comment", &[("id", &id), ("body", "How would this work for families and friends?")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    sqlx::query("UPDATE comments SET created_at = created_at - 16 * 60 WHERE id = ?")
        .bind(first)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let r = carer.call("edit_comment", &[("id", &id), ("body", "too late")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = gp.call("delete_comment", &[("id", &id)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    carer.call("delete_comment", &[("id", &id)]).await;
    let v = json(&gp.call("prototype_comments", &[("id", &p)]).await);
    assert_eq!(v["comments"][0]["state"], "Removed");
    assert!(v["comments"][0]["body"].is_null());
    assert_eq!(v["comments"][1]["parent_id"], first, "the reply keeps its place");

    // Empty comments, and comments on a draft the person cannot see.
    let k = key(&json(&carer.call("prototype_comments", &[("id", &p)]).await));
    let r = carer.call("add_comment", &[("prototype", &p), ("key", &k), ("body", "   ")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r =
        gp.call("create_prototype", &[("title", "Secret draft"), ("summary", ""), ("body", "x"), ("themes", "")]).await;
    let draft = location(&r).split('/').nth(2).unwrap().to_string();
    let r = carer.call("add_comment", &[("prototype", &draft), ("key", &k), ("body", "peek")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = carer.call("prototype_comments", &[("id", &draft)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, &format!("SELECT count(*) FROM comments WHERE prototype_id <> {proto}")).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn you_said_we_did_links_feedback_to_the_next_iteration() {
    let (app, _dir, mut gp, proto, statements, round) = public_round().await;
    let mut visitor = app.client();
    let receipt_of = |r: support::Reply| location(&r).strip_prefix("/receipts/").unwrap().to_string();
    let (q, key) = page(&mut visitor, round).await;
    let key = receipt_of(
        submit(
            &mut visitor,
            round,
            &key,
            &answers(&q, &statements, "Nobody answers after 5pm"),
            &[("consent", "quote_anonymously")],
        )
        .await,
    );
    let (q2, key2) = page(&mut visitor, round).await;
    let key2 =
        receipt_of(submit(&mut visitor, round, &key2, &answers(&q2, &statements, "Please add a crèche"), &[]).await);

    // Coding themes on a free-text answer.
    let v = json(&gp.call("load_results", &[("id", &round.to_string())]).await);
    let texts = v["questions"][0]["texts"].as_array().unwrap().clone();
    let answer = texts[0]["answer_id"].as_i64().unwrap().to_string();
    let r = gp
        .call("code_themes", &[("kind", "answer"), ("id", &answer), ("themes", "out of hours, one phone number")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = json(&gp.call("load_results", &[("id", &round.to_string())]).await);
    assert_eq!(v["theme_counts"].as_array().unwrap().len(), 2);
    let r = visitor.call("code_themes", &[("kind", "answer"), ("id", &answer), ("themes", "x")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // The publish form offers open feedback; publishing iteration 2 links the first answer.
    let open = json(&gp.call("open_feedback", &[("prototype", &proto.to_string())]).await);
    assert_eq!(open.as_array().unwrap().len(), 2);
    let first = texts[0]["response_id"].as_i64().unwrap();
    let second = texts[1]["response_id"].as_i64().unwrap();
    let r = gp
        .call(
            "publish_iteration",
            &[("id", &proto.to_string()), ("change_note", "Evening line"), ("acted[]", &format!("response:{first}"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = gp
        .call("set_outcome", &[("kind", "response"), ("id", &second.to_string()), ("iteration", ""), ("reason", "")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a reason or an iteration is needed");
    let r = gp
        .call(
            "set_outcome",
            &[
                ("kind", "response"),
                ("id", &second.to_string()),
                ("iteration", ""),
                ("reason", "No space in the building"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let receipt = json(&visitor.call("load_receipt", &[("token", &key)]).await);
    assert_eq!(receipt["outcome"]["ActedOn"]["iteration"], 2);
    let receipt = json(&visitor.call("load_receipt", &[("token", &key2)]).await);
    assert_eq!(receipt["outcome"]["NotTakenForward"]["reason"], "No space in the building");
    // The iteration page lists it, quoted as its consent allows.
    let mut member = app.signed_in("m@example.org", Role::Member).await;
    let listed = json(&member.call("iteration_feedback", &[("prototype", &proto.to_string()), ("number", "2")]).await);
    assert_eq!(listed[0]["text"], "Nobody answers after 5pm");
    assert_eq!(listed[0]["who"], "Someone who took part");
    app.stop().await;
}

#[tokio::test]
async fn a_design_group_member_types_in_answers_gathered_in_person() {
    let (app, _dir, mut gp, _, statements, round) = public_round().await;
    let (q, key) = page(&mut gp, round).await;
    let a = answers(&q, &statements, "From the paper form");
    let r =
        submit(&mut gp, round, &key, &a, &[("on_behalf", "on"), ("gathered_at", ""), ("consent", "quote_anonymously")])
            .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "where and when is needed");
    let r = submit(
        &mut gp,
        round,
        &key,
        &a,
        &[
            ("on_behalf", "on"),
            ("gathered_at", "Workshop at the Hub"),
            ("consent", "quote_anonymously"),
            ("perspectives[]", "carer"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/consultations/{round}?entered=1"));
    let row: (Option<i64>, Option<i64>, String, String) =
        sqlx::query_as("SELECT user_id, entered_by, gathered_at, consent FROM responses")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!((row.0, row.2.as_str(), row.3.as_str()), (None, "Workshop at the Hub", "quote_anonymously"));
    assert!(row.1.is_some());
    let mut contributor = app.signed_in("c@example.org", Role::Contributor).await;
    let (_, k) = page(&mut contributor, round).await;
    let r = submit(&mut contributor, round, &k, &a, &[("on_behalf", "on"), ("gathered_at", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    app.stop().await;
}

/// Fifty people answering at once: every one is recorded, none sees "database is locked".
#[tokio::test]
async fn fifty_concurrent_submitters_are_all_recorded() {
    let (app, _dir, _, _, statements, round) = public_round().await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let mut c = app.client();
        let statements = statements.clone();
        tasks.push(tokio::spawn(async move {
            let (q, key) = page(&mut c, round).await;
            let r = submit(&mut c, round, &key, &answers(&q, &statements, &format!("answer {i}")), &[]).await;
            (r.status, r.body)
        }));
    }
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(!body.contains("locked"));
    }
    assert_eq!(count(&app, "SELECT count(*) FROM responses").await, 50);
    assert_eq!(count(&app, "SELECT count(*) FROM answers").await, 350);
    app.stop().await;
}

#[tokio::test]
async fn safeguarding_settings_change_the_signposting_and_the_phrases() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let r = pat
        .call(
            "update_safeguarding",
            &[
                ("crisis_text", "Call the Salford crisis line on [0800 952 1181](tel:08009521181)."),
                ("phrases", "no way out\n"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = app.client().get("/consultations").await;
    assert!(page.body.contains("0800 952 1181"), "the footer shows the new text");
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let (proto, _) = published_prototype(&app, &mut gp).await;
    let mut c = app.signed_in("c@example.org", Role::Contributor).await;
    let k =
        json(&c.call("prototype_comments", &[("id", &proto.to_string())]).await)["key"].as_str().unwrap().to_string();
    let r = c
        .call("add_comment", &[("prototype", &proto.to_string()), ("key", &k), ("body", "There is no way out for me")])
        .await;
    assert!(location(&r).contains("held=1"));
    // Empty restores the defaults, which never leaves the site without signposting.
    pat.call("update_safeguarding", &[("crisis_text", ""), ("phrases", "")]).await;
    let s = json(&pat.call("load_safeguarding", &[]).await);
    assert_eq!(s["using_default_phrases"], true);
    assert!(s["crisis_text"].as_str().unwrap().contains("116 123"));
    app.stop().await;
}
