//! `/prototypes/{id}/report`: the evaluation report, rendered whole on the server, one
//! `<article>` with an `<h2>` per part, every chart followed by its table, and a print
//! stylesheet (`style/report.css`) that leaves out the site's header, menus and footer.
//! No JavaScript: printing is the browser's own command. Each part is its own component,
//! type-erased (`into_any`): one nested view type for the whole report would overflow a
//! debug build's 2 MiB stack when rendered on the server.

mod evidence;
mod story;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{api::prototype_report, ReportView};
use crate::ui::LoadError;

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(id, prototype_report);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! {
                    <Title text="Evaluation report"/>
                    <h1>"Evaluation report"</h1>
                    <LoadError error/>
                }.into_any(),
                Ok(v) => view! { <Report v/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Report(v: ReportView) -> impl IntoView {
    let ReportView {
        prototype_id: id,
        title,
        summary,
        stage,
        themes,
        statements,
        published,
        problem,
        iterations,
        rounds,
        feedback,
        decisions,
        decisions_in_full,
        measures,
        rollout,
        notes,
        printed_on,
    } = v;
    let head = view! {
        <ReportHead id title=title.clone() summary=summary.clone() stage themes printed_on published/>
    }
    .into_any();
    let story = view! {
        <story::ProblemSection summary statements problem/>
        <story::IterationsSection id iterations/>
        <story::RoundsSection rounds/>
    }
    .into_any();
    let evidence = view! {
        <evidence::FeedbackSection feedback/>
        <evidence::DecisionsSection decisions in_full=decisions_in_full/>
        <evidence::MeasuresSection id measures/>
        <evidence::RolloutSection id plan=rollout/>
        <evidence::NotesSection id notes/>
    }
    .into_any();
    view! {
        <Title text=format!("Evaluation report: {title}")/>
        <article class="report" aria-labelledby="report-title">
            {head}
            {story}
            {evidence}
            <p class="no-print report-back">
                <a href=format!("/prototypes/{id}")>{format!("Back to “{title}”")}</a>
            </p>
        </article>
    }
    .into_any()
}

/// The title, stage and themes, the day the report was made, the way back, how to print,
/// and the downloads: plain links to the server's handlers (`server/src/export.rs`), which
/// build them from this same view, so they hold nothing this viewer cannot read here.
#[component]
fn ReportHead(
    id: i64,
    title: String,
    summary: String,
    stage: String,
    themes: Vec<String>,
    printed_on: String,
    published: bool,
) -> impl IntoView {
    let themes = if themes.is_empty() { "None given".to_string() } else { themes.join(", ") };
    view! {
        <header class="report-head">
            <nav aria-label="Breadcrumb" class="breadcrumb no-print">
                <p class="small"><a href=format!("/prototypes/{id}")>{format!("Back to “{title}”")}</a></p>
            </nav>
            <p class="report-kicker">"Evaluation report"</p>
            <h1 id="report-title">{title.clone()}</h1>
            {(!summary.is_empty()).then(|| view! { <p class="lead">{summary}</p> })}
            <dl class="facts report-facts">
                <dt>"Stage"</dt>
                <dd>{stage}</dd>
                <dt>"Themes"</dt>
                <dd>{themes}</dd>
            </dl>
            <p class="report-printed">{format!("Printed on {printed_on}.")}</p>
            {(!published).then(|| view! {
                <p class="notice">"A draft: no iteration has been published yet, so only the design group can read this report."</p>
            })}
            <p class="no-print report-print-hint">
                "To print this report, or save it as a PDF, use your browser's print command (for example Ctrl and P, or Command and P on a Mac). "
                "The site's menus and these notes are left out of the printout."
            </p>
            <p class="no-print report-downloads">
                "Downloads: "
                <a href=format!("/prototypes/{id}/report.md") download="">"The report as Markdown"</a>
                " · "
                <a href=format!("/prototypes/{id}/report.zip") download="">"The report's data as CSV files (ZIP)"</a>
            </p>
        </header>
    }
    .into_any()
}
