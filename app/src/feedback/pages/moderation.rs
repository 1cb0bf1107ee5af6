//! `/moderation` (facilitators): held and reported contributions, oldest first, with
//! release, hide (with a reason) and edit-out-personal-details. Opening this page is
//! recorded in the audit log for every held item it shows.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    feedback::{
        api::{moderation_queue, Moderate},
        ModerationItem,
    },
    ui::{action_error, FormError, LoadError, TextBox},
};

#[component]
pub fn ModerationPage() -> impl IntoView {
    let action = ServerAction::<Moderate>::new();
    let query = use_query_map();
    let data = Resource::new(move || (query.with(|q| q.get("done")), action.version().get()), |_| moderation_queue());
    let error = action_error(action);
    view! {
        <Title text="Moderation"/>
        <h1>"Moderation"</h1>
        <p>"Contributions that safeguarding triage held, and comments people reported. Follow the collaborative's safeguarding procedure for anyone who may be at risk; what you do here is recorded."</p>
        {move || query.with(|q| q.get("done")).map(|_| view! { <p class="notice" role="status">"Done."</p> })}
        <FormError error/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(items) if items.is_empty() => view! { <p>"Nothing is waiting. Thank you."</p> }.into_any(),
                Ok(items) => view! {
                    <ol class="plain moderation">
                        {items.into_iter().map(|item| view! { <Item item action/> }).collect_view()}
                    </ol>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Item(item: ModerationItem, action: ServerAction<Moderate>) -> impl IntoView {
    let kind = item.kind.as_str();
    let key = format!("{kind}-{}", item.id);
    let heading = format!("{key}-heading");
    let hidden = move |name: &'static str, value: String| view! { <input type="hidden" name=name value=value/> };
    let labelled = heading.clone();
    let texts = item.texts.clone();
    view! {
        <li class="card" aria-labelledby=labelled>
            <h2 id=heading class="card-title">
                {if item.held { "Held by triage: " } else { "Reported: " }}{item.context.clone()}
            </h2>
            <p class="small">{format!("{} · {}", item.author, item.at)}" · "<a href=item.link.clone()>"Where it was posted"</a></p>
            {(!item.reports.is_empty()).then(|| view! { <p>{format!("Reports: {}", item.reports.join("; "))}</p> })}
            {texts.into_iter().map(|(tid, text)| {
                let field = format!("{key}-text-{tid}");
                view! {
                    <blockquote>{text.clone()}</blockquote>
                    <details>
                        <summary>"Edit out personal details"</summary>
                        <ActionForm action attr:class="form">
                            {hidden("kind", kind.to_string())}
                            {hidden("id", item.id.to_string())}
                            {hidden("decision", "edit".to_string())}
                            {hidden("text_id", tid.to_string())}
                            <label for=field.clone()>"The text without personal details (the original stays in the audit log)"</label>
                            <TextBox text=text.clone() attr:id=field attr:name="text" attr:rows="4"/>
                            <button type="submit" class="button small">"Save the edited text"</button>
                        </ActionForm>
                    </details>
                }
            }).collect_view()}
            <div class="actions">
                <ActionForm action attr:class="inline-form">
                    {hidden("kind", kind.to_string())}
                    {hidden("id", item.id.to_string())}
                    {hidden("decision", "release".to_string())}
                    <button type="submit" class="button">{if item.held { "Release: publish it" } else { "Keep it: dismiss the reports" }}</button>
                </ActionForm>
                <ActionForm action attr:class="inline-form">
                    {hidden("kind", kind.to_string())}
                    {hidden("id", item.id.to_string())}
                    {hidden("decision", "hide".to_string())}
                    <label for=format!("{key}-reason")>"Reason for hiding"</label>
                    <input id=format!("{key}-reason") name="reason" type="text"/>
                    <button type="submit" class="button secondary">"Hide it"</button>
                </ActionForm>
            </div>
            <details>
                <summary>"History"</summary>
                <ul class="plain small">
                    {item.history.into_iter().map(|h| view! { <li>{format!("{} · {} · {}{}", h.at, h.actor, h.action, if h.detail.is_empty() { String::new() } else { format!(": {}", h.detail) })}</li> }).collect_view()}
                </ul>
            </details>
        </li>
    }
}
