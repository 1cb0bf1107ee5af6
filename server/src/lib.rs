//! The Living Well Lab server: configuration, database, sessions, security headers and
//! the Leptos routes. `Application::build` → `port` → `run_until_stopped`, so tests can
//! start the real thing on port 0 with a fresh database.

pub mod assets;
pub mod bench;
pub mod bench_report;
pub mod bench_search;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo_evaluation;
pub mod export;
pub mod form_errors;
pub mod security;
pub mod sessions;
pub mod unsubscribe;

use std::{
    future::{Future, IntoFuture},
    net::SocketAddr,
    sync::Arc,
    time::Duration,
};

use app::{
    error::AppError,
    shell,
    state::{AppState, MailSettings},
    App,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::StatusCode,
    middleware,
    middleware::Next,
    response::Response,
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::{limit::RequestBodyLimitLayer, trace::TraceLayer};
use tower_sessions::{cookie::SameSite, session_store::ExpiredDeletion, Expiry, SessionManagerLayer};

pub use config::Config;

/// Large enough for a 200 KB prototype body, URL-encoded, with room to spare.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Database(String),
    #[error("cannot listen on {0}: {1} (is another server already using that port?)")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot set up sessions: {0}")]
    Sessions(String),
    #[error("{0}")]
    Demo(String),
    #[error("{0}")]
    Mail(String),
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    jobs: bool,
    grace: Duration,
    mailer: Arc<app::mail::sender::Mailer>,
    digest_hour: u32,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let db = db::connect(&config.database_url).await?;
        let demo = app::auth::store::is_demo(&db.read).await.map_err(|e| StartError::Database(e.to_string()))?;
        config::demo_allowed(config.demo, config.addr, demo).map_err(StartError::Demo)?;
        let leptos_options = LeptosOptions::builder()
            .output_name("livingwell")
            .hash_files(hashed_assets())
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(config.addr)
            .build();
        if config.smtp_url.is_some() && config.public_url.is_none() && !config.addr.ip().is_loopback() {
            return Err(StartError::Mail(format!(
                "emails link back to this site, so --smtp-url needs --public-url (the address people reach it at, e.g. https://lab.example.org); {} is not it",
                config.addr
            )));
        }
        let mailer = app::mail::sender::Mailer::new(config.smtp_url.as_deref(), &config.mail_from)
            .map(Arc::new)
            .map_err(StartError::Mail)?;
        let listener = TcpListener::bind(config.addr).await.map_err(|e| StartError::Bind(config.addr, e))?;
        // Links in emails: the configured public address, or where we really listen (port 0
        // in tests becomes the port given).
        let public_url = match listener.local_addr() {
            Ok(addr) if config.public_url.is_none() => format!("http://{addr}"),
            _ => config.public_url(),
        };
        // Unsubscribe links are signed with a site secret, made at first start and shared by
        // every instance through the database.
        sqlx::query("INSERT OR IGNORE INTO site_secrets (name, value) VALUES ('unsubscribe', randomblob(32))")
            .execute(&db.write)
            .await
            .map_err(|e| StartError::Database(e.to_string()))?;
        let unsubscribe_key: Vec<u8> = sqlx::query_scalar("SELECT value FROM site_secrets WHERE name = 'unsubscribe'")
            .fetch_one(&db.read)
            .await
            .map_err(|e| StartError::Database(e.to_string()))?;
        let mail = MailSettings { public_url, sending: mailer.sending(), unsubscribe_key: Arc::new(unsubscribe_key) };
        let state = AppState {
            db,
            leptos_options,
            trusted_proxy: config.trusted_proxy,
            caches: std::sync::Arc::new(app::state::Caches {
                searches: app::throttle::Limiter::new(config.search_per_minute),
                reports: app::throttle::Limiter::new(config.report_per_minute),
                ..Default::default()
            }),
            mail,
        };

        let store = sessions::FrameStore::new(state.db.read.clone());
        store.migrate().await.map_err(|e| StartError::Sessions(e.to_string()))?;
        tokio::spawn(store.clone().continuously_delete_expired(tokio::time::Duration::from_secs(3600)));
        let sessions = SessionManagerLayer::new(store)
            .with_name("lwl_session")
            .with_secure(config.secure_cookies)
            .with_same_site(SameSite::Lax)
            .with_http_only(true)
            .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));

        let form_errors = form_errors::FormErrors::load(&state.db.write, config.secure_cookies)
            .await
            .map_err(|e| StartError::Database(format!("cannot read the form-error key: {e}")))?;

        let router = router(state.clone(), &config.site_root).layer(sessions);
        let router = router
            .layer(middleware::from_fn(api_error_status))
            .layer(middleware::from_fn_with_state(form_errors, form_errors::guard))
            .layer(middleware::from_fn(security::refuse_unreadable_multipart))
            .layer(middleware::from_fn(security::refuse_cross_origin_writes))
            .layer(middleware::from_fn(security::headers))
            .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
            .layer(TraceLayer::new_for_http());
        let router = if config.secure_cookies {
            router.layer(middleware::from_fn(security::strict_transport_security))
        } else {
            router
        };
        Ok(Application {
            listener,
            router,
            state,
            jobs: true,
            grace: Duration::from_secs(config.shutdown_grace),
            mailer,
            digest_hour: config.digest_hour,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves without the background jobs: for tests that count the statements a page runs,
    /// which a job waking mid-request would otherwise add to.
    pub fn without_jobs(mut self) -> Self {
        self.jobs = false;
        self
    }

    /// Serves until Ctrl-C or SIGTERM, finishing requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(self, stop: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let Application { listener, router, state, jobs: run_jobs, grace, mailer, digest_hour } = self;
        let notices = Arc::new(app::notifications::mailer::NotificationMailer::new(state.mail.clone(), digest_hour));
        // Background jobs, each run by whichever instance holds its lease (app::jobs).
        let holder = app::jobs::new_holder();
        let all = || {
            vec![
                app::meetings::jobs::close_due_job(),
                app::consultations::store::purge_kept_forms_job(),
                app::limits::purge_job(),
                mailer.clone().job(),
                app::consultations::store::announce_rounds_job(),
            ]
            .into_iter()
            .chain(notices.clone().jobs())
            .chain(app::privacy::jobs::all())
            .collect::<Vec<_>>()
        };
        let all = || if run_jobs { all() } else { Vec::new() };
        let names: Vec<&'static str> = all().iter().map(|j| j.name).collect();
        let jobs = app::jobs::spawn(state.db.write.clone(), holder.clone(), all());
        // Graceful shutdown waits for every open connection, and hyper keeps one open that has
        // not yet finished sending a request (hyper#2730, #3188); its maintainers advise a
        // timer after the signal. So requests in flight get `grace`; then we stop waiting and
        // shut down (the connections left, in their own tasks, end with the process).
        let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
        let stop = async move {
            stop.await;
            let _ = stopping.send(());
        };
        // `/meetings/{id}.ics` is renamed before routing (the router cannot match a parameter
        // with a suffix); a plain synchronous rewrite, so it adds nothing to a request's stack.
        let app = tower::Layer::layer(&tower::util::MapRequestLayer::new(export::ics_path), router);
        let serve = axum::serve(listener, axum::ServiceExt::into_make_service_with_connect_info::<SocketAddr>(app))
            .with_graceful_shutdown(stop)
            .into_future();
        let grace_over = async move {
            match stopped.await {
                Ok(()) => tokio::time::sleep(grace).await,
                Err(_) => std::future::pending().await,
            }
        };
        let served = tokio::select! {
            served = serve => served,
            () = grace_over => {
                tracing::warn!("connections still open {grace:?} after the stop signal: closing them");
                Ok(())
            }
        };
        for j in jobs {
            j.abort();
        }
        // Leases given up, so another instance takes the jobs over at once.
        for name in names {
            let _ = app::jobs::release(&state.db.write, name, &holder).await;
        }
        // Close the pools so the WAL is checkpointed and the file is whole when we exit.
        state.db.read.close().await;
        state.db.write.close().await;
        served
    }
}

