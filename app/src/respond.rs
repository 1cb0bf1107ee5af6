//! The last step of every server function: give API clients a meaningful HTTP status.
//! Plain HTML form posts are left alone, because Leptos answers them with a redirect back
//! to the form (carrying the error), and a 4xx status would break that redirect.

use crate::error::AppResult;

pub fn respond<T>(result: AppResult<T>) -> AppResult<T> {
    #[cfg(feature = "ssr")]
    if let Err(e) = &result {
        use leptos::prelude::use_context;
        let parts = use_context::<http::request::Parts>();
        let is_form_post = parts
            .as_ref()
            .and_then(|p| p.headers.get(http::header::ACCEPT))
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        if !is_form_post {
            if let (Some(res), Ok(status)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(e.status())) {
                res.set_status(status);
            }
        }
    }
    result
}
