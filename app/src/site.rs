//! Ground floor, shared by every domain: who is asking, from where.

/// The address a request came from, for rate limits. Behind a trusted reverse proxy
/// (`--trusted-proxy`) it is the last entry of `X-Forwarded-For`, the one our proxy
/// appended; otherwise the socket's peer, so no one can claim an address by a header.
#[cfg(feature = "ssr")]
pub async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    use leptos::prelude::use_context;
    use std::net::SocketAddr;
    let trusted = use_context::<crate::state::AppState>().is_some_and(|s| s.trusted_proxy);
    if trusted {
        if let Some(parts) = use_context::<http::request::Parts>() {
            if let Some(addr) = forwarded_for(&parts.headers) {
                return addr;
            }
        }
    }
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

/// The last well-formed address in `X-Forwarded-For` (every proxy appends to the end, so
/// only the last was written by ours; anything before it the client may have made up).
#[cfg(feature = "ssr")]
pub fn forwarded_for(headers: &http::HeaderMap) -> Option<String> {
    let all: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    let last = all.last()?.rsplit(',').next()?.trim();
    last.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_forwarded_address_counts() {
        let mut h = http::HeaderMap::new();
        assert_eq!(forwarded_for(&h), None);
        h.insert("x-forwarded-for", "1.2.3.4, 10.0.0.7".parse().unwrap());
        assert_eq!(forwarded_for(&h).as_deref(), Some("10.0.0.7"));
        h.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(forwarded_for(&h), None);
        h.insert("x-forwarded-for", "2001:db8::1".parse().unwrap());
        assert_eq!(forwarded_for(&h).as_deref(), Some("2001:db8::1"));
    }
}

/// The cookie that names a browser (128 random bits, set by the server on its first form
/// post). It finds what a refused form kept, and binds the error a form post without
/// JavaScript carries in its redirect URL, so neither can be planted from elsewhere.
pub const BROWSER_COOKIE: &str = "lwl_b";

/// This request's browser id, as the server's middleware read or minted it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserId(pub String);

/// A browser id as the server mints them: 32 lowercase hex digits.
pub fn valid_browser_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The browser id of the request being served, if it has one.
#[cfg(feature = "ssr")]
pub fn browser_id() -> Option<String> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<BrowserId>().map(|b| b.0.clone()))
}

/// The furthest page any list goes to: beyond it a page number is a mistake or an attack
/// (and `page * size` must never overflow).
pub const MAX_PAGE: i64 = 100_000;

/// A list's page number from a request: absent is the first page; out of range is a 400.
pub fn page_number(page: Option<i64>) -> Result<i64, crate::error::AppError> {
    match page.unwrap_or(0) {
        p @ 0..=MAX_PAGE => Ok(p),
        _ => Err(crate::error::AppError::invalid(
            "page",
            "That page number is out of range. Please go back to the first page.",
        )),
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;

    #[test]
    fn page_numbers_in_range_only() {
        assert_eq!(page_number(None), Ok(0));
        assert_eq!(page_number(Some(3)), Ok(3));
        assert_eq!(page_number(Some(MAX_PAGE)), Ok(MAX_PAGE));
        assert!(page_number(Some(-1)).is_err());
        assert!(page_number(Some(i64::MAX)).is_err());
    }
}
