//! Email (issue 13): the outbox and its sender against a real SMTP server on 127.0.0.1,
//! password reset end to end by following the link in the received email, facilitators'
//! reset links, emailed invitations, and the outbox page.

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use support::{TestApp, PASSWORD};

const NEW_PASSWORD: &str = "a brand new password";

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.db.read).await.unwrap()
}

/// Waits until the sender has settled every message (it marks one sent just after the SMTP
/// server accepts it, so a message can arrive a moment before its row says so).
async fn all_settled(app: &TestApp) {
    let settled = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while count(app, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL").await > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(settled.is_ok(), "the outbox was not settled within 30 s");
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_the_emailed_link() {
    let (app, dir, sink) = TestApp::with_mail().await;
    let mut elsewhere = app.signed_in("sam@example.org", Role::Contributor).await;
    assert_eq!(elsewhere.call("account", &[]).await.status, StatusCode::OK);

    // Without JavaScript: the form posts, and the page it returns to says what happens next.
    let mut visitor = app.client();
    let r = visitor.post_form_from("/login/forgot", "forgot_password", &[("email", "Sam@Example.org")], &[]).await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(r.location(), "/login/forgot?sent=1");
    let page = visitor.get("/login/forgot?sent=1").await;
    assert!(page.body.contains("If an account uses that address"), "{}", page.body);

    let mail = sink.wait_for("sam@example.org", 1).await.remove(0);
    assert!(mail.subject().contains("Choose a new password"), "{}", mail.subject());
    assert!(mail.html().contains("Choose a new password"), "an HTML alternative");
    let link = mail.link("/reset/");
    assert!(link.starts_with(&app.base), "the link points at this site: {link}");
    let path = link.strip_prefix(&app.base).unwrap().to_string();
    let token = path.strip_prefix("/reset/").unwrap().to_string();

    // Only a hash of the token is stored, and the sent email's body is no longer kept.
    all_settled(&app).await;
    let hash = app::auth::api::hash_token(&token);
    let stored = count(&app, &format!("SELECT count(*) FROM password_resets WHERE token_hash = '{hash}'")).await;
    assert_eq!(stored, 1, "its hash is stored");
    assert_eq!(count(&app, "SELECT count(*) FROM outbox WHERE text_body LIKE '%/reset/%'").await, 0);
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&app.state.db.write).await.unwrap();
    let file = std::fs::read(dir.path().join("test.db")).unwrap();
    assert!(!file.windows(token.len()).any(|w| w == token.as_bytes()), "the token itself is nowhere in the database");

    let page = visitor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Save my new password"), "{}", page.body);

    // A mismatch keeps the link usable.
    let r = visitor
        .call(
            "reset_password",
            &[("token", &token), ("new_password", NEW_PASSWORD), ("confirm_password", "something else entirely")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = visitor
        .post_form_from(
            &path,
            "reset_password",
            &[("token", &token), ("new_password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(r.location(), "/account?saved=reset");
    assert_eq!(visitor.call("account", &[]).await.status, StatusCode::OK, "signed in with the new password");
    assert_eq!(elsewhere.call("account", &[]).await.status, StatusCode::UNAUTHORIZED, "other sessions ended");

    // The link works once; the old password no longer does, the new one does.
    let again = visitor
        .call("reset_password", &[("token", &token), ("new_password", PASSWORD), ("confirm_password", PASSWORD)])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("expired or has already been used"), "{}", again.body);
    assert!(visitor.get(&path).await.body.contains("Ask for a new link"));
    let mut c = app.client();
    let old = c.call("login", &[("email", "sam@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(old.status, StatusCode::BAD_REQUEST);
    let new = c.call("login", &[("email", "sam@example.org"), ("password", NEW_PASSWORD)]).await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.body);
    app.stop().await;
}

#[tokio::test]
async fn the_answer_is_the_same_whether_or_not_an_account_exists() {
    let (app, _dir) = TestApp::fresh().await;
    app.user("known@example.org", Role::Member).await;
    let mut c = app.client();
    let known = c.call("forgot_password", &[("email", "known@example.org")]).await;
    let unknown = c.call("forgot_password", &[("email", "nobody@example.org")]).await;
    assert_eq!((known.status, known.body.clone()), (unknown.status, unknown.body.clone()));
    assert_eq!(count(&app, "SELECT count(*) FROM outbox").await, 1, "only the real account is written to");
    assert_eq!(count(&app, "SELECT count(*) FROM outbox WHERE to_address = 'known@example.org'").await, 1);

    // A fourth request within the hour gets the same answer and sends nothing, so nobody can
    // fill a person's inbox.
    for _ in 0..3 {
        let r = c.call("forgot_password", &[("email", "known@example.org")]).await;
        assert_eq!((r.status, r.body), (known.status, known.body.clone()));
    }
    assert_eq!(count(&app, "SELECT count(*) FROM outbox").await, 3);

    // From one address, at most ten requests an hour (at any accounts).
    for i in 0..5 {
        c.call("forgot_password", &[("email", &format!("other{i}@example.org"))]).await;
    }
    let r = c.call("forgot_password", &[("email", "known@example.org")]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);

    // A bad address is a plain message, with what was typed kept.
    let r = c.post_form_from("/login/forgot", "forgot_password", &[("email", "not an address")], &[]).await;
    assert_eq!(r.status, StatusCode::FOUND);
    let back = r.location();
    let back = back.strip_prefix(&app.base).unwrap_or(&back).to_string();
    assert!(c.get(&back).await.body.contains("not an address"));
    app.stop().await;
}

#[tokio::test]
async fn an_expired_link_is_refused_and_a_deactivated_account_cannot_reset() {
    let (app, _dir) = TestApp::fresh().await;
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    let pat = app.user("pat@example.org", Role::Member).await;
    let r = fac.call("make_reset_link", &[("user_id", &pat.to_string())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = r.json().as_str().unwrap().to_string();
    // Handed over, not emailed; but the account's address is told that a link was made.
    assert_eq!(count(&app, "SELECT count(*) FROM outbox").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM outbox WHERE kind = 'reset_link_made' AND to_address = 'pat@example.org' AND secret = 0 AND text_body NOT LIKE '%/reset/%'").await, 1);
    // Not for another facilitator: they use "Forgot your password?".
    let other = app.user("fac2@example.org", Role::Facilitator).await;
    let r = fac.call("make_reset_link", &[("user_id", &other.to_string())]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let issued_by = count(&app, &format!("SELECT issued_by FROM password_resets WHERE user_id = {pat}")).await;
    assert_eq!(issued_by, count(&app, "SELECT id FROM users WHERE email = 'fac@example.org'").await);

    let mut visitor = app.client();
    assert_eq!(visitor.call("reset_link", &[("token", &token)]).await.status, StatusCode::OK);
    sqlx::query("UPDATE password_resets SET expires_at = expires_at - 3601")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    assert_eq!(visitor.call("reset_link", &[("token", &token)]).await.status, StatusCode::CONFLICT);
    let r = visitor
        .call(
            "reset_password",
            &[("token", &token), ("new_password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // A live link stops working when the account is deactivated.
    let r = fac.call("make_reset_link", &[("user_id", &pat.to_string())]).await;
    let token = r.json().as_str().unwrap().to_string();
    fac.call("set_member_active", &[("user_id", &pat.to_string()), ("active", "false")]).await;
    let r = visitor
        .call(
            "reset_password",
            &[("token", &token), ("new_password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(fac.call("make_reset_link", &[("user_id", "999999")]).await.status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn a_forged_host_header_does_not_change_the_link() {
    let (app, _dir, sink) = TestApp::with_mail().await;
    app.user("kim@example.org", Role::Contributor).await;
    let mut c = app.client();
    let r = c.call_with("forgot_password", &[("email", "kim@example.org")], &[("host", "evil.example")]).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let mail = sink.wait_for("kim@example.org", 1).await.remove(0);
    assert!(mail.link("/reset/").starts_with(&app.base), "{}", mail.text());
    assert!(!mail.readable().contains("evil.example"));
    app.stop().await;
}

#[tokio::test]
async fn an_invitation_with_an_address_is_emailed() {
    let (app, _dir, sink) = TestApp::with_mail().await;
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    let r = fac.call("invite_member", &[("email", "new@example.org"), ("role", "member")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mail = sink.wait_for("new@example.org", 1).await.remove(0);
    assert!(mail.text().contains("as: Collaborative member"), "{}", mail.text());
    let link = mail.link("/invite/");
    let path = link.strip_prefix(&app.base).unwrap();
    let mut newcomer = app.client();
    assert!(newcomer.get(path).await.body.contains("You are invited to join"));
    let token = path.strip_prefix("/invite/").unwrap();
    let r = newcomer
        .call(
            "register",
            &[("display_name", "New"), ("email", "new@example.org"), ("password", PASSWORD), ("invitation", token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Without an address, nothing is emailed; the link is still shown to copy.
    let r = fac.post_form_from("/members", "invite_member", &[("email", ""), ("role", "member")], &[]).await;
    assert!(r.location().starts_with("/members?invited="), "{}", r.location());
    assert!(!r.location().contains("emailed"));
    assert_eq!(count(&app, "SELECT count(*) FROM outbox").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn without_a_mail_server_messages_wait_in_the_outbox_for_facilitators_to_see() {
    let (app, _dir) = TestApp::fresh().await;
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    fac.call("invite_member", &[("email", "wait@example.org"), ("role", "contributor")]).await;
    app.user("lee@example.org", Role::Contributor).await;
    app.client().call("forgot_password", &[("email", "lee@example.org")]).await;

    let page = fac.get("/settings/outbox").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Email is not being sent"), "{}", page.body);
    assert!(page.body.contains("wait@example.org") && page.body.contains("lee@example.org"));
    assert!(page.body.contains("Waiting: 2."), "{}", page.body);
    // Past its link's lifetime a waiting reset email is given up and blanked, sending or not.
    sqlx::query("UPDATE outbox SET expires_at = 1 WHERE kind = 'password_reset'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    app::mail::sender::Mailer::new(None, "lab@example.org").unwrap().send_due(&app.state.db.write).await.unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE kind = 'password_reset' AND failed_at IS NOT NULL AND text_body = ''"
        )
        .await,
        1
    );
    // Neither one-time link is shown to the facilitator, on the page or in the JSON.
    let json = fac.call("outbox", &[]).await;
    for body in [&page.body, &json.body] {
        assert!(!body.contains("/reset/") && !body.contains("/invite/"), "{body}");
    }
    assert!(page.body.contains("not shown here"));

    let mut member = app.signed_in("m@example.org", Role::Member).await;
    assert_eq!(member.call("outbox", &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.client().call("outbox", &[]).await.status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn two_senders_at_once_send_each_message_once() {
    let sink = support::mail::Sink::start();
    let (app, _dir) = TestApp::fresh().await;
    // Eight: under the ten an hour one address may ask for.
    for i in 0..8 {
        let email = format!("p{i}@example.org");
        app.user(&email, Role::Contributor).await;
        app.client().call("forgot_password", &[("email", &email)]).await;
    }
    let (a, b) = (
        app::mail::sender::Mailer::new(Some(&sink.url), "lab@example.org").unwrap(),
        app::mail::sender::Mailer::new(Some(&sink.url), "lab@example.org").unwrap(),
    );
    let pool = &app.state.db.write;
    let (x, y) = tokio::join!(a.send_due(pool), b.send_due(pool));
    assert_eq!(x.unwrap() + y.unwrap(), 8);
    assert_eq!(sink.all().len(), 8, "each message once");
    app.stop().await;
}

#[tokio::test]
async fn the_sender_retries_with_backoff_and_keeps_the_error() {
    let (app, _dir) = TestApp::fresh().await;
    app.user("ash@example.org", Role::Contributor).await;
    app.client().call("forgot_password", &[("email", "ash@example.org")]).await;
    // A mail server that is not there: port 9 on this machine refuses connections.
    let mailer = app::mail::sender::Mailer::new(Some("smtp://127.0.0.1:9"), "lab@example.org").unwrap();
    let pool = &app.state.db.write;
    assert_eq!(mailer.send_due(pool).await.unwrap(), 0);
    let (attempts, wait, error): (i64, i64, Option<String>) =
        sqlx::query_as("SELECT attempts, next_attempt_at - created_at, last_error FROM outbox")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(attempts, 1);
    assert!((30..=32).contains(&wait), "tried again after 30 s, not at once: {wait}");
    assert!(error.is_some_and(|e| !e.is_empty()));
    assert_eq!(mailer.send_due(pool).await.unwrap(), 0, "not due again yet");
    assert_eq!(count(&app, "SELECT attempts FROM outbox").await, 1);
    // Past the give-up time, it stops and the page shows why.
    sqlx::query("UPDATE outbox SET created_at = created_at - 200000, next_attempt_at = 0").execute(pool).await.unwrap();
    mailer.send_due(pool).await.unwrap();
    assert_eq!(count(&app, "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL AND text_body = ''").await, 1);
    let mut fac = app.signed_in("fac@example.org", Role::Facilitator).await;
    assert!(fac.get("/settings/outbox").await.body.contains("Could not be sent; stopped trying"));
    app.stop().await;
}
