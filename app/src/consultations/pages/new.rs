//! `/consultations/new?prototype={id}`: the design group opens a round on an iteration.
//! Questions come in fixed slots, so the form works the same without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    consultations::{
        api::{load_new_round, OpenRound},
        Audience, NewRoundForm, QuestionKind, QUESTION_SLOTS,
    },
    error::AppError,
    ui::{action_error, Field, FormError, LoadError, TextArea, TextBox},
};

#[component]
pub fn NewRoundPage() -> impl IntoView {
    let query = use_query_map();
    let prototype = move || query.with(|q| q.get("prototype").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(prototype, load_new_round);
    let action = ServerAction::<OpenRound>::new();
    view! {
        <Title text="Open a consultation round"/>
        <h1>"Open a consultation round"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(f) if f.iterations.is_empty() => view! {
                    <p>"Publish an iteration first: a round always asks about one published iteration."</p>
                    <p><a href=format!("/prototypes/{}", f.prototype_id)>{format!("Back to {}", f.prototype_title)}</a></p>
                }.into_any(),
                Ok(f) => view! { <RoundForm f action/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RoundForm(f: NewRoundForm, action: ServerAction<OpenRound>) -> impl IntoView {
    let error = action_error(action);
    let kept = move |name: &str| error.get_untracked().and_then(|e| e.kept(name));
    let audience_now = kept("audience").unwrap_or_else(|| "public".into());
    let has_statements = !f.statements.is_empty();
    let slots = (0..QUESTION_SLOTS).map(|i| view! { <QuestionSlot i error has_statements/> }).collect_view();
    view! {
        <p>{format!("About: {}", f.prototype_title)}</p>
        <ActionForm action attr:class="form">
            <FormError error/>
            <input type="hidden" name="prototype" value=f.prototype_id.to_string()/>
            <div class="field">
                <label for="f-iteration">"Which iteration are you asking about?"</label>
                <select id="f-iteration" name="iteration">
                    {f.iterations.iter().map(|n| view! { <option value=n.to_string()>{format!("Iteration {n}")}</option> }).collect_view()}
                </select>
            </div>
            <Field name="title" label="Title" hint="People see this in the list, for example “Living Well Hub: first thoughts”." error/>
            <TextArea name="purpose" label="Why we are asking" rows=4 hint="Plain words. Markdown works for lists and links." error/>
            <fieldset class="field">
                <legend>"Who can answer?"</legend>
                {Audience::ALL.into_iter().map(|a| view! {
                    <div class="check">
                        <input type="radio" id=format!("audience-{}", a.as_str()) name="audience" value=a.as_str() checked=audience_now == a.as_str()/>
                        <label for=format!("audience-{}", a.as_str())>{a.label()}</label>
                    </div>
                }).collect_view()}
            </fieldset>
            <Field name="opens" kind="datetime-local" label="Opens (UK time)" value=f.opens.clone() error/>
            <Field name="closes" kind="datetime-local" label="Closes (UK time)" value=f.closes.clone() error/>
            <h2>"Questions"</h2>
            <p>"Fill in as many as you need; leave the kind as “Not used” for the rest."
                {(!has_statements).then_some(" This prototype addresses no experience statements yet, so it cannot ask for statement ratings.")}</p>
            {slots}
            <button type="submit" class="button">"Open the round"</button>
        </ActionForm>
    }
}

#[component]
fn QuestionSlot(i: usize, error: Signal<Option<AppError>>, has_statements: bool) -> impl IntoView {
    let kept = move |name: &str| error.get_untracked().and_then(|e| e.kept(&format!("{name}.{i}")));
    let (default_kind, default_prompt) = match i {
        0 => ("text", "What do you think of this idea? What would make it work better for you?"),
        1 if has_statements => ("statements", "How well would this meet each of these?"),
        _ => ("", ""),
    };
    let kind_now = kept("kind").unwrap_or_else(|| default_kind.to_string());
    let message = move || error.get().and_then(|e| e.for_field(&format!("prompt.{i}")));
    let n = i + 1;
    view! {
        <fieldset class="question-slot">
            <legend>{format!("Question {n}")}</legend>
            {move || message().map(|m| view! { <p class="field-error" id=format!("q{i}-error")>{m}</p> })}
            <div class="field">
                <label for=format!("q{i}-kind")>"Kind"</label>
                <select id=format!("q{i}-kind") name="kind[]">
                    <option value="" selected=kind_now.is_empty()>"Not used"</option>
                    {QuestionKind::ALL.into_iter().filter(|k| has_statements || *k != QuestionKind::Statements).map(|k| view! {
                        <option value=k.as_str() selected=kind_now == k.as_str()>{k.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=format!("q{i}-prompt")>"Question"</label>
                <input id=format!("q{i}-prompt") name="prompt[]" type="text" value=kept("prompt").unwrap_or_else(|| default_prompt.to_string())
                    aria-describedby=move || message().map(|_| format!("q{i}-error"))/>
            </div>
            <div class="field">
                <label for=format!("q{i}-options")>"Choices (for “Choose one” or “Choose any”), one per line"</label>
                <TextBox text=kept("options").unwrap_or_default() attr:id=format!("q{i}-options") attr:name="options[]" attr:rows="3"/>
            </div>
            <div class="two-up">
                <div class="field">
                    <label for=format!("q{i}-low")>"Scale: what 1 means"</label>
                    <input id=format!("q{i}-low") name="low[]" type="text" value=kept("low").unwrap_or_else(|| "Not at all".into())/>
                </div>
                <div class="field">
                    <label for=format!("q{i}-high")>"Scale: what 5 means"</label>
                    <input id=format!("q{i}-high") name="high[]" type="text" value=kept("high").unwrap_or_else(|| "Completely".into())/>
                </div>
            </div>
            <div class="field">
                <label for=format!("q{i}-required")>"Must people answer it?"</label>
                <select id=format!("q{i}-required") name="required[]">
                    <option value="no" selected=kept("required").as_deref() != Some("yes")>"No, it is optional"</option>
                    <option value="yes" selected=kept("required").as_deref() == Some("yes")>"Yes"</option>
                </select>
            </div>
        </fieldset>
    }
}
