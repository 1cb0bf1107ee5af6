//! Static files from memory: everything under the site root (`pkg/` with the wasm, JS and
//! CSS, and the `public/` files cargo-leptos copies beside it) is read once at start, so a
//! request never waits on the disk. Each file keeps its bytes plus a brotli and a gzip
//! variant, and is answered with its type, content negotiation, a strong ETag per variant
//! (304 on `If-None-Match`) and a cache lifetime. Any other path goes to `fallback`
//! (Leptos's not-found page).
//!
//! Start-up only reads the bytes (the 31 MB debug wasm in ~0.1 s). Hashing and compressing
//! run on a background thread, smallest file first, because in a debug build they are slow:
//! there the crates run unoptimised. Until a file is done it is served uncompressed and
//! without an ETag (correct, just not yet revalidatable). Measured on this 2-core machine
//! (sha2 0.10, brotli 8, flate2 1) for the 31 MB debug wasm, 58 KB JS and 15 KB CSS:
//! - debug build: SHA-256 of the wasm 2.8 s; brotli q1 3.2 s and gzip 1 1.9 s for it (q5
//!   would be 14 s); brotli q5 12 ms / 26 ms for the CSS / JS;
//! - release build: SHA-256 of the wasm 30 ms; for a 3 MB slice of it brotli q9 0.95 s,
//!   q11 9.5 s, gzip 9 0.26 s; brotli q11 for the JS 0.13 s, the CSS 36 ms.
//!
//! Hence the qualities in [`levels`]. `cargo leptos build --release --precompress` writes
//! `.br` (brotli q11) and `.gz` siblings; those are used as they are.
//!
//! Debug builds look at the disk again (at most once a second, when a request comes), so a
//! rebuilt file is served fresh; release builds never touch the disk after start.

use std::{
    collections::HashMap,
    convert::Infallible,
    fs,
    io::{Read, Write},
    path::{Path, PathBuf},
    sync::{Arc, Mutex, PoisonError, RwLock, TryLockError},
    time::{Duration, Instant, SystemTime},
};

use axum::{
    body::{Body, Bytes},
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    response::Response,
};
use sha2::{Digest, Sha256};
use tower::{Service, ServiceExt};

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const NO_CACHE: &str = "no-cache";
/// How stale a debug build's view of the disk may be.
const RECHECK: Duration = Duration::from_secs(1);

#[derive(Clone)]
struct Variant {
    bytes: Bytes,
    /// A strong tag, the first 16 hex digits of the bytes' SHA-256; `None` until the
    /// background thread has hashed them.
    etag: Option<HeaderValue>,
}

impl Variant {
    fn new(bytes: Vec<u8>) -> Variant {
        Variant { bytes: bytes.into(), etag: None }
    }

    fn tagged(mut self) -> Variant {
        if self.etag.is_none() {
            let hash = hex::encode(Sha256::digest(&self.bytes));
            self.etag = HeaderValue::from_str(&format!("\"{}\"", &hash[..16])).ok();
        }
        self
    }
}

/// Modification time and length when read: a change in either means read it again.
type Stamp = (SystemTime, u64);

#[derive(Clone)]
struct Asset {
    path: PathBuf,
    stamp: Stamp,
    content_type: &'static str,
    cache_control: &'static str,
    identity: Variant,
    br: Option<Variant>,
    gzip: Option<Variant>,
}

pub struct Assets {
    root: PathBuf,
    /// For `pkg/`: immutable when cargo-leptos gave the files content-hashed names.
    pkg_cache: &'static str,
    files: RwLock<HashMap<String, Arc<Asset>>>,
    /// When a debug build last looked at the disk.
    checked: Mutex<Instant>,
}

impl Assets {
    /// Reads every file under `site_root` (a missing folder is an empty site, as in tests).
    pub fn load(site_root: &str, hashed_names: bool) -> Arc<Assets> {
        let assets = Arc::new(Assets {
            root: PathBuf::from(site_root),
            pkg_cache: if hashed_names { IMMUTABLE } else { NO_CACHE },
            files: RwLock::default(),
            checked: Mutex::new(Instant::now()),
        });
        let started = Instant::now();
        assets.rescan();
        let files = assets.files.read().unwrap_or_else(PoisonError::into_inner);
        let bytes: usize = files.values().map(|a| a.identity.bytes.len()).sum();
        tracing::info!(site_root, files = files.len(), bytes, took = ?started.elapsed(), "static files read");
        if files.is_empty() {
            tracing::warn!(site_root, "no static files found: the wasm, JS and CSS will be missing");
        }
        drop(files);
        assets
    }