/// cargo-leptos writes `hash.txt` beside the binary when it gives the wasm, JS and CSS
/// content-hashed names; then they can be cached for a year.
fn hashed_assets() -> bool {
    std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join("hash.txt").exists())).unwrap_or(false)
}

/// How many times this process has generated the app's route list: once, whatever number of
/// servers it builds (tested).
static ROUTE_LISTS_MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The app's routes, generated once per process and shared by every server it builds.
///
/// Generating them runs the whole app under leptos_server's `SuppressResourceLoad`, a
/// process-wide flag (leptos_server 0.8.8): a resource first polled while it is set waits
/// forever (leptos#4773). One process serving pages while it builds a second server (the
/// integration tests do, two at a time) saw a page now and then never finish: 1 run in 4
/// of the test binary here, and the CI failure of 2026-11-27. A second server now waits for
/// the first generation instead of repeating it.
pub fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES
        .get_or_init(|| {
            ROUTE_LISTS_MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            generate_route_list(App)
        })
        .clone()
}

/// See `ROUTE_LISTS_MADE`.
pub fn route_lists_made() -> usize {
    ROUTE_LISTS_MADE.load(std::sync::atomic::Ordering::SeqCst)
}

fn router(state: AppState, site_root: &str) -> Router {
    let routes = routes();
    // What every rendered page (the 404 page too) finds in its context.
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(app::auth::session::ViewerCache::default());
        }
    };
    let options = state.leptos_options.clone();
    // `/pkg` and the `public/` files from memory (assets.rs), brotli/gzip negotiated,
    // `pkg` immutable when names are hashed; any other path gets the app's 404 page,
    // rendered without looking on disk (every file there is already in memory).
    let not_found = {
        let options = options.clone();
        let render = leptos_axum::render_app_to_stream_with_context(context.clone(), move || shell(options.clone()));
        tower::service_fn(move |req: Request| {
            let render = render.clone();
            async move {
                let mut res = render(req).await;
                // A redirect (say, to sign in) keeps its status; a page is "not found".
                if res.status() == StatusCode::OK {
                    *res.status_mut() = StatusCode::NOT_FOUND;
                }
                Ok::<_, std::convert::Infallible>(res)
            }
        })
    };
    let static_files = assets::service(assets::Assets::load(site_root, state.leptos_options.hash_files), not_found);
    Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/unsubscribe/one-click/{user}/{kind}/{mac}",
            axum::routing::post(unsubscribe::one_click).get(unsubscribe::one_click_page),
        )
        .route("/consultations/{id}/responses.csv", get(export::responses_csv))
        .route("/meetings/{id}/minutes.md", get(export::minutes_md))
        .route("/prototypes/{id}/report.md", get(export::report_md))
        .route("/prototypes/{id}/report.zip", get(export::report_zip))
        .route("/meetings/{id}/calendar.ics", get(export::meeting_ics))
        .route("/account/data/exports/{id}", get(export::data_export))
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .route_service("/pkg/{*file}", static_files.clone())
        .fallback_service(static_files)
        // `/meetings/{id}.ics`: the router cannot match a parameter with a suffix.
        .with_state(state)
}

/// Leptos answers every server-function failure with 500. The error is always an
/// `AppError` as JSON, so here it gets its real status and scripts and tests see
/// 400/401/403/404/409/429. (Plain form posts are redirects back to the form; untouched.)
async fn api_error_status(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Liveness plus a real query, so a broken database shows up here.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.db.read).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
