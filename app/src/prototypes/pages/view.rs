//! `/prototypes/{id}`: the latest iteration, the timeline, and (for the design group) the
//! draft link and the stage-move form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::Themes;
use crate::{
    consultations::pages::StatusBadge,
    feedback::{
        api::prototype_comments,
        pages::{CommentActions, CommentThread},
    },
    prototypes::{
        api::{prototype, MoveStage},
        EventKind, PrototypeView, TimelineEvent,
    },
    ui::{action_error, FormError, LoadError, TextArea},
};

#[component]
pub fn PrototypePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let query = use_query_map();
    let move_action = ServerAction::<MoveStage>::new();
    let data = Resource::new(
        move || (id(), query.with(|q| q.get("moved")), move_action.version().get()),
        |(id, ..)| prototype(id),
    );
    let actions = CommentActions::new();
    // `?comments=N` is the page of the thread (from 0); anything unreadable asks for page -1,
    // which the server refuses plainly.
    let page = move || query.with(|q| q.get("comments").map(|p| p.parse::<i64>().unwrap_or(-1)));
    let comments = Resource::new(
        move || (id(), page(), query.with(|q| q.to_query_string()), actions.version()),
        |(id, page, ..)| prototype_comments(id, page, None),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Prototype"/> <LoadError error/> }.into_any(),
                Ok(p) => {
                    let numbers = p.iteration_numbers.clone();
                    view! {
                        <Prototype p move_action/>
                        <Suspense fallback=|| ()>
                            {move || comments.get().map(|c| match c {
                                Err(error) => view! { <LoadError error/> }.into_any(),
                                Ok(c) => view! { <CommentThread c actions iterations=numbers.clone()/> }.into_any(),
                            })}
                        </Suspense>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn Prototype(p: PrototypeView, move_action: ServerAction<MoveStage>) -> impl IntoView {
    let moved = use_query_map().with_untracked(|q| q.get("moved").is_some());
    view! {
        <Title text=p.title.clone()/>
        {moved.then(|| view! { <p class="notice" role="status">{format!("Moved to {}.", p.stage.name)}</p> })}
        <div class="page-head">
            <h1>{p.title.clone()}</h1>
            {p.can_edit.then(|| view! { <a class="button secondary" href=format!("/prototypes/{}/edit", p.id)>"Edit the draft"</a> })}
        </div>
        {(!p.summary.is_empty()).then(|| view! { <p class="lead">{p.summary.clone()}</p> })}
        <dl class="facts">
            <dt>"Stage"</dt><dd><span class="stage-badge">{p.stage.name.clone()}</span></dd>
            <dt>"Co-authors"</dt><dd>{p.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ")}</dd>
            <dt>"Addresses"</dt>
            <dd>
                {if p.statements.is_empty() { view! { "No experience statements yet" }.into_any() } else {
                    view! { <ul class="plain">{p.statements.iter().map(|s| view! { <li><a href=format!("/statements/{}", s.id)>{s.label()}</a></li> }).collect_view()}</ul> }.into_any()
                }}
            </dd>
            <dt>"Serves the values"</dt>
            <dd>
                {if p.values.is_empty() { view! { "No values named yet" }.into_any() } else {
                    view! { <ul class="plain">{p.values.iter().map(|v| view! { <li><a href=format!("/values/{}", v.id)>{v.name.clone()}</a></li> }).collect_view()}</ul> }.into_any()
                }}
            </dd>
        </dl>
        <Themes themes=p.themes.clone()/>

        {match p.latest.clone() {
            None => view! {
                <p class="notice">"No iteration has been published yet. Only the design group can see this draft."</p>
            }.into_any(),
            Some(it) => view! {
                <section aria-labelledby="latest-heading">
                    <h2 id="latest-heading">{format!("Iteration {} (latest)", it.number)}</h2>
                    <p class="small">{format!("Published by {} on {}", it.published_by, it.published_at)}</p>
                    <div class="change-note"><strong>"What changed and why: "</strong>{it.change_note.clone()}</div>
                    <div class="prose" inner_html=p.latest_html.clone()></div>
                </section>
            }.into_any(),
        }}

        {(!p.iteration_numbers.is_empty()).then(|| view! { <Iterations id=p.id numbers=p.iteration_numbers.clone()/> })}
        <Rounds p=p.clone()/>
        {p.can_edit.then(|| view! { <MoveForm p=p.clone() action=move_action/> })}
        <section aria-labelledby="evaluation-heading">
            <h2 id="evaluation-heading">"Evaluation"</h2>
            <ul class="plain inline-list">
                <li><a href=format!("/prototypes/{}/measures", p.id)>"Outcome measures"</a></li>
                <li><a href=format!("/prototypes/{}/rollout", p.id)>"Roll-out across sites"</a></li>
                <li><a href=format!("/prototypes/{}/report", p.id)>"Evaluation report"</a></li>
            </ul>
        </section>
        <Timeline events=p.timeline.clone() prototype=p.id/>
    }
}

#[component]
fn Iterations(id: i64, numbers: Vec<i64>) -> impl IntoView {
    let last = numbers.last().copied().unwrap_or(1);
    let before = if numbers.len() > 1 { numbers[numbers.len() - 2] } else { last };
    view! {
        <section aria-labelledby="iterations-heading">
            <h2 id="iterations-heading">"Iterations"</h2>
            <ul class="plain inline-list">
                {numbers.iter().map(|n| view! { <li><a href=format!("/prototypes/{id}/iterations/{n}")>{format!("Iteration {n}")}</a></li> }).collect_view()}
            </ul>
            {(numbers.len() > 1).then(|| view! {
                <form method="get" action=format!("/prototypes/{id}/diff") class="inline-form compare-form">
                    <label for="from">"Compare iteration"</label>
                    <select id="from" name="from">
                        {numbers.iter().map(|&n| view! { <option value=n.to_string() selected=n == before>{n.to_string()}</option> }).collect_view()}
                    </select>
                    <label for="to">"with iteration"</label>
                    <select id="to" name="to">
                        {numbers.iter().map(|&n| view! { <option value=n.to_string() selected=n == last>{n.to_string()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button small">"Compare"</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn MoveForm(p: PrototypeView, action: ServerAction<MoveStage>) -> impl IntoView {
    let error = action_error(action);
    let current = p.stage.id;
    view! {
        <section aria-labelledby="move-heading">
            <h2 id="move-heading">"Move to another stage"</h2>
            <ActionForm action=action attr:class="form">
                <FormError error/>
                <input type="hidden" name="id" value=p.id.to_string()/>
                <div class="field">
                    <label for="move-stage">"New stage"</label>
                    <select id="move-stage" name="stage">
                        {p.stages.iter().filter(|s| s.id != current).map(|s| view! {
                            <option value=s.id.to_string()>{s.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextArea name="reason" label="Why?" rows=2 hint="A sentence is enough. It is shown on the timeline." error/>
                <button type="submit" class="button">"Move"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Timeline(events: Vec<TimelineEvent>, prototype: i64) -> impl IntoView {
    view! {
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            <ol class="timeline">
                {events.into_iter().map(|e| {
                    let who = e.actor.clone().unwrap_or_else(|| "Someone".into());
                    let what = match &e.kind {
                        EventKind::Created => format!("{who} created the prototype"),
                        EventKind::Iteration { number } => format!("{who} published iteration {number}"),
                        EventKind::StageMove { from, to } => format!("{who} moved it from {from} to {to}"),
                        EventKind::Consultation { iteration, .. } => format!("{who} opened a consultation round on iteration {iteration}"),
                        EventKind::Decision { .. } => "The collaborative meeting decided".to_string(),
                        EventKind::Rollout { site, status } => match status.as_str() {
                            "planned" => format!("{who} added {site} to the roll-out plan"),
                            "live" => format!("{who} marked it live at {site}"),
                            "paused" => format!("{who} paused it at {site}"),
                            _ => format!("{who} stopped it at {site}"),
                        },
                    };
                    let link = match &e.kind {
                        EventKind::Consultation { round, .. } => Some(format!("/consultations/{round}")),
                        EventKind::Decision { motion, meeting } => Some(format!("/meetings/{meeting}#motion-{motion}")),
                        EventKind::Rollout { .. } => Some(format!("/prototypes/{prototype}/rollout")),
                        _ => None,
                    };
                    view! {
                        <li>
                            <p><strong>{what}</strong><span class="small">{format!(" · {}", e.at)}</span></p>
                            {(!e.note.is_empty()).then(|| view! { <p class="note">{e.note.clone()}</p> })}
                            {link.map(|href| view! { <p class="small"><a href=href.clone()>{if href.starts_with("/meetings") { "See the meeting" } else if href.ends_with("/rollout") { "See the roll-out" } else { "See the consultation" }}</a></p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Rounds(p: PrototypeView) -> impl IntoView {
    let can_open = p.can_edit && !p.iteration_numbers.is_empty();
    (can_open || !p.rounds.is_empty()).then(|| view! {
        <section aria-labelledby="rounds-heading">
            <h2 id="rounds-heading">"Consultation rounds"</h2>
            <ul class="plain">
                {p.rounds.into_iter().map(|r| view! {
                    <li><a href=format!("/consultations/{}", r.id)>{r.title.clone()}</a>" "<StatusBadge round=r.clone()/>
                        <span class="small">{format!(" · iteration {} · {} responses", r.iteration_number, r.responses)}</span></li>
                }).collect_view()}
            </ul>
            {can_open.then(|| view! { <p><a class="button secondary" href=format!("/consultations/new?prototype={}", p.id)>"Open a consultation round"</a></p> })}
        </section>
    })
}
