//! The note editor: `/library/new` (the "Add what we learned" prompts link here with
//! `?prototype=…&iteration=N` or `&evidence=kind:id`, see `library::new_note_href`) and `/library/{id}/edit`. No JavaScript needed: the
//! prototype is chosen with a small GET form that reloads the editor with its evidence as
//! checkboxes; a refused save comes back with what was typed and ticked.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    error::AppError,
    library::{
        api::{load_note_form, CreateNote, SaveNote},
        EvidenceOption, NoteForm, NoteKind, BODY_MAX,
    },
    ui::{action_error, Field, FormError, LoadError, TextArea},
};

#[component]
pub fn NewNotePage() -> impl IntoView {
    let query = use_query_map();
    let number = move |k: &str| query.with(|q| q.get(k).and_then(|v| v.parse::<i64>().ok()));
    let key = move || (number("prototype"), number("iteration"), query.with(|q| q.get_all("evidence")));
    let form =
        Resource::new(key, |(prototype, iteration, evidence)| load_note_form(None, prototype, iteration, evidence));
    let create = ServerAction::<CreateNote>::new();
    let error = action_error(create);
    view! {
        <Title text="New learning note"/>
        <p><a href="/library">"Back to the library"</a></p>
        <h1>"New learning note"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || form.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(form) => view! {
                    <PrototypeChooser form=form.clone() action="/library/new".to_string()/>
                    <ActionForm action=create attr:class="form editor">
                        <NoteFormFields form error/>
                    </ActionForm>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn EditNotePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let prototype = move || query.with(|q| q.get("prototype").and_then(|v| v.parse::<i64>().ok()));
    let form =
        Resource::new(move || (id(), prototype()), |(id, prototype)| load_note_form(Some(id), prototype, None, None));
    let save = ServerAction::<SaveNote>::new();
    let error = action_error(save);
    view! {
        <Title text="Edit learning note"/>
        <p><a href=move || format!("/library/{}", id())>"Back to the note"</a></p>
        <h1>"Edit learning note"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || form.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(form) => {
                    let action = format!("/library/{}/edit", form.id.unwrap_or_default());
                    view! {
                        {(!form.draft).then(|| view! {
                            <p class="notice">"This note is published: saving changes what readers see at once."</p>
                        })}
                        <PrototypeChooser form=form.clone() action/>
                        <ActionForm action=save attr:class="form editor">
                            <NoteFormFields form error/>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// Choosing the prototype reloads the editor with that prototype's evidence to tick. A new
/// note keeps the evidence its link named.
#[component]
fn PrototypeChooser(form: NoteForm, action: String) -> impl IntoView {
    let chosen = form.prototype;
    let keep = if form.id.is_none() { form.linked.clone() } else { Vec::new() };
    view! {
        <form method="get" action=action class="inline-form">
            {keep.into_iter().map(|o| view! { <input type="hidden" name="evidence" value=o.value/> }).collect_view()}
            <label for="choose-prototype">"The prototype it came from"</label>
            <select id="choose-prototype" name="prototype" aria-describedby="choose-prototype-hint">
                <option value="">"None: a lesson about how we work"</option>
                {form.prototypes.into_iter().map(|p| view! {
                    <option value=p.id.to_string() selected=chosen == Some(p.id)>{p.label}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button small secondary">"Show its evidence"</button>
            <p class="hint" id="choose-prototype-hint">"Choose the prototype first: showing its evidence reloads this page, so anything typed below and not yet saved is lost."</p>
        </form>
    }
}

/// A checkbox for one piece of evidence.
#[component]
fn EvidenceCheck(item: EvidenceOption, checked: bool) -> impl IntoView {
    let id = format!("ev-{}", item.value.replace(':', "-"));
    view! {
        <div class="check">
            <input type="checkbox" id=id.clone() name="evidence[]" value=item.value checked=checked/>
            <label for=id>{item.label}</label>
        </div>
    }
}

/// The fields shared by the new and edit forms.
#[component]
fn NoteFormFields(form: NoteForm, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    // After a refused post (without JavaScript it comes back through a redirect), what was
    // typed and ticked; read once, as the text area does.
    let kept = move |name: &str| error.get_untracked().and_then(|e| e.kept(name));
    let kind = kept("kind").or_else(|| form.kind.map(|k| k.as_str().to_string())).unwrap_or_default();
    let shareable = kept("shareable").map_or(form.shareable, |v| v == "on");
    let ticked: Option<Vec<String>> =
        kept("evidence").map(|s| s.split(',').filter(|v| !v.is_empty()).map(str::to_string).collect());
    let is_ticked = move |o: &EvidenceOption, default: bool| ticked.as_ref().map_or(default, |t| t.contains(&o.value));
    let about = form
        .prototype
        .and_then(|p| form.prototypes.iter().find(|c| c.id == p))
        .map(|c| format!("From the prototype “{}”.", c.label))
        .unwrap_or_else(|| "Not about one prototype.".to_string());
    let kind_error = move || error.get().and_then(|e| e.for_field("kind"));
    let evidence_error = move || error.get().and_then(|e| e.for_field("evidence"));
    let suggestions = form.theme_suggestions.join(", ");
    let themes_hint: &'static str = "Separate themes with commas, for example: out of hours, one phone number.";
    let linked = form.linked.clone().into_iter().map(|o| {
        let checked = is_ticked(&o, true);
        view! { <EvidenceCheck item=o checked/> }
    });
    let offered = form.offered.clone().into_iter().map(|o| {
        let checked = is_ticked(&o, false);
        view! { <EvidenceCheck item=o checked/> }
    });
    let nothing = form.linked.is_empty() && form.offered.is_empty();
    view! {
        <FormError error/>
        {form.id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
        {form.prototype.map(|p| view! { <input type="hidden" name="prototype" value=p.to_string()/> })}
        <p>{about}</p>
        <Field name="title" label="Title" value=form.title.clone() error/>
        <div class="field">
            <label for="f-kind">"What kind of lesson is it?"</label>
            {move || kind_error().map(|m| view! { <p class="field-error" id="f-kind-error">{m}</p> })}
            <select id="f-kind" name="kind" required=true
                aria-invalid=move || kind_error().is_some().then_some("true")
                aria-describedby=move || kind_error().is_some().then_some("f-kind-error")>
                <option value="">"Choose one"</option>
                {NoteKind::ALL.into_iter().map(|k| view! {
                    <option value=k.as_str() selected=k.as_str() == kind>{k.label()}</option>
                }).collect_view()}
            </select>
        </div>
        <TextArea name="body" label="What we learned (Markdown)" rows=14 value=form.body.clone()
            hint="What happened, what it taught us, and what we would do next time. Use ## for headings and - for lists." error/>
        <p class="small">{format!("Up to {BODY_MAX} characters.")}</p>
        <Field name="themes" label="Themes" required=false value=form.themes.clone() hint=themes_hint error/>
        {(!suggestions.is_empty()).then(|| view! { <p class="small">"Themes already in use: " {suggestions}</p> })}
        <fieldset>
            <legend>"Evidence it draws on"</legend>
            <p class="hint">"Readers see feedback only as the person who gave it agreed: words marked “not for quoting” are shown to the design group alone, and names only where people agreed to be quoted with their name."</p>
            {move || evidence_error().map(|m| view! { <p class="field-error">{m}</p> })}
            {(form.gone > 0).then(|| view! {
                <p>{match form.gone {
                    1 => "One linked item is no longer available (held, hidden or removed): it is taken off this note when you save.".to_string(),
                    n => format!("{n} linked items are no longer available (held, hidden or removed): they are taken off this note when you save."),
                }}</p>
            })}
            {linked.collect_view()}
            {offered.collect_view()}
            {nothing.then(|| view! { <p>"Nothing to link yet. Choose a prototype above to see its iterations, rounds, decisions, meetings and feedback."</p> })}
        </fieldset>
        <div class="check">
            <input type="checkbox" id="f-shareable" name="shareable" value="on" checked=shareable aria-describedby="f-shareable-hint"/>
            <label for="f-shareable">"Shareable: give it a public page that another collaborative can read"</label>
            <p class="hint" id="f-shareable-hint">"Check the text names nobody: the shared page shows it as written. The page leaves out who wrote the note and every name, and quotes only feedback people agreed could be quoted."</p>
        </div>
        <button type="submit" class="button">{if form.id.is_some() { "Save the note" } else { "Save as a draft" }}</button>
    }
}
