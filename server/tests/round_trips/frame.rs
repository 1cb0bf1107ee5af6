//! The request frame: a signed-in page reads the session, its viewer and the site settings
//! in one statement (server/src/sessions.rs), and the frame never outlives a change to the
//! account it describes.

use crate::support;

use app::auth::Role;
use support::{statements, TestApp};

async fn quiet() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    (TestApp::spawn_quiet(support::config(&db)).await, dir)
}

#[tokio::test]
async fn a_signed_in_page_reads_its_frame_in_one_statement() {
    let _alone = statements::alone().await;
    let (app, _dir) = quiet().await;
    let mut member = app.signed_in("member@lab.test", Role::Member).await;
    for path in ["/login", "/account", "/prototypes"] {
        let (reply, seen) = statements::during(member.get(path)).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.body.contains("Sign out"), "{path}: still signed in");
        let frame: Vec<&String> = seen.iter().filter(|s| statements::is_frame(s)).collect();
        assert_eq!(frame.len(), 1, "{path}: one frame statement, saw:\n{}", seen.join("\n"));
        assert!(frame[0].contains("/* frame */"), "{path}: the joined read, not the old three");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_frame_follows_the_account_and_older_sessions_still_work() {
    let _alone = statements::alone().await;
    let (app, _dir) = quiet().await;
    let mut member = app.signed_in("member@lab.test", Role::Member).await;
    // A session saved before the frame existed has no user id column: one more query, still signed in.
    sqlx::query("UPDATE tower_sessions SET user_id = NULL").execute(&app.state.db.write).await.unwrap();
    let (reply, _) = statements::during(member.get("/account")).await;
    assert!(reply.body.contains("member@lab.test"), "an older session is still signed in");
    // Deactivated: the very next request is a visitor's, because the frame reads the account fresh.
    let member = {
        let mut m = member;
        let (r, _) = statements::during(m.get("/account")).await;
        assert_eq!(r.status, 200);
        m
    };
    sqlx::query("UPDATE tower_sessions SET user_id = (SELECT id FROM users WHERE email = 'member@lab.test')")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET active = 0 WHERE email = 'member@lab.test'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let mut member = member;
    let (reply, _) = statements::during(member.get("/account")).await;
    assert!(!reply.body.contains("member@lab.test"), "a deactivated account is signed out at once");
    // The site settings come through the frame too: a renamed collaborative shows at once.
    let mut other = app.signed_in("other@lab.test", Role::Member).await;
    sqlx::query("UPDATE collaborative SET name = 'Salford Living Well' WHERE id = 1")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let (reply, _) = statements::during(other.get("/")).await;
    assert!(reply.body.contains("Salford Living Well"));
    app.stop().await;
}
