//! Prototypes over HTTP: drafting, revisions, iterations, diffs, stage moves, the timeline,
//! the board and list, settings, and the bad inputs the issue names.

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use support::{Client, TestApp};

/// Creates a prototype as `c`; returns its id (from the redirect to its editor).
async fn create(c: &mut Client, title: &str, extra: &[(&str, &str)]) -> i64 {
    let mut form = vec![
        ("title", title),
        ("summary", "A short summary"),
        ("body", "## The problem\n\nPeople wait.\n"),
        ("themes", "Living Well Hub, out of hours"),
    ];
    form.extend_from_slice(extra);
    let r = c.call("create_prototype", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    location(&r).split('/').nth(2).unwrap().parse().unwrap()
}

fn location(r: &support::Reply) -> String {
    r.headers.get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn revision(app: &TestApp, id: i64) -> String {
    let r: i64 = sqlx::query_scalar("SELECT draft_revision FROM prototypes WHERE id = ?")
        .bind(id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    r.to_string()
}

async fn user_id(app: &TestApp, email: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
        .bind(email)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    id.to_string()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.db.read).await.unwrap()
}

#[tokio::test]
async fn draft_publish_compare_and_move_through_the_stages() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let gp_id = user_id(&app, "gp@example.org").await;
    let id = create(&mut gp, "Living Well Hub", &[]).await;

    // Save, publish 1, save again, publish 2.
    let rev = revision(&app, id).await;
    let body1 = "## What we will try\n\nA phone line open 9 to 5.\n";
    let r = gp
        .call(
            "save_draft",
            &[
                ("id", &id.to_string()),
                ("revision", &rev),
                ("title", "Living Well Hub"),
                ("summary", "One front door"),
                ("body", body1),
                ("themes", "Living Well Hub"),
                ("authors[]", &gp_id),
                ("intent", "preview"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(location(&r).ends_with("/edit?preview=1#preview"), "{}", location(&r));
    let r =
        gp.call("publish_iteration", &[("id", &id.to_string()), ("change_note", "First try from the workshop")]).await;
    assert_eq!(location(&r), format!("/prototypes/{id}/iterations/1?published=1"));

    let rev = revision(&app, id).await;
    let body2 = "## What we will try\n\nA phone line open 9 to 9.\n";
    gp.call(
        "save_draft",
        &[
            ("id", &id.to_string()),
            ("revision", &rev),
            ("title", "Living Well Hub"),
            ("summary", "One front door"),
            ("body", body2),
            ("themes", "Living Well Hub"),
            ("authors[]", &gp_id),
        ],
    )
    .await;
    let r = gp
        .call(
            "publish_iteration",
            &[("id", &id.to_string()), ("change_note", "Evening line: nobody answers after 5pm")],
        )
        .await;
    assert_eq!(location(&r), format!("/prototypes/{id}/iterations/2?published=1"));

    // Iterations are immutable snapshots: later draft edits do not touch them.
    let rev = revision(&app, id).await;
    gp.call(
        "save_draft",
        &[
            ("id", &id.to_string()),
            ("revision", &rev),
            ("title", "Living Well Hub"),
            ("summary", "x"),
            ("body", "changed again"),
            ("themes", ""),
            ("authors[]", &gp_id),
        ],
    )
    .await;
    let r = gp.call("iteration_page", &[("id", &id.to_string()), ("number", "1")]).await;
    assert!(r.body.contains("9 to 5") && r.body.contains("section-what-we-will-try"), "{}", r.body);

    let r = gp.call("compare", &[("id", &id.to_string()), ("from", "1"), ("to", "2")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("\"Removed\"") && r.body.contains("\"Added\""), "{}", r.body);
    assert!(
        r.body.contains("{\"changed\":true,\"text\":\"5.\"}") && r.body.contains("{\"changed\":true,\"text\":\"9.\"}"),
        "{}",
        r.body
    );

    // Stage moves, with a reason, onto the timeline.
    let stages: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM stages ORDER BY position").fetch_all(&app.state.db.read).await.unwrap();
    let testing = stages.iter().find(|(_, n)| n == "Testing").unwrap().0.to_string();
    let r = gp
        .call(
            "move_stage",
            &[("id", &id.to_string()), ("stage", &testing), ("reason", "Ready to try with two surgeries")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = gp.call("prototype", &[("id", &id.to_string())]).await;
    let body = r.body;
    let at = |s: &str| body.find(s).unwrap_or_else(|| panic!("{s} missing from {body}"));
    assert!(at("\"Created\"") < at("{\"Iteration\":{\"number\":1}}"));
    assert!(at("{\"Iteration\":{\"number\":1}}") < at("{\"Iteration\":{\"number\":2}}"));
    assert!(at("{\"Iteration\":{\"number\":2}}") < at("\"StageMove\":{\"from\":\"Idea\",\"to\":\"Testing\"}"));
    assert!(
        body.contains("Ready to try with two surgeries") && body.contains("Evening line: nobody answers after 5pm")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_save_over_a_newer_revision_is_refused_and_both_texts_are_kept() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let mut peer = app.signed_in("peer@example.org", Role::DesignGroup).await;
    let (gp_id, peer_id) = (user_id(&app, "gp@example.org").await, user_id(&app, "peer@example.org").await);
    let id = create(&mut gp, "Peer support", &[]).await;
    let rev = revision(&app, id).await;
    let form = |body: &'static str, author: &str| -> Vec<(&'static str, String)> {
        vec![
            ("id", id.to_string()),
            ("revision", rev.clone()),
            ("title", "Peer support".into()),
            ("summary", "".into()),
            ("body", body.into()),
            ("themes", "".into()),
            ("authors[]", author.to_string()),
        ]
    };
    let as_refs = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let f1 = as_refs(&form("GP's version", &gp_id));
    let r = gp.call("save_draft", &f1.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert!(location(&r).ends_with("edit?saved=1"));
    let f2 = as_refs(&form("Peer's version", &peer_id));
    let r = peer.call("save_draft", &f2.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let loc = location(&r);
    assert!(loc.contains("/edit?conflict="), "{loc}");
    let conflict = loc.split("conflict=").nth(1).unwrap().to_string();

    let saved: String = sqlx::query_scalar("SELECT draft_body FROM prototypes WHERE id = ?")
        .bind(id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(saved, "GP's version", "the newer save is not overwritten");
    let r = peer.call("load_draft", &[("id", &id.to_string()), ("conflict", &conflict)]).await;
    assert!(r.body.contains("Peer's version") && r.body.contains("GP's version"), "both texts: {}", r.body);
    let r = gp.call("load_draft", &[("id", &id.to_string()), ("conflict", &conflict)]).await;
    assert!(!r.body.contains("Peer's version"), "a refused text is its author's alone: {}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn bad_input_is_refused_with_a_message_and_nothing_is_written() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let gp_id = user_id(&app, "gp@example.org").await;
    let before = count(&app, "SELECT count(*) FROM prototypes").await;
    let long_title = "t".repeat(201);
    let big_body = "x".repeat(200 * 1024 + 1);
    for (title, body, field, words) in [
        ("", "text", "title", "Please give the title"),
        (long_title.as_str(), "text", "title", "at most 200"),
        ("Fine title", big_body.as_str(), "body", "200 KB"),
    ] {
        let r = gp.call("create_prototype", &[("title", title), ("summary", ""), ("body", body), ("themes", "")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", &r.body[..r.body.len().min(300)]);
        assert!(r.body.contains(field) && r.body.contains(words), "{}", &r.body[..r.body.len().min(300)]);
    }
    let r = gp
        .call(
            "create_prototype",
            &[("title", "Fine"), ("summary", ""), ("body", "x"), ("themes", ""), ("authors[]", "999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "an unknown co-author");
    assert_eq!(count(&app, "SELECT count(*) FROM prototypes").await, before, "nothing written");

    let id = create(&mut gp, "Hub", &[]).await;
    let events = count(&app, "SELECT count(*) FROM timeline_events").await;
    let r = gp.call("move_stage", &[("id", &id.to_string()), ("stage", "9999"), ("reason", "why not")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "unknown stage: {}", r.body);
    let decision: i64 = sqlx::query_scalar("SELECT id FROM stages WHERE name = 'Decision'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let r = gp
        .call("move_stage", &[("id", &id.to_string()), ("stage", &decision.to_string()), ("reason", "vote on it")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("at least one published iteration"), "{}", r.body);
    let r = gp.call("move_stage", &[("id", &id.to_string()), ("stage", &decision.to_string()), ("reason", " ")]).await;
    assert!(r.body.contains("reason"), "{}", r.body);
    let r = gp.call("publish_iteration", &[("id", &id.to_string()), ("change_note", "  ")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("what changed and why"), "{}", r.body);
    assert_eq!(count(&app, "SELECT count(*) FROM timeline_events").await, events, "nothing written");
    assert_eq!(count(&app, "SELECT count(*) FROM iterations").await, 0);

    // A contributor may not move stages.
    let mut contributor = app.signed_in("jo@example.org", Role::Contributor).await;
    let r = contributor
        .call("move_stage", &[("id", &id.to_string()), ("stage", &decision.to_string()), ("reason", "please")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Iterations that do not exist, or belong to another prototype, are 404s.
    gp.call("publish_iteration", &[("id", &id.to_string()), ("change_note", "one")]).await;
    let other = create(&mut gp, "Other", &[]).await;
    for n in ["1", "2"] {
        let rev = revision(&app, other).await;
        gp.call(
            "save_draft",
            &[
                ("id", &other.to_string()),
                ("revision", &rev),
                ("title", "Other"),
                ("summary", ""),
                ("body", n),
                ("themes", ""),
                ("authors[]", &gp_id),
            ],
        )
        .await;
        gp.call("publish_iteration", &[("id", &other.to_string()), ("change_note", n)]).await;
    }
    let r = gp.call("compare", &[("id", &id.to_string()), ("from", "1"), ("to", "2")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "iteration 2 is the other prototype's");
    let r = gp.call("iteration_page", &[("id", &id.to_string()), ("number", "7")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = gp.call("prototype", &[("id", "424242")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn drafts_are_seen_only_by_the_design_group() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let draft = create(&mut gp, "Unpublished idea", &[]).await;
    let published = create(&mut gp, "Published idea", &[]).await;
    gp.call("publish_iteration", &[("id", &published.to_string()), ("change_note", "first")]).await;

    for role in [Role::Contributor, Role::Member] {
        let mut c = app.signed_in(&format!("{}@example.org", role.as_str()), role).await;
        assert_eq!(c.call("prototype", &[("id", &draft.to_string())]).await.status, StatusCode::NOT_FOUND, "{role:?}");
        assert_eq!(c.call("prototype", &[("id", &published.to_string())]).await.status, StatusCode::OK);
        assert_eq!(c.call("load_draft", &[("id", &published.to_string())]).await.status, StatusCode::FORBIDDEN);
        let board = c.call("board", &[]).await.body;
        assert!(board.contains("Published idea") && !board.contains("Unpublished idea"), "{board}");
        let list = c.call("list_prototypes", &[("q", "idea")]).await.body;
        assert!(list.contains("\"total\":1"), "{list}");
    }
    assert_eq!(app.client().call("board", &[]).await.status, StatusCode::UNAUTHORIZED);
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    assert!(fac.call("board", &[]).await.body.contains("Unpublished idea"));
    app.stop().await;
}

#[tokio::test]
async fn the_list_filters_searches_sorts_and_pages_in_sql() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let statement: i64 = sqlx::query_scalar("INSERT INTO experience_statements (text, short_name, position) VALUES ('I can get help when I need it', 'easy in', 1) RETURNING id")
        .fetch_one(&app.state.db.write)
        .await
        .unwrap();
    for i in 0..30 {
        let s = statement.to_string();
        let extra: Vec<(&str, &str)> = if i % 3 == 0 { vec![("statements[]", s.as_str())] } else { vec![] };
        let id = create(&mut gp, &format!("Prototype {i:02}"), &extra).await;
        if i % 2 == 0 {
            gp.call("publish_iteration", &[("id", &id.to_string()), ("change_note", "n")]).await;
        }
    }
    let page0 = gp.call("list_prototypes", &[("sort", "title")]).await.body;
    assert!(page0.contains("\"total\":30") && page0.contains("\"has_more\":true"), "{}", &page0[..300]);
    assert!(page0.find("Prototype 00").unwrap() < page0.find("Prototype 01").unwrap());
    let page1 = gp.call("list_prototypes", &[("sort", "title"), ("page", "1")]).await.body;
    assert!(page1.contains("Prototype 29") && !page1.contains("Prototype 00") && page1.contains("\"has_more\":false"));
    let by_statement = gp.call("list_prototypes", &[("statement", &statement.to_string())]).await.body;
    assert!(by_statement.contains("\"total\":10"), "{}", &by_statement[..200]);
    let searched = gp.call("list_prototypes", &[("q", "type 1")]).await.body;
    assert!(searched.contains("\"total\":10"), "Prototype 10 to 19: {}", &searched[..200]);
    let percent = gp.call("list_prototypes", &[("q", "%")]).await.body;
    assert!(percent.contains("\"total\":0"), "a % is searched for, not a wildcard");
    let themed = gp.call("list_prototypes", &[("theme", "out of hours")]).await.body;
    assert!(themed.contains("\"total\":30"));
    let mine = gp.call("list_prototypes", &[("author", &user_id(&app, "gp@example.org").await)]).await.body;
    assert!(mine.contains("\"total\":30"));

    // The board shows the newest few per column and the column's full count.
    let board = gp.call("board", &[]).await.body;
    assert!(board.contains("\"total\":30"), "{}", &board[..300]);
    assert_eq!(board.matches("\"title\":\"Prototype").count(), 8, "newest 8 only");
    assert!(board.contains("Prototype 29") && !board.contains("Prototype 00"));
    let by_statement = gp.call("board", &[("statement", &statement.to_string())]).await.body;
    assert!(by_statement.contains("\"total\":10"), "the board filters by statement: {}", &by_statement[..300]);
    assert_eq!(by_statement.matches("\"title\":\"Prototype").count(), 8);
    let statement_page = gp.call("statement_page", &[("id", &statement.to_string())]).await.body;
    assert_eq!(statement_page.matches("\"title\":\"Prototype").count(), 10);
    app.stop().await;
}

#[tokio::test]
async fn facilitators_manage_stages_and_statements() {
    let (app, _dir) = TestApp::fresh().await;
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    assert_eq!(fac.call("add_stage", &[("name", "Scoping")]).await.status, StatusCode::OK);
    let scoping: i64 =
        sqlx::query_scalar("SELECT id FROM stages WHERE name = 'Scoping'").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(
        fac.call("rename_stage", &[("id", &scoping.to_string()), ("name", "Scoping work")]).await.status,
        StatusCode::OK
    );
    fac.call("reorder_stage", &[("id", &scoping.to_string()), ("direction", "up")]).await;
    let order: Vec<String> =
        sqlx::query_scalar("SELECT name FROM stages ORDER BY position").fetch_all(&app.state.db.read).await.unwrap();
    assert_eq!(order[order.len() - 2], "Scoping work", "{order:?}");

    // A stage in use cannot be retired.
    let idea: i64 =
        sqlx::query_scalar("SELECT id FROM stages WHERE name = 'Idea'").fetch_one(&app.state.db.read).await.unwrap();
    create(&mut fac, "At Idea", &[]).await;
    let r = fac.call("retire_stage", &[("id", &idea.to_string()), ("retired", "true")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Move them to another stage"), "{}", r.body);
    assert_eq!(
        fac.call("retire_stage", &[("id", &scoping.to_string()), ("retired", "true")]).await.status,
        StatusCode::OK
    );
    assert!(!fac.call("board", &[]).await.body.contains("Scoping work"), "retired stages leave the board");

    let r = fac.call("add_statement", &[("text", "I have one plan"), ("short_name", "one plan")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = fac.call("add_statement", &[("text", " "), ("short_name", "")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let st: i64 =
        sqlx::query_scalar("SELECT id FROM experience_statements").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(
        fac.call(
            "update_statement",
            &[("id", &st.to_string()), ("text", "I have one plan and one person"), ("short_name", "")]
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        fac.call("retire_statement", &[("id", &st.to_string()), ("retired", "true")]).await.status,
        StatusCode::OK
    );
    let r = fac
        .call(
            "create_prototype",
            &[("title", "x"), ("summary", ""), ("body", ""), ("themes", ""), ("statements[]", &st.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a retired statement cannot be chosen");
    app.stop().await;
}
