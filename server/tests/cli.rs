//! The server binary as an operator uses it: subcommands, one-line errors, graceful stop.

mod support;

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
    let generated = stdout.lines().find_map(|l| l.strip_prefix("Password: ")).expect("the generated password is printed").to_string();

    let out = run(&url, &["create-facilitator", "--email", "x@example.org"], "short\n");
    assert!(!out.status.success());
    assert!(text(&out.stderr).starts_with("error: Your password needs at least 12 characters"), "{}", text(&out.stderr));

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

    let app = TestApp::spawn(&url).await;
    let db = &app.state.db.read;
    let roles: Vec<String> = sqlx::query_scalar("SELECT DISTINCT role FROM users ORDER BY role").fetch_all(db).await.unwrap();
    assert_eq!(roles, ["contributor", "design_group", "facilitator", "member"]);
    let perspectives: i64 = sqlx::query_scalar("SELECT count(DISTINCT perspective) FROM user_perspectives").fetch_one(db).await.unwrap();
    assert_eq!(perspectives, 6, "every perspective is represented");
    let statements: i64 = sqlx::query_scalar("SELECT count(*) FROM experience_statements").fetch_one(db).await.unwrap();
    assert!(statements >= 5);
    let stages: Vec<String> = sqlx::query_scalar("SELECT name FROM stages WHERE kind = 'open' ORDER BY position").fetch_all(db).await.unwrap();
    assert_eq!(stages, ["Idea", "Co-design", "Prototype", "Testing", "Learning", "Decision", "Implementing"]);
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
    let mut child = Command::new(BIN).args(["serve", "--addr", &free]).env("DATABASE_URL", &url).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
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
