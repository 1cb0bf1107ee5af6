//! Form errors in URLs, signed. Without JavaScript a refused form post ends in a redirect
//! back to the form whose URL carries the error (`__path`, `__err`: Leptos decodes it and
//! the page shows its message and the values it kept). Anyone can write such a URL, so a
//! page would show a stranger's words in the site's own error banner ("please call 0909…").
//! Here the server signs every error it puts in a redirect, for the browser that posted,
//! with a key kept in the database; a page request whose error was not signed for this
//! browser is redirected to the same page without it before anything renders.
//!
//! Client-side navigation could bypass this (the router reads the URL without asking the
//! server), so links in people's Markdown are marked `rel="external"` (see `markdown.rs`):
//! following one is a full page load that comes through here.

use std::sync::Arc;

use app::site::{valid_browser_id, BrowserId, BROWSER_COOKIE};
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::SqlitePool;

/// The query parameters Leptos uses for a form error, and ours for its signature.
const PARAMS: [&str; 3] = ["__path", "__err", "__sig"];

#[derive(Clone)]
pub struct FormErrors {
    key: Arc<Vec<u8>>,
    secure_cookies: bool,
}

impl FormErrors {
    /// Reads the signing key, making it at first start (several instances share it).
    pub async fn load(pool: &SqlitePool, secure_cookies: bool) -> Result<Self, sqlx::Error> {
        sqlx::query("INSERT OR IGNORE INTO site_secrets (name, value) VALUES ('form_errors', randomblob(32))")
            .execute(pool)
            .await?;
        let key: Vec<u8> =
            sqlx::query_scalar("SELECT value FROM site_secrets WHERE name = 'form_errors'").fetch_one(pool).await?;
        Ok(FormErrors { key: Arc::new(key), secure_cookies })
    }

    /// The MAC over one error, for one browser (parts separated so none can run into another).
    fn mac(&self, browser: &str, path: &str, err: &str) -> Hmac<Sha256> {
        // HMAC takes a key of any length, so this cannot fail.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        for part in [browser, path, err] {
            mac.update(part.as_bytes());
            mac.update(&[0]);
        }
        mac
    }

    fn sign(&self, browser: &str, path: &str, err: &str) -> String {
        hex::encode(self.mac(browser, path, err).finalize().into_bytes())
    }

    fn verify(&self, browser: &str, path: &str, err: &str, sig: &str) -> bool {
        hex::decode(sig).is_ok_and(|sig| self.mac(browser, path, err).verify_slice(&sig).is_ok())
    }
}

/// The middleware: names the browser, refuses unsigned errors on pages, signs errors in
/// form-post redirects.
pub async fn guard(State(fe): State<FormErrors>, mut req: Request, next: Next) -> Response {
    let cookie_name = fe.cookie_name();
    let cookie = browser_cookie(req.headers(), cookie_name);
    let is_api = req.uri().path().starts_with("/api/");
    let is_post = req.method() == Method::POST;
    if !is_api && matches!(*req.method(), Method::GET | Method::HEAD) {
        let query = req.uri().query().unwrap_or_default();
        if has_error_params(query) && !signed_for(&fe, cookie.as_deref(), query) {
            tracing::info!(path = %req.uri().path(), "unsigned form error in URL dropped");
            let clean = strip(query);
            let path = local_path(req.uri().path());
            let to = if clean.is_empty() { path } else { format!("{path}?{clean}") };
            return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
        }
    }
    let minted = match (&cookie, is_api && is_post) {
        (None, true) => Some(hex::encode(rand::random::<[u8; 16]>())),
        _ => None,
    };
    let browser = cookie.or_else(|| minted.clone());
    if let Some(id) = &browser {
        req.extensions_mut().insert(BrowserId(id.clone()));
    }
    let mut res = next.run(req).await;
    if is_api {
        let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        if let Some(location) = location {
            let signed = resign(&fe, browser.as_deref(), &location);
            if signed != location {
                if let Ok(v) = HeaderValue::from_str(&signed) {
                    res.headers_mut().insert(header::LOCATION, v);
                }
            }
        }
    }
    if let Some(id) = minted {
        let secure = if fe.secure_cookies { "; Secure" } else { "" };
        if let Ok(v) = HeaderValue::from_str(&format!("{cookie_name}={id}; Path=/; HttpOnly; SameSite=Lax{secure}")) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

impl FormErrors {
    /// Over HTTPS the cookie is `__Host-` prefixed: browsers then refuse it from any other
    /// host or from plain HTTP, so no one can toss their own id onto someone's browser.
    fn cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-lwl_b"
        } else {
            BROWSER_COOKIE
        }
    }
}

/// A path that can only mean this site: `//evil.example` would be another host to a browser.
fn local_path(path: &str) -> String {
    format!("/{}", path.trim_start_matches(['/', '\\']))
}

fn browser_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| valid_browser_id(v))
}

