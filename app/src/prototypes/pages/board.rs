//! `/prototypes`: the pipeline board (a column per stage, newest first, "more" per column)
//! and the list view with filters, search, sorting and pagination.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::Themes;
use crate::{
    auth::policy::{allowed, Action},
    layout::SiteResource,
    prototypes::{
        api::{board, list_prototypes},
        Card, ListPage,
    },
    ui::LoadError,
};

#[component]
pub fn PrototypesPage() -> impl IntoView {
    let query = use_query_map();
    let is_list = move || query.with(|q| q.get("view").as_deref() == Some("list"));
    let info = expect_context::<SiteResource>();
    let can_create = move || {
        info.get()
            .and_then(Result::ok)
            .and_then(|i| i.user)
            .is_some_and(|u| allowed(Some(u.role), Action::EditPrototypes))
    };
    view! {
        <Title text="Prototypes"/>
        <div class="page-head">
            <h1>"Prototypes"</h1>
            <Suspense fallback=|| ()>
                {move || can_create().then(|| view! { <a class="button" href="/prototypes/new">"New prototype"</a> })}
            </Suspense>
        </div>
        <nav aria-label="Views" class="tabs">
            <a href="/prototypes" aria-current=move || (!is_list()).then_some("page")>"Board"</a>
            <a href="/prototypes?view=list" aria-current=move || is_list().then_some("page")>"List and search"</a>
        </nav>
        {move || if is_list() { view! { <ListView/> }.into_any() } else { view! { <BoardView/> }.into_any() }}
    }
}

