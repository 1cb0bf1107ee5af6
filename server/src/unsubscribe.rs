//! The one-click unsubscribe a mail program sends (RFC 8058): a POST of
//! `List-Unsubscribe=One-Click` to the address in the email's `List-Unsubscribe` header,
//! with no cookies and no page. The link's MAC is the permission
//! (`app::notifications::unsubscribe`); a forged or stale link gets 404 and changes nothing.

use app::{notifications::unsubscribe, state::AppState};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Redirect,
};

/// A mail program without RFC 8058 opens the address in a browser: show the page that asks.
pub async fn one_click_page(Path((user, kind, mac)): Path<(i64, String, String)>) -> Redirect {
    Redirect::to(&format!("/unsubscribe/{user}/{}/{}", urlencode(&kind), urlencode(&mac)))
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub async fn one_click(
    State(state): State<AppState>,
    Path((user, kind, mac)): Path<(i64, String, String)>,
) -> (StatusCode, &'static str) {
    let known = kind == unsubscribe::ALL || app::notifications::Kind::parse(&kind).is_some_and(|k| k.configurable());
    if !known || !unsubscribe::verify(&state.mail.unsubscribe_key, user, &kind, &mac) {
        return (StatusCode::NOT_FOUND, "This unsubscribe link is not valid.");
    }
    match app::notifications::api::apply_unsubscribe(&state.db.write, user, &kind).await {
        Ok(()) => (StatusCode::OK, "Unsubscribed."),
        Err(e) => {
            tracing::error!(error = %e, "one-click unsubscribe failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong; please try again.")
        }
    }
}
