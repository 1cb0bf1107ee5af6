//! The report's first parts: the problem and who it is for, the iteration history, and
//! the consultation rounds with the ratings trend of each experience statement.

use leptos::prelude::*;

use crate::{
    evaluation::{
        chart::MeasureChart,
        report::{
            GroupMean, IterationLine, ProblemPart, RoundMean, RoundsSection as Rounds, StatementLine, StatementTrend,
        },
        rules::fmt_rating,
    },
    suppression::MIN_GROUP,
};

/// 1. What the prototype is for: the experience statements it addresses, and the latest
/// iteration's "The problem" and "Who it is for" (or, without them, its summary).
#[component]
pub fn ProblemSection(summary: String, statements: Vec<StatementLine>, problem: Vec<ProblemPart>) -> impl IntoView {
    let parts = if problem.is_empty() {
        view! {
            <p>{if summary.is_empty() { "No summary has been written yet.".to_string() } else { summary }}</p>
            <p class="small">"The latest iteration has no “The problem” or “Who it is for” section, so its summary is shown."</p>
        }
        .into_any()
    } else {
        problem
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let heading = format!("problem-part-{i}");
                let labelled_by = heading.clone();
                view! {
                    <section class="report-part" aria-labelledby=labelled_by>
                        <h3 id=heading>{p.heading}</h3>
                        <div class="prose" inner_html=p.html></div>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    let statements = if statements.is_empty() {
        view! { <p>"It does not name any experience statements yet."</p> }.into_any()
    } else {
        view! {
            <ul>
                {statements.into_iter().map(|s| view! {
                    <li>
                        {s.short_name.map(|n| view! { <strong>{format!("{n}: ")}</strong> })}
                        <a href=format!("/statements/{}", s.id)>{s.text}</a>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="report-section" aria-labelledby="report-problem">
            <h2 id="report-problem">"The problem and who it is for"</h2>
            {parts}
            <h3>"The experience statements it addresses"</h3>
            {statements}
        </section>
    }
    .into_any()
}

/// 2. Every published iteration, oldest first, with what changed and why.
#[component]
pub fn IterationsSection(id: i64, iterations: Vec<IterationLine>) -> impl IntoView {
    let body = if iterations.is_empty() {
        view! { <p>"No iteration has been published yet."</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="report-table">
                    <caption>"Published iterations, oldest first, with what changed and why"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Iteration"</th>
                            <th scope="col">"Published"</th>
                            <th scope="col">"Title"</th>
                            <th scope="col">"What changed and why"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {iterations.into_iter().map(|i| view! {
                            <tr>
                                <th scope="row">
                                    <a href=format!("/prototypes/{id}/iterations/{}", i.number)>{format!("Iteration {}", i.number)}</a>
                                </th>
                                <td>{i.date}</td>
                                <td>{i.title}</td>
                                <td class="report-note">{i.change_note}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="report-section" aria-labelledby="report-iterations">
            <h2 id="report-iterations">"How it changed"</h2>
            {body}
        </section>
    }
    .into_any()
}

/// 3. The rounds the viewer may see, then how each statement was rated across them.
#[component]
pub fn RoundsSection(rounds: Rounds) -> impl IntoView {
    let Rounds { rounds, trends } = rounds;
    let list = if rounds.is_empty() {
        view! { <p>"No consultation round has been held on this prototype yet."</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="report-table">
                    <caption>"Consultation rounds, oldest first, with their published responses"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Round"</th>
                            <th scope="col">"On iteration"</th>
                            <th scope="col">"Opened"</th>
                            <th scope="col">"Closes or closed"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Published responses"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rounds.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row"><a href=format!("/consultations/{}", r.id)>{r.title}</a></th>
                                <td>{r.iteration_number}</td>
                                <td>{r.opens}</td>
                                <td>{r.closes}</td>
                                <td>{r.status.label()}</td>
                                <td>{r.responses}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let ratings = match trends {
        None => view! {
            <p>"Members of the collaborative can see how each closed round rated the experience statements."</p>
        }
        .into_any(),
        Some(t) if t.is_empty() => view! {
            <p>"No closed round has asked people to rate the experience statements yet."</p>
        }
        .into_any(),
        Some(t) => view! {
            <p class="small">{format!(
                "The mean rating (1 to 5) of each statement in each closed round, shown when at least {MIN_GROUP} people rated it. \
                 By perspective: a group is shown only when it, and everyone outside it, is {MIN_GROUP} or more people; smaller groups \
                 are merged, so nobody's answers can be worked out, by subtraction either. A dash means too few people in that group rated it."
            )}</p>
            {t.into_iter().map(|trend| view! { <Trend trend/> }).collect_view()}
        }
        .into_any(),
    };
    view! {
        <section class="report-section" aria-labelledby="report-rounds">
            <h2 id="report-rounds">"What people said in consultation rounds"</h2>
            {list}
            <h3>"How people rated the experience statements"</h3>
            {ratings}
        </section>
    }
    .into_any()
}

/// One statement's trend: the sentence, the chart, then the same numbers as a table.
#[component]
fn Trend(trend: StatementTrend) -> impl IntoView {
    let StatementTrend { id, label, summary, rounds, chart } = trend;
    let heading = format!("statement-{id}-trend");
    let labelled_by = heading.clone();
    let table = view! { <TrendTable label=label.clone() rounds/> }.into_any();
    let chart = view! {
        <MeasureChart id=format!("statement-{id}-chart") name=label.clone() summary=summary.clone() data=chart/>
    }
    .into_any();
    view! {
        <section class="report-part report-trend" aria-labelledby=labelled_by>
            <h4 id=heading>{label}</h4>
            <p class="measure-summary">{summary}</p>
            <div class="chart-and-table report-figure">
                {chart}
                <div class="table-scroll">{table}</div>
            </div>
        </section>
    }
    .into_any()
}

fn group_line(g: GroupMean) -> String {
    let people = if g.people == 1 { "1 person".to_string() } else { format!("{} people", g.people) };
    let mean = g.mean.map_or_else(|| "–".to_string(), fmt_rating);
    format!("{} ({people}): {mean}", g.label)
}

#[component]
fn TrendTable(label: String, rounds: Vec<RoundMean>) -> impl IntoView {
    view! {
        <table class="report-table readings">
            <caption>{format!("Ratings of “{label}” in each closed round, oldest first")}</caption>
            <thead>
                <tr>
                    <th scope="col">"Round"</th>
                    <th scope="col">"Closed"</th>
                    <th scope="col">"Mean rating"</th>
                    <th scope="col">"Ratings"</th>
                    <th scope="col">"By perspective"</th>
                </tr>
            </thead>
            <tbody>
                {rounds.into_iter().map(|r| {
                    let ratings = r.ratings.map_or_else(|| format!("Fewer than {MIN_GROUP}"), |n| n.to_string());
                    let groups = if r.groups.is_empty() {
                        view! { <span>"Too few people answered for a breakdown that keeps everyone anonymous."</span> }.into_any()
                    } else {
                        view! {
                            <ul class="plain">
                                {r.groups.into_iter().map(|g| view! { <li>{group_line(g)}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    };
                    view! {
                        <tr>
                            <th scope="row">
                                <a href=format!("/consultations/{}/results", r.round_id)>{r.title}</a>
                                <span class="small">{format!(" (iteration {})", r.iteration)}</span>
                            </th>
                            <td>{r.date}</td>
                            <td>{r.shown}</td>
                            <td>{ratings}</td>
                            <td>{groups}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