#[component]
fn BoardView() -> impl IntoView {
    let query = use_query_map();
    let statement = move || query.with(|q| q.get("statement").and_then(|v| v.parse::<i64>().ok()));
    let value = move || query.with(|q| q.get("value").and_then(|v| v.parse::<i64>().ok()));
    let columns = Resource::new(move || (statement(), value()), |(s, v)| board(s, v));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || columns.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok((columns, statements, values)) => {
                    let (chosen, chosen_value) = (statement(), value());
                    let more_filter = format!(
                        "{}{}",
                        chosen.map(|s| format!("&statement={s}")).unwrap_or_default(),
                        chosen_value.map(|v| format!("&value={v}")).unwrap_or_default()
                    );
                    view! {
                    // A plain GET form, so the filter works the same with and without JavaScript.
                    <form method="get" action="/prototypes" class="inline-form board-filter">
                        <label for="board-statement">"Show prototypes addressing"</label>
                        <select id="board-statement" name="statement">
                            <option value="">"any experience statement"</option>
                            {statements.into_iter().filter(|s| !s.retired).map(|s| view! {
                                <option value=s.id.to_string() selected=chosen == Some(s.id)>{s.label()}</option>
                            }).collect_view()}
                        </select>
                        <label for="board-value">"serving"</label>
                        <select id="board-value" name="value">
                            <option value="">"any value"</option>
                            {values.into_iter().map(|v| view! {
                                <option value=v.id.to_string() selected=chosen_value == Some(v.id)>{v.name}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit" class="button small">"Show"</button>
                    </form>
                    <div class="board">
                        {columns.into_iter().map(|c| {
                            let heading = format!("stage-{}", c.stage.id);
                            let shown = c.cards.len() as i64;
                            view! {
                                <section class="column" aria-labelledby=heading.clone()>
                                    <h2 id=heading.clone()>{c.stage.name.clone()} <span class="count">{format!(" ({})", c.total)}</span></h2>
                                    {if c.cards.is_empty() { view! { <p class="small">"Nothing here yet."</p> }.into_any() } else {
                                        view! { <ul class="cards">{c.cards.into_iter().map(|card| view! { <li><CardView card/></li> }).collect_view()}</ul> }.into_any()
                                    }}
                                    {(c.total > shown).then(|| view! {
                                        <a href=format!("/prototypes?view=list&stage={}{more_filter}", c.stage.id)>{format!("All {} in {}", c.total, c.stage.name)}</a>
                                    })}
                                </section>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CardView(card: Card) -> impl IntoView {
    view! {
        <article class="card">
            <h3><a href=format!("/prototypes/{}", card.id)>{card.title}</a></h3>
            {(!card.summary.is_empty()).then(|| view! { <p>{card.summary}</p> })}
            <Themes themes=card.themes/>
            <p class="small">
                {match card.iteration_count { 0 => "Draft, not yet published".to_string(), 1 => "1 iteration".to_string(), n => format!("{n} iterations") }}
                " · last activity " {card.last_activity}
            </p>
        </article>
    }
}

#[component]
fn ListView() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k)).filter(|v| !v.is_empty());
    let id = move |k: &str| param(k).and_then(|v| v.parse::<i64>().ok());
    let data = Resource::new(
        move || {
            (
                id("stage"),
                param("theme"),
                id("statement"),
                id("value"),
                id("author"),
                param("q"),
                param("sort"),
                id("page"),
            )
        },
        |(stage, theme, statement, value, author, q, sort, page)| {
            list_prototypes(stage, theme, statement, value, author, q, sort, page)
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(page) => view! { <Filters page=page.clone() query=query.get()/> <Results page/> }.into_any(),
            })}
        </Suspense>
    }
}

/// A plain GET form, so filtering works the same with and without JavaScript.
#[component]
fn Filters(page: ListPage, query: leptos_router::params::ParamsMap) -> impl IntoView {
    let cur = move |k: &str| query.get(k).unwrap_or_default();
    let (stage, theme, statement, value, author, sort) =
        (cur("stage"), cur("theme"), cur("statement"), cur("value"), cur("author"), cur("sort"));
    view! {
        <form method="get" action="/prototypes" class="filters" role="search" aria-label="Filter prototypes">
            <input type="hidden" name="view" value="list"/>
            <div class="field">
                <label for="q">"Search titles and summaries"</label>
                <input id="q" name="q" type="search" value=cur("q")/>
            </div>
            <div class="field">
                <label for="stage">"Stage"</label>
                <select id="stage" name="stage">
                    <option value="">"Any stage"</option>
                    {page.stages.into_iter().map(|s| { let v = s.id.to_string(); let sel = v == stage; view! { <option value=v selected=sel>{s.name}</option> } }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="theme">"Theme"</label>
                <select id="theme" name="theme">
                    <option value="">"Any theme"</option>
                    {page.themes.into_iter().map(|t| { let sel = t == theme; let label = t.clone(); view! { <option value=t selected=sel>{label}</option> } }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="statement">"Experience statement"</label>
                <select id="statement" name="statement">
                    <option value="">"Any statement"</option>
                    {page.statements.into_iter().map(|s| { let v = s.id.to_string(); let sel = v == statement; view! { <option value=v selected=sel>{s.label()}</option> } }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="value">"Value"</label>
                <select id="value" name="value">
                    <option value="">"Any value"</option>
                    {page.values.into_iter().map(|x| { let v = x.id.to_string(); let sel = v == value; view! { <option value=v selected=sel>{x.name}</option> } }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="author">"Co-author"</label>
                <select id="author" name="author">
                    <option value="">"Anyone"</option>
                    {page.authors.into_iter().map(|p| { let v = p.id.to_string(); let sel = v == author; view! { <option value=v selected=sel>{p.name}</option> } }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort">
                    {[("activity", "Latest activity"), ("created", "Newest first"), ("title", "Title (A to Z)")].into_iter()
                        .map(|(v, l)| view! { <option value=v selected=v == sort>{l}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Show"</button>
        </form>
    }
}

#[component]
fn Results(page: ListPage) -> impl IntoView {
    let query = use_query_map();
    let link = move |n: i64| {
        let mut q = query.get();
        q.replace("page", n.to_string());
        format!("/prototypes{}", q.to_query_string())
    };
    view! {
        <div role="status"><h2>{match page.total { 0 => "No prototypes match".to_string(), 1 => "1 prototype".to_string(), n => format!("{n} prototypes") }}</h2></div>
        <ul class="cards list">
            {page.cards.into_iter().map(|card| view! { <li><CardView card/></li> }).collect_view()}
        </ul>
        <nav aria-label="Pages of prototypes" class="pager">
            {(page.page > 0).then(|| view! { <a href=link(page.page - 1)>"Previous page"</a> })}
            {page.has_more.then(|| view! { <a href=link(page.page + 1)>"Next page"</a> })}
        </nav>
    }
}
