//! `/receipts/{token}`: a person's own answers and "you said, we did". The token is the
//! secret; the page says to keep the link private.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::OutcomeText;
use crate::{consultations::api::load_receipt, safeguarding::HeldMessage, ui::LoadError};

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let held_now = move || use_query_map().with(|q| q.get("held").is_some());
    let data = Resource::new(token, load_receipt);
    view! {
        <Title text="Your answers"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <h1>"Your answers"</h1> <LoadError error/> }.into_any(),
                Ok(r) => view! {
                    {(held_now() || r.held).then(|| view! { <HeldMessage/> })}
                    <h1>"Thank you: your answers are saved"</h1>
                    <p class="notice">{format!("You answered “{}” about {} on {}.", r.round_title, r.prototype_title, r.submitted)}</p>
                    <p>"This page is your receipt. Keep its address (bookmark it) to come back and see what the design group did with what you said. Anyone with the address can read it, so keep it private."</p>
                    <section aria-labelledby="said-heading">
                        <h2 id="said-heading">"You said"</h2>
                        <dl class="answers">
                            {r.answers.into_iter().map(|a| view! { <dt>{a.prompt}</dt><dd>{a.answer}</dd> }).collect_view()}
                        </dl>
                        <p class="small">{format!("How we may use it: {}.", r.consent.label())}</p>
                    </section>
                    <section aria-labelledby="did-heading">
                        <h2 id="did-heading">"We did"</h2>
                        <OutcomeText outcome=r.outcome/>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}
