//! Starts the real server on port 0 with a fresh temporary database, and a small HTTP
//! client that keeps one session cookie (set by hand, so it survives a server restart).

#![allow(dead_code)]

pub mod mail;
pub mod statements;

use app::auth::{
    fields::{DisplayName, Email},
    hashing, store, Role,
};
use reqwest::{header, redirect::Policy, StatusCode};
use server::{Application, Config};
use tokio::{sync::oneshot, task::JoinHandle};

pub const PASSWORD: &str = "a long enough password";

pub struct TestApp {
    pub base: String,
    pub db_url: String,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<std::io::Result<()>>>,
    pub state: app::state::AppState,
}

pub fn config(db_url: &str) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: db_url.to_string(),
        secure_cookies: false,
        log: "warn".into(),
        site_root: "target/site".into(),
        trusted_proxy: false,
        search_per_minute: app::throttle::SEARCHES_PER_MINUTE,
        report_per_minute: app::throttle::REPORTS_PER_MINUTE,
        demo: false,
        shutdown_grace: 2,
        smtp_url: None,
        mail_from: "Living Well Lab <lab@example.org>".into(),
        public_url: None,
        digest_hour: 8,
    }
}

impl TestApp {
    pub async fn spawn(db_url: &str) -> TestApp {
        Self::spawn_with(config(db_url)).await
    }

    /// Starts with a configuration of the test's own (e.g. `trusted_proxy` on).
    pub async fn spawn_with(config: Config) -> TestApp {
        Self::start(config, true).await
    }

    /// Without background jobs, so every statement counted is the request's own (`statements`).
    pub async fn spawn_quiet(config: Config) -> TestApp {
        Self::start(config, false).await
    }

    async fn start(config: Config, jobs: bool) -> TestApp {
        // TEST_LOG=1 logs at info; TEST_LOG=<filter> logs what it names (for example
        // `info,tower_http=debug` for every request). The test writer keeps each test's log
        // with the test, shown only when it fails.
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let filter = if filter == "1" { "info".to_string() } else { filter };
            let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
        }
        let db_url = config.database_url.clone();
        let db_url = db_url.as_str();
        let app = Application::build(config).await.expect("server starts");
        let app = if jobs { app } else { app.without_jobs() };
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let (tx, rx) = oneshot::channel();
        let handle = tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        TestApp { base, db_url: db_url.to_string(), stop: Some(tx), handle: Some(handle), state }
    }

    /// A fresh database in a temporary folder that lives as long as the returned guard.
    pub async fn fresh() -> (TestApp, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/test.db", dir.path().display());
        (TestApp::spawn(&url).await, dir)
    }

    /// A fresh database, without background jobs (the test drives them itself).
    pub async fn fresh_quiet() -> (TestApp, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/test.db", dir.path().display());
        (TestApp::spawn_quiet(config(&url)).await, dir)
    }

    /// A fresh database, and email sent to a real SMTP server on 127.0.0.1 (`mail::Sink`).
    pub async fn with_mail() -> (TestApp, tempfile::TempDir, mail::Sink) {
        let sink = mail::Sink::start();
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(&format!("sqlite://{}/test.db", dir.path().display()));
        config.smtp_url = Some(sink.url.clone());
        (TestApp::spawn_with(config).await, dir, sink)
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            // A server that does not stop is a bug (a request that never finishes, a pooled
            // connection never returned): fail with that, rather than hang the whole suite
            // until CI's limit. Seen once (trust.rs, 2026-11-26), not yet reproduced.
            let stopped = tokio::time::timeout(std::time::Duration::from_secs(60), h).await;
            assert!(stopped.is_ok(), "the test server did not stop within 60 s of being asked to");
        }
    }

    pub fn client(&self) -> Client {
        Client { base: self.base.clone(), cookie: None, browser: None, http: http() }
    }

    /// Creates an account directly in the store (with a role a visitor could not register as).
    pub async fn user(&self, email: &str, role: Role) -> i64 {
        let hash = hashing::hash(PASSWORD.into()).await.unwrap();
        store::create_user(
            &self.state.db.write,
            &Email::parse(email).unwrap(),
            &DisplayName::parse("Test person").unwrap(),
            &hash,
            role,
            None,
        )
        .await
        .unwrap()
    }

    /// A client signed in as a new account with `role`.
    pub async fn signed_in(&self, email: &str, role: Role) -> Client {
        self.user(email, role).await;
        let mut c = self.client();
        let res = c.call("login", &[("email", email), ("password", PASSWORD)]).await;
        assert_eq!(res.status, StatusCode::OK, "sign-in works: {}", res.body);
        c
    }
}

/// Every request has a deadline: a server that never answers fails the test that asked,
/// with its name, instead of holding the whole suite until CI's limit (one unexplained
/// stall of `accounts.rs`, 2026-11-26, 0% CPU, not reproduced in 18 runs since).
fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).timeout(std::time::Duration::from_secs(120)).build().unwrap()
}

pub struct Client {
    pub base: String,
    pub cookie: Option<String>,
    /// The `lwl_b` browser cookie, once the server has set one.
    pub browser: Option<String>,
    http: reqwest::Client,
}

pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub headers: header::HeaderMap,
}

impl Reply {
    /// Where a redirect points ("" when it is not one).
    pub fn location(&self) -> String {
        self.headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
    }

    /// The id a redirect after creating something names: `/prototypes/7` → 7,
    /// `/consultations/3?opened=1` → 3.
    pub fn created_id(&self) -> i64 {
        let location = self.location();
        let id = location.split('/').nth(2).and_then(|s| s.split(['?', '#']).next());
        id.and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no id in {location:?}: {} {}", self.status, self.body))
    }

