//! Round trips: the statements the prototype pages run, counted from sqlx's own log
//! (issue 10: at most 3 of a page's own after the request frame). The prototype's own data
//! is one statement, plus one for a published iteration's HTML the first time this process
//! shows it (then it is cached: it never changes); the comment thread beside it is the
//! feedback module's.

use crate::support;

use app::auth::Role;
use support::{statements, Client, TestApp};

/// The statements of its own a signed-in GET of `path` runs (the frame left out).
async fn own_statements(c: &mut Client, path: &str) -> Vec<String> {
    let (reply, seen) = statements::during(c.get(path)).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    statements::own(&seen)
}

fn at_most(path: &str, who: &str, own: &[String], limit: usize) {
    assert!(
        own.len() <= limit,
        "{path} as {who}: {} statements of its own, at most {limit} wanted:\n  {}",
        own.len(),
        own.join("\n  ")
    );
}

/// A statement of the comment thread or "you said, we did" (the feedback module's reads,
/// counted in its own test), not of the prototype's own data.
fn is_feedback(sql: &str) -> bool {
    sql.contains("comments")
        || sql.contains("FROM responses")
        || sql.starts_with("SELECT id FROM prototypes WHERE id = ?1 AND")
}

const BODY_READ: &str = "SELECT body_html FROM iterations WHERE id = ?";

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.db.read).await.unwrap()
}