/// The query's pairs as the router reads them: names and values percent- and plus-decoded
/// (so `%5F%5Ferr` is `__err` here too).
fn decoded(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

fn is_error_param(raw_pair: &str) -> bool {
    form_urlencoded::parse(raw_pair.as_bytes()).next().is_some_and(|(k, _)| PARAMS.contains(&k.as_ref()))
}

fn has_error_params(query: &str) -> bool {
    decoded(query).iter().any(|(k, _)| PARAMS.contains(&k.as_str()))
}

/// The query without any form-error parameters, however their names are encoded.
fn strip(query: &str) -> String {
    query.split('&').filter(|p| !p.is_empty() && !is_error_param(p)).collect::<Vec<_>>().join("&")
}

/// Whether the query holds exactly one error, signed for this browser.
fn signed_for(fe: &FormErrors, browser: Option<&str>, query: &str) -> bool {
    let pairs = decoded(query);
    let one = |name: &str| {
        let mut found = pairs.iter().filter(|(k, _)| k == name);
        match (found.next(), found.next()) {
            (Some((_, v)), None) => Some(v.as_str()),
            _ => None,
        }
    };
    match (browser, one("__path"), one("__err"), one("__sig")) {
        (Some(b), Some(path), Some(err), Some(sig)) => fe.verify(b, path, err, sig),
        _ => false,
    }
}

/// A redirect target with its form error (the last one Leptos appended) signed for this
/// browser, and any earlier error parameters (from the page the form was on) removed.
fn resign(fe: &FormErrors, browser: Option<&str>, location: &str) -> String {
    let (base, query) = match location.split_once('?') {
        Some((b, q)) => (b, q),
        None => return location.to_string(),
    };
    if !has_error_params(query) {
        return location.to_string();
    }
    let pairs = decoded(query);
    let last = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let mut out = strip(query);
    if let (Some(b), Some(path), Some(err)) = (browser, last("__path"), last("__err")) {
        let sig = fe.sign(b, &path, &err);
        let signed = form_urlencoded::Serializer::new(String::new())
            .append_pair("__path", &path)
            .append_pair("__err", &err)
            .append_pair("__sig", &sig)
            .finish();
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&signed);
    }
    if out.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{out}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fe() -> FormErrors {
        FormErrors { key: Arc::new(vec![7; 32]), secure_cookies: false }
    }

    #[test]
    fn a_signed_error_verifies_only_for_its_browser() {
        let fe = fe();
        let b = "0123456789abcdef0123456789abcdef";
        let signed = resign(&fe, Some(b), "http://x/login?next=1&__path=%2Fapi%2Flogin&__err=ABC%3D");
        let query = signed.split_once('?').unwrap().1;
        assert!(signed_for(&fe, Some(b), query));
        assert!(!signed_for(&fe, Some("ffffffffffffffffffffffffffffffff"), query));
        assert!(!signed_for(&fe, None, query));
        assert!(!signed_for(&fe, Some(b), &query.replace("ABC", "ABD")));
        assert_eq!(strip(query), "next=1");
        // Names spelled with percent-escapes are the same names to the router: still one each.
        assert!(!signed_for(&fe, Some(b), &format!("{query}&%5F%5Ferr=Rk9P")));
        assert!(has_error_params("%5F%5Ferr=x") && has_error_params("_%5Fpath=x"));
        assert_eq!(strip("a=1&%5F%5Ferr=x&_%5Fsig=y"), "a=1");
    }

    #[test]
    fn earlier_errors_are_replaced_not_stacked() {
        let fe = fe();
        let b = "0123456789abcdef0123456789abcdef";
        let signed = resign(&fe, Some(b), "/x?__path=p&__err=OLD&__sig=00&a=1&__path=p&__err=NEW");
        assert_eq!(signed.matches("__err=").count(), 1);
        assert!(signed.contains("__err=NEW"));
        assert!(signed_for(&fe, Some(b), signed.split_once('?').unwrap().1));
        // A success redirect that still carries an old signature loses it.
        assert_eq!(resign(&fe, Some(b), "/x?a=1&__sig=00"), "/x?a=1");
    }

    #[test]
    fn the_clean_up_redirect_stays_on_this_site() {
        assert_eq!(local_path("//evil.example"), "/evil.example");
        assert_eq!(local_path("/\\evil.example"), "/evil.example");
        assert_eq!(local_path("/login"), "/login");
    }

    #[test]
    fn unsigned_or_doubled_errors_are_refused() {
        let fe = fe();
        let b = "0123456789abcdef0123456789abcdef";
        assert!(!signed_for(&fe, Some(b), "__path=p&__err=E"));
        let sig = fe.sign(b, "p", "E");
        assert!(signed_for(&fe, Some(b), &format!("__path=p&__err=E&__sig={sig}")));
        assert!(!signed_for(&fe, Some(b), &format!("__path=p&__err=E&__sig={sig}&__err=F")));
    }
}
