//! `/consultations/{id}/results`: counts and distributions as server-rendered SVG bars with
//! the numbers in a table beside them, statement ratings against the previous round, the
//! breakdown by perspective, and (design group) free text to code and act on.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use super::{OutcomeText, StatusBadge};
use crate::{
    consultations::{
        api::load_results,
        results::{Bar, Breakdown, QuestionResult, RoundResults, TextAnswer, TEXTS_PER_PAGE},
        QuestionKind,
    },
    feedback::{
        api::{CodeThemes, SetOutcome},
        pages::OutcomeForm,
        ItemKind,
    },
    ui::LoadError,
};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let page = move || query.with(|q| q.get("page").and_then(|v| v.parse::<i64>().ok()));
    let code = ServerAction::<CodeThemes>::new();
    let outcome = ServerAction::<SetOutcome>::new();
    let data = Resource::new(
        move || (id(), page(), code.version().get(), outcome.version().get()),
        |(id, page, ..)| load_results(id, page),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Results"/> <h1>"Results"</h1> <LoadError error/> }.into_any(),
                Ok(r) => view! { <Results r code outcome/> }.into_any(),
            })}
        </Suspense>
    }
}

fn one_decimal(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into())
}

#[component]
fn Results(r: RoundResults, code: ServerAction<CodeThemes>, outcome: ServerAction<SetOutcome>) -> impl IntoView {
    let round = r.round.clone();
    let previous = r.previous_round.clone();
    let full = r.full;
    let page = r.page;
    let iterations = r.iterations.clone();
    view! {
        <Title text=format!("Results: {}", round.title)/>
        <p><a href=format!("/consultations/{}", round.id)>{format!("Back to {}", round.title)}</a></p>
        <h1>{format!("Results: {}", round.title)}</h1>
        <p><StatusBadge round=round.clone()/>" "{format!("{} responses", r.responses)}
            {r.held.filter(|&h| full && h > 0).map(|h| format!(" · {h} held for a moderator (not counted until released)"))}</p>
        {(!full).then(|| view! { <p class="notice">"This is the summary shared with members. Free-text answers stay with the design group."</p> })}
        {full.then(|| view! {
            <p class="actions">
                <a href=format!("/consultations/{}/responses.csv?for=publication", round.id)>"Download quotable answers (CSV, for publication)"</a>
                <a href=format!("/consultations/{}/responses.csv?for=design_group", round.id)>"Download all answers (CSV, design group only)"</a>
            </p>
        })}
        {r.questions.into_iter().map(|q| view! { <QuestionBlock q previous=previous.clone() full page iterations=iterations.clone() code outcome/> }).collect_view()}
        <BreakdownTable b=r.breakdown/>
        {(full && !r.theme_counts.is_empty()).then(|| view! {
            <section aria-labelledby="themes-heading">
                <h2 id="themes-heading">"Themes in this round"</h2>
                <table>
                    <caption>"How many free-text answers were coded with each theme"</caption>
                    <thead><tr><th scope="col">"Theme"</th><th scope="col">"Answers"</th></tr></thead>
                    <tbody>{r.theme_counts.into_iter().map(|(t, n)| view! { <tr><td>{t}</td><td>{n}</td></tr> }).collect_view()}</tbody>
                </table>
            </section>
        })}
    }
}