/// A lab with a history: two experience statements, a prototype with co-authors, themes,
/// statements, two iterations, a stage move and two consultation rounds; and forty more
/// prototypes across the stages, some never published.
async fn seed(app: &TestApp, gp: &mut Client) -> (i64, i64) {
    let db = &app.state.db.write;
    for (text, short) in [("I can get help when I need it", "easy in, easy out"), ("I have one plan", "one plan")] {
        sqlx::query("INSERT INTO experience_statements (text, short_name, position) VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM experience_statements))")
            .bind(text)
            .bind(short)
            .execute(db)
            .await
            .unwrap();
    }
    let statement = scalar(app, "SELECT min(id) FROM experience_statements").await;
    let other = scalar(app, "SELECT max(id) FROM experience_statements").await;
    let peer = app.user("peer@lab.test", Role::DesignGroup).await.to_string();
    let (s1, s2) = (statement.to_string(), other.to_string());
    let r = gp
        .call(
            "create_prototype",
            &[
                ("title", "Crisis café"),
                ("summary", "Evenings"),
                ("body", "# The problem\n\nNobody answers after 5pm.\n\n## What we will try\n\nA café open 6 to 11.\n"),
                ("themes", "out of hours, crisis"),
                ("authors[]", &peer),
                ("statements[]", &s1),
                ("statements[]", &s2),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.created_id();
    let r = gp.call("publish_iteration", &[("id", &id.to_string()), ("change_note", "first")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let revision = scalar(app, &format!("SELECT draft_revision FROM prototypes WHERE id = {id}")).await.to_string();
    let gp_id = scalar(app, "SELECT id FROM users WHERE email = 'gp@lab.test'").await.to_string();
    let r = gp
        .call(
            "save_draft",
            &[
                ("id", &id.to_string()),
                ("revision", &revision),
                ("title", "Crisis café"),
                ("summary", "Evenings and weekends"),
                ("body", "# The problem\n\nNobody answers after 5pm.\n\n## What we will try\n\nA café open 6 to 11, and at weekends.\n"),
                ("themes", "out of hours, crisis, weekends"),
                ("authors[]", &gp_id),
                ("authors[]", &peer),
                ("statements[]", &s1),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = gp.call("publish_iteration", &[("id", &id.to_string()), ("change_note", "weekends too")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let testing = scalar(app, "SELECT id FROM stages WHERE name = 'Testing'").await.to_string();
    let r = gp.call("move_stage", &[("id", &id.to_string()), ("stage", &testing), ("reason", "Ready to try")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    for (title, audience) in [("Open to all", "public"), ("Members only", "members")] {
        sqlx::query(
            "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at)
             VALUES (?, 2, ?, '', '', ?, 1, 4102444800, ?, 1)",
        )
        .bind(id)
        .bind(title)
        .bind(audience)
        .bind(gp_id.parse::<i64>().unwrap())
        .execute(db)
        .await
        .unwrap();
    }
    for n in 0..40 {
        let stage = 1 + n % 6;
        let published = n % 4 != 0;
        let p: i64 = sqlx::query_scalar(
            "INSERT INTO prototypes (title, summary, draft_title, draft_summary, stage_id, draft_body, created_by, created_at, last_activity, iteration_count)
             VALUES (?1, 'More', ?1, 'More', ?2, '', ?3, ?4, ?4, ?5) RETURNING id",
        )
        .bind(format!("Prototype {n}"))
        .bind(stage)
        .bind(gp_id.parse::<i64>().unwrap())
        .bind(1_800_000_000 + n)
        .bind(published as i64)
        .fetch_one(db)
        .await
        .unwrap();
        if published {
            sqlx::query("INSERT INTO iterations (prototype_id, number, title, body, body_html, change_note, published_by, published_at) VALUES (?, 1, 'P', 'x', '<p>x</p>', 'first', ?, 1)")
                .bind(p)
                .bind(gp_id.parse::<i64>().unwrap())
                .execute(db)
                .await
                .unwrap();
        }
        for theme in ["out of hours", if n % 2 == 0 { "crisis" } else { "families" }] {
            sqlx::query("INSERT INTO prototype_themes (prototype_id, theme) VALUES (?, ?)")
                .bind(p)
                .bind(theme)
                .execute(db)
                .await
                .unwrap();
        }
        sqlx::query("INSERT INTO prototype_statements (prototype_id, statement_id) VALUES (?, ?)")
            .bind(p)
            .bind(statement)
            .execute(db)
            .await
            .unwrap();
    }
    (id, statement)
}

#[tokio::test]
async fn the_prototype_pages_read_in_few_statements() {
    let _alone = statements::alone().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let app = TestApp::spawn_quiet(support::config(&db)).await;
    let mut gp = app.signed_in("gp@lab.test", Role::DesignGroup).await;
    let (id, statement) = seed(&app, &mut gp).await;
    let mut member = app.signed_in("member@lab.test", Role::Member).await;
    let _ = own_statements(&mut member, "/login").await; // a warm pool

    // The prototype page: the first visit reads the latest iteration's HTML, later ones
    // (anyone's) have it from the cache.
    let page = format!("/prototypes/{id}");
    let first = own_statements(&mut member, &page).await;
    println!("{page} (first visit): {} own\n  {}", first.len(), first.join("\n  "));
    assert!(first.iter().any(|s| s == BODY_READ), "the first visit reads the HTML:\n  {}", first.join("\n  "));
    let mine: Vec<String> = first.iter().filter(|s| !is_feedback(s)).cloned().collect();
    at_most(&page, "member (first visit, without the comment thread)", &mine, 2);
    for (who, c) in [("member", &mut member), ("design group", &mut gp)] {
        let again = own_statements(c, &page).await;
        println!("{page} as {who}: {} own\n  {}", again.len(), again.join("\n  "));
        assert!(!again.iter().any(|s| s == BODY_READ), "the HTML comes from the cache:\n  {}", again.join("\n  "));
        let mine: Vec<String> = again.iter().filter(|s| !is_feedback(s)).cloned().collect();
        at_most(&page, who, &mine, 1);
        at_most(&page, who, &again, 3);
    }

    let pages = [
        ("/prototypes".to_string(), 3),
        (format!("/prototypes?statement={statement}"), 3),
        ("/prototypes?view=list".to_string(), 3),
        ("/prototypes?view=list&q=Proto&sort=title&theme=crisis&page=1".to_string(), 3),
        (format!("/prototypes/{id}/diff?from=1&to=2"), 3),
        (format!("/statements/{statement}"), 3),
    ];
    for (who, c) in [("member", &mut member), ("design group", &mut gp)] {
        for (path, limit) in &pages {
            let own = own_statements(c, path).await;
            println!("{path} as {who}: {} own\n  {}", own.len(), own.join("\n  "));
            at_most(path, who, &own, *limit);
        }
        // The iteration page: its own reads, beside the feedback module's comments and
        // "you said, we did" (counted apart).
        let path = format!("/prototypes/{id}/iterations/2");
        let own = own_statements(c, &path).await;
        println!("{path} as {who}: {} own\n  {}", own.len(), own.join("\n  "));
        let mine: Vec<String> = own.iter().filter(|s| !is_feedback(s)).cloned().collect();
        at_most(&path, who, &mine, 1);
    }
    for path in [format!("/prototypes/{id}/edit"), "/prototypes/new".to_string()] {
        // Its own reads (the draft, the choices), beside the feedback it may act on.
        let own = own_statements(&mut gp, &path).await;
        println!("{path} as design group: {} own\n  {}", own.len(), own.join("\n  "));
        at_most(&path, "design group", &own, 3);
        let mine: Vec<String> = own.iter().filter(|s| !is_feedback(s)).cloned().collect();
        at_most(&path, "design group", &mine, 2);
    }
    app.stop().await;
}
