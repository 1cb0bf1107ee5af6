//! `/settings/outbox`: every email the platform has composed, whether it went, and why not.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{api::outbox, Delivery, OutboxItem};

#[component]
pub fn OutboxPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()));
    let data = Resource::new(page, outbox);
    view! {
        <Title text="Outbox"/>
        <h1>"Outbox"</h1>
        <p><a href="/settings">"Back to settings"</a></p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|d| match d {
                Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(d) => view! {
                    {(!d.sending).then(|| view! {
                        <div class="warning-banner" role="status">
                            <p><strong>"Email is not being sent."</strong>
                            " No mail server is configured, so messages wait here. Start the server with "
                            <code>"--smtp-url"</code>" (or "<code>"LWL_SMTP_URL"</code>") to send them."</p>
                        </div>
                    })}
                    <p>{format!("Waiting: {}. Sent: {}. Could not be sent: {}.", d.waiting, d.sent, d.gave_up)}</p>
                    {if d.items.is_empty() {
                        view! { <p>"No email has been composed yet."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="outbox">
                                {d.items.into_iter().map(|m| view! { <Message m/> }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    <nav aria-label="Pages of the outbox" class="pager">
                        {(d.page > 0).then(|| view! { <a href=format!("/settings/outbox?page={}", d.page - 1)>"Newer messages"</a> })}
                        {d.has_more.then(|| view! { <a href=format!("/settings/outbox?page={}", d.page + 1)>"Older messages"</a> })}
                    </nav>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Message(m: OutboxItem) -> impl IntoView {
    let status = match (m.delivery, &m.settled) {
        (Delivery::Sent, Some(t)) => format!("Sent {t}"),
        (Delivery::GaveUp, Some(t)) => format!("Could not be sent; stopped trying {t}"),
        _ if m.attempts > 0 => format!("Waiting; {} attempts so far", m.attempts),
        _ => "Waiting".to_string(),
    };
    view! {
        <li class="outbox-item">
            <h2>{m.subject.clone()}</h2>
            <dl class="facts">
                <dt>"To"</dt><dd>{m.to.clone()}</dd>
                <dt>"Kind"</dt><dd>{m.kind.clone()}</dd>
                <dt>"Composed"</dt><dd>{m.created.clone()}</dd>
                <dt>"Status"</dt><dd class=("error-text", m.delivery == Delivery::GaveUp)>{status}</dd>
                {m.last_error.clone().map(|e| view! { <dt>"Last error"</dt><dd>{e}</dd> })}
            </dl>
            {match m.body.clone() {
                Some(body) => view! {
                    <details><summary>"The message"</summary><pre class="email-body">{body}</pre></details>
                }.into_any(),
                None => view! {
                    <p class="hint">"This message carries a one-time link for its addressee, so it is not shown here."</p>
                }.into_any(),
            }}
        </li>
    }
}
