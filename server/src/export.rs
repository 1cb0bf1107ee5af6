//! Downloads, as plain axum handlers since a download is not a page:
//! `/consultations/{id}/responses.csv`, a round's responses for the design group, either
//! only what may be quoted (`for=publication`) or everything (`for=design_group`); minutes,
//! calendar invites, data exports; and a prototype's evaluation report as Markdown or CSVs.

use app::{
    auth::{
        policy::{check, Action},
        session::viewer_of,
    },
    state::AppState,
};
use axum::{
    extract::{Path, Query, Request, State},
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

pub async fn responses_csv(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(q): Query<For>,
) -> Response {
    let publication = q.audience.as_deref() != Some("design_group");
    let result = async {
        let viewer = viewer_of(&session, &state.db.read).await?;
        check(viewer.map(|v| v.role), Action::EditPrototypes)?;
        app::consultations::export::csv(&state.db.read, id, publication).await
    }
    .await;
    let name = format!("round-{id}-{}.csv", if publication { "for-publication" } else { "design-group-only" });
    attachment(result, "text/csv; charset=utf-8", &name)
}

/// `/meetings/{id}/minutes.md`: approved minutes as a Markdown file (members and up).
pub async fn minutes_md(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Response {
    let result = async {
        let viewer = viewer_of(&session, &state.db.read).await?;
        check(viewer.map(|v| v.role), Action::TakePart)?;
        let minutes = app::meetings::store::approved_minutes(&state.db.read, id).await?;
        let title = minutes.title;
        minutes
            .text
            .map(|t| (title, t))
            .ok_or_else(|| app::error::AppError::Conflict("These minutes have not been approved yet.".into()))
    }
    .await;
    let name = match &result {
        Ok((title, _)) => {
            let slug: String =
                title.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
            format!("minutes-{slug}.md")
        }
        Err(_) => String::new(),
    };
    attachment(result.map(|(_, text)| text), "text/markdown; charset=utf-8", &name)
}

/// `/prototypes/{id}/report.md`: the evaluation report as one Markdown file.
pub async fn report_md(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Response {
    let result = report(&state, &session, id).await.map(|v| app::evaluation::report::download::markdown(&v));
    attachment(result, "text/markdown; charset=utf-8", &format!("report-{id}.md"))
}

/// `/prototypes/{id}/report.zip`: the evaluation report's tables as CSV files, with a README.
pub async fn report_zip(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Response {
    let result = report(&state, &session, id).await.and_then(|v| app::evaluation::report::download::csv_zip(&v));
    attachment(result, "application/zip", &format!("report-{id}-data.zip"))
}

/// The report as this session's viewer reads it on the page, built by the same function as
/// the page's server function, so a download holds nothing the page would not show: a
/// visitor is asked to sign in (401) and a draft's report is "not found" to anyone outside
/// the design group (404), as there.
async fn report(
    state: &AppState,
    session: &Session,
    id: i64,
) -> Result<app::evaluation::report::ReportView, app::error::AppError> {
    let viewer = viewer_of(session, &state.db.read).await?;
    check(viewer.as_ref().map(|v| v.role), Action::ReadPublished)?;
    let viewer = viewer.ok_or(app::error::AppError::NotSignedIn)?;
    state.caches.reports.admit(viewer.id, app::time::now())?;
    app::evaluation::report::api::report_for(&state.db.read, &viewer, id, &state.caches.iterations).await
}

/// `/meetings/{id}.ics` as the router can match it: `/meetings/{id}/calendar.ics` (applied to
/// every request before routing; anything else passes unchanged).
pub fn ics_path(mut req: Request) -> Request {
    let id = req
        .uri()
        .path()
        .strip_prefix("/meetings/")
        .and_then(|rest| rest.strip_suffix(".ics"))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string);
    if let Some(id) = id {
        if let Ok(uri) = format!("/meetings/{id}/calendar.ics").parse() {
            *req.uri_mut() = uri;
        }
    }
    req
}

/// A meeting as a calendar invite, for members (as the meeting page is).
pub async fn meeting_ics(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Response {
    let result = async {
        let viewer = viewer_of(&session, &state.db.read).await?;
        check(viewer.map(|v| v.role), Action::TakePart)?;
        let m = app::meetings::store::meeting(&state.db.read, id).await?.meeting;
        let collaborative = app::auth::store::collaborative_name(&state.db.read).await?;
        let url = format!("{}/meetings/{id}", state.mail.public_url);
        let host = state.mail.host();
        Ok::<_, app::error::AppError>(app::meetings::calendar::ics(&app::meetings::calendar::Invite {
            id,
            title: &m.title,
            starts_at: m.starts_at,
            place: &m.place,
            online_link: &m.online_link,
            url: &url,
            host,
            collaborative: &collaborative,
        }))
    }
    .await;
    attachment(result, "text/calendar; charset=utf-8", "meeting.ics")
}

/// `/account/data/exports/{id}`: a finished export's ZIP, for the person it is about (or,
/// for one made on their behalf, a facilitator to send on). Anyone else gets "not found",
/// the same as for an id that does not exist.
pub async fn data_export(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Response {
    let result = async {
        let viewer = viewer_of(&session, &state.db.read).await?;
        check(viewer.as_ref().map(|v| v.role), Action::OwnAccount)?;
        let viewer = viewer.ok_or(app::error::AppError::NotSignedIn)?;
        let request = app::privacy::store::request(&state.db.read, id).await?;
        let facilitator = viewer.role == app::auth::Role::Facilitator;
        if request.kind != "export"
            || !app::privacy::api::may_download(viewer.id, facilitator, request.user_id, request.requested_by.is_some())
        {
            return Err(app::error::AppError::NotFound);
        }
        app::privacy::store::export_file(&state.db.read, id).await
    }
    .await;
    attachment(result, "application/zip", &format!("your-data-{id}.zip"))
}

/// A download: the body with its type, never cached (it may hold what only this viewer may
/// see), as an attachment named `filename`; or the error's status and its plain message.
fn attachment<B: IntoResponse>(
    result: Result<B, app::error::AppError>,
    content_type: &'static str,
    filename: &str,
) -> Response {
    match result {
        Ok(body) => {
            let mut res = (StatusCode::OK, body).into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.to_string())
            .into_response(),
    }
}