    /// The body as JSON (a server function's answer).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

/// Server functions that take a multipart form (a file upload): `call` sends them one,
/// with the part named `file` as a file, so the permission table can call them like any.
const MULTIPART: &[&str] = &["upload_readings"];

/// A multipart form of `fields`; `file` is sent as a CSV file.
pub fn multipart(fields: &[(&str, &str)]) -> reqwest::multipart::Form {
    fields.iter().fold(reqwest::multipart::Form::new(), |form, (k, v)| {
        if *k == "file" {
            let part = reqwest::multipart::Part::bytes(v.as_bytes().to_vec()).file_name("readings.csv");
            form.part("file", part.mime_str("text/csv").expect("a valid type"))
        } else {
            form.text(k.to_string(), v.to_string())
        }
    })
}

impl Client {
    /// The Cookie header this client sends: its session and its browser cookie.
    pub fn cookies(&self) -> Option<String> {
        let all: Vec<&str> = [self.cookie.as_deref(), self.browser.as_deref()].into_iter().flatten().collect();
        (!all.is_empty()).then(|| all.join("; "))
    }

    /// Points this client (and its cookie) at another server, as after a restart.
    pub fn at(&self, app: &TestApp) -> Client {
        Client { base: app.base.clone(), cookie: self.cookie.clone(), browser: self.browser.clone(), http: http() }
    }

    fn remember(&mut self, headers: &header::HeaderMap) {
        for v in headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap_or_default();
            if let Some(pair) = v.split(';').next().filter(|p| p.starts_with("lwl_b=")) {
                self.browser = Some(pair.to_string());
            }
            if let Some(pair) = v.split(';').next().filter(|p| p.starts_with("lwl_session=")) {
                let expired = v.contains("Max-Age=0") || pair == "lwl_session=";
                self.cookie = (!expired).then(|| pair.to_string());
            }
        }
    }

    async fn finish(&mut self, res: reqwest::Response) -> Reply {
        let status = res.status();
        let headers = res.headers().clone();
        self.remember(&headers);
        Reply { status, body: res.text().await.unwrap_or_default(), headers }
    }

    /// Calls a server function the way a script would (JSON back, real status codes).
    pub async fn call(&mut self, name: &str, form: &[(&str, &str)]) -> Reply {
        self.call_with(name, form, &[]).await
    }

    /// `call` with extra request headers (e.g. `X-Forwarded-For`).
    pub async fn call_with(&mut self, name: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
        let req = self.http.post(format!("{}/api/{name}", self.base));
        let mut req = if MULTIPART.contains(&name) { req.multipart(multipart(form)) } else { req.form(form) };
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(c) = self.cookies() {
            req = req.header(header::COOKIE, c);
        }
        let res = req.send().await.unwrap();
        self.finish(res).await
    }

    /// Posts like a browser form without JavaScript (Accept: text/html, a Referer).
    pub async fn post_form(&mut self, name: &str, form: &[(&str, &str)], extra: &[(&str, &str)]) -> Reply {
        self.post_form_from("/login", name, form, extra).await
    }

    /// `post_form` from the page at `page` (where the redirect goes back to).
    pub async fn post_form_from(
        &mut self,
        page: &str,
        name: &str,
        form: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut req = self
            .http
            .post(format!("{}/api/{name}", self.base))
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, format!("{}{page}", self.base))
            .form(form);
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        if let Some(c) = self.cookies() {
            req = req.header(header::COOKIE, c);
        }
        let res = req.send().await.unwrap();
        self.finish(res).await
    }

    /// Posts a multipart form with `file` as its file part, like a browser without
    /// JavaScript on page `page` (Accept: text/html, a Referer), or like a script if `None`.
    pub async fn upload(&mut self, page: Option<&str>, name: &str, fields: &[(&str, &str)], file: &[u8]) -> Reply {
        let part = reqwest::multipart::Part::bytes(file.to_vec()).file_name("readings.csv");
        let form = multipart(fields).part("file", part);
        let mut req = self.http.post(format!("{}/api/{name}", self.base)).multipart(form);
        if let Some(page) = page {
            req = req.header(header::ACCEPT, "text/html").header(header::REFERER, format!("{}{page}", self.base));
        }
        if let Some(c) = self.cookies() {
            req = req.header(header::COOKIE, c);
        }
        let res = req.send().await.unwrap();
        self.finish(res).await
    }

    /// Creates a prototype from `fields` (title, summary, body, themes and any others, as
    /// the new-prototype form sends them) and publishes its first iteration: its id.
    pub async fn published_prototype(&mut self, fields: &[(&str, &str)]) -> i64 {
        let r = self.call("create_prototype", fields).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let id = r.created_id();
        let r = self.call("publish_iteration", &[("id", &id.to_string()), ("change_note", "First try")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        id
    }

    /// A fresh form key for a comment on `proto` (from its comments, as the page gets it).
    pub async fn comment_key(&mut self, proto: i64) -> String {
        self.call("prototype_comments", &[("id", &proto.to_string())]).await.json()["key"].as_str().unwrap().to_string()
    }

    /// Posts a comment on `proto` (a reply when `parent` is given) with a fresh form key.
    pub async fn comment(&mut self, proto: i64, body: &str, parent: Option<i64>) -> Reply {
        let k = self.comment_key(proto).await;
        let p = proto.to_string();
        let parent = parent.map(|p| p.to_string());
        let mut form = vec![("prototype", p.as_str()), ("key", k.as_str()), ("body", body)];
        if let Some(parent) = &parent {
            form.push(("parent", parent));
        }
        self.call("add_comment", &form).await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(c) = self.cookies() {
            req = req.header(header::COOKIE, c);
        }
        let res = req.send().await.unwrap();
        self.finish(res).await
    }
}
