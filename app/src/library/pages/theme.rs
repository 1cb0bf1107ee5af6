//! `/themes/{name}`: everything under one theme: prototypes, learning notes and (for the
//! design group and facilitators) the feedback they coded with it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::NoteCardView;
use crate::{
    library::{api::theme_page, encode_component, ThemeView},
    prototypes::pages::CardView,
    ui::LoadError,
};

#[component]
pub fn ThemePage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.with(|p| p.get("name").unwrap_or_default());
    let data = Resource::new(name, theme_page);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Theme"/> <h1>"Theme"</h1> <LoadError error/> }.into_any(),
                Ok(t) => view! { <Theme t/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Theme(t: ThemeView) -> impl IntoView {
    let all_notes = format!("/library?theme={}", encode_component(&t.name));
    let notes: Vec<_> = t.drafts.into_iter().chain(t.notes).collect();
    view! {
        <Title text=format!("Theme: {}", t.name)/>
        <p class="small">"Theme"</p>
        <h1>{t.name.clone()}</h1>
        <section aria-labelledby="theme-prototypes">
            <h2 id="theme-prototypes">"Prototypes"</h2>
            {if t.prototypes.is_empty() { view! { <p>"No prototypes have this theme yet."</p> }.into_any() } else {
                view! { <ul class="cards list">{t.prototypes.into_iter().map(|card| view! { <li><CardView card/></li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="theme-notes">
            <h2 id="theme-notes">"Learning notes"</h2>
            {if notes.is_empty() { view! { <p>"No learning notes have this theme yet."</p> }.into_any() } else {
                view! {
                    <ul class="cards list">{notes.into_iter().map(|card| view! { <li><NoteCardView card/></li> }).collect_view()}</ul>
                    <p><a href=all_notes>"All learning notes with this theme"</a></p>
                }.into_any()
            }}
        </section>
        {t.feedback.map(|items| view! {
            <section aria-labelledby="theme-feedback">
                <h2 id="theme-feedback">"Feedback coded with this theme"</h2>
                <p class="hint">"Published comments and answers the design group coded with this theme. Only the design group and facilitators see this section: outside it, quote people only as each of them agreed."</p>
                {if items.is_empty() { view! { <p>"No feedback is coded with this theme yet."</p> }.into_any() } else {
                    view! {
                        <ul class="plain-list">
                            {items.into_iter().map(|f| view! {
                                <li>
                                    <blockquote><p>{f.text}</p></blockquote>
                                    <p class="small">{f.by.unwrap_or_else(|| "Anonymous".into())}" · "<a href=f.href>{f.source}</a></p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        })}
    }
}
