//! `/settings` (facilitators): the pipeline's stages and the experience model.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    stages::{
        api::{list_stages, AddStage, RenameStage, ReorderStage, RetireStage},
        Stage,
    },
    statements::{
        api::{list_statements, AddStatement, ReorderStatement, RetireStatement, UpdateStatement},
        Statement,
    },
    ui::{action_error, Field, FormError, LoadError, TextArea},
};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved"));
    let (add_stage, rename, reorder, retire) = (
        ServerAction::<AddStage>::new(),
        ServerAction::<RenameStage>::new(),
        ServerAction::<ReorderStage>::new(),
        ServerAction::<RetireStage>::new(),
    );
    let (add_st, update_st, reorder_st, retire_st) = (
        ServerAction::<AddStatement>::new(),
        ServerAction::<UpdateStatement>::new(),
        ServerAction::<ReorderStatement>::new(),
        ServerAction::<RetireStatement>::new(),
    );
    // Keyed on the actions' versions: a second change redirects to the same URL, and the
    // lists must still refresh.
    let stages = Resource::new(
        move || {
            (
                saved(),
                add_stage.version().get(),
                rename.version().get(),
                reorder.version().get(),
                retire.version().get(),
            )
        },
        |_| list_stages(),
    );
    let statements = Resource::new(
        move || {
            (
                saved(),
                add_st.version().get(),
                update_st.version().get(),
                reorder_st.version().get(),
                retire_st.version().get(),
            )
        },
        |_| list_statements(),
    );
    let stage_error = Signal::derive(move || {
        action_error(add_stage)
            .get()
            .or_else(|| action_error(rename).get())
            .or_else(|| action_error(reorder).get())
            .or_else(|| action_error(retire).get())
    });
    let statement_error = Signal::derive(move || {
        action_error(add_st)
            .get()
            .or_else(|| action_error(update_st).get())
            .or_else(|| action_error(reorder_st).get())
            .or_else(|| action_error(retire_st).get())
    });
    view! {
        <Title text="Settings"/>
        <h1>"Settings"</h1>
        <p><a href="/settings/outbox">"The outbox: every email the platform has composed, and whether it was sent"</a></p>
        <p><a href="/settings/sites">"Sites: the GP practices, hubs and teams where services are delivered"</a></p>
        <p><a href="/settings/retention">"Retention: how long feedback, held items, audit entries and emails are kept"</a></p>
        {move || saved().map(|_| view! { <p class="notice" role="status">"Saved."</p> })}
        <section aria-labelledby="stages-heading">
            <h2 id="stages-heading">"Stages"</h2>
            <p>"The design group moves prototypes through these stages, in this order. A stage with prototypes at it cannot be retired."</p>
            <FormError error=stage_error/>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || stages.get().map(|r| match r {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok(list) => view! {
                        <ol class="settings-list">
                            {list.into_iter().map(|s| view! { <StageRow s rename reorder retire/> }).collect_view()}
                        </ol>
                    }.into_any(),
                })}
            </Suspense>
            <ActionForm action=add_stage attr:class="form narrow">
                <Field name="name" label="New stage name" error=stage_error/>
                <div class="check"><input type="checkbox" id="closed" name="closed" value="on"/><label for="closed">"It ends the pipeline (like Adopted or Stopped)"</label></div>
                <button type="submit" class="button">"Add stage"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="statements-heading">
            <h2 id="statements-heading">"Experience statements"</h2>
            <p>"How the collaborative wants services to feel. Prototypes say which statements they address, and consultations rate them."</p>
            <FormError error=statement_error/>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || statements.get().map(|r| match r {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok(list) => view! {
                        <ol class="settings-list">
                            {list.into_iter().map(|s| view! { <StatementRow s update=update_st reorder=reorder_st retire=retire_st/> }).collect_view()}
                        </ol>
                    }.into_any(),
                })}
            </Suspense>
            <ActionForm action=add_st attr:class="form">
                <Field name="text" label="New statement" hint="Written as a person would say it, for example “I can get help when I need it”." error=statement_error/>
                <Field name="short_name" label="Short name (optional)" required=false error=statement_error/>
                <button type="submit" class="button">"Add statement"</button>
            </ActionForm>
        </section>
        <SafeguardingSection/>
    }
}

