//! Library pages: the list (`/library`), a note (`/library/{id}`), the editor
//! (`/library/new`, `/library/{id}/edit`), the public page (`/library/{id}/shared`) and a
//! theme (`/themes/{name}`). Every form works without JavaScript.

mod editor;
mod list;
mod note;
mod shared;
mod theme;

pub use editor::{EditNotePage, NewNotePage};
pub use list::LibraryPage;
pub use note::NotePage;
pub use shared::SharedNotePage;
pub use theme::ThemePage;

use leptos::prelude::*;

use super::{theme_href, NoteCard};

/// A note in a list.
#[component]
pub fn NoteCardView(card: NoteCard) -> impl IntoView {
    view! {
        <article class="card">
            <h3><a href=format!("/library/{}", card.id)>{card.title}</a></h3>
            <p class="small">
                <span class="badge">{card.kind.label()}</span>
                {card.draft.then(|| view! { " " <span class="badge">"Draft"</span> })}
                {card.prototype.map(|p| view! { " · from " <a href=format!("/prototypes/{}", p.id)>{p.label}</a> })}
            </p>
            <ThemeLinks themes=card.themes/>
            <p class="small">{card.when}</p>
        </article>
    }
}

/// Chips for themes, each linking to its theme page.
#[component]
pub fn ThemeLinks(themes: Vec<String>) -> impl IntoView {
    (!themes.is_empty()).then(|| {
        view! {
            <ul class="chips" aria-label="Themes">
                {themes.into_iter().map(|t| {
                    let href = theme_href(&t);
                    view! { <li class="chip"><a href=href>{t}</a></li> }
                }).collect_view()}
            </ul>
        }
    })
}
