//! `/library/{id}/shared`: a published, shareable note for anyone, without an account, fit
//! to send to another collaborative. The server sends only what may be public
//! (`SharedNoteView`): no author, no names, quotes only where people agreed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{library::api::shared_note, prototypes::pages::Themes, ui::LoadError};

#[component]
pub fn SharedNotePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(id, shared_note);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Learning note"/> <h1>"Learning note"</h1> <LoadError error/> }.into_any(),
                Ok(n) => view! {
                    <Title text=n.title.clone()/>
                    <article aria-labelledby="note-title">
                        <p class="small">"A learning note shared by the Living Well Lab"</p>
                        <h1 id="note-title">{n.title.clone()}</h1>
                        <p class="small"><span class="badge">{n.kind.label()}</span>
                            {n.prototype.clone().map(|p| view! { " · from the prototype “" {p} "”" })}</p>
                        <Themes themes=n.themes.clone()/>
                        <div class="prose" inner_html=n.body_html.clone()></div>
                        {(!n.quotes.is_empty()).then(|| view! {
                            <section aria-labelledby="quotes-heading">
                                <h2 id="quotes-heading">"What people told us"</h2>
                                <p class="hint">"Quoted with their agreement. Names are left out."</p>
                                {n.quotes.clone().into_iter().map(|q| view! { <blockquote><p>{q}</p></blockquote> }).collect_view()}
                            </section>
                        })}
                        {(!n.sources.is_empty()).then(|| view! {
                            <section aria-labelledby="sources-heading">
                                <h2 id="sources-heading">"What it draws on"</h2>
                                <ul>{n.sources.clone().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                            </section>
                        })}
                    </article>
                }.into_any(),
            })}
        </Suspense>
    }
}
