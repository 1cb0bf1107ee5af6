//! `/statements/{id}`: one experience statement and the prototypes addressing it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::statement_page;
use crate::{prototypes::pages::CardView, ui::LoadError};

#[component]
pub fn StatementPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(id, statement_page);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Experience statement"/> <LoadError error/> }.into_any(),
                Ok((s, cards)) => view! {
                    <Title text=s.label()/>
                    <p class="small">"Experience statement"</p>
                    <h1>{format!("“{}”", s.text)}</h1>
                    {s.short_name.clone().map(|n| view! { <p class="lead">{n}</p> })}
                    <h2>"Prototypes addressing it"</h2>
                    {if cards.is_empty() { view! { <p>"None yet."</p> }.into_any() } else {
                        view! { <ul class="cards list">{cards.into_iter().map(|card| view! { <li><CardView card/></li> }).collect_view()}</ul> }.into_any()
                    }}
                    <p><a href=format!("/prototypes?view=list&statement={}", s.id)>"Filter the prototype list by this statement"</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}
