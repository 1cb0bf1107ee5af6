//! The lab's home page. Later issues add open consultations, recent decisions and the
//! pipeline; for now it welcomes people and points each role at what they can do.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{auth::Role, layout::SiteResource};

#[component]
pub fn HomePage() -> impl IntoView {
    let info = expect_context::<SiteResource>();
    let signed_out = move || use_query_map().with(|q| q.get("signed_out").is_some());
    view! {
        <Title text=""/>
        {move || signed_out().then(|| view! { <p class="notice" role="status">"You have signed out."</p> })}
        <h1>"Welcome to the Living Well Lab"</h1>
        <p class="lead">
            "Commissioners, NHS and council services, voluntary groups, service users and carers "
            "design adult mental-health services here together, as equal partners."
        </p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || info.get().map(|i| {
                let user = i.ok().and_then(|i| i.user);
                match user {
                    Some(u) => view! {
                        <h2>{format!("Hello, {}", u.display_name)}</h2>
                        <p>{format!("You are signed in as: {}.", u.role.label())}</p>
                        <ul class="link-list">
                            <li><a href="/prototypes">"The prototypes the collaborative is working on"</a></li>
                            <li><a href="/account">"Your account and the perspectives you speak from"</a></li>
                            {(u.role == Role::Facilitator).then(|| view! {
                                <li><a href="/members">"Members, roles and invitations"</a></li>
                                <li><a href="/settings">"Stages and experience statements"</a></li>
                            })}
                        </ul>
                    }.into_any(),
                    None => view! {
                        <h2>"How to take part"</h2>
                        <p>
                            "To read the prototypes the collaborative is working on, comment and answer consultations, "
                            <a href="/register">"create an account"</a> " or " <a href="/login">"sign in"</a> "."
                        </p>
                        <p>"You can say whether you speak as a service user, a carer, a practitioner or another perspective. You never have to."</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
