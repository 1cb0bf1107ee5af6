//! `/library`: learning notes, newest first, with filters in a plain GET form (so they work
//! the same with and without JavaScript) and pages of 20.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{hooks::use_query_map, params::ParamsMap};

use super::NoteCardView;
use crate::{
    library::{api::list_notes, Choice, NoteKind, NoteList},
    ui::LoadError,
};

#[component]
pub fn LibraryPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k)).filter(|v| !v.is_empty());
    let id = move |k: &str| param(k).and_then(|v| v.parse::<i64>().ok());
    let data = Resource::new(
        move || (param("kind"), param("theme"), id("prototype"), id("value"), id("statement"), id("page")),
        |(kind, theme, prototype, value, statement, page)| list_notes(kind, theme, prototype, value, statement, page),
    );
    view! {
        <Title text="Learning library"/>
        <Suspense fallback=|| view! { <h1>"Learning library"</h1> <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <h1>"Learning library"</h1> <LoadError error/> }.into_any(),
                Ok(list) => view! { <Library list query=query.get()/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Library(list: NoteList, query: ParamsMap) -> impl IntoView {
    let link = {
        let query = query.clone();
        move |n: i64| {
            let mut q = query.clone();
            q.replace("page", n.to_string());
            format!("/library{}", q.to_query_string())
        }
    };
    let (newer, older) = ((list.page > 0).then(|| link(list.page - 1)), list.has_more.then(|| link(list.page + 1)));
    view! {
        <div class="page-head">
            <h1>"Learning library"</h1>
            {list.can_write.then(|| view! { <a class="button" href="/library/new">"Write a learning note"</a> })}
        </div>
        <p class="lead">"What the lab learned from its prototypes, consultations and decisions, with the evidence it came from. Lessons from stopped or paused work are as welcome as successes."</p>
        <Filters list=list.clone() query/>
        {(!list.drafts.is_empty()).then(|| view! {
            <section aria-labelledby="drafts-heading">
                <h2 id="drafts-heading">"Drafts"</h2>
                <p class="hint">"Only the design group and facilitators see drafts. Open one to publish it."</p>
                <ul class="cards list">
                    {list.drafts.clone().into_iter().map(|card| view! { <li><NoteCardView card/></li> }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Published notes"</h2>
            {if list.notes.is_empty() {
                view! { <p>"No published notes match. Try fewer filters."</p> }.into_any()
            } else {
                view! {
                    <ul class="cards list">
                        {list.notes.into_iter().map(|card| view! { <li><NoteCardView card/></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <nav aria-label="Pages of notes" class="pager">
                {newer.map(|href| view! { <a href=href>"Newer notes"</a> })}
                {older.map(|href| view! { <a href=href>"Older notes"</a> })}
            </nav>
        </section>
    }
}

/// One labelled select of a filter: "any" first, then the choices.
#[component]
fn FilterSelect(
    name: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<Choice>,
    current: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=name>
                <option value="">{any}</option>
                {choices.into_iter().map(|c| {
                    let v = c.id.to_string();
                    let selected = v == current;
                    view! { <option value=v selected=selected>{c.label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Filters(list: NoteList, query: ParamsMap) -> impl IntoView {
    let cur = |k: &str| query.get(k).unwrap_or_default();
    let (kind, theme) = (cur("kind"), cur("theme"));
    let (prototype, value, statement) = (cur("prototype"), cur("value"), cur("statement"));
    view! {
        <form method="get" action="/library" class="filters" role="search" aria-label="Filter learning notes">
            <div class="field">
                <label for="kind">"Kind of lesson"</label>
                <select id="kind" name="kind">
                    <option value="">"Any kind"</option>
                    {NoteKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=k.as_str() == kind>{k.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="theme">"Theme"</label>
                <select id="theme" name="theme">
                    <option value="">"Any theme"</option>
                    {list.themes.into_iter().map(|t| {
                        let selected = t == theme;
                        let label = t.clone();
                        view! { <option value=t selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <FilterSelect name="prototype" label="Prototype" any="Any prototype" choices=list.prototypes current=prototype/>
            <FilterSelect name="value" label="Value" any="Any value" choices=list.values current=value/>
            <FilterSelect name="statement" label="Experience statement" any="Any statement" choices=list.statements current=statement/>
            <button type="submit" class="button">"Show"</button>
        </form>
    }
}
