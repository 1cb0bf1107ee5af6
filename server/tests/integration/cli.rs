//! The server binary as an operator uses it: subcommands, one-line errors, graceful stop.

use crate::support;

use std::{
    io::Write,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use support::TestApp;

const BIN: &str = env!("CARGO_BIN_EXE_server");

fn run(db_url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[tokio::test]
async fn create_facilitator_reads_or_generates_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cli.db", dir.path().display());
    let out = run(&url, &["migrate"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = run(&url, &["create-facilitator", "--email", "pat@example.org", "--name", "Pat"], "typed password 123\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("typed password"), "a typed password is never echoed");

    let out = run(&url, &["create-facilitator", "--email", "lee@example.org", "--generate-password"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let generated = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Password: "))
        .expect("the generated password is printed")
        .to_string();

    let out = run(&url, &["create-facilitator", "--email", "x@example.org"], "short\n");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).starts_with("error: Your password needs at least 12 characters"),
        "{}",
        text(&out.stderr)
    );

    let app = TestApp::spawn(&url).await;
    for (email, password) in [("pat@example.org", "typed password 123"), ("lee@example.org", generated.as_str())] {
        let mut c = app.client();
        assert_eq!(c.call("login", &[("email", email), ("password", password)]).await.status, StatusCode::OK);
        assert!(c.call("account", &[]).await.body.contains("Facilitator"));
    }
    app.stop().await;
}

#[tokio::test]
async fn seed_demo_fills_an_empty_database_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/demo.db", dir.path().display());
    let out = run(&url, &["seed-demo"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("pat@demo.livingwell.test"));
    let out = run(&url, &["seed-demo"], "");
    assert!(!out.status.success(), "refuses a database with accounts");
    let out = run(&url, &["seed-demo", "--if-empty"], "");
    assert!(out.status.success());

    let app = TestApp::spawn_with(demo_config(&url, true, "127.0.0.1:0")).await;
    let db = &app.state.db.read;
    let roles: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT role FROM users ORDER BY role").fetch_all(db).await.unwrap();
    assert_eq!(roles, ["contributor", "design_group", "facilitator", "member"]);
    let perspectives: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT perspective) FROM user_perspectives").fetch_one(db).await.unwrap();
    assert_eq!(perspectives, 6, "every perspective is represented");
    let statements: i64 = sqlx::query_scalar("SELECT count(*) FROM experience_statements").fetch_one(db).await.unwrap();
    assert!(statements >= 5);
    let stages: Vec<String> = sqlx::query_scalar("SELECT name FROM stages WHERE kind = 'open' ORDER BY position")
        .fetch_all(db)
        .await
        .unwrap();
    assert_eq!(stages, ["Idea", "Co-design", "Prototype", "Testing", "Learning", "Decision", "Implementing"]);
    // Evaluation: 48 practices, the Hub live at 15 (each change on its timeline), and a
    // year of monthly readings for its two typed measures.
    let counts: (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM sites WHERE kind = 'GP practice'),
                (SELECT count(*) FROM rollouts WHERE status = 'live'),
                (SELECT count(*) FROM rollouts),
                (SELECT count(*) FROM timeline_events WHERE kind = 'rollout'),
                (SELECT count(*) FROM readings)",
    )
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!(counts, (48, 15, 48, 48, 24));
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM measures ORDER BY position").fetch_all(db).await.unwrap();
    assert_eq!(kinds, ["number", "percentage", "rating"]);
    let mut c = app.client();
    let r = c.call("login", &[("email", "sam@demo.livingwell.test"), ("password", server::cli::DEMO_PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::OK);
    app.stop().await;
}

#[test]
fn a_bad_database_path_is_one_clear_line() {
    let out = run("sqlite:///proc/no-such-folder/lab.db", &["serve"], "");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: cannot open the database at sqlite:///proc/no-such-folder/lab.db"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[tokio::test]
async fn a_taken_port_is_one_clear_line_and_sigterm_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/serve.db", dir.path().display());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = listener.local_addr().unwrap().to_string();
    let out = Command::new(BIN).args(["serve", "--addr", &taken]).env("DATABASE_URL", &url).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with(&format!("error: cannot listen on {taken}")) && stderr.lines().count() == 1, "{stderr}");
    drop(listener);

    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", &free])
        .env("DATABASE_URL", &url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Ok(r) = reqwest::get(format!("http://{free}/healthz")).await {
            assert_eq!(r.text().await.unwrap(), "ok");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let stopping = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(stopping.elapsed() < Duration::from_secs(10), "did not stop on SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "a clean exit on SIGTERM: {status}");
}

// ---- Demo data (issue 9, finding 11): only when asked for, only on loopback, always labelled ----

const BANNER: &str = "Demo site: accounts and data here are made up; the password is public.";

fn demo_config(url: &str, demo: bool, addr: &str) -> server::Config {
    let mut config = support::config(url);
    config.demo = demo;
    config.addr = addr.parse().unwrap();
    config
}

/// Runs the binary expecting it to refuse to start: killed after 20 s if it serves instead.
fn refused(db_url: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code(), text(&out.stderr))
}

#[tokio::test]
async fn a_demo_database_is_served_only_with_demo_on_loopback_and_says_so_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/demo.db", dir.path().display());
    let out = run(&url, &["seed-demo"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Forgetting --demo, or serving it to the network, is refused before anything listens.
    let err = server::Application::build(demo_config(&url, false, "127.0.0.1:0"))
        .await
        .err()
        .expect("refused without --demo");
    assert!(err.to_string().contains("--demo"), "{err}");
    let err =
        server::Application::build(demo_config(&url, true, "0.0.0.0:0")).await.err().expect("refused off loopback");
    assert!(err.to_string().contains("loopback"), "{err}");
    let (code, stderr) = refused(&url, &["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with("error: this database holds the demo collaborative") && stderr.lines().count() == 1,
        "{stderr}"
    );
    let (code, stderr) = refused(&url, &["serve", "--demo", "--addr", "0.0.0.0:0"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("loopback"), "{stderr}");

    let app = TestApp::spawn_with(demo_config(&url, true, "127.0.0.1:0")).await;
    for path in ["/", "/login", "/consultations", "/no/such/page"] {
        let r = app.client().get(path).await;
        assert!(r.body.contains(BANNER), "{path}");
    }
    let mut pat = app.client();
    assert_eq!(
        pat.call("login", &[("email", "pat@demo.livingwell.test"), ("password", server::cli::DEMO_PASSWORD)])
            .await
            .status,
        StatusCode::OK
    );
    assert!(pat.get("/members").await.body.contains(BANNER));
    app.stop().await;
}

#[tokio::test]
async fn a_real_site_has_no_demo_banner_and_demo_off_loopback_is_refused() {
    let (app, dir) = TestApp::fresh().await;
    assert!(!app.client().get("/").await.body.contains("Demo site"));
    app.stop().await;
    let url = format!("sqlite://{}/real.db", dir.path().display());
    let err = server::Application::build(demo_config(&url, true, "0.0.0.0:0"))
        .await
        .err()
        .expect("--demo is for this computer only");
    assert!(err.to_string().contains("loopback"), "{err}");
}

#[test]
fn serve_sh_asks_for_the_demo_by_name() {
    let script = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/serve.sh")).unwrap();
    assert!(script.contains("serve --demo"), "{script}");
}
