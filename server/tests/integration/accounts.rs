//! Accounts over HTTP: register, sign in and out, wrong passwords, throttling, invitations,
//! password changes, deactivation, and a session that survives a server restart.

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use support::{TestApp, PASSWORD};

#[tokio::test]
async fn register_sign_out_and_sign_in_again() {
    let (app, _dir) = TestApp::fresh().await;
    let mut c = app.client();
    let r = c
        .call("register", &[("display_name", "Jordan"), ("email", "Jordan@Example.org"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers["location"], "/account");
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("lwl_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "not Secure unless configured: {cookie}");

    let r = c.call("account", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("jordan@example.org") && r.body.contains("Contributor"), "{}", r.body);

    let r = c.call("logout", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = c.call("account", &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "signed out: {}", r.body);

    let r = c.call("login", &[("email", "jordan@EXAMPLE.org"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(c.call("account", &[]).await.status, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn bad_registrations_are_refused_with_plain_messages_and_write_nothing() {
    let (app, _dir) = TestApp::fresh().await;
    let mut c = app.client();
    for (form, field, words) in [
        (
            [("display_name", "Jo"), ("email", "jo@example.org"), ("password", "short")],
            "password",
            "at least 12 characters",
        ),
        ([("display_name", "Jo"), ("email", "not-an-email"), ("password", PASSWORD)], "email", "email address"),
        ([("display_name", "  "), ("email", "jo@example.org"), ("password", PASSWORD)], "display_name", "name"),
    ] {
        let r = c.call("register", &form).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(r.body.contains(field) && r.body.contains(words), "{}", r.body);
    }
    let long = "x".repeat(129);
    let r = c.call("register", &[("display_name", "Jo"), ("email", "jo@example.org"), ("password", &long)]).await;
    assert!(r.body.contains("at most 128"), "{}", r.body);
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(users, 0, "nothing written");

    app.user("taken@example.org", Role::Contributor).await;
    let r = c.call("register", &[("display_name", "Jo"), ("email", "TAKEN@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("already exists"), "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn wrong_passwords_then_throttling() {
    let (app, _dir) = TestApp::fresh().await;
    app.user("sam@example.org", Role::DesignGroup).await;
    let mut c = app.client();
    for _ in 0..5 {
        let r = c.call("login", &[("email", "sam@example.org"), ("password", "not the right one")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("do not match"), "{}", r.body);
    }
    // Locked now, even with the right password, and the message says for how long.
    let r = c.call("login", &[("email", "sam@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("Throttled") && r.body.contains("15"), "{}", r.body);
    // Another account from the same address is not locked by this one's failures.
    app.user("amira@example.org", Role::DesignGroup).await;
    let r = c.call("login", &[("email", "amira@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::OK);
    // An unknown email gets the same message as a wrong password.
    let r = app.client().call("login", &[("email", "nobody@example.org"), ("password", PASSWORD)]).await;
    assert!(r.body.contains("do not match"), "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn many_accounts_from_one_address_are_throttled_too() {
    let (app, _dir) = TestApp::fresh().await;
    let mut c = app.client();
    for i in 0..20 {
        let r =
            c.call("login", &[("email", &format!("guess{i}@example.org")), ("password", "not the right one")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "try {i}");
    }
    app.user("real@example.org", Role::Contributor).await;
    let r = c.call("login", &[("email", "real@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn a_session_survives_a_server_restart() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/restart.db", dir.path().display());
    let app = TestApp::spawn(&url).await;
    let c = app.signed_in("carer@example.org", Role::Contributor).await;
    app.stop().await;

    let app = TestApp::spawn(&url).await;
    let mut c = c.at(&app);
    let r = c.call("account", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("carer@example.org"));
    app.stop().await;
}

#[tokio::test]
async fn sign_in_renews_the_session_id() {
    let (app, _dir) = TestApp::fresh().await;
    app.user("pat@example.org", Role::Facilitator).await;
    let mut c = app.client();
    // A visitor's request that touches the session (a failed sign-in does not), so seed one by signing in and out.
    c.call("login", &[("email", "pat@example.org"), ("password", PASSWORD)]).await;
    let first = c.cookie.clone().unwrap();
    let mut again = app.client();
    again.cookie = Some(first.clone());
    again.call("login", &[("email", "pat@example.org"), ("password", PASSWORD)]).await;
    assert_ne!(again.cookie.clone().unwrap(), first, "a new id at sign-in");
    // The old id no longer works once the session moved to the new id.
    let mut old = app.client();
    old.cookie = Some(first);
    assert_eq!(old.call("account", &[]).await.status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let (app, _dir) = TestApp::fresh().await;
    let mut laptop = app.signed_in("amira@example.org", Role::DesignGroup).await;
    let mut phone = app.client();
    phone.call("login", &[("email", "amira@example.org"), ("password", PASSWORD)]).await;

    let r = laptop
        .call(
            "change_password",
            &[
                ("current_password", "wrong password!!"),
                ("new_password", "a brand new passphrase"),
                ("confirm_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("current_password"), "{}", r.body);
    let r = laptop
        .call(
            "change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
                ("confirm_password", "another passphrase"),
            ],
        )
        .await;
    assert!(r.body.contains("confirm_password"), "{}", r.body);

    let r = laptop
        .call(
            "change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
                ("confirm_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(laptop.call("account", &[]).await.status, StatusCode::OK, "this session continues");
    assert_eq!(phone.call("account", &[]).await.status, StatusCode::UNAUTHORIZED, "the other one ends");
    let r = app.client().call("login", &[("email", "amira@example.org"), ("password", "a brand new passphrase")]).await;
    assert_eq!(r.status, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn invitations_give_their_role_once_and_work_when_registration_is_closed() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    assert_eq!(pat.call("set_open_registration", &[("open", "false")]).await.status, StatusCode::OK);
    let r = app
        .client()
        .call("register", &[("display_name", "Eve"), ("email", "eve@example.org"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("invitation only"), "{}", r.body);

    let r = pat.call("invite_member", &[("email", "chris@example.org"), ("role", "member")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let location = r.headers["location"].to_str().unwrap().to_string();
    let token = location.split("invited=").nth(1).unwrap().split('&').next().unwrap().to_string();

    let offer = app.client().call("invitation", &[("token", &token)]).await;
    assert!(offer.body.contains("Member") && offer.body.contains("chris@example.org"), "{}", offer.body);

    let mut chris = app.client();
    let r = chris
        .call(
            "register",
            &[
                ("display_name", "Chris"),
                ("email", "chris@example.org"),
                ("password", PASSWORD),
                ("invitation", &token),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(chris.call("account", &[]).await.body.contains("\"Member\""));

    let r = app
        .client()
        .call(
            "register",
            &[
                ("display_name", "Again"),
                ("email", "again@example.org"),
                ("password", PASSWORD),
                ("invitation", &token),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "used once only: {}", r.body);
    let r = app.client().call("invitation", &[("token", "not-a-real-token")]).await;
    assert!(r.body.contains("expired or has already been used"), "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn deactivation_and_the_last_facilitator_rule() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let pat_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'pat@example.org'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let pat_id = pat_id.to_string();

    let r = pat.call("set_member_role", &[("user_id", &pat_id), ("role", "member")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("last active facilitator"), "{}", r.body);
    let r = pat.call("set_member_active", &[("user_id", &pat_id), ("active", "false")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let mut jo = app.signed_in("jo@example.org", Role::Contributor).await;
    let jo_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'jo@example.org'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let r = pat.call("set_member_active", &[("user_id", &jo_id.to_string()), ("active", "false")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(jo.call("account", &[]).await.status, StatusCode::UNAUTHORIZED, "an open session ends at once");
    let r = app.client().call("login", &[("email", "jo@example.org"), ("password", PASSWORD)]).await;
    assert!(r.body.contains("deactivated"), "{}", r.body);

    // With a second facilitator, the first may step down.
    let r = pat.call("set_member_role", &[("user_id", &jo_id.to_string()), ("role", "facilitator")]).await;
    assert_eq!(r.status, StatusCode::OK);
    pat.call("set_member_active", &[("user_id", &jo_id.to_string()), ("active", "true")]).await;
    let r = pat.call("set_member_role", &[("user_id", &pat_id), ("role", "member")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = pat.call("set_member_role", &[("user_id", "999999"), ("role", "member")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "pat is no longer a facilitator");
    app.stop().await;
}

#[tokio::test]
async fn perspectives_are_saved_and_shown_to_facilitators() {
    let (app, _dir) = TestApp::fresh().await;
    let mut maureen = app.signed_in("maureen@example.org", Role::Contributor).await;
    let r = maureen.call("update_profile", &[("display_name", "Maureen"), ("carer", "on"), ("other", "on")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = maureen.call("account", &[]).await;
    assert!(r.body.contains("Carer") && r.body.contains("Other") && !r.body.contains("ServiceUser"), "{}", r.body);
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let r = pat.call("list_members", &[("page", "0")]).await;
    assert!(r.body.contains("Maureen") && r.body.contains("Carer"), "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn expired_invitations_are_refused() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let r = pat.call("invite_member", &[("email", ""), ("role", "design_group")]).await;
    let token = r.headers["location"].to_str().unwrap().split("invited=").nth(1).unwrap().to_string();
    sqlx::query("UPDATE invitations SET expires_at = 1").execute(&app.state.db.write).await.unwrap();
    let r = app
        .client()
        .call(
            "register",
            &[("display_name", "Late"), ("email", "late@example.org"), ("password", PASSWORD), ("invitation", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("expired"), "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn cookies_are_secure_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(&format!("sqlite://{}/secure.db", dir.path().display()));
    config.secure_cookies = true;
    let app = server::Application::build(config).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    let r = reqwest::Client::new()
        .post(format!("{base}/api/register"))
        .form(&[("display_name", "Sec"), ("email", "sec@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly"), "{cookie}");
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_except_passwords() {
    let (app, _dir) = TestApp::fresh().await;
    let r = app
        .client()
        .call("register", &[("display_name", "Maureen"), ("email", "maureen@example.org"), ("password", "short")])
        .await;
    assert!(
        r.body.contains("\"kept\":[[\"display_name\",\"Maureen\"],[\"email\",\"maureen@example.org\"]]"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("short\""), "the password is never echoed: {}", r.body);
    app.stop().await;
}

/// Reading pages does not write the session on every request (one refresh a day at most).
#[tokio::test]
async fn page_views_do_not_write_the_session_each_time() {
    let (app, _dir) = TestApp::fresh().await;
    let mut c = app.signed_in("reader@example.org", Role::Member).await;
    let before: String =
        sqlx::query_scalar("SELECT expiry_date FROM tower_sessions").fetch_one(&app.state.db.read).await.unwrap();
    for _ in 0..3 {
        let r = c.get("/account").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers.get("set-cookie").is_none(), "no new cookie, so no save");
    }
    let after: String =
        sqlx::query_scalar("SELECT expiry_date FROM tower_sessions").fetch_one(&app.state.db.read).await.unwrap();
    assert_eq!(before, after);
    app.stop().await;
}

// ---- Throttling (issue 9, finding 7) ----

/// A fresh server that believes `X-Forwarded-For`, as behind a reverse proxy.
async fn behind_a_proxy() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(&format!("sqlite://{}/proxy.db", dir.path().display()));
    config.trusted_proxy = true;
    (TestApp::spawn_with(config).await, dir)
}

fn from(address: &str) -> [(&'static str, &str); 1] {
    [("x-forwarded-for", address)]
}

/// Every attempt is counted before its password is checked, so a parallel burst gets no
/// more checks than the limit: the rest are refused without hashing (the count of
/// `Throttled` answers is the evidence, independent of timing).
#[tokio::test]
async fn forty_parallel_wrong_passwords_get_five_checks() {
    let (app, _dir) = TestApp::fresh().await;
    app.user("sam@example.org", Role::DesignGroup).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let mut c = app.client();
        tasks.spawn(async move {
            c.call("login", &[("email", "sam@example.org"), ("password", "not the right one")]).await
        });
    }
    let (mut checked, mut throttled) = (0, 0);
    while let Some(r) = tasks.join_next().await {
        let r = r.unwrap();
        match r.status {
            StatusCode::BAD_REQUEST => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => throttled += 1,
            other => panic!("{other}: {}", r.body),
        }
    }
    assert_eq!((checked, throttled), (5, 35), "only the limit's worth of passwords were checked");
    app.stop().await;
}

#[tokio::test]
async fn an_attacker_at_one_address_does_not_lock_the_owner_out_from_another() {
    let (app, _dir) = behind_a_proxy().await;
    app.user("sam@example.org", Role::DesignGroup).await;
    let mut attacker = app.client();
    for i in 0..8 {
        let r = attacker
            .call_with(
                "login",
                &[("email", "sam@example.org"), ("password", "guess guess guess")],
                &from("203.0.113.7"),
            )
            .await;
        let want = if i < 5 { StatusCode::BAD_REQUEST } else { StatusCode::TOO_MANY_REQUESTS };
        assert_eq!(r.status, want, "try {i}: {}", r.body);
    }
    // Even the right password is refused from the attacker's address...
    let r = attacker
        .call_with("login", &[("email", "sam@example.org"), ("password", PASSWORD)], &from("203.0.113.7"))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // ...while the owner, elsewhere, signs in as usual.
    let mut owner = app.client();
    let r =
        owner.call_with("login", &[("email", "sam@example.org"), ("password", PASSWORD)], &from("198.51.100.2")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(owner.call("account", &[]).await.status, StatusCode::OK);
    app.stop().await;
}

/// Without `--trusted-proxy`, a claimed address changes nothing: the socket's address counts.
#[tokio::test]
async fn forwarded_for_is_ignored_unless_the_proxy_is_trusted() {
    let (app, _dir) = TestApp::fresh().await;
    app.user("sam@example.org", Role::DesignGroup).await;
    let mut c = app.client();
    for i in 0..5 {
        let claimed = format!("203.0.113.{i}");
        let r = c
            .call_with("login", &[("email", "sam@example.org"), ("password", "guess guess guess")], &from(&claimed))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "try {i}");
    }
    let r = c
        .call_with("login", &[("email", "sam@example.org"), ("password", "guess guess guess")], &from("198.51.100.2"))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "a new claimed address is not a new address: {}", r.body);
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM rate_limits WHERE key LIKE 'signin:%' ORDER BY key")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    assert!(keys.iter().all(|k| !k.contains("203.0.113") && !k.contains("198.51.100")), "{keys:?}");
    app.stop().await;
}

/// A right password gives its attempt back: people who sign in often never near a limit.
#[tokio::test]
async fn right_passwords_do_not_add_up_towards_a_limit() {
    let (app, _dir) = TestApp::fresh().await;
    app.user("pat@example.org", Role::Facilitator).await;
    for _ in 0..8 {
        let r = app.client().call("login", &[("email", "pat@example.org"), ("password", PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let hits: Vec<i64> = sqlx::query_scalar("SELECT hits FROM rate_limits WHERE key LIKE 'signin:%'")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    assert!(hits.iter().all(|h| *h == 0), "{hits:?}");
    app.stop().await;
}

#[tokio::test]
async fn guesses_at_the_current_password_are_throttled() {
    let (app, _dir) = TestApp::fresh().await;
    let mut c = app.signed_in("amira@example.org", Role::DesignGroup).await;
    let new = [("new_password", "a brand new passphrase"), ("confirm_password", "a brand new passphrase")];
    for i in 0..5 {
        let mut form = vec![("current_password", "a wrong guess here")];
        form.extend(new);
        let r = c.call("change_password", &form).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "try {i}: {}", r.body);
    }
    let mut form = vec![("current_password", PASSWORD)];
    form.extend(new);
    let r = c.call("change_password", &form).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn registrations_from_one_address_are_throttled() {
    let (app, _dir) = behind_a_proxy().await;
    let rate = app::auth::throttle::REGISTER;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..rate.max + 3 {
        let mut c = app.client();
        tasks.spawn(async move {
            let email = format!("new{i}@example.org");
            c.call_with(
                "register",
                &[("display_name", "New"), ("email", &email), ("password", PASSWORD)],
                &from("203.0.113.9"),
            )
            .await
            .status
        });
    }
    let (mut made, mut throttled) = (0, 0);
    while let Some(status) = tasks.join_next().await {
        match status.unwrap() {
            StatusCode::OK => made += 1,
            StatusCode::TOO_MANY_REQUESTS => throttled += 1,
            other => panic!("{other}"),
        }
    }
    assert_eq!((made, throttled), (rate.max, 3));
    // Another address may still register.
    let r = app
        .client()
        .call_with(
            "register",
            &[("display_name", "Other"), ("email", "other@example.org"), ("password", PASSWORD)],
            &from("198.51.100.2"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.stop().await;
}

// ---- Sessions (issue 9, finding 11) ----

#[tokio::test]
async fn deactivating_ends_sessions_and_reactivating_does_not_revive_them() {
    let (app, _dir) = TestApp::fresh().await;
    let mut pat = app.signed_in("pat@example.org", Role::Facilitator).await;
    let mut phone = app.signed_in("jo@example.org", Role::Contributor).await;
    let jo: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'jo@example.org'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let jo = jo.to_string();
    assert_eq!(pat.call("set_member_active", &[("user_id", &jo), ("active", "false")]).await.status, StatusCode::OK);
    assert_eq!(phone.call("account", &[]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(pat.call("set_member_active", &[("user_id", &jo), ("active", "true")]).await.status, StatusCode::OK);
    assert_eq!(phone.call("account", &[]).await.status, StatusCode::UNAUTHORIZED, "the old session stays ended");
    let r = phone.get("/account").await;
    assert!(!r.body.contains("jo@example.org"), "the page does not show the account either");
    // Signing in again works as usual.
    let mut again = app.client();
    assert_eq!(
        again.call("login", &[("email", "jo@example.org"), ("password", PASSWORD)]).await.status,
        StatusCode::OK
    );
    assert_eq!(again.call("account", &[]).await.status, StatusCode::OK);
    app.stop().await;
}
