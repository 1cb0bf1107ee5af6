//! `/vision` (read by anyone; edited by facilitators) and `/vision/history`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    api::{load_vision, vision_history, SaveVision},
    BODY_MAX, NOTE_MAX,
};
use crate::{
    prototypes::pages::DiffLineView,
    ui::{action_error, Field, FormError, LoadError, TextArea},
    vision::value_pages::ValuesSection,
};

#[component]
pub fn VisionPage() -> impl IntoView {
    let query = use_query_map();
    let save = ServerAction::<SaveVision>::new();
    let data = Resource::new(move || (query.with(|q| q.get("saved")), save.version().get()), |_| load_vision());
    let error = action_error(save);
    view! {
        <Title text="Vision and values"/>
        <h1>"Our vision"</h1>
        {move || query.with(|q| q.get("saved")).map(|s| view! { <p class="notice" role="status">{if s == "values" { "The values are saved." } else { "The new version of the vision is saved." }}</p> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|d| match d {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(v) => view! {
                    {match v.html.clone() {
                        Some(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
                        None => view! { <p>"The collaborative has not written its vision here yet."</p> }.into_any(),
                    }}
                    {v.edited.clone().map(|e| view! { <p class="small">{e}" · "<a href="/vision/history">"How the vision has changed"</a></p> })}
                    <ValuesSection values=v.values.clone() manage=v.editor.is_some()/>
                    {v.editor.clone().map(|(body, based_on)| view! {
                        <section aria-labelledby="edit-heading">
                            <h2 id="edit-heading">"Edit the vision"</h2>
                            <p class="hint">"Every save is kept as a version, with your name and what changed, so everyone can see how the vision grew."</p>
                            <ActionForm action=save attr:class="form">
                                <FormError error/>
                                <input type="hidden" name="based_on" value=based_on.to_string()/>
                                <TextArea name="body" label="The vision (Markdown)" rows=14 value=body
                                    hint="Plain words work best. Headings start with #, lists with -." error/>
                                <Field name="note" label="What changed and why (optional)" required=false value=String::new() error/>
                                <p class="small">{format!("Up to {BODY_MAX} characters for the vision and {NOTE_MAX} for the note.")}</p>
                                <button type="submit" class="button">"Save a new version"</button>
                            </ActionForm>
                        </section>
                    })}
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn VisionHistoryPage() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        query.with(|q| {
            (q.get("page").and_then(|p| p.parse::<i64>().ok()), q.get("version").and_then(|p| p.parse::<i64>().ok()))
        })
    };
    let data = Resource::new(key, |(page, version)| vision_history(page, version));
    view! {
        <Title text="How the vision has changed"/>
        <p><a href="/vision">"Back to the vision"</a></p>
        <h1>"How the vision has changed"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|d| match d {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(h) => view! {
                    {h.compared.clone().map(|(n, lines)| view! {
                        <section aria-labelledby="diff-heading">
                            <h2 id="diff-heading">{if n == 1 { "Version 1: the first vision".to_string() } else { format!("What version {n} changed from version {}", n - 1) }}</h2>
                            <p class="small">"Added text is underlined and marked “added”; removed text is struck through and marked “removed”."</p>
                            {if lines.is_empty() { view! { <p>"The text is the same."</p> }.into_any() } else {
                                view! { <div class="diff">{lines.into_iter().map(|l| view! { <DiffLineView line=l/> }).collect_view()}</div> }.into_any()
                            }}
                        </section>
                    })}
                    {if h.versions.is_empty() {
                        view! { <p>"No versions yet."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="plain-list" reversed=true>
                                {h.versions.into_iter().map(|v| view! {
                                    <li>
                                        <a href=format!("/vision/history?version={}", v.number)>{format!("Version {}", v.number)}</a>
                                        {format!(", {} by {}", v.edited, v.by)}
                                        {(!v.note.is_empty()).then(|| view! { <p>{v.note.clone()}</p> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                            <nav aria-label="Pages of versions" class="pager">
                                {(h.page > 0).then(|| view! { <a href=format!("/vision/history?page={}", h.page - 1)>"Newer versions"</a> })}
                                {h.has_more.then(|| view! { <a href=format!("/vision/history?page={}", h.page + 1)>"Older versions"</a> })}
                            </nav>
                        }.into_any()
                    }}
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The vision and values as a meeting shows them, above its agenda: every decision is
/// made against them. The meeting's own read brings them (no statement more).
#[component]
pub fn VisionAside(html: Option<String>, values: Vec<String>) -> impl IntoView {
    view! {
        <section aria-labelledby="meeting-vision-heading" class="vision-aside">
            <h2 id="meeting-vision-heading">"Our vision"</h2>
            {match html {
                Some(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
                None => view! { <p>"The collaborative has not written its vision here yet."</p> }.into_any(),
            }}
            <p>
                {(!values.is_empty()).then(|| format!("Our values: {}. ", values.join(" · ")))}
                <a href="/vision">"The vision and values in full"</a>
            </p>
        </section>
    }
}