/// The crisis text every feedback form shows, and the phrases that hold a contribution.
#[component]
fn SafeguardingSection() -> impl IntoView {
    use crate::safeguarding::api::{load_safeguarding, UpdateSafeguarding};
    let action = ServerAction::<UpdateSafeguarding>::new();
    let error = action_error(action);
    let data = Resource::new(move || action.version().get(), |_| load_safeguarding());
    view! {
        <section aria-labelledby="safeguarding-heading">
            <h2 id="safeguarding-heading">"Safeguarding"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok(s) => view! {
                        <ActionForm action attr:class="form">
                            <FormError error/>
                            <TextArea name="crisis_text" label="Crisis signposting" rows=6 value=s.crisis_text
                                hint="Shown on every page and on every response and comment form. Markdown; tel: links work. Leave empty for the UK default." error/>
                            <TextArea name="phrases" label="Triage phrases, one per line" rows=10 value=s.phrases
                                hint="A response or comment containing any of these (in any case, as whole words) is held for a moderator and the person is shown the crisis signposting at once. Leave empty for the default list." error/>
                            {s.using_default_phrases.then(|| view! { <p class="small">"You are using the default list."</p> })}
                            <button type="submit" class="button">"Save safeguarding settings"</button>
                        </ActionForm>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn StageRow(
    s: Stage,
    rename: ServerAction<RenameStage>,
    reorder: ServerAction<ReorderStage>,
    retire: ServerAction<RetireStage>,
) -> impl IntoView {
    let input_id = format!("stage-name-{}", s.id);
    let id = s.id.to_string();
    let moves = ["up", "down"]
        .into_iter()
        .map(|d| {
            let (id, label) = (id.clone(), format!("Move {} {d}", s.name));
            view! {
                <ActionForm action=reorder attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="direction" value=d/>
                    <button type="submit" class="button small secondary">{label}</button>
                </ActionForm>
            }
        })
        .collect_view();
    let retire_label = if s.retired { format!("Bring back {}", s.name) } else { format!("Retire {}", s.name) };
    let name_label = format!("Name of stage {}", s.name);
    view! {
        <li class=if s.retired { "retired" } else { "" }>
            <ActionForm action=rename attr:class="inline-form">
                <input type="hidden" name="id" value=s.id.to_string()/>
                <label for=input_id.clone() class="visually-hidden">{name_label}</label>
                <input id=input_id type="text" name="name" value=s.name.clone() required=true/>
                <button type="submit" class="button small">"Rename"</button>
            </ActionForm>
            <span class="small">{match (s.closed, s.retired) { (_, true) => " Retired", (true, _) => " Ends the pipeline", _ => "" }}</span>
            <div class="inline-form">
                {moves}
                <ActionForm action=retire attr:class="inline-form">
                    <input type="hidden" name="id" value=s.id.to_string()/>
                    <input type="hidden" name="retired" value=(!s.retired).to_string()/>
                    <button type="submit" class="button small secondary">{retire_label}</button>
                </ActionForm>
            </div>
        </li>
    }
}

#[component]
fn StatementRow(
    s: Statement,
    update: ServerAction<UpdateStatement>,
    reorder: ServerAction<ReorderStatement>,
    retire: ServerAction<RetireStatement>,
) -> impl IntoView {
    let (text_id, short_id) = (format!("st-text-{}", s.id), format!("st-short-{}", s.id));
    let id = s.id.to_string();
    let label = s.label();
    let moves = ["up", "down"]
        .into_iter()
        .map(|d| {
            let (id, text) = (id.clone(), format!("Move “{label}” {d}"));
            view! {
                <ActionForm action=reorder attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="direction" value=d/>
                    <button type="submit" class="button small secondary">{text}</button>
                </ActionForm>
            }
        })
        .collect_view();
    let retire_label = if s.retired { format!("Bring back “{label}”") } else { format!("Retire “{label}”") };
    let link_label = format!("Prototypes addressing “{label}”");
    view! {
        <li class=if s.retired { "retired" } else { "" }>
            <ActionForm action=update attr:class="form">
                <input type="hidden" name="id" value=s.id.to_string()/>
                <label for=text_id.clone()>"Statement"</label>
                <input id=text_id type="text" name="text" value=s.text.clone() required=true/>
                <label for=short_id.clone()>"Short name"</label>
                <input id=short_id type="text" name="short_name" value=s.short_name.clone().unwrap_or_default()/>
                <button type="submit" class="button small">"Save"</button>
            </ActionForm>
            <p><a href=format!("/statements/{}", s.id)>{link_label}</a>{s.retired.then_some(" (retired)")}</p>
            <div class="inline-form">
                {moves}
                <ActionForm action=retire attr:class="inline-form">
                    <input type="hidden" name="id" value=s.id.to_string()/>
                    <input type="hidden" name="retired" value=(!s.retired).to_string()/>
                    <button type="submit" class="button small secondary">{retire_label}</button>
                </ActionForm>
            </div>
        </li>
    }
}
