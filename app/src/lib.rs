//! Living Well Lab: the Leptos app. One module per domain area; see DESIGN.md.
#![recursion_limit = "256"]
// A server function takes one argument per form field; in the browser build its generated
// client stub keeps them all, so clippy's argument count does not fit it.
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments))]

pub mod auth;
pub mod consultations;
pub mod days;
pub mod error;
pub mod evaluation;
pub mod feedback;
pub mod home;
pub mod layout;
pub mod library;
pub mod limits;
pub mod mail;
pub mod meetings;
pub mod members;
pub mod notifications;
pub mod ordering;
pub mod privacy;
#[cfg(test)]
mod props;
pub mod prototypes;
pub mod rollout;
pub mod safeguarding;
pub mod search;
pub mod settings;
pub mod site;
pub mod spreadsheet;
pub mod stages;
pub mod statements;
pub mod suppression;
pub mod ui;
pub mod vision;

#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod json_column;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod time;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app. On the server it also sets the Content-Security-Policy
/// with this response's nonce, which Leptos puts on its inline hydration script.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_csp_header();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn set_csp_header() {
    use leptos::nonce::use_nonce;
    let Some(nonce) = use_nonce() else { return };
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = http::HeaderValue::from_str(&csp(Some(&nonce.to_string()))) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The policy: only this site's own scripts, styles, images and connections. `'wasm-unsafe-eval'`
/// lets the browser compile the app's WebAssembly; it does not allow `eval` of JavaScript.
pub fn csp(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(n) => format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; {script}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The document title. Titles often hold what people typed (a round's or a prototype's),
/// and leptos_meta writes the server's `<title>` text unescaped, so it is escaped here on
/// the server; in the browser it is set as plain text, which needs no escaping.
fn page_title(page: String) -> String {
    let title = if page.is_empty() { "Living Well Lab".to_string() } else { format!("{page} · Living Well Lab") };
    #[cfg(feature = "ssr")]
    let title = ui::escape_html(&title);
    title
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Title formatter=page_title/>
        <Router>
            <layout::Layout>
                // Async: every page is rendered whole on the server, so it reads and works
                // without JavaScript; hydration then takes over.
                <Routes fallback=|| view! { <layout::NotFound/> }>
                    <Route path=path!("") view=home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("login") view=auth::pages::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("login/forgot") view=auth::pages::ForgotPage ssr=SsrMode::Async/>
                    <Route path=path!("reset/:token") view=auth::pages::ResetPage ssr=SsrMode::Async/>
                    <Route path=path!("register") view=auth::pages::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("invite/:token") view=auth::pages::InvitePage ssr=SsrMode::Async/>
                    <Route path=path!("account") view=auth::pages::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("account/data") view=privacy::pages::DataPage ssr=SsrMode::Async/>
                    <Route path=path!("notifications") view=notifications::pages::NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("unsubscribe/:user/:kind/:mac") view=notifications::pages::UnsubscribePage ssr=SsrMode::Async/>
                    <Route path=path!("members") view=members::pages::MembersPage ssr=SsrMode::Async/>
                    <Route path=path!("members/:id/data") view=privacy::pages::OnBehalfPage ssr=SsrMode::Async/>
                    <Route path=path!("prototypes") view=prototypes::pages::PrototypesPage ssr=SsrMode::Async/>
                    <Route path=path!("prototypes/new") view=prototypes::pages::NewPrototypePage ssr=SsrMode::Async/>
                    <Route path=path!("prototypes/:id") view=prototypes::pages::PrototypePage ssr=SsrMode::Async/>
                    <Route path=path!("prototypes/:id/edit") view=prototypes::pages::EditPrototypePage ssr=SsrMode::Async/>
                    <Route path=path!("prototypes/:id/iterations/:n") view=prototypes::pages::IterationPage ssr=SsrMode::Async/>
                    <Route path=path!("prototypes/:id/diff") view=prototypes::pages::ComparePage ssr=SsrMode::Async/>
                    <Route path=path!("prototypes/:id/measures") view=evaluation::pages::MeasuresPage ssr=SsrMode::Async/>
                    <Route path=path!("prototypes/:id/measures/:measure") view=evaluation::pages::MeasurePageView ssr=SsrMode::Async/>
                    <Route path=path!("prototypes/:id/report") view=evaluation::report::pages::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("report") view=evaluation::period::pages::PeriodReportPage ssr=SsrMode::Async/>
                    <Route path=path!("prototypes/:id/rollout") view=rollout::pages::RolloutPlanPage ssr=SsrMode::Async/>
                    <Route path=path!("rollout") view=rollout::pages::RolloutOverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("statements/:id") view=statements::pages::StatementPage ssr=SsrMode::Async/>
                    <Route path=path!("settings") view=settings::SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("settings/sites") view=rollout::pages::SitesPage ssr=SsrMode::Async/>
                    <Route path=path!("settings/outbox") view=mail::pages::OutboxPage ssr=SsrMode::Async/>
                    <Route path=path!("settings/retention") view=privacy::pages::RetentionPage ssr=SsrMode::Async/>
                    <Route path=path!("consultations") view=consultations::pages::ConsultationsPage ssr=SsrMode::Async/>
                    <Route path=path!("consultations/new") view=consultations::pages::NewRoundPage ssr=SsrMode::Async/>
                    <Route path=path!("consultations/:id") view=consultations::pages::RoundPage ssr=SsrMode::Async/>
                    <Route path=path!("consultations/:id/results") view=consultations::pages::ResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("receipts/:token") view=consultations::pages::ReceiptPage ssr=SsrMode::Async/>
                    <Route path=path!("moderation") view=feedback::pages::ModerationPage ssr=SsrMode::Async/>
                    <Route path=path!("meetings") view=meetings::pages::MeetingsPage ssr=SsrMode::Async/>
                    <Route path=path!("meetings/:id") view=meetings::pages::MeetingPage ssr=SsrMode::Async/>
                    <Route path=path!("vision") view=vision::pages::VisionPage ssr=SsrMode::Async/>
                    <Route path=path!("vision/history") view=vision::pages::VisionHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("values/:id") view=vision::value_pages::ValuePageView ssr=SsrMode::Async/>
                    <Route path=path!("library") view=library::pages::LibraryPage ssr=SsrMode::Async/>
                    <Route path=path!("library/new") view=library::pages::NewNotePage ssr=SsrMode::Async/>
                    <Route path=path!("library/:id") view=library::pages::NotePage ssr=SsrMode::Async/>
                    <Route path=path!("library/:id/edit") view=library::pages::EditNotePage ssr=SsrMode::Async/>
                    <Route path=path!("library/:id/shared") view=library::pages::SharedNotePage ssr=SsrMode::Async/>
                    <Route path=path!("themes/:name") view=library::pages::ThemePage ssr=SsrMode::Async/>
                    <Route path=path!("search") view=search::pages::SearchPage ssr=SsrMode::Async/>
                </Routes>
            </layout::Layout>
        </Router>
    }
}

/// Islands: the pages are server HTML and stay that way; only the `#[island]` components
/// (the editor's live preview, a meeting's live tallies) ship as WebAssembly and hydrate.
/// Leptos's loader hydrates the islands right after this returns, each in a microtask, so a
/// zero-delay timer fires once they all have: then `<html data-hydrated>` tells the
/// end-to-end tests (and anyone curious) that the page is interactive.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    set_timeout(
        || {
            if let Some(el) = document().document_element() {
                let _ = el.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
