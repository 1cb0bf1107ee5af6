//! Round trips: the statements the feedback, moderation and members pages run, counted from
//! sqlx's own log (issue 10: at most 3 of a page's own after the request frame). The comment
//! thread is one statement: the page of comments, its total and the reader's right to see
//! the prototype together.

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use support::{statements, Client, TestApp};

async fn exec(app: &TestApp, sql: &str) {
    sqlx::raw_sql(sql).execute(&app.state.db.write).await.unwrap();
}

/// A published prototype with an open round: (prototype, round).
async fn prototype_and_round(gp: &mut Client) -> (i64, i64) {
    let proto = gp
        .published_prototype(&[
            ("title", "Living Well Hub"),
            ("summary", "One front door"),
            ("body", "## The problem\n\nPeople wait.\n\n## Who it is for\n\nAdults.\n"),
            ("themes", ""),
        ])
        .await;
    let t = chrono::Utc::now().timestamp();
    let r = gp
        .call(
            "open_round",
            &[
                ("prototype", &proto.to_string()),
                ("iteration", "1"),
                ("title", "First round"),
                ("purpose", ""),
                ("audience", "public"),
                ("opens", &app::time::to_local_input(t - 60)),
                ("closes", &app::time::to_local_input(t + 86_400)),
                ("kind[]", "text"),
                ("prompt[]", "Anything?"),
                ("options[]", ""),
                ("low[]", ""),
                ("high[]", ""),
                ("required[]", "no"),
                ("kind[]", "text"),
                ("prompt[]", "Anything else?"),
                ("options[]", ""),
                ("low[]", ""),
                ("high[]", ""),
                ("required[]", "no"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    (proto, r.created_id())
}

/// A lively thread and a long moderation queue, stored as the app stores them: 80 people
/// with perspectives; 300 comments in threads (some anonymous, some coded with themes, a
/// few held); 40 held comments, 30 held responses with two answers each, 30 reported
/// comments, each with audit history.
async fn seed(app: &TestApp, proto: i64, round: i64) {
    let mut sql = String::from("BEGIN;\n");
    let t = chrono::Utc::now().timestamp() - 100_000;
    for u in 0..80 {
        sql += &format!(
            "INSERT INTO users (email, display_name, password_hash, role, created_at) VALUES ('p{u}@lab.test', 'Person {u}', 'x', 'contributor', {t});\n"
        );
        sql += &format!(
            "INSERT INTO user_perspectives (user_id, perspective) SELECT id, 'carer' FROM users WHERE email = 'p{u}@lab.test';
             INSERT INTO user_perspectives (user_id, perspective) SELECT id, 'service_user' FROM users WHERE email = 'p{u}@lab.test';\n"
        );
    }
    let author = |n: i64| format!("(SELECT id FROM users WHERE email = 'p{}@lab.test')", n % 40);
    let mut id = 0;
    // A top-level comment (no parent) starts its own thread.
    let mut comment = |sql: &mut String, parent: Option<i64>, status: &str, n: i64| {
        id += 1;
        let thread = parent.unwrap_or(id);
        let parent = parent.map_or("NULL".to_string(), |p| p.to_string());
        let (iteration, section) = if n % 5 == 0 { ("1", "'section-the-problem'") } else { ("NULL", "NULL") };
        *sql += &format!(
            "INSERT INTO comments (id, prototype_id, parent_id, thread_id, iteration_number, section, author_id, anonymous, body, status, form_key_hash, created_at)
             VALUES ({id}, {proto}, {parent}, {thread}, {iteration}, {section}, {}, {}, 'Comment {id}', '{status}', 'k{id}', {});\n",
            author(n),
            i64::from(n % 3 == 0),
            t + id,
        );
        id
    };
    for n in 0..60 {
        let top = comment(&mut sql, None, "published", n);
        for r in 0..4 {
            let status = if r == 3 && n % 4 == 0 { "held" } else { "published" };
            comment(&mut sql, Some(top), status, n + r + 1);
        }
        sql += &format!(
            "INSERT INTO feedback_themes (item_kind, item_id, theme) VALUES ('comment', {top}, 'waiting'), ('comment', {top}, 'phones');\n"
        );
    }
    // The moderation queue: held comments, reported comments, held responses.
    for n in 0..40 {
        let c = comment(&mut sql, None, "held", n);
        sql += &format!(
            "INSERT INTO audit_log (at, actor_id, action, item_kind, item_id, detail) VALUES ({t}, NULL, 'held', 'comment', {c}, 'Triage matched “hurt myself”');\n"
        );
    }
    for n in 0..30 {
        let c = 1 + n * 5;
        for r in 0..3 {
            sql += &format!(
                "INSERT INTO reports (comment_id, reporter_id, reason, created_at) VALUES ({c}, {}, '{}', {t});
                 INSERT INTO audit_log (at, actor_id, action, item_kind, item_id, detail) VALUES ({t}, {}, 'reported', 'comment', {c}, 'It is off-topic');\n",
                author(n + r + 7),
                ["off_topic", "offensive", "personal_information"][r as usize],
                author(n + r + 7),
            );
        }
    }
    let question: i64 = sqlx::query_scalar("SELECT min(id) FROM questions WHERE round_id = ?")
        .bind(round)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    for n in 0..30 {
        let user = if n % 3 == 0 { "NULL".to_string() } else { author(n) };
        let gathered = if n % 6 == 0 { "Drop-in, Tuesday" } else { "" };
        sql += &format!(
            "INSERT INTO responses (id, round_id, user_id, gathered_at, submission_hash, status, held_phrase, created_at)
             VALUES ({}, {round}, {user}, '{gathered}', 'r{n}', 'held', 'end it all', {});
             INSERT INTO answers (response_id, question_id, text) VALUES ({0}, {question}, 'I want to end it all {n}'), ({0}, {question} + 1, 'Nobody answers {n}');
             INSERT INTO audit_log (at, actor_id, action, item_kind, item_id, detail) VALUES ({t}, NULL, 'held', 'response', {0}, 'Triage matched “end it all”');\n",
            1000 + n,
            t + n,
        );
    }
    sql += "COMMIT;";
    exec(app, &sql).await;
}

#[tokio::test]
async fn comments_moderation_and_members_read_in_few_statements() {
    let _alone = statements::alone().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let app = TestApp::spawn_quiet(support::config(&db)).await;
    let mut gp = app.signed_in("gp@lab.test", Role::DesignGroup).await;
    let (proto, round) = prototype_and_round(&mut gp).await;
    seed(&app, proto, round).await;
    let mut pat = app.signed_in("pat@lab.test", Role::Facilitator).await;
    let mut member = app.signed_in("member@lab.test", Role::Member).await;
    let p = proto.to_string();
    let _ = statements::during(pat.get("/login")).await; // warm the pools

    // The comment thread: its page, the total and the check that the reader may see the
    // prototype, in one statement — for the design group (who also get the theme codes), a
    // facilitator, a member, a far page and the comments beside an iteration's sections.
    for (who, c) in [("design group", &mut gp), ("facilitator", &mut pat), ("member", &mut member)] {
        for form in [
            vec![("id", p.as_str())],
            vec![("id", p.as_str()), ("page", "1")],
            vec![("id", p.as_str()), ("iteration", "1")],
        ] {
            let what = format!("prototype_comments {form:?} as {who}");
            let own = statements::own_of(&what, c.call("prototype_comments", &form)).await;
            assert_eq!(own.len(), 1, "{what}: the comments read is one statement:\n{}", own.join("\n"));
        }
    }
    // The numbers are the thread's own, not the page's.
    let (reply, _) = statements::during(gp.call("prototype_comments", &[("id", &p)])).await;
    let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(v["comments"].as_array().unwrap().len(), 50);
    assert_eq!((v["total"].as_i64(), v["more"].as_bool()), (Some(285), Some(true)), "300 less the 15 held");

    // The moderation queue (100 items shown, each held one audited) and the members page.
    for (path, most) in [("/moderation", 3), ("/members", 3), ("/members?page=1", 3)] {
        let own = statements::own_of(path, pat.get(path)).await;
        assert!(own.len() <= most, "{path}: {} own statements, at most {most}:\n{}", own.len(), own.join("\n"));
    }
    let viewed = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM audit_log WHERE action = 'viewed'")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap()
    };
    let before = viewed().await;
    let (reply, seen) = statements::during(pat.call("moderation_queue", &[])).await;
    let own = statements::own(&seen);
    assert!(own.len() <= 3, "moderation_queue: {}", own.join("\n"));
    // What is shown is what the audit log says was seen: the oldest 100, each held one once.
    let items: Vec<serde_json::Value> = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(items.len(), 100);
    let held = items.iter().filter(|i| i["held"] == true).count() as i64;
    assert_eq!(viewed().await - before, held);
    assert!(items.iter().filter(|i| i["held"] == true).all(|i| i["history"].to_string().contains("viewed")));
    let response = items.iter().find(|i| i["kind"] == "Response").unwrap();
    assert_eq!(response["texts"].as_array().unwrap().len(), 2, "{response}");
    let reported = items.iter().find(|i| !i["reports"].as_array().unwrap().is_empty()).unwrap();
    assert_eq!(reported["reports"].as_array().unwrap().len(), 3, "{reported}");
    let own = statements::own_of("list_members", pat.call("list_members", &[("page", "0")])).await;
    assert!(own.len() <= 3, "list_members: {}", own.join("\n"));
    // Also measured (the account page's "your feedback" section).
    let _ = statements::own_of("my_contributions", gp.call("my_contributions", &[])).await;
    app.stop().await;
}