#[component]
fn QuestionBlock(
    q: QuestionResult,
    previous: Option<(i64, String)>,
    full: bool,
    page: i64,
    iterations: Vec<i64>,
    code: ServerAction<CodeThemes>,
    outcome: ServerAction<SetOutcome>,
) -> impl IntoView {
    let heading = format!("q{}-heading", q.id);
    let first = page * TEXTS_PER_PAGE;
    let body = match q.kind {
        QuestionKind::Scale | QuestionKind::Single | QuestionKind::Multiple => view! {
            <BarChart bars=q.bars.clone() title=q.prompt.clone() id=format!("chart-{}", q.id)/>
            {q.mean.map(|m| view! { <p>{format!("Average: {m:.1} out of 5")}</p> })}
        }
        .into_any(),
        QuestionKind::Statements => view! {
            <table>
                <caption>"Average rating per experience statement (1 to 5)"</caption>
                <thead><tr>
                    <th scope="col">"Statement"</th><th scope="col">"This round"</th>
                    {previous.as_ref().map(|(_, t)| view! { <th scope="col">{format!("Previous round ({t})")}</th> })}
                </tr></thead>
                <tbody>
                    {q.ratings.iter().map(|(label, now, before)| view! {
                        <tr>
                            <th scope="row">{label.clone()}</th>
                            <td>{one_decimal(*now)}</td>
                            {previous.is_some().then(|| view! { <td>{one_decimal(*before)}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {previous.is_some().then(|| view! {
                <ul class="plain changes">
                    {q.ratings.iter().filter_map(|(label, now, before)| Some(format!("{label}: {} → {}", one_decimal(Some((*before)?)), one_decimal(*now)))).map(|t| view! { <li>{t}</li> }).collect_view()}
                </ul>
            })}
        }
        .into_any(),
        QuestionKind::Text if full => view! {
            {(page > 0 || q.more_texts).then(|| view! {
                <p class="small">{format!("Answers {} to {} of {}", first + 1, first + q.texts.len() as i64, q.answered)}</p>
            })}
            <ul class="plain text-answers">
                {q.texts.iter().cloned().map(|t| view! { <TextAnswerItem t iterations=iterations.clone() code outcome/> }).collect_view()}
            </ul>
            {(page > 0 || q.more_texts).then(|| view! {
                <nav class="pager" aria-label=format!("More answers to: {}", q.prompt)>
                    {(page > 0).then(|| view! { <a href=format!("?page={}#q{}-heading", page - 1, q.id)>"Earlier answers"</a> })}
                    {q.more_texts.then(|| view! { <a href=format!("?page={}#q{}-heading", page + 1, q.id)>"More answers"</a> })}
                </nav>
            })}
        }
        .into_any(),
        QuestionKind::Text => view! { <p>"Free-text answers are read by the design group."</p> }.into_any(),
    };
    let labelled = heading.clone();
    view! {
        <section aria-labelledby=labelled class="result">
            <h2 id=heading>{q.prompt.clone()}</h2>
            <p class="small">{format!("{} answered", q.answered)}</p>
            {body}
        </section>
    }
}

/// Horizontal bars drawn as SVG rectangles (presentation attributes only, so the strict
/// CSP needs no inline styles), with the same numbers in a table for screen readers.
#[component]
fn BarChart(bars: Vec<Bar>, title: String, id: String) -> impl IntoView {
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let total: i64 = bars.iter().map(|b| b.count).sum();
    let row = 28;
    let height = (bars.len() as i64 * row).max(row);
    view! {
        <div class="chart-and-table">
            <svg class="chart" viewBox=format!("0 0 400 {height}") role="img" aria-labelledby=format!("{id}-title") preserveAspectRatio="xMinYMin meet">
                <title id=format!("{id}-title")>{format!("Bar chart of answers to: {title}. The table beside it has the same numbers.")}</title>
                {bars.iter().enumerate().map(|(i, b)| {
                    let y = i as i64 * row;
                    let w = (b.count as f64 / max as f64 * 230.0).round() as i64;
                    view! {
                        <g>
                            <text x="0" y=(y + 18).to_string() class="chart-label">{truncate(&b.label, 18)}</text>
                            <rect x="140" y=(y + 4).to_string() width=w.max(1).to_string() height="20" class="bar"></rect>
                            <text x=(146 + w).to_string() y=(y + 18).to_string() class="chart-value">{b.count.to_string()}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <table>
                <caption>{format!("Answers: {title}")}</caption>
                <thead><tr><th scope="col">"Answer"</th><th scope="col">"People"</th><th scope="col">"Share"</th></tr></thead>
                <tbody>
                    {bars.iter().map(|b| view! {
                        <tr><td>{b.label.clone()}</td><td>{b.count}</td><td>{if total > 0 { format!("{}%", b.count * 100 / total) } else { "–".into() }}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

#[component]
fn BreakdownTable(b: Breakdown) -> impl IntoView {
    (!b.items.is_empty()).then(|| {
        let items = b.items.clone();
        view! {
            <section aria-labelledby="breakdown-heading">
                <h2 id="breakdown-heading">"By perspective"</h2>
                <p>"Average ratings by the perspective people declared. A group is shown only when it, and everyone outside it, is 5 or more people; \
                    smaller groups are merged, so nobody's answers can be worked out, by subtraction either. A dash means too few people rated that item to show."
                    {(b.rows.is_empty()).then(|| format!(" {} people answered: too few for a breakdown that keeps everyone anonymous.", b.suppressed))}</p>
                {(!b.rows.is_empty()).then(|| view! {
                <div class="table-scroll">
                    <table>
                        <caption>"Average ratings (1 to 5) by perspective"</caption>
                        <thead><tr><th scope="col">"Perspective"</th><th scope="col">"People"</th>
                            {items.iter().map(|i| view! { <th scope="col">{i.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {b.rows.into_iter().map(|r| view! {
                                <tr><th scope="row">{r.label}</th><td>{r.people}</td>{r.means.into_iter().map(|m| view! { <td>{one_decimal(m)}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                })}
            </section>
        }
    })
}

/// A free-text answer with its coding and "you said, we did" forms (design group).
#[component]
fn TextAnswerItem(
    t: TextAnswer,
    iterations: Vec<i64>,
    code: ServerAction<CodeThemes>,
    outcome: ServerAction<SetOutcome>,
) -> impl IntoView {
    let back = use_location().pathname.get_untracked();
    // Back to this page of answers, not the first (only `page`: the rest of the query is
    // one-off notices such as a form's error).
    let page = use_query_map().get_untracked().get("page").and_then(|p| p.parse::<u32>().ok()).filter(|p| *p > 0);
    let (aid, rid) = (t.answer_id, t.response_id);
    let back_to = match page {
        Some(p) => format!("{back}?page={p}#answer-{aid}"),
        None => format!("{back}#answer-{aid}"),
    };
    let back_too = back_to.clone();
    view! {
        <li class="text-answer" id=format!("answer-{aid}")>
            <blockquote>{t.text.clone()}</blockquote>
            <p class="small">{t.who.clone()}</p>
            <OutcomeText outcome=t.outcome.clone()/>
            <ActionForm action=code attr:class="inline-form">
                <input type="hidden" name="kind" value="answer"/>
                <input type="hidden" name="id" value=aid.to_string()/>
                <input type="hidden" name="back" value=back_to/>
                <label for=format!("themes-{aid}")>"Themes"</label>
                <input id=format!("themes-{aid}") name="themes" type="text" value=t.themes.join(", ")/>
                <button type="submit" class="button small">"Save themes"</button>
            </ActionForm>
            <OutcomeForm action=outcome kind=ItemKind::Response id=rid back=back_too iterations dom_key=format!("a{aid}") class="inline-form"/>
        </li>
    }
}
