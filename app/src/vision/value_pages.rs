//! The values on `/vision` (read by anyone; managed by facilitators) and `/values/{id}`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    api::{value_page, AddValue, ReorderValue, RetireValue, UpdateValue},
    values::{DESCRIPTION_MAX, NAME_MAX},
    Value,
};
use crate::{
    prototypes::pages::CardView,
    ui::{action_error, Field, FormError, LoadError},
};

/// The values, as everyone reads them, and (for facilitators) the forms that manage them.
#[component]
pub fn ValuesSection(values: Vec<Value>, manage: bool) -> impl IntoView {
    let in_use: Vec<Value> = values.iter().filter(|v| !v.retired).cloned().collect();
    view! {
        <section aria-labelledby="values-heading">
            <h2 id="values-heading">"Our values"</h2>
            {if in_use.is_empty() {
                view! { <p>"No values written here yet."</p> }.into_any()
            } else {
                view! {
                    <dl class="values">
                        {in_use.into_iter().map(|v| view! {
                            <dt><a href=format!("/values/{}", v.id)>{v.name.clone()}</a></dt>
                            <dd>{v.description.clone()}</dd>
                        }).collect_view()}
                    </dl>
                }.into_any()
            }}
            {manage.then(|| view! { <ManageValues values/> })}
        </section>
    }
}

#[component]
fn ManageValues(values: Vec<Value>) -> impl IntoView {
    let (add, update, reorder, retire) = (
        ServerAction::<AddValue>::new(),
        ServerAction::<UpdateValue>::new(),
        ServerAction::<ReorderValue>::new(),
        ServerAction::<RetireValue>::new(),
    );
    let error = Signal::derive(move || {
        action_error(add)
            .get()
            .or_else(|| action_error(update).get())
            .or_else(|| action_error(reorder).get())
            .or_else(|| action_error(retire).get())
    });
    view! {
        <h3 id="manage-values">"Manage the values"</h3>
        <p class="hint">"Prototypes say which values they serve. A retired value stays on the prototypes that named it, but cannot be chosen again until it is brought back."</p>
        <FormError error/>
        <ol class="settings-list">
            {values.into_iter().map(|v| view! { <ValueRow v update reorder retire/> }).collect_view()}
        </ol>
        <ActionForm action=add attr:class="form">
            <Field name="name" label="New value" hint="A short name, for example “Listen first”." error/>
            <Field name="description" label="What it means (optional)" required=false error/>
            <p class="small">{format!("Up to {NAME_MAX} characters for the name and {DESCRIPTION_MAX} for what it means.")}</p>
            <button type="submit" class="button">"Add value"</button>
        </ActionForm>
    }
}

#[component]
fn ValueRow(
    v: Value,
    update: ServerAction<UpdateValue>,
    reorder: ServerAction<ReorderValue>,
    retire: ServerAction<RetireValue>,
) -> impl IntoView {
    let (name_id, desc_id) = (format!("value-name-{}", v.id), format!("value-desc-{}", v.id));
    let id = v.id.to_string();
    let moves = ["up", "down"]
        .into_iter()
        .map(|d| {
            let (id, text) = (id.clone(), format!("Move “{}” {d}", v.name));
            view! {
                <ActionForm action=reorder attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="direction" value=d/>
                    <button type="submit" class="button small secondary">{text}</button>
                </ActionForm>
            }
        })
        .collect_view();
    let retire_label =
        if v.retired { format!("Bring back “{}”", v.name) } else { format!("Retire “{}”", v.name) };
    view! {
        <li class=if v.retired { "retired" } else { "" }>
            <ActionForm action=update attr:class="form">
                <input type="hidden" name="id" value=v.id.to_string()/>
                <label for=name_id.clone()>"Value"</label>
                <input id=name_id type="text" name="name" value=v.name.clone() required=true/>
                <label for=desc_id.clone()>"What it means"</label>
                <input id=desc_id type="text" name="description" value=v.description.clone()/>
                <button type="submit" class="button small">"Save"</button>
            </ActionForm>
            {v.retired.then_some(view! { <p class="small">"Retired"</p> })}
            <div class="inline-form">
                {moves}
                <ActionForm action=retire attr:class="inline-form">
                    <input type="hidden" name="id" value=v.id.to_string()/>
                    <input type="hidden" name="retired" value=(!v.retired).to_string()/>
                    <button type="submit" class="button small secondary">{retire_label}</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// `/values/{id}`: what the value means and the prototypes serving it.
#[component]
pub fn ValuePageView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(id, value_page);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Value"/> <LoadError error/> }.into_any(),
                Ok(page) => {
                    let v = page.value;
                    view! {
                        <Title text=v.name.clone()/>
                        <p class="small"><a href="/vision">"Our vision and values"</a></p>
                        <h1>{v.name.clone()}{v.retired.then_some(" (retired)")}</h1>
                        {(!v.description.is_empty()).then(|| view! { <p class="lead">{v.description.clone()}</p> })}
                        <h2>"Prototypes serving it"</h2>
                        {match page.cards {
                            None => view! { <p><a href="/login">"Sign in"</a>" to see the prototypes serving this value."</p> }.into_any(),
                            Some(cards) if cards.is_empty() => view! { <p>"None yet."</p> }.into_any(),
                            Some(cards) => view! {
                                <ul class="cards list">{cards.into_iter().map(|card| view! { <li><CardView card/></li> }).collect_view()}</ul>
                                <p><a href=format!("/prototypes?view=list&value={}", v.id)>"Filter the prototype list by this value"</a></p>
                            }.into_any(),
                        }}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
