//! `/consultations/{id}/responses.csv`: a round's responses for the design group, either
//! only what may be quoted (`for=publication`) or everything (`for=design_group`).
//! A plain axum handler, since a download is not a page.

use app::{
    auth::{policy::{require, Action}, session::viewer_of},
    state::AppState,
};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct For {
    #[serde(rename = "for")]
    audience: Option<String>,
}

pub async fn responses_csv(State(state): State<AppState>, session: Session, Path(id): Path<i64>, Query(q): Query<For>) -> Response {
    let publication = q.audience.as_deref() != Some("design_group");
    let result = async {
        let viewer = viewer_of(&session, &state.db.read).await?;
        require(viewer.map(|v| v.role), Action::EditPrototypes)?;
        app::consultations::export::csv(&state.db.read, id, publication).await
    }
    .await;
    match result {
        Ok(body) => {
            let name = format!("attachment; filename=\"round-{id}-{}.csv\"", if publication { "for-publication" } else { "design-group-only" });
            let mut res = (StatusCode::OK, body).into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(v) = HeaderValue::from_str(&name) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.to_string()).into_response(),
    }
}