    /// Walks the site root: keeps unchanged files, reads new and changed ones, forgets
    /// deleted ones, then hashes and compresses the new ones on a thread of its own.
    fn rescan(self: &Arc<Self>) {
        let mut found = Vec::new();
        walk(&self.root, &self.root, &mut found);
        let mut next = HashMap::new();
        let mut todo = Vec::new();
        {
            let old = self.files.read().unwrap_or_else(PoisonError::into_inner);
            for (key, path, stamp) in found {
                let asset = match old.get(&key) {
                    Some(a) if a.stamp == stamp && a.path == path => a.clone(),
                    _ => {
                        let cache = if key.starts_with("/pkg/") { self.pkg_cache } else { NO_CACHE };
                        let Some(a) = read(path, stamp, cache) else { continue };
                        let a = Arc::new(a);
                        todo.push((key.clone(), a.clone()));
                        a
                    }
                };
                next.insert(key, asset);
            }
        }
        *self.files.write().unwrap_or_else(PoisonError::into_inner) = next;
        if !todo.is_empty() {
            // Smallest first: the CSS and JS are ready in milliseconds, whatever the wasm takes.
            todo.sort_by_key(|(_, a)| a.identity.bytes.len());
            let me = self.clone();
            std::thread::spawn(move || me.finish(todo));
        }
    }

    /// Tags every variant and adds the brotli and gzip ones a compressible file lacks.
    fn finish(&self, todo: Vec<(String, Arc<Asset>)>) {
        for (key, asset) in todo {
            let started = Instant::now();
            let raw = &asset.identity.bytes;
            let (quality, level) = levels(raw.len());
            let smaller = |v: Vec<u8>| (v.len() < raw.len()).then(|| Variant::new(v));
            let mut done = (*asset).clone();
            let compress = compressible(done.content_type);
            if compress && done.br.is_none() {
                // A 4 MiB window (lgwin 22). The writer, not `BrotliCompress` with default
                // parameters and q1, which made the debug wasm 7.6 MB instead of 4.2 MB.
                let mut enc = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, quality, 22);
                done.br = enc.write_all(raw).ok().and_then(|_| smaller(enc.into_inner()));
            }
            if compress && done.gzip.is_none() {
                let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
                done.gzip = enc.write_all(raw).and_then(|_| enc.finish()).ok().and_then(smaller);
            }
            done.identity = done.identity.tagged();
            done.br = done.br.map(Variant::tagged);
            done.gzip = done.gzip.map(Variant::tagged);
            tracing::debug!(%key, raw = raw.len(), br = ?done.br.as_ref().map(|v| v.bytes.len()),
                gzip = ?done.gzip.as_ref().map(|v| v.bytes.len()), took = ?started.elapsed(), "hashed and compressed");
            // Only if the file was not read again meanwhile (that read compresses its own).
            let mut files = self.files.write().unwrap_or_else(PoisonError::into_inner);
            if files.get(&key).is_some_and(|current| Arc::ptr_eq(current, &asset)) {
                files.insert(key, Arc::new(done));
            }
        }
    }

    /// Whether a debug build should look at the disk again. `try_lock`: while one request
    /// rescans (holding the lock through the walk), the others use the map as it stands
    /// rather than block an async worker thread.
    fn rescan_due(&self) -> bool {
        match self.checked.try_lock() {
            Ok(checked) => checked.elapsed() >= RECHECK,
            Err(TryLockError::Poisoned(checked)) => checked.into_inner().elapsed() >= RECHECK,
            Err(TryLockError::WouldBlock) => false,
        }
    }

    /// The file for a request path, as written on disk under the site root. The path is
    /// only ever a key into the map, never joined to a folder, so `..` cannot reach out.
    async fn find(self: &Arc<Self>, path: &str) -> Option<Arc<Asset>> {
        if cfg!(debug_assertions) && self.rescan_due() {
            let me = self.clone();
            let _ = tokio::task::spawn_blocking(move || {
                // Held while scanning, so one request scans and the others then see its result.
                let mut checked = me.checked.lock().unwrap_or_else(PoisonError::into_inner);
                if checked.elapsed() >= RECHECK {
                    me.rescan();
                    *checked = Instant::now();
                }
            })
            .await;
        }
        self.files.read().unwrap_or_else(PoisonError::into_inner).get(path).cloned()
    }
}

/// brotli quality and gzip level. Small files (CSS, JS, a release wasm below 1 MiB) get
/// the best; a large release wasm brotli 9 (q11 takes ~3 s a MB); a debug build, whose
/// compressor runs unoptimised, the fastest for its 31 MB wasm (see the module comment).
fn levels(len: usize) -> (u32, u32) {
    match (cfg!(debug_assertions), len < 1024 * 1024) {
        (false, true) => (11, 9),
        (false, false) => (9, 9),
        (true, true) => (5, 6),
        (true, false) => (1, 1),
    }
}

