//! Comment threads under attack (issue 9, findings 4 and 9): bounded work per view with
//! 50,000 chained replies, paged threads, a per-person rate limit, and what members see
//! that the page hides (theme codes, replies to held comments, held responses counted).

use crate::support;

use std::time::Instant;

use app::auth::Role;
use reqwest::StatusCode;
use serde_json::Value;
use support::{Client, TestApp};

fn location(r: &support::Reply) -> String {
    r.headers.get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

fn json(r: &support::Reply) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", r.status, r.body))
}

/// A prototype with one published iteration (two sections); returns its id.
async fn published_prototype(gp: &mut Client) -> i64 {
    let r = gp
        .call(
            "create_prototype",
            &[
                ("title", "Living Well Hub"),
                ("summary", "One front door"),
                ("body", "## The problem\n\nPeople wait.\n\n## Who it is for\n\nAdults.\n"),
                ("themes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id: i64 = location(&r).split('/').nth(2).unwrap().parse().unwrap();
    let r = gp.call("publish_iteration", &[("id", &id.to_string()), ("change_note", "First try")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    id
}

async fn last_comment(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT max(id) FROM comments").fetch_one(&app.state.db.read).await.unwrap()
}

/// Inserts `n` replies, each answering the one before, under one top-level comment, in one
/// transaction (posting them one by one through the API would take minutes). Rows are stored
/// as `add_comment` stores them. Returns the top-level comment's id.
async fn chained_replies(app: &TestApp, proto: i64, author: i64, n: i64) -> i64 {
    let mut tx = app.state.db.write.begin().await.unwrap();
    let root: i64 = sqlx::query_scalar(
        "INSERT INTO comments (prototype_id, author_id, body, status, form_key_hash, created_at) VALUES (?, ?, 'The first word', 'published', 'bulk-root-' || ?, 0) RETURNING id",
    )
    .bind(proto)
    .bind(author)
    .bind(proto)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    sqlx::query("UPDATE comments SET thread_id = id WHERE id = ?").bind(root).execute(&mut *tx).await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
         INSERT INTO comments (id, prototype_id, parent_id, thread_id, author_id, body, status, form_key_hash, created_at)
         SELECT ?1 + i, ?2, ?1 + i - 1, ?1, ?4, 'Reply ' || i, 'published', 'bulk-' || ?1 || '-' || i, i FROM n WHERE i <= ?3",
    )
    .bind(root)
    .bind(proto)
    .bind(n)
    .bind(author)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    root
}

#[tokio::test]
async fn fifty_thousand_chained_replies_leave_the_page_and_the_thread_answering() {
    let (app, _dir) = TestApp::fresh().await;
    let author = app.user("gp@example.org", Role::DesignGroup).await;
    let mut gp = app.client();
    gp.call("login", &[("email", "gp@example.org"), ("password", support::PASSWORD)]).await;
    let proto = published_prototype(&mut gp).await;
    chained_replies(&app, proto, author, 50_000).await;
    let p = proto.to_string();

    let r = gp.call("prototype_comments", &[("id", &p)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = json(&r);
    let shown = v["comments"].as_array().unwrap();
    assert_eq!(shown.len() as i64, app::feedback::rules::COMMENTS_PER_PAGE, "one page, not the whole thread");
    assert_eq!(v["total"], 50_001);
    assert_eq!(v["more"], true);
    assert!(
        shown.iter().all(|c| c["depth"].as_u64().unwrap() <= app::feedback::rules::MAX_DEPTH as u64),
        "replies deeper than the cap attach at the cap"
    );
    // A page far down the thread is as quick to reach as the first.
    let r = gp.call("prototype_comments", &[("id", &p), ("page", "999")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(json(&r)["comments"].as_array().unwrap().len(), 50);
    let r = gp.call("prototype_comments", &[("id", &p), ("page", "1000")]).await;
    assert_eq!(json(&r)["comments"].as_array().unwrap().len(), 1);
    assert_eq!(json(&r)["more"], false);
    for bad in ["-1", "9223372036854775807"] {
        let r = gp.call("prototype_comments", &[("id", &p), ("page", bad)]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "page {bad}: {}", r.body);
    }

    // The server-rendered page answers, with a link to more comments that needs no JavaScript.
    let r = gp.get(&format!("/prototypes/{proto}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(&format!("href=\"/prototypes/{proto}?comments=1#comments-heading\"")),
        "a plain link to the next page"
    );
    let r = gp.get(&format!("/prototypes/{proto}?comments=1000")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Reply 50000"));
    assert!(r.body.contains(&format!("href=\"/prototypes/{proto}?comments=999#comments-heading\"")));
    // Replying at the end of the chain still works, and the server is still up.
    let last = last_comment(&app).await;
    let r = gp.comment(proto, "Still here", Some(last)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = gp.get("/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    app.stop().await;
}

/// Records how long a view takes with 50,000 chained replies (BENCHMARKS.md). Run with
/// `cargo test -p server --test integration -- --ignored --nocapture thread_timing`.
#[tokio::test]
#[ignore]
async fn thread_timing() {
    let (app, _dir) = TestApp::fresh().await;
    let author = app.user("gp@example.org", Role::DesignGroup).await;
    let mut gp = app.client();
    gp.call("login", &[("email", "gp@example.org"), ("password", support::PASSWORD)]).await;
    let proto = published_prototype(&mut gp).await;
    let t = Instant::now();
    chained_replies(&app, proto, author, 50_000).await;
    println!("insert 50,000 chained replies: {:?}", t.elapsed());
    // For comparison, a prototype with one comment.
    let small = published_prototype(&mut gp).await;
    chained_replies(&app, small, author, 0).await;
    let p = proto.to_string();
    let paths = [
        ("one comment", format!("/prototypes/{small}")),
        ("first page", format!("/prototypes/{proto}")),
        ("last page", format!("/prototypes/{proto}?comments=1000")),
    ];
    for (what, path) in paths {
        let mut times = Vec::new();
        for _ in 0..11 {
            let t = Instant::now();
            let r = gp.get(&path).await;
            assert_eq!(r.status, StatusCode::OK);
            times.push(t.elapsed());
        }
        times.sort();
        println!("GET {path} ({what}): median {:?}, max {:?}", times[5], times[10]);
    }
    for (id, page) in [(small.to_string(), "0"), (p.clone(), "0"), (p.clone(), "1000")] {
        let mut times = Vec::new();
        for _ in 0..11 {
            let t = Instant::now();
            let r = gp.call("prototype_comments", &[("id", &id), ("page", page)]).await;
            assert_eq!(r.status, StatusCode::OK);
            times.push(t.elapsed());
        }
        times.sort();
        println!("POST /api/prototype_comments id {id} page {page}: median {:?}, max {:?}", times[5], times[10]);
    }
    app.stop().await;
}

#[tokio::test]
async fn threads_are_paged_top_level_first_in_thread_order() {
    let (app, _dir) = TestApp::fresh().await;
    let author = app.user("gp@example.org", Role::DesignGroup).await;
    let mut gp = app.client();
    gp.call("login", &[("email", "gp@example.org"), ("password", support::PASSWORD)]).await;
    let proto = published_prototype(&mut gp).await;
    // 60 top-level comments; the first one gets two replies posted last.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
         INSERT INTO comments (id, prototype_id, thread_id, author_id, body, status, form_key_hash, created_at)
         SELECT 1000 + i, ?1, 1000 + i, ?2, 'Top ' || i, 'published', 'top-' || i, i FROM n",
    )
    .bind(proto)
    .bind(author)
    .execute(&app.state.db.write)
    .await
    .unwrap();
    let first = gp.comment(proto, "A reply to the first", Some(1001)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let reply = last_comment(&app).await;
    gp.comment(proto, "A reply to the reply", Some(reply)).await;
    let v = json(&gp.call("prototype_comments", &[("id", &proto.to_string())]).await);
    let c = v["comments"].as_array().unwrap();
    let bodies: Vec<&str> = c.iter().take(4).map(|c| c["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["Top 1", "A reply to the first", "A reply to the reply", "Top 2"]);
    assert_eq!((c[1]["depth"].as_u64(), c[2]["depth"].as_u64()), (Some(1), Some(2)));
    assert_eq!((c.len(), v["total"].as_i64(), v["more"].as_bool()), (50, Some(62), Some(true)));
    let v = json(&gp.call("prototype_comments", &[("id", &proto.to_string()), ("page", "1")]).await);
    assert_eq!(v["comments"].as_array().unwrap().len(), 12);
    assert_eq!(v["more"], false);
    app.stop().await;
}

#[tokio::test]
async fn one_person_cannot_post_comments_without_limit() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto = published_prototype(&mut gp).await;
    let mut carer = app.signed_in("carer@example.org", Role::Contributor).await;
    let max = app::feedback::api::COMMENT_RATE.max;
    for n in 0..max {
        let r = carer.comment(proto, &format!("Comment {n}"), None).await;
        assert_eq!(r.status, StatusCode::OK, "{n}: {}", r.body);
    }
    let root = last_comment(&app).await;
    let r = carer.comment(proto, "One too many", Some(root)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "replies count too: {}", r.body);
    let r = carer.comment(proto, "One too many", None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let written: i64 = sqlx::query_scalar("SELECT count(*) FROM comments WHERE body = 'One too many'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(written, 0);
    // Someone else still can.
    let r = gp.comment(proto, "Mine is fine", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn theme_codes_reach_only_the_design_group_and_facilitators() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto = published_prototype(&mut gp).await;
    let mut carer = app.signed_in("carer@example.org", Role::Contributor).await;
    carer.comment(proto, "Evenings, please", None).await;
    let id = last_comment(&app).await.to_string();
    let r = gp.call("code_themes", &[("kind", "comment"), ("id", &id), ("themes", "opening hours")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = proto.to_string();
    for (who, role, sees) in [
        ("carer2", Role::Contributor, false),
        ("member", Role::Member, false),
        ("gp2", Role::DesignGroup, true),
        ("pat", Role::Facilitator, true),
    ] {
        let mut c = app.signed_in(&format!("{who}@example.org"), role).await;
        let r = c.call("prototype_comments", &[("id", &p)]).await;
        assert_eq!(!r.body.contains("opening hours"), !sees, "{who}: {}", r.body);
        let r = c.call("prototype_comments", &[("id", &p), ("iteration", "1")]).await;
        assert!(!r.body.contains("opening hours") || sees, "{who}: {}", r.body);
    }
    app.stop().await;
}

#[tokio::test]
async fn a_reply_to_a_held_or_hidden_comment_is_refused_like_a_missing_one() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto = published_prototype(&mut gp).await;
    let mut carer = app.signed_in("carer@example.org", Role::Contributor).await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let r = carer.comment(proto, "I could hurt myself when nobody answers", None).await;
    assert!(location(&r).contains("held=1"), "{}", location(&r));
    let held = last_comment(&app).await;

    let missing = gp.comment(proto, "Hello?", Some(held + 1000)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
    for (who, c) in [("another member", &mut gp), ("its author", &mut carer), ("a facilitator", &mut pat)] {
        let r = c.comment(proto, "Are you all right?", Some(held)).await;
        assert_eq!(
            (r.status, r.body.as_str()),
            (missing.status, missing.body.as_str()),
            "{who}: same answer as a missing comment"
        );
    }
    let r = pat
        .call(
            "moderate",
            &[("kind", "comment"), ("id", &held.to_string()), ("decision", "hide"), ("reason", "Safeguarding")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = gp.comment(proto, "Are you all right?", Some(held)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "hidden too: {}", r.body);
    let replies: i64 = sqlx::query_scalar("SELECT count(*) FROM comments WHERE parent_id = ?")
        .bind(held)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(replies, 0);
    // A published comment takes replies.
    carer.comment(proto, "Evenings, please", None).await;
    let open = last_comment(&app).await;
    let r = gp.comment(proto, "Noted", Some(open)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn a_visitor_counts_only_published_responses() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto = published_prototype(&mut gp).await;
    let now = chrono::Utc::now().timestamp();
    let (opens, closes) = (app::time::to_local_input(now - 60), app::time::to_local_input(now + 86_400));
    let p = proto.to_string();
    let r = gp
        .call(
            "open_round",
            &[
                ("prototype", p.as_str()),
                ("iteration", "1"),
                ("title", "Round"),
                ("purpose", ""),
                ("audience", "public"),
                ("opens", &opens),
                ("closes", &closes),
                ("kind[]", "text"),
                ("prompt[]", "Anything?"),
                ("options[]", ""),
                ("low[]", ""),
                ("high[]", ""),
                ("required[]", "no"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let round: i64 = location(&r).split('/').nth(2).unwrap().split('?').next().unwrap().parse().unwrap();
    let question: i64 = sqlx::query_scalar("SELECT id FROM questions WHERE round_id = ?")
        .bind(round)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let field = format!("answers[q{question}]");
    for text in ["Some nights I want to END IT ALL.", "Evenings please"] {
        let mut visitor = app.client();
        let v = json(&visitor.call("load_round", &[("id", &round.to_string())]).await);
        let key = v["key"].as_str().unwrap().to_string();
        let r = visitor.call("submit_response", &[("round", &round.to_string()), ("key", &key), (&field, text)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM responses ORDER BY id").fetch_all(&app.state.db.read).await.unwrap();
    assert_eq!(statuses, ["held", "published"]);
    let mut visitor = app.client();
    let list = json(&visitor.call("list_rounds", &[]).await);
    assert_eq!(list["rounds"][0]["responses"], 1, "the held answer is not counted");
    let r = visitor.call("load_round", &[("id", &round.to_string())]).await;
    let v = json(&r);
    assert!(!r.body.contains("\"responses\":2"), "{}", r.body);
    let _ = v;
    let r = visitor.get("/consultations").await;
    assert!(r.body.contains("1 responses") && !r.body.contains("2 responses"), "{}", r.body);
    app.stop().await;
}

/// The same class as replies (finding 9): no call answers differently for a held comment
/// than for one that does not exist, unless the caller wrote it.
#[tokio::test]
async fn a_held_comment_cannot_be_found_by_reporting_editing_removing_or_coding_it() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let proto = published_prototype(&mut gp).await;
    let mut carer = app.signed_in("carer@example.org", Role::Contributor).await;
    let r = carer.comment(proto, "I could hurt myself when nobody answers", None).await;
    assert!(location(&r).contains("held=1"), "{}", location(&r));
    let held = last_comment(&app).await.to_string();
    let missing = (last_comment(&app).await + 1000).to_string();
    let mut member = app.signed_in("member@example.org", Role::Member).await;
    let calls: [(&str, Vec<(&str, &str)>); 3] = [
        ("report_comment", vec![("reason", "unsafe")]),
        ("edit_comment", vec![("body", "Changed")]),
        ("delete_comment", vec![]),
    ];
    for (function, extra) in &calls {
        let answer = |id: &str| {
            let mut form = vec![("id", id.to_string())];
            form.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
            form
        };
        let on_missing =
            member.call(function, &answer(&missing).iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
        let on_held =
            member.call(function, &answer(&held).iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
        assert_eq!(
            (on_held.status, on_held.body.as_str()),
            (on_missing.status, on_missing.body.as_str()),
            "{function}"
        );
        assert_eq!(on_held.status, StatusCode::NOT_FOUND, "{function}");
    }
    for (function, form) in [
        ("code_themes", vec![("kind", "comment"), ("id", held.as_str()), ("themes", "x")]),
        ("set_outcome", vec![("kind", "comment"), ("id", held.as_str()), ("reason", "No")]),
    ] {
        let r = gp.call(function, &form).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{function}: {}", r.body);
    }
    let (status, reports): (String, i64) =
        sqlx::query_as("SELECT status, (SELECT count(*) FROM reports) FROM comments WHERE id = ?")
            .bind(held.parse::<i64>().unwrap())
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!((status.as_str(), reports), ("held", 0));
    // A published comment: others are refused as before, and reporting works.
    carer.comment(proto, "Evenings, please", None).await;
    let open = last_comment(&app).await.to_string();
    let r = member.call("edit_comment", &[("id", &open), ("body", "Changed")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = member.call("report_comment", &[("id", &open), ("reason", "off_topic")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.stop().await;
}
