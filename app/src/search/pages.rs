//! `/search`: a plain GET form (so it works with JavaScript off and every search is a
//! shareable address), the results with matched words marked, and a pager. With JavaScript
//! on, the `LiveSearch` island asks again 300 ms after typing stops and keeps `?q=` in the
//! address bar current; the page around it stays server HTML.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{api::search, href, DocKind, SearchResult, SearchView, Segment};
use crate::{error::AppError, ui::LoadError};

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        query.with(|m| {
            let get = |k: &str| m.get(k).filter(|v| !v.is_empty());
            (
                get("q").unwrap_or_default(),
                get("kind"),
                get("theme"),
                get("stage").and_then(|v| v.parse::<i64>().ok()),
                get("page").and_then(|v| v.parse::<i64>().ok()),
            )
        })
    };
    let data = Resource::new(key, |(q, kind, theme, stage, page)| search(q, kind, theme, stage, page));
    view! {
        <Title text="Search"/>
        <h1>"Search"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => {
                    let visitor = matches!(error, AppError::NotSignedIn);
                    view! {
                        {visitor.then(|| view! { <p>"Search looks through the lab's work, which people with an account can read."</p> })}
                        <LoadError error/>
                    }.into_any()
                }
                Ok(initial) => view! { <LiveSearch initial/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The form and the results. Server-rendered like any component; in the browser (an
/// island) it also searches as you type. Only what the server function returned for this
/// viewer is ever shown, and every piece of stored text is rendered as text.
#[island]
fn LiveSearch(initial: SearchView) -> impl IntoView {
    let q = RwSignal::new(initial.q.clone());
    let kind = RwSignal::new(initial.kind);
    let theme = RwSignal::new(initial.theme.clone());
    let stage = RwSignal::new(initial.stage);
    let current = RwSignal::new(initial.clone());

    #[cfg(feature = "hydrate")]
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // Answers can arrive out of order: only the latest search asked may show.
    #[cfg(feature = "hydrate")]
    let asked = StoredValue::new(0u64);
    #[cfg(feature = "hydrate")]
    on_cleanup(move || {
        pending.try_update_value(|h| {
            if let Some(h) = h.take() {
                h.clear();
            }
        });
    });

    let schedule = move || {
        #[cfg(feature = "hydrate")]
        {
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            let handle = set_timeout_with_handle(
                move || {
                    let (text, k, t, s) =
                        (q.get_untracked(), kind.get_untracked(), theme.get_untracked(), stage.get_untracked());
                    let n = asked.get_value() + 1;
                    asked.set_value(n);
                    // The address follows the search, so it can be shared or reloaded.
                    if let Ok(history) = window().history() {
                        let url = href(&text, k, t.as_deref(), s, 0);
                        let _ = history.replace_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(&url));
                    }
                    leptos::task::spawn_local(async move {
                        let found = search(text, k.map(|k| k.as_str().to_string()), t, s, None).await;
                        if asked.get_value() == n {
                            if let Ok(v) = found {
                                current.set(v);
                            }
                        }
                    });
                },
                std::time::Duration::from_millis(300),
            )
            .ok();
            pending.set_value(handle);
        }
    };

    let kind_now = initial.kind;
    let theme_now = initial.theme.clone().unwrap_or_default();
    let stage_now = initial.stage;
    view! {
        <form method="get" action="/search" role="search" aria-label="Search, with filters" class="search-form">
            <div class="field">
                <label for="search-q">"Search for"</label>
                <p class="hint" id="search-q-hint">
                    "Put a phrase in double quotes, like \"evening line\". Put a minus sign before a word to leave it out, like -crisis."
                </p>
                <input id="search-q" name="q" type="search" value=initial.q.clone() maxlength="200"
                    aria-describedby="search-q-hint" autocomplete="off"
                    on:input=move |ev| {
                        q.set(event_target_value(&ev));
                        schedule();
                    }/>
            </div>
            <div class="filters">
                <div class="field">
                    <label for="search-kind">"Look in"</label>
                    <select id="search-kind" name="kind" on:change=move |ev| {
                        kind.set(DocKind::parse(&event_target_value(&ev)));
                        schedule();
                    }>
                        <option value="">"Everything"</option>
                        {DocKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=kind_now == Some(k)>{k.plural()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="search-theme">"Theme"</label>
                    <select id="search-theme" name="theme" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        theme.set((!v.is_empty()).then_some(v));
                        schedule();
                    }>
                        <option value="">"Any theme"</option>
                        {initial.themes.iter().map(|t| {
                            let selected = *t == theme_now;
                            view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="search-stage">"Stage"</label>
                    <select id="search-stage" name="stage" on:change=move |ev| {
                        stage.set(event_target_value(&ev).parse::<i64>().ok());
                        schedule();
                    }>
                        <option value="">"Any stage"</option>
                        {initial.stages.iter().map(|(id, name)| view! {
                            <option value=id.to_string() selected=stage_now == Some(*id)>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">"Search"</button>
            </div>
        </form>
        {move || view! { <Results v=current.get()/> }}
    }
}

/// What was found: announced (a live region), then the results and the pager.
#[component]
fn Results(v: SearchView) -> impl IntoView {
    let summary = match (&v.problem, &v.searched) {
        (Some(problem), _) => problem.clone(),
        (None, Some(searched)) => format!("{} {searched}", count(v.total)),
        (None, None) => "Type a word or two to search prototypes, notes, decisions, comments and more.".into(),
    };
    let (q, kind, theme, stage, page) = (v.q.clone(), v.kind, v.theme.clone(), v.stage, v.page);
    let to_page = {
        let (q, theme) = (q.clone(), theme.clone());
        move |n: i64| href(&q, kind, theme.as_deref(), stage, n)
    };
    let nothing = v.searched.is_some() && v.results.is_empty();
    view! {
        <div role="status" aria-live="polite" class="search-summary">
            <p>{summary}</p>
        </div>
        {v.order_note.clone().map(|note| view! { <p class="small">{note}</p> })}
        {(v.kinds.len() > 1 || kind.is_some()).then(|| view! {
            <nav aria-label="Show one kind of result" class="search-kinds">
                <p class="small">
                    "Found in: "
                    {kind.is_some().then(|| view! {
                        <a href=href(&q, None, theme.as_deref(), stage, 0)>"everything"</a>" · "
                    })}
                    {v.kinds.iter().map(|c| {
                        let label = format!("{} ({})", c.kind.plural(), c.count);
                        if kind == Some(c.kind) {
                            view! { <strong aria-current="true">{label}</strong>" " }.into_any()
                        } else {
                            view! { <a href=href(&q, Some(c.kind), theme.as_deref(), stage, 0)>{label}</a>" " }.into_any()
                        }
                    }).collect_view()}
                </p>
            </nav>
        })}
        {nothing.then(|| view! {
            <p>"Nothing found. Try fewer words, another spelling, or a different filter."</p>
        })}
        {(!v.results.is_empty()).then(|| view! {
            <ol class="plain-list search-results" start=(page * super::PAGE_SIZE + 1).to_string()>
                {v.results.into_iter().map(|r| view! { <ResultItem r/> }).collect_view()}
            </ol>
        })}
        <nav aria-label="Pages of results" class="pager">
            {(page > 0).then(|| view! { <a href=to_page(page - 1)>"Previous results"</a> })}
            {v.has_more.then(|| view! { <a href=to_page(page + 1)>"More results"</a> })}
        </nav>
        <p class="small">"Search covers what you can open. Contributions waiting for a moderator are never included."</p>
    }
}

fn count(n: i64) -> String {
    match n {
        0 => "No results.".into(),
        1 => "1 result.".into(),
        n => format!("{n} results."),
    }
}

#[component]
fn ResultItem(r: SearchResult) -> impl IntoView {
    view! {
        <li class="search-result">
            <p class="small">{r.kind.label()}</p>
            <h2 class="search-result-title"><a href=r.link><Marked segments=r.title/></a></h2>
            {(!r.snippet.is_empty()).then(|| view! { <p class="search-snippet"><Marked segments=r.snippet/></p> })}
        </li>
    }
}

/// Text with the matched words in `<mark>`. Every segment is a text node: whatever the
/// stored text holds, it cannot become markup.
#[component]
fn Marked(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| if s.hit { view! { <mark>{s.text}</mark> }.into_any() } else { s.text.into_any() })
        .collect_view()
}