/// Answers from memory for the files it has, and sends every other request to `fallback`.
pub fn service<F>(
    assets: Arc<Assets>,
    fallback: F,
) -> impl Service<
    Request,
    Response = Response,
    Error = Infallible,
    Future = impl std::future::Future<Output = Result<Response, Infallible>> + Send,
> + Clone
       + Send
       + Sync
       + 'static
where
    F: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync + 'static,
    F::Future: Send,
{
    tower::service_fn(move |req: Request| {
        let assets = assets.clone();
        let fallback = fallback.clone();
        async move {
            match assets.find(req.uri().path()).await {
                Some(asset) => Ok(respond(&asset, req.method(), req.headers())),
                None => fallback.oneshot(req).await,
            }
        }
    })
}

fn respond(asset: &Asset, method: &Method, headers: &HeaderMap) -> Response {
    let mut res = Response::builder();
    if method != Method::GET && method != Method::HEAD {
        return res
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, "GET, HEAD")
            .body(Body::empty())
            .unwrap_or_else(|_| internal_error());
    }
    let accept = headers.get(header::ACCEPT_ENCODING);
    let (variant, encoding) = match (&asset.br, &asset.gzip) {
        (Some(br), _) if accepts(accept, "br") => (br, Some("br")),
        (_, Some(gz)) if accepts(accept, "gzip") => (gz, Some("gzip")),
        _ => (&asset.identity, None),
    };
    res = res
        .header(header::CONTENT_TYPE, asset.content_type)
        .header(header::CACHE_CONTROL, asset.cache_control)
        .header(header::VARY, "accept-encoding");
    if let Some(etag) = &variant.etag {
        res = res.header(header::ETAG, etag);
    }
    if let Some(encoding) = encoding {
        res = res.header(header::CONTENT_ENCODING, encoding);
    }
    let matched = variant.etag.as_ref().is_some_and(|etag| none_match(headers.get(header::IF_NONE_MATCH), etag));
    let body = if matched {
        res = res.status(StatusCode::NOT_MODIFIED);
        Body::empty()
    } else {
        // Set by hand so HEAD, with no body, still tells the length.
        res = res.header(header::CONTENT_LENGTH, variant.bytes.len());
        if method == Method::HEAD {
            Body::empty()
        } else {
            Body::from(variant.bytes.clone())
        }
    };
    res.body(body).unwrap_or_else(|_| internal_error())
}

/// The builder fails only on a header value it cannot encode; every value here comes from
/// this module, so this is a bug, answered as a plain 500 rather than a panic.
fn internal_error() -> Response {
    tracing::error!("a static-file response could not be built");
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    res
}

/// Whether `Accept-Encoding` allows `coding`: named, or by `*`, with a q above 0.
fn accepts(header: Option<&HeaderValue>, coding: &str) -> bool {
    let Some(value) = header.and_then(|h| h.to_str().ok()) else { return false };
    let mut star = false;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
            .next()
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) || (coding == "gzip" && name.eq_ignore_ascii_case("x-gzip")) {
            return q > 0.0;
        }
        if name == "*" {
            star = q > 0.0;
        }
    }
    star
}

/// `If-None-Match` holds our tag (weak comparison, as RFC 9110 asks) or is `*`.
fn none_match(header: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    let Some(value) = header.and_then(|h| h.to_str().ok()) else { return false };
    let ours = etag.to_str().unwrap_or_default();
    value.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == ours)
}

/// Every file under `dir` as (URL path, file, stamp), leaving out hidden files and the
/// `.br`/`.gz` siblings cargo-leptos writes beside a file (they are its variants).
fn walk(root: &Path, dir: &Path, found: &mut Vec<(String, PathBuf, Stamp)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        let Ok(meta) = fs::metadata(&path) else { continue };
        if name.starts_with('.') {
            continue;
        }
        if meta.is_dir() {
            walk(root, &path, found);
            continue;
        }
        let variant_of = name.strip_suffix(".br").or_else(|| name.strip_suffix(".gz"));
        if variant_of.is_some_and(|base| dir.join(base).is_file()) {
            continue;
        }
        let Ok(rel) = path.strip_prefix(root) else { continue };
        let Some(rel) = rel.to_str() else { continue };
        let key = format!("/{}", rel.replace(std::path::MAIN_SEPARATOR, "/"));
        found.push((key, path.clone(), stamp(&meta)));
    }
}

fn stamp(meta: &fs::Metadata) -> Stamp {
    (meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len())
}

fn read(path: PathBuf, stamp: Stamp, cache_control: &'static str) -> Option<Asset> {
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read a static file");
            return None;
        }
    };
    let content_type = content_type(&path);
    // A precompressed sibling, when it is at least as new as the file and smaller.
    let sibling = |ext: &str| -> Option<Variant> {
        let mut p = path.clone().into_os_string();
        p.push(ext);
        let mut f = fs::File::open(&p).ok()?;
        let meta = f.metadata().ok()?;
        if meta.modified().ok()? < stamp.0 || meta.len() >= bytes.len() as u64 {
            return None;
        }
        let mut v = Vec::new();
        f.read_to_end(&mut v).ok()?;
        Some(Variant::new(v))
    };
    let (br, gzip) = if compressible(content_type) { (sibling(".br"), sibling(".gz")) } else { (None, None) };
    Some(Asset { path, stamp, content_type, cache_control, identity: Variant::new(bytes), br, gzip })
}

fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    }
}

/// Text, wasm, SVG and icons shrink; PNG, JPEG, WebP, woff2 and the like are compressed already.
fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/wasm"
                | "application/json"
                | "application/manifest+json"
                | "application/xml"
                | "image/svg+xml"
                | "image/x-icon"
                | "font/ttf"
                | "font/otf"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ae(v: &'static str) -> Option<HeaderValue> {
        Some(HeaderValue::from_static(v))
    }

    #[test]
    fn accept_encoding_is_read_with_q_values() {
        assert!(accepts(ae("gzip, deflate, br, zstd").as_ref(), "br"));
        assert!(accepts(ae("gzip").as_ref(), "gzip"));
        assert!(!accepts(ae("gzip").as_ref(), "br"));
        assert!(!accepts(ae("br;q=0, gzip").as_ref(), "br"));
        assert!(!accepts(ae("br; q=0.000").as_ref(), "br"));
        assert!(accepts(ae("br;q=0.5").as_ref(), "br"));
        assert!(accepts(ae("*").as_ref(), "br"));
        assert!(!accepts(ae("*;q=0, gzip").as_ref(), "br"));
        assert!(!accepts(ae("br;q=0, *").as_ref(), "br"), "a named coding wins over *");
        assert!(accepts(ae("x-gzip").as_ref(), "gzip"));
        assert!(!accepts(None, "gzip"));
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        let tag = HeaderValue::from_static("\"0123456789abcdef\"");
        assert!(none_match(ae("\"0123456789abcdef\"").as_ref(), &tag));
        assert!(none_match(ae("\"x\", W/\"0123456789abcdef\"").as_ref(), &tag));
        assert!(none_match(ae("*").as_ref(), &tag));
        assert!(!none_match(ae("\"fedcba9876543210\"").as_ref(), &tag));
        assert!(!none_match(None, &tag));
    }

    /// With content-hashed names `pkg/` is cached for a year; `public/` files never are.
    #[test]
    fn hashed_pkg_files_are_immutable_and_public_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("pkg")).unwrap();
        fs::write(dir.path().join("pkg/app.abc.css"), "body { color: red }").unwrap();
        fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
        for (hashed, pkg) in [(true, IMMUTABLE), (false, NO_CACHE)] {
            let assets = Assets::load(dir.path().to_str().unwrap(), hashed);
            let files = assets.files.read().unwrap();
            assert_eq!(files["/pkg/app.abc.css"].cache_control, pkg);
            assert_eq!(files["/favicon.svg"].cache_control, NO_CACHE);
            assert_eq!(files.len(), 2, "pkg is not loaded twice");
        }
    }

    #[test]
    fn variants_are_kept_only_when_smaller() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("tiny.txt"), "hi").unwrap();
        fs::write(dir.path().join("big.txt"), "hi there. ".repeat(500)).unwrap();
        fs::write(dir.path().join("photo.png"), "not compressed again ".repeat(500)).unwrap();
        let assets = Assets::load(dir.path().to_str().unwrap(), false);
        // Finish here rather than wait for the background thread (whichever is first
        // stores the same result).
        let todo: Vec<_> = assets.files.read().unwrap().iter().map(|(k, a)| (k.clone(), a.clone())).collect();
        assets.finish(todo);
        let files = assets.files.read().unwrap();
        assert!(files["/tiny.txt"].br.is_none() && files["/tiny.txt"].gzip.is_none());
        assert!(files["/big.txt"].br.as_ref().unwrap().bytes.len() < 100);
        assert!(files["/big.txt"].gzip.as_ref().unwrap().bytes.len() < 100);
        assert!(files["/photo.png"].br.is_none() && files["/photo.png"].gzip.is_none());
        assert!(files.values().all(|a| a.identity.etag.is_some()), "every file is tagged");
    }

    #[test]
    fn precompressed_siblings_are_used_and_not_served_as_files() {
        let dir = tempfile::tempdir().unwrap();
        let text = "a line of text that repeats. ".repeat(100);
        fs::write(dir.path().join("app.js"), &text).unwrap();
        fs::write(dir.path().join("app.js.br"), "pretend brotli").unwrap();
        let assets = Assets::load(dir.path().to_str().unwrap(), false);
        let files = assets.files.read().unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(&files["/app.js"].br.as_ref().unwrap().bytes[..], b"pretend brotli");
    }
}
