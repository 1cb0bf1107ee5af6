//! `/consultations`: open and past rounds the viewer may answer or read.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::StatusBadge;
use crate::{consultations::api::list_rounds, ui::LoadError};

#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(page, |p| list_rounds(Some(p)));
    view! {
        <Title text="Consultations"/>
        <h1>"Consultations"</h1>
        <p>"Each round asks what you think of one version of a proposed service. Your answers go to the people designing it, and you can see what they did with them."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(list) if list.rounds.is_empty() => view! { <p>"There are no consultations to show yet."</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="cards">
                        {list.rounds.into_iter().map(|r| view! {
                            <li class="card">
                                <h2 class="card-title"><a href=format!("/consultations/{}", r.id)>{r.title.clone()}</a></h2>
                                <p><StatusBadge round=r.clone()/>" "{format!("On {} (iteration {})", r.prototype_title, r.iteration_number)}</p>
                                <p class="small">{format!("Open {} to {} · {} · {} responses", r.opens, r.closes, r.audience.label(), r.responses)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                    <nav class="pager" aria-label="Pages">
                        {(list.page > 0).then(|| view! { <a href=format!("/consultations?page={}", list.page - 1)>"Newer"</a> })}
                        {list.has_more.then(|| view! { <a href=format!("/consultations?page={}", list.page + 1)>"Older"</a> })}
                    </nav>
                }.into_any(),
            })}
        </Suspense>
    }
}
