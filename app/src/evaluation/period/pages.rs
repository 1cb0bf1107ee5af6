//! `/report`: the collaborative's report, rendered whole on the server as one `<article>`
//! with an `<h2>` per part and a table in each, printed with the evaluation report's print
//! stylesheet (the period form and the notes around the report are left out of the
//! printout). The period form is a plain GET form: it works without JavaScript. Each part
//! is its own component, type-erased (`into_any`), so no one nested view type overflows a
//! debug build's 2 MiB stack when rendered on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    api::period_report, DecisionLine, DecisionsPart, MeasureMove, MeasuresPart, PeriodProblem, PeriodView,
    PerspectiveLine, RoundLine, RoundsPart, StageLine,
};
use crate::{
    error::AppError,
    suppression::MIN_GROUP,
    ui::{Field, LoadError},
};

const TITLE: &str = "The collaborative's report";

#[component]
pub fn PeriodReportPage() -> impl IntoView {
    let query = use_query_map();
    let data =
        Resource::new(move || query.with(|q| (q.get("from"), q.get("to"))), |(from, to)| period_report(from, to));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! {
                    <Title text=TITLE/>
                    <h1>{TITLE}</h1>
                    <LoadError error/>
                }.into_any(),
                Ok(v) => view! { <Report v/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Report(v: PeriodView) -> impl IntoView {
    let PeriodView {
        from: _,
        to: _,
        words,
        from_input,
        to_input,
        problem,
        pipeline,
        rounds,
        decisions,
        measures,
        printed_on,
    } = v;
    let head = view! { <ReportHead words=words.clone() printed_on/> }.into_any();
    let form = view! { <PeriodForm start=from_input end=to_input problem/> }.into_any();
    let parts = view! {
        <PipelineSection stages=pipeline/>
        <RoundsSection rounds/>
        <DecisionsSection decisions/>
        <MeasuresSection measures/>
    }
    .into_any();
    view! {
        <Title text=format!("{TITLE}: {words}")/>
        <article class="report period-report" aria-labelledby="report-title">
            {head}
            {form}
            {parts}
        </article>
    }
    .into_any()
}

/// The title, the period in words, the day it was made and how to print it.
#[component]
fn ReportHead(words: String, printed_on: String) -> impl IntoView {
    view! {
        <header class="report-head">
            <p class="report-kicker">"Report of the collaborative"</p>
            <h1 id="report-title">{format!("What happened from {words}")}</h1>
            <p class="lead">
                "The pipeline, the consultation rounds and the people heard, the decisions made and the outcome measures that moved, across every prototype."
            </p>
            <p class="report-printed">{format!("Printed on {printed_on}.")}</p>
            <p class="no-print report-print-hint">
                "To print this report, or save it as a PDF, use your browser's print command (for example Ctrl and P, or Command and P on a Mac). "
                "The site's menus, the dates form and these notes are left out of the printout."
            </p>
        </header>
    }
    .into_any()
}

/// The period: two date boxes, sent as a GET form (`/report?from=…&to=…`). When the dates
/// could not be used, the reason at the top (linking to its box) and beside its box, with
/// what was typed kept.
#[component]
fn PeriodForm(start: String, end: String, problem: Option<PeriodProblem>) -> impl IntoView {
    let summary = problem.clone().map(|p| {
        let href = format!("#f-{}", p.field);
        view! {
            <div class="error-summary" role="alert">
                <p><a href=href>{p.message}</a></p>
                <p>"The report below is for the last 12 months instead."</p>
            </div>
        }
        .into_any()
    });
    // The message beside its box, as `ui::Field` shows a form's error.
    let error: Signal<Option<AppError>> = Signal::derive(move || {
        problem.clone().map(|p| AppError::Invalid { field: Some(p.field), message: p.message, kept: Vec::new() })
    });
    view! {
        <form method="get" action="/report" class="no-print period-form" aria-label="Choose the period">
            {summary}
            <div class="two-up">
                <Field name="from" label="From" required=false value=start
                    hint="The first day, as day/month/year, for example 01/04/2025." error/>
                <Field name="to" label="To" required=false value=end
                    hint="The last day, as day/month/year, for example 31/03/2026." error/>
            </div>
            <p class="small">"Leave both empty for the last 12 months. A report covers at most 5 years."</p>
            <button type="submit" class="button">"Show the report"</button>
        </form>
    }
    .into_any()
}

/// 1. The pipeline: entering, leaving and at each stage.
#[component]
fn PipelineSection(stages: Vec<StageLine>) -> impl IntoView {
    let body = if stages.is_empty() {
        view! { <p>"No stages have been set up yet."</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="report-table period-pipeline">
                    <caption>"Prototypes that entered and left each stage during the period, and were at it when the period ended, in pipeline order"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Stage"</th>
                            <th scope="col">"Entered"</th>
                            <th scope="col">"Left"</th>
                            <th scope="col">"At the end of the period"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {stages.into_iter().map(|s| view! { <StageRow s/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="report-section" aria-labelledby="period-pipeline">
            <h2 id="period-pipeline">"The pipeline"</h2>
            <p class="small">
                "A prototype counts once in each column it belongs to: one that entered a stage and left it again during the period counts in both. "
                "Each stage links to the prototypes at it now."
            </p>
            {body}
        </section>
    }
    .into_any()
}

#[component]
fn StageRow(s: StageLine) -> impl IntoView {
    let name = match (s.retired, s.closed) {
        (true, _) => format!("{} (no longer in use)", s.name),
        (false, true) => format!("{} (ends the pipeline)", s.name),
        (false, false) => s.name.clone(),
    };
    let head = if s.retired {
        view! { <th scope="row">{name}</th> }.into_any()
    } else {
        view! { <th scope="row"><a href=format!("/prototypes?view=list&stage={}", s.stage_id)>{name}</a></th> }
            .into_any()
    };
    view! {
        <tr>
            {head}
            <td>{s.entered}</td>
            <td>{s.left}</td>
            <td>{s.at_end}</td>
        </tr>
    }
    .into_any()
}

/// 2. Consultation rounds that closed during the period and the people heard.
#[component]
fn RoundsSection(rounds: RoundsPart) -> impl IntoView {
    let RoundsPart { count, responses, people, rounds, more, perspectives } = rounds;
    let facts = view! {
        <dl class="facts report-facts">
            <dt>"Rounds that closed during the period"</dt>
            <dd>{count}</dd>
            <dt>"Responses to those rounds"</dt>
            <dd>{responses}</dd>
            <dt>"People heard"</dt>
            <dd>{people}</dd>
        </dl>
        <p class="small">
            "Only published responses count. Someone signed in counts once however many rounds they answered; each answer given without an account counts as one person."
        </p>
    }
    .into_any();
    let heard = view! { <HeardTable perspectives people/> }.into_any();
    let list = view! { <RoundsTable rounds more/> }.into_any();
    view! {
        <section class="report-section" aria-labelledby="period-rounds">
            <h2 id="period-rounds">"Consultation rounds and the people heard"</h2>
            {facts}
            <h3>"Who was heard"</h3>
            {heard}
            <h3>"The rounds"</h3>
            {list}
        </section>
    }
    .into_any()
}

/// People heard by the perspective they gave, as complementary suppression allows.
#[component]
fn HeardTable(perspectives: Option<Vec<PerspectiveLine>>, people: i64) -> impl IntoView {
    let rule = format!(
        "A perspective with fewer than {MIN_GROUP} people is never shown on its own, and nor is one whose number could be worked out \
         from the others by subtraction: such perspectives are counted together, so nobody can be picked out."
    );
    match perspectives {
        None => view! {
            <p>"Members of the collaborative can see who was heard, by the perspective people gave."</p>
        }
        .into_any(),
        Some(_) if people == 0 => view! { <p>"Nobody answered the consultation rounds that closed during the period."</p> }.into_any(),
        Some(rows) if rows.is_empty() => view! {
            <p>{format!(
                "Too few people gave each perspective to show any of them without someone being identifiable (fewer than {MIN_GROUP}, \
                 or a group whose number could be worked out from the total)."
            )}</p>
        }
        .into_any(),
        Some(rows) => view! {
            <p class="small">{rule}</p>
            <div class="table-scroll">
                <table class="report-table">
                    <caption>"People heard in the rounds that closed during the period, by the perspective they gave"</caption>
                    <thead>
                        <tr><th scope="col">"Perspective"</th><th scope="col">"People"</th></tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr><th scope="row">{r.label}</th><td>{r.people}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn RoundsTable(rounds: Vec<RoundLine>, more: bool) -> impl IntoView {
    if rounds.is_empty() {
        return view! { <p>"No consultation round closed during the period."</p> }.into_any();
    }
    let shown = rounds.len();
    view! {
        <div class="table-scroll">
            <table class="report-table">
                <caption>"Consultation rounds that closed during the period, by the day they closed"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Round"</th>
                        <th scope="col">"Prototype"</th>
                        <th scope="col">"Opened"</th>
                        <th scope="col">"Closed"</th>
                        <th scope="col">"Responses"</th>
                    </tr>
                </thead>
                <tbody>
                    {rounds.into_iter().map(|r| {
                        let closed = if r.open_now { format!("Still open; closes {}", r.closed) } else { r.closed.clone() };
                        view! {
                            <tr>
                                <th scope="row"><a href=format!("/consultations/{}", r.round_id)>{r.title}</a></th>
                                <td><a href=format!("/prototypes/{}", r.prototype_id)>{r.prototype_title}</a></td>
                                <td>{r.opened}</td>
                                <td>{closed}</td>
                                <td>{r.responses}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {more.then(|| view! {
            <p class="small">{format!("Only the first {shown} rounds are listed; the counts above include them all.")}</p>
        })}
    }
    .into_any()
}

/// 3. Decisions made during the period.
#[component]
fn DecisionsSection(decisions: DecisionsPart) -> impl IntoView {
    let DecisionsPart { decisions, in_full, more } = decisions;
    let shown = decisions.len();
    let body = if decisions.is_empty() {
        view! { <p>"No decision was made at a collaborative meeting during the period."</p> }.into_any()
    } else if in_full {
        view! { <MeetingDecisions decisions/> }.into_any()
    } else {
        view! {
            <p class="small">"Members of the collaborative can see each vote in full on its meeting's page."</p>
            <TimelineDecisions decisions/>
        }
        .into_any()
    };
    view! {
        <section class="report-section" aria-labelledby="period-decisions">
            <h2 id="period-decisions">"Decisions made"</h2>
            {body}
            {more.then(|| view! { <p class="small">{format!("Only the first {shown} decisions are listed.")}</p> })}
        </section>
    }
    .into_any()
}

/// Each closed motion as its meeting page shows it (members and up).
#[component]
fn MeetingDecisions(decisions: Vec<DecisionLine>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="report-table">
                <caption>"Motions decided during the period, oldest first, with their outcome"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Question"</th>
                        <th scope="col">"Prototype"</th>
                        <th scope="col">"Meeting"</th>
                        <th scope="col">"Decided"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"The vote"</th>
                    </tr>
                </thead>
                <tbody>
                    {decisions.into_iter().map(|d| view! { <MeetingDecision d/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn MeetingDecision(d: DecisionLine) -> impl IntoView {
    let question = d.question.clone().unwrap_or_else(|| "A decision".to_string());
    let question = match (d.meeting_id, d.motion_id) {
        (Some(meeting), Some(motion)) => {
            view! { <a href=format!("/meetings/{meeting}#motion-{motion}")>{question}</a> }.into_any()
        }
        _ => view! { <span>{question}</span> }.into_any(),
    };
    let prototype = prototype_link(d.prototype_id, d.prototype_title.clone());
    let meeting = match (d.meeting_id, d.meeting_title.clone()) {
        (Some(id), Some(title)) => view! { <a href=format!("/meetings/{id}")>{title}</a> }.into_any(),
        _ => view! { <span>"–"</span> }.into_any(),
    };
    let vote = match d.turnout.clone() {
        Some(t) => format!("{} {t}", d.record),
        None => d.record.clone(),
    };
    view! {
        <tr>
            <th scope="row">{question}</th>
            <td>{prototype}</td>
            <td>{meeting}</td>
            <td>{d.date.clone()}</td>
            <td><strong>{d.outcome.clone()}</strong></td>
            <td class="report-note">{vote}</td>
        </tr>
    }
    .into_any()
}

/// The decisions as the prototypes' timelines record them (everyone else).
#[component]
fn TimelineDecisions(decisions: Vec<DecisionLine>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="report-table">
                <caption>"Decisions recorded on the prototypes' timelines during the period, oldest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Prototype"</th>
                        <th scope="col">"Decided"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"What the timeline records"</th>
                    </tr>
                </thead>
                <tbody>
                    {decisions.into_iter().map(|d| {
                        let prototype = prototype_link(d.prototype_id, d.prototype_title.clone());
                        view! {
                            <tr>
                                <th scope="row">{prototype}</th>
                                <td>{d.date}</td>
                                <td><strong>{d.outcome}</strong></td>
                                <td class="report-note">{d.record}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A prototype's title linking to its page, or a dash for a decision about none.
fn prototype_link(id: Option<i64>, title: Option<String>) -> AnyView {
    match (id, title) {
        (Some(id), Some(title)) => view! { <a href=format!("/prototypes/{id}")>{title}</a> }.into_any(),
        _ => view! { <span>"No prototype"</span> }.into_any(),
    }
}

/// 4. Outcome measures that moved during the period.
#[component]
fn MeasuresSection(measures: MeasuresPart) -> impl IntoView {
    let MeasuresPart { moved, unchanged, more } = measures;
    let shown = moved.len();
    let body = if moved.is_empty() {
        view! { <p>"No outcome measure's readings moved during the period."</p> }.into_any()
    } else {
        view! { <MeasuresTable moved/> }.into_any()
    };
    let unchanged = (unchanged > 0).then(|| {
        let line = if unchanged == 1 {
            "1 other measure had readings during the period and ended where it started.".to_string()
        } else {
            format!("{unchanged} other measures had readings during the period and ended where they started.")
        };
        view! { <p>{line}</p> }
    });
    view! {
        <section class="report-section" aria-labelledby="period-measures">
            <h2 id="period-measures">"Outcome measures that moved"</h2>
            <p class="small">
                "Measures with two or more readings during the period whose first and last reading in it differ. "
                "Lived-experience ratings are not listed here: each prototype's own report follows them round by round."
            </p>
            {body}
            {unchanged}
            // `more`: the store read its limit of measures with readings; the counts cover those.
            {more.then(|| view! { <p class="small">{format!(
                "Many measures had readings in this period: {shown} that moved are listed, from the first {} read. Choose a shorter period to see the rest.",
                super::MEASURES_MAX
            )}</p> })}
        </section>
    }
    .into_any()
}

#[component]
fn MeasuresTable(moved: Vec<MeasureMove>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="report-table period-measures">
                <caption>"Outcome measures whose readings changed during the period, by prototype"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Measure"</th>
                        <th scope="col">"Prototype"</th>
                        <th scope="col">"First reading"</th>
                        <th scope="col">"Last reading"</th>
                        <th scope="col">"Change"</th>
                        <th scope="col">"Better or worse"</th>
                    </tr>
                </thead>
                <tbody>
                    {moved.into_iter().map(|m| view! { <MeasureRow m/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn MeasureRow(m: MeasureMove) -> impl IntoView {
    let href = format!("/prototypes/{}/measures/{}", m.prototype_id, m.measure_id);
    view! {
        <tr>
            <th scope="row"><a href=href>{m.name.clone()}</a></th>
            <td><a href=format!("/prototypes/{}", m.prototype_id)>{m.prototype_title.clone()}</a></td>
            <td>{format!("{} ({})", m.first, m.first_on)}</td>
            <td>{format!("{} ({}; {} readings in the period)", m.last, m.last_on, m.readings)}</td>
            <td>{m.change.clone()}</td>
            <td><strong class="verdict">{m.verdict.label()}</strong>{format!(" ({})", m.direction.to_lowercase())}</td>
        </tr>
    }
    .into_any()
}
