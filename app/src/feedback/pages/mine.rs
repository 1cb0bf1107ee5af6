//! A person's own responses and comments, with "you said, we did" (on the account page).

use leptos::prelude::*;

use crate::{consultations::pages::OutcomeText, feedback::api::my_contributions, ui::LoadError};

#[component]
pub fn MyContributions() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_contributions());
    view! {
        <section aria-labelledby="mine-heading">
            <h2 id="mine-heading">"Your feedback and what happened to it"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>"You have not answered a consultation or commented yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="plain">
                            {list.into_iter().map(|c| view! {
                                <li class="mine">
                                    <p><a href=c.link>{c.title}</a><span class="small">{format!(" · {}", c.at)}</span></p>
                                    {c.held.then(|| view! { <p class="small">"Waiting for a moderator to read it before it is shared."</p> })}
                                    <OutcomeText outcome=c.outcome/>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
