//! Round trips: the statements the prototype pages run, counted from sqlx's own log
//! (issue 10: at most 3 after the session, and the session in one with the viewer).

mod support;

use app::auth::Role;
use support::{statements, TestApp};

/// The statements a signed-in GET of `path` runs, with the list for the failure message.
async fn statements_for(c: &mut support::Client, path: &str) -> Vec<String> {
    let (reply, seen) = statements::during(c.get(path)).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    seen
}

#[tokio::test]
async fn the_prototype_page_board_and_diff_read_in_few_statements() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let app = TestApp::spawn_quiet(support::config(&db)).await;
    let mut gp = app.signed_in("gp@lab.test", Role::DesignGroup).await;
    let r = gp
        .call(
            "create_prototype",
            &[("title", "Crisis café"), ("summary", "Evenings"), ("body", "# One\n\ntext"), ("themes", "")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let location = r.headers.get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let id: i64 = location.split('/').nth(2).unwrap().parse().unwrap();
    for note in ["first", "second"] {
        let r = gp.call("publish_iteration", &[("id", &id.to_string()), ("change_note", note)]).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let mut member = app.signed_in("member@lab.test", Role::Member).await;
    let _ = statements_for(&mut member, "/login").await; // warm
    let floor = statements_for(&mut member, "/login").await;
    for path in [format!("/prototypes/{id}"), "/prototypes".to_string(), format!("/prototypes/{id}/diff?from=1&to=2")] {
        let seen = statements_for(&mut member, &path).await;
        let own = statements::own(&seen);
        println!("{path}: {} own statements (floor /login: {})\n  {}", own.len(), floor.len(), own.join("\n  "));
    }
    app.stop().await;
}
