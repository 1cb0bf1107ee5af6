//! Consultation pages: the list, a new round, answering, the receipt and the results.

mod list;
mod new;
mod receipt;
mod respond;
mod results;

pub use list::ConsultationsPage;
pub use new::NewRoundPage;
pub use receipt::ReceiptPage;
pub use respond::RoundPage;
pub use results::ResultsPage;

use leptos::prelude::*;

use super::{Outcome, RoundSummary};

/// "Open", "Closed"… as a badge with words (never colour alone).
#[component]
pub fn StatusBadge(round: RoundSummary) -> impl IntoView {
    let class = match round.status {
        super::RoundStatus::Open => "badge open",
        super::RoundStatus::NotYetOpen => "badge soon",
        super::RoundStatus::Closed => "badge closed",
    };
    view! { <span class=class>{round.status.label()}</span> }
}

/// What became of a piece of feedback, in words the person who gave it will understand.
#[component]
pub fn OutcomeText(outcome: Outcome) -> impl IntoView {
    match outcome {
        Outcome::Open => view! { <p class="outcome">"The design group has not acted on this yet."</p> }.into_any(),
        Outcome::ActedOn { prototype_id, iteration } => view! {
            <p class="outcome acted">
                <strong>"We did: "</strong>
                <a href=format!("/prototypes/{prototype_id}/iterations/{iteration}")>{format!("iteration {iteration} acted on this")}</a>
                "."
            </p>
        }
        .into_any(),
        Outcome::NotTakenForward { reason } => view! {
            <p class="outcome"><strong>"Not taken forward: "</strong>{reason}</p>
        }
        .into_any(),
    }
}
