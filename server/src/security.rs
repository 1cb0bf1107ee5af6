//! Web safety for every response: cross-origin writes refused, security headers set.

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Refuses state-changing requests that a browser says come from another site. Browsers
/// send `Sec-Fetch-Site` (modern) or `Origin` (older) on every cross-origin POST; a client
/// that sends neither is not a browser, so it carries no one's ambient cookies.
pub async fn refuse_cross_origin_writes(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || same_origin(req.headers())
        || one_click_unsubscribe(req.uri().path())
    {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-origin write refused");
    (
        StatusCode::FORBIDDEN,
        "This request came from another website, so it was refused. Please use the form on this site.",
    )
        .into_response()
}

/// Server functions whose body is a multipart form (a file upload). Leptos's multipart
/// decoder panics on a body whose type names no boundary, before the function (and its
/// permission check) runs; such a post is refused here instead, as unreadable.
const MULTIPART_FUNCTIONS: &[&str] = &["/api/upload_readings"];

/// Refuses a post to a multipart server function whose body cannot be a multipart form.
pub async fn refuse_unreadable_multipart(req: Request, next: Next) -> Response {
    let multipart = req.method() == Method::POST && MULTIPART_FUNCTIONS.contains(&req.uri().path());
    if multipart && !has_boundary(req.headers()) {
        // The words every unreadable form gets.
        return (StatusCode::BAD_REQUEST, app::error::AppError::BadRequest.to_string()).into_response();
    }
    next.run(req).await
}

/// Whether the body's type is multipart with a boundary, read as the decoder reads it.
fn has_boundary(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| {
        ct.to_ascii_lowercase().starts_with("multipart/form-data") && multer::parse_boundary(ct).is_ok()
    })
}

/// RFC 8058's one-click unsubscribe is posted from a mail program, often another site (a
/// webmail page): it uses no cookie, and the link's own MAC is its only permission
/// (`unsubscribe.rs`), so a cross-origin post there carries nothing to abuse.
fn one_click_unsubscribe(path: &str) -> bool {
    path.starts_with("/unsubscribe/one-click/")
}

pub fn same_origin(headers: &HeaderMap) -> bool {
    let get = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if let Some(site) = get(header::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site, "same-origin" | "none");
    }
    match (get(header::ORIGIN), get(header::HOST)) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|o| o.eq_ignore_ascii_case(host)),
        (Some(_), None) => false,
    }
}

/// Security headers on every response. Pages set their own CSP with a nonce; everything
/// else gets the same policy without one.
pub async fn headers(req: Request<Body>, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&app::csp(None)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"));
    // Pages and answers can hold personal and health information: never store them in caches.
    let is_html = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if (is_api || is_html) && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// `Strict-Transport-Security`, layered only when cookies are `Secure` (the site is served
/// over HTTPS): browsers then never try plain HTTP, where a session cookie could be caught.
/// Two years, no `includeSubDomains`: other sites under the same domain are not ours to bind.
pub async fn strict_transport_security(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_rules() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "none")])));
        assert!(!same_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://lab.test"),
            ("host", "lab.test")
        ])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(same_origin(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(!same_origin(&headers(&[("origin", "http://evil.example"), ("host", "127.0.0.1:3000")])));
        assert!(!same_origin(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")])));
        assert!(same_origin(&headers(&[])));
    }
}
