//! Outcome-measure pages: every measure of a prototype (`/prototypes/{id}/measures`) and
//! one measure (`/prototypes/{id}/measures/{measure}`). Rendered whole on the server; every
//! form posts without JavaScript and lands on the page that shows what changed. A refused
//! form lists all its problems at the top, each linking to its control, and keeps what was
//! typed.

mod figure;
mod form;
mod measure;
mod measures;

pub use figure::{Deleting, MeasureFigure};
pub use form::MeasureFormFields;
pub use measure::MeasurePageView;
pub use measures::MeasuresPage;

use leptos::prelude::*;

use super::rules::{anchor, focus, headline, problems};
use crate::error::AppError;

/// A form's error as one control sees it (its own problem, and what was typed), for
/// `ui::Field` and `ui::TextArea`.
pub fn at(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<AppError>> {
    Signal::derive(move || error.get().map(|e| focus(e, field)))
}

/// The problems of a form's last submission, each linking to its control; announced to
/// screen readers.
#[component]
pub fn ProblemSummary(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div role="alert" aria-live="assertive">
            {move || error.get().map(|e| {
                let listed = problems(&e);
                if listed.is_empty() {
                    view! { <p class="error-summary">{e.to_string()}</p> }.into_any()
                } else {
                    view! {
                        <div class="error-summary problem-summary">
                            <p class="problem-heading">{headline(&e)}</p>
                            <ul>
                                {listed.into_iter().map(|(field, message)| view! {
                                    <li><a href=format!("#{}", anchor(&field))>{message}</a></li>
                                }).collect_view()}
                            </ul>
                        </div>
                    }.into_any()
                }
            })}
        </div>
    }
    .into_any()
}

/// The link back to the prototype, and to all its measures.
#[component]
pub fn BackLinks(prototype_id: i64, prototype_title: String, #[prop(optional)] to_list: bool) -> impl IntoView {
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <p class="small">
                <a href=format!("/prototypes/{prototype_id}")>{format!("Back to “{prototype_title}”")}</a>
                {to_list.then(|| view! {
                    " · " <a href=format!("/prototypes/{prototype_id}/measures")>"All its outcome measures"</a>
                })}
            </p>
        </nav>
    }
    .into_any()
}
