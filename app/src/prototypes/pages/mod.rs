//! Prototype pages: the board and list, a prototype with its timeline, the editor,
//! one iteration, and a comparison of two.

mod board;
mod compare;
mod editor;
mod view;

pub use board::{CardView, PrototypesPage};
pub use compare::{ComparePage, DiffLineView, IterationPage};
pub use editor::{EditPrototypePage, NewPrototypePage};
pub use view::PrototypePage;

use leptos::prelude::*;

/// Chips for a prototype's themes.
#[component]
pub fn Themes(themes: Vec<String>) -> impl IntoView {
    (!themes.is_empty()).then(|| {
        view! {
            <ul class="chips" aria-label="Themes">
                {themes.into_iter().map(|t| view! { <li class="chip">{t}</li> }).collect_view()}
            </ul>
        }
    })
}
