//! Static files from memory (server/src/assets.rs), over HTTP against the real server with
//! a site root of the test's own: content negotiation, ETags, caching, HEAD, 404 for
//! unknown and `..` paths, and (debug builds) a file changed on disk served fresh.

use crate::support;

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use reqwest::{header::HeaderMap, Method, StatusCode};
use support::TestApp;

const SECRET: &str = "secret outside the site root";

/// A site root like cargo-leptos makes (`pkg/` plus the `public/` files), a file beside it
/// that must never be served, and the server on it.
async fn site() -> (TestApp, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    for (name, bytes) in files() {
        std::fs::write(root.join(name), bytes).unwrap();
    }
    std::fs::write(dir.path().join("Cargo.toml"), SECRET).unwrap();
    // A dotfile inside the root is never served (nor read from disk for a 404).
    std::fs::write(root.join(".secret"), SECRET).unwrap();
    let mut config = support::config(&format!("sqlite://{}/test.db", dir.path().display()));
    config.site_root = root.to_str().unwrap().to_string();
    (TestApp::spawn_with(config).await, dir, root)
}

fn files() -> Vec<(&'static str, Vec<u8>)> {
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    for i in 0..20_000u32 {
        wasm.extend_from_slice(&(i % 251).to_le_bytes());
    }
    vec![
        ("pkg/livingwell.wasm", wasm),
        ("pkg/livingwell.js", "export function start() { return 'living well'; }\n".repeat(300).into_bytes()),
        ("pkg/livingwell.css", "body { margin: 0 auto; max-width: 40rem; }\n".repeat(300).into_bytes()),
        (
            "favicon.svg",
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>", "<circle r=\"8\"/>".repeat(40)).into_bytes(),
        ),
        // So small that compressing it would make it bigger.
        ("tiny.txt", b"hi".to_vec()),
        ("photo.png", b"\x89PNG\r\n\x1a\n not really, but PNGs are not compressed again ".repeat(50)),
    ]
}

fn original(name: &str) -> Vec<u8> {
    files().into_iter().find(|(n, _)| *n == name).unwrap().1
}

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Got {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(|v| v.to_str().unwrap()).unwrap_or_default()
    }

    /// The body with its `Content-Encoding` undone.
    fn decoded(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self.header("content-encoding") {
            "br" => brotli::Decompressor::new(&self.body[..], 4096).read_to_end(&mut out).unwrap(),
            "gzip" => flate2::read::GzDecoder::new(&self.body[..]).read_to_end(&mut out).unwrap(),
            "" => return self.body.clone(),
            other => panic!("unexpected encoding {other}"),
        };
        out
    }
}

async fn fetch(app: &TestApp, method: Method, path: &str, headers: &[(&str, &str)]) -> Got {
    // No reqwest compression features: bodies arrive exactly as sent.
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", app.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    Got { status, headers, body: res.bytes().await.unwrap().to_vec() }
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Got {
    fetch(app, Method::GET, path, headers).await
}

/// GETs until `done` holds (compression runs in the background; debug builds re-read the
/// disk at most once a second), failing after a deadline.
async fn get_until(app: &TestApp, path: &str, headers: &[(&str, &str)], done: impl Fn(&Got) -> bool) -> Got {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = get(app, path, headers).await;
        if done(&got) {
            return got;
        }
        assert!(Instant::now() < deadline, "{path}: still {} {:?} after 30 s", got.status, got.headers);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const BR_AND_GZIP: &[(&str, &str)] = &[("accept-encoding", "gzip, deflate, br, zstd")];

#[tokio::test]
async fn brotli_then_gzip_then_identity_with_the_same_bytes() {
    let (app, _dir, _root) = site().await;
    for (name, content_type) in [
        ("pkg/livingwell.wasm", "application/wasm"),
        ("pkg/livingwell.js", "text/javascript"),
        ("pkg/livingwell.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
    ] {
        let path = format!("/{name}");
        let raw = original(name);
        let br = get_until(&app, &path, BR_AND_GZIP, |g| g.header("content-encoding") == "br").await;
        assert_eq!(br.status, StatusCode::OK);
        assert!(br.header("content-type").starts_with(content_type), "{name}: {}", br.header("content-type"));
        assert!(br.header("vary").to_ascii_lowercase().contains("accept-encoding"), "{name}");
        assert_eq!(br.header("content-length"), br.body.len().to_string(), "{name}");
        assert!(br.body.len() < raw.len(), "{name}: brotli is smaller");
        assert_eq!(br.decoded(), raw, "{name}: brotli decodes to the file");

        for accept in ["gzip", "br;q=0, gzip", "x-gzip"] {
            let gz = get(&app, &path, &[("accept-encoding", accept)]).await;
            assert_eq!(gz.header("content-encoding"), "gzip", "{name} with {accept}");
            assert_eq!(gz.decoded(), raw, "{name}: gzip decodes to the file");
            assert!(gz.header("vary").to_ascii_lowercase().contains("accept-encoding"));
        }
        for accept in [None, Some("identity"), Some("br;q=0, gzip;q=0"), Some("*;q=0")] {
            let headers: Vec<(&str, &str)> = accept.map(|a| ("accept-encoding", a)).into_iter().collect();
            let plain = get(&app, &path, &headers).await;
            assert_eq!(plain.header("content-encoding"), "", "{name} with {accept:?}");
            assert_eq!(plain.body, raw);
            assert_eq!(plain.header("content-length"), raw.len().to_string());
            assert!(plain.header("vary").to_ascii_lowercase().contains("accept-encoding"));
        }
    }
    // Already-compressed images are sent as they are, whatever is accepted.
    let png = get(&app, "/photo.png", BR_AND_GZIP).await;
    assert_eq!(
        (png.status, png.header("content-encoding"), png.header("content-type")),
        (StatusCode::OK, "", "image/png")
    );
    assert_eq!(png.body, original("photo.png"));
    // A variant is kept only when smaller (unit test `variants_are_kept_only_when_smaller`).
    let tiny = get(&app, "/tiny.txt", BR_AND_GZIP).await;
    assert_eq!((tiny.header("content-encoding"), &tiny.body[..]), ("", &b"hi"[..]));
    assert!(tiny.header("content-type").starts_with("text/plain"));
    app.stop().await;
}

#[tokio::test]
async fn a_matching_etag_gets_304_without_a_body() {
    let (app, _dir, _root) = site().await;
    let path = "/pkg/livingwell.css";
    let br = get_until(&app, path, BR_AND_GZIP, |g| g.header("content-encoding") == "br").await;
    let etag = br.header("etag").to_string();
    assert!(etag.len() == 18 && etag.starts_with('"') && etag.ends_with('"'), "a strong tag: {etag}");
    let plain = get(&app, path, &[]).await;
    assert_ne!(plain.header("etag"), etag, "each variant has its own tag");

    let again = get(&app, path, &[("accept-encoding", "br, gzip"), ("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), etag);
    let list = format!("\"0000000000000000\", {etag}");
    let again = get(&app, path, &[("accept-encoding", "br"), ("if-none-match", &list)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED, "a tag in a list matches");

    let other = get(&app, path, &[("accept-encoding", "br"), ("if-none-match", "\"0000000000000000\"")]).await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(other.decoded(), original("pkg/livingwell.css"));
    // The brotli tag does not stand for the uncompressed bytes.
    let identity = get(&app, path, &[("if-none-match", &etag)]).await;
    assert_eq!(identity.status, StatusCode::OK);
    assert_eq!(identity.body, original("pkg/livingwell.css"));
    app.stop().await;
}

#[tokio::test]
async fn pkg_is_cached_as_its_names_allow_and_public_files_are_revalidated() {
    let (app, _dir, _root) = site().await;
    let pkg = if app.state.leptos_options.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
    for name in ["/pkg/livingwell.wasm", "/pkg/livingwell.js", "/pkg/livingwell.css"] {
        assert_eq!(get(&app, name, &[]).await.header("cache-control"), pkg, "{name}");
    }
    assert_eq!(get(&app, "/favicon.svg", &[]).await.header("cache-control"), "no-cache");
    // The security headers wrap static files too.
    assert_eq!(get(&app, "/favicon.svg", &[]).await.header("x-content-type-options"), "nosniff");
    app.stop().await;
}

#[tokio::test]
async fn head_has_the_headers_and_no_body_and_other_methods_are_refused() {
    let (app, _dir, _root) = site().await;
    let raw = original("pkg/livingwell.js");
    // Tagged once the background thread has hashed it.
    get_until(&app, "/pkg/livingwell.js", &[], |g| g.headers.contains_key("etag")).await;
    let head = fetch(&app, Method::HEAD, "/pkg/livingwell.js", &[]).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), raw.len().to_string());
    assert!(head.header("content-type").starts_with("text/javascript"));
    assert!(!head.header("etag").is_empty());
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        let r = fetch(&app, method.clone(), "/pkg/livingwell.js", &[]).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(r.header("allow"), "GET, HEAD");
    }
    app.stop().await;
}

/// Sends `path` exactly as written (reqwest would resolve the `..` itself first).
fn raw_get(base: &str, path: &str) -> String {
    let addr = base.strip_prefix("http://").unwrap();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[tokio::test]
async fn unknown_files_and_dot_dot_paths_get_the_not_found_page() {
    let (app, _dir, root) = site().await;
    assert!(Path::new(&root).join("../Cargo.toml").exists(), "the file the attacks aim at is there");
    for path in [
        "/pkg/nope.wasm",
        "/nope.txt",
        "/pkg/",
        "/pkg/..%2fCargo.toml",
        "/pkg/..%2f..%2fCargo.toml",
        "/..%2fCargo.toml",
        "/.secret",
        "/pkg/../.secret",
    ] {
        let r = get(&app, path, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.header("content-type").starts_with("text/html"), "Leptos's page for {path}");
        assert!(!String::from_utf8_lossy(&r.body).contains(SECRET), "{path}");
    }
    for path in ["/pkg/../Cargo.toml", "/pkg/../../Cargo.toml", "/../Cargo.toml", "/pkg/%2e%2e/%2e%2e/Cargo.toml"] {
        let base = app.base.clone();
        let reply = tokio::task::spawn_blocking(move || raw_get(&base, path)).await.unwrap();
        let status = reply.lines().next().unwrap_or_default().to_string();
        assert!(status.contains(" 404 ") || status.contains(" 400 "), "{path}: {status}");
        assert!(!reply.contains(SECRET), "{path}");
    }
    app.stop().await;
}

/// Debug builds look at the disk again (at most once a second): a rebuilt file, a new file
/// and a deleted one are all seen without a restart.
#[cfg(debug_assertions)]
#[tokio::test]
async fn a_file_changed_on_disk_is_served_fresh_in_debug_builds() {
    let (app, _dir, root) = site().await;
    let path = "/pkg/livingwell.css";
    let before = get_until(&app, path, BR_AND_GZIP, |g| g.header("content-encoding") == "br").await;
    let fresh = "main { padding: 1rem 2rem; color: #1a1a1a; }\n".repeat(400).into_bytes();
    std::fs::write(root.join("pkg/livingwell.css"), &fresh).unwrap();

    let plain = get_until(&app, path, &[], |g| g.body == fresh).await;
    assert_eq!(plain.header("content-length"), fresh.len().to_string());
    let br = get_until(&app, path, BR_AND_GZIP, |g| g.header("content-encoding") == "br" && g.decoded() == fresh).await;
    assert_ne!(br.header("etag"), before.header("etag"), "new bytes, new tag");
    let old_tag = [("accept-encoding", "br"), ("if-none-match", before.header("etag"))];
    assert_eq!(get(&app, path, &old_tag).await.status, StatusCode::OK, "the old tag no longer matches");

    std::fs::write(root.join("pkg/livingwell.abc123.js"), "console.log('new build')").unwrap();
    let new = get_until(&app, "/pkg/livingwell.abc123.js", &[], |g| g.status == StatusCode::OK).await;
    assert_eq!(new.body, b"console.log('new build')");
    std::fs::remove_file(root.join("pkg/livingwell.abc123.js")).unwrap();
    get_until(&app, "/pkg/livingwell.abc123.js", &[], |g| g.status == StatusCode::NOT_FOUND).await;
    app.stop().await;
}
