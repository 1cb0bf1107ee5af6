//! The measure form's fields, shared by "Add a measure" and "Edit the measure". Works
//! without JavaScript: the statement select is always there, and the server ignores it for
//! numbers and percentages (the hint says so) and asks for it for ratings.

use leptos::prelude::*;

use super::at;
use crate::{
    error::AppError,
    evaluation::{rules::field_message, Choice, Direction, MeasureFormValues, MeasureKind, METHOD_MAX},
    ui::{Field, TextArea},
};

/// A control's error message and `aria-describedby`, for the controls `ui::Field` does not cover.
fn message(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync {
    move || error.get().and_then(|e| field_message(&e, field))
}

#[component]
pub fn MeasureFormFields(
    values: MeasureFormValues,
    statements: Vec<Choice>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    // After a refused post, what was chosen; read once, as the text area does.
    let kept = move |name: &str| error.get_untracked().and_then(|e| e.kept(name));
    let kind_now = kept("kind").unwrap_or_else(|| values.kind.clone());
    let direction_now = kept("direction").unwrap_or_else(|| values.direction.clone());
    let statement_now = kept("statement").unwrap_or_else(|| values.statement.clone());
    let method_hint: &'static str = "What is counted, from where, how often, and anything that changes the numbers. Plain words; Markdown works for lists and links.";
    view! {
        <Field name="name" label="Name" value=values.name.clone()
            hint="What is counted, in a few words, for example “Days waited for a first appointment”." error=at(error, "name")/>
        <TextArea name="method" label="How it is measured (optional)" rows=6 value=values.method.clone()
            hint=method_hint error=at(error, "method")/>
        <p class="small">{format!("Up to {} characters.", crate::evaluation::rules::count(METHOD_MAX))}</p>
        <KindChoice current=kind_now error/>
        <Field name="unit" label="Unit (for a number)" required=false value=values.unit.clone()
            hint="For example “days” or “people”. A percentage is always in %, and a rating is “out of 5”." error=at(error, "unit")/>
        <DirectionChoice current=direction_now error/>
        <StatementChoice current=statement_now statements error/>
        <fieldset class="field measure-pair">
            <legend>"Baseline (optional)"</legend>
            <p class="hint">"Where things stood before the change. A value needs its date, and a date its value."</p>
            <div class="two-up">
                <Field name="baseline" label="Baseline value" required=false value=values.baseline.clone()
                    hint="For example 28. Percentages are 0 to 100, ratings 1 to 5." error=at(error, "baseline")/>
                <Field name="baseline_on" label="Date of the baseline" required=false value=values.baseline_on.clone()
                    hint="Day/month/year, for example 31/03/2025." error=at(error, "baseline_on")/>
            </div>
            <Field name="baseline_source" label="Where the baseline comes from (optional)" required=false
                value=values.baseline_source.clone() hint="For example “Practice audit, March 2025”." error=at(error, "baseline_source")/>
        </fieldset>
        <fieldset class="field measure-pair">
            <legend>"Target (optional)"</legend>
            <div class="two-up">
                <Field name="target" label="Target value" required=false value=values.target.clone()
                    hint="For example 7." error=at(error, "target")/>
                <Field name="target_on" label="Target date (optional)" required=false value=values.target_on.clone()
                    hint="When it should be reached, for example 31/12/2026." error=at(error, "target_on")/>
            </div>
        </fieldset>
    }
    .into_any()
}

/// The kind, as radio buttons with what each means.
#[component]
fn KindChoice(current: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let message = message(error, "kind");
    view! {
        <fieldset class="field" aria-describedby=move || message().map(|_| "f-kind-error")>
            <legend>"What kind of measure is it?"</legend>
            {move || message().map(|m| view! { <p class="field-error" id="f-kind-error">{m}</p> })}
            {MeasureKind::ALL.into_iter().map(|k| {
                let id = format!("f-kind-{}", k.as_str());
                let hint_id = format!("{id}-hint");
                view! {
                    <div class="check">
                        <input type="radio" id=id.clone() name="kind" value=k.as_str() checked=current == k.as_str()
                            aria-describedby=hint_id.clone()/>
                        <label for=id>{k.label()}</label>
                    </div>
                    <p class="hint radio-hint" id=hint_id>{k.hint()}</p>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

/// Which way is better, as radio buttons.
#[component]
fn DirectionChoice(current: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let message = message(error, "direction");
    view! {
        <fieldset class="field" aria-describedby=move || message().map(|_| "f-direction-error")>
            <legend>"Which way is better?"</legend>
            {move || message().map(|m| view! { <p class="field-error" id="f-direction-error">{m}</p> })}
            {Direction::ALL.into_iter().map(|d| {
                let id = format!("f-direction-{}", d.as_str());
                view! {
                    <div class="check">
                        <input type="radio" id=id.clone() name="direction" value=d.as_str() checked=current == d.as_str()/>
                        <label for=id>{d.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

/// The experience statement a rating reads its values from.
#[component]
fn StatementChoice(current: String, statements: Vec<Choice>, error: Signal<Option<AppError>>) -> impl IntoView {
    let message = message(error, "statement");
    let described = move || {
        if message().is_some() {
            "f-statement-hint f-statement-error"
        } else {
            "f-statement-hint"
        }
    };
    let none = statements.is_empty();
    view! {
        <div class="field">
            <label for="f-statement">"Experience statement (only for a rating)"</label>
            <p class="hint" id="f-statement-hint">
                "Only a lived-experience rating uses a statement: the one people rated in this prototype's consultation rounds. For a number or a percentage, leave this as it is: it is not saved."
                {none.then_some(" The collaborative has no experience statements yet, so a rating cannot be added until a facilitator adds them in Settings.")}
            </p>
            {move || message().map(|m| view! { <p class="field-error" id="f-statement-error">{m}</p> })}
            <select id="f-statement" name="statement" aria-describedby=described
                aria-invalid=move || message().is_some().then_some("true")>
                <option value="" selected=current.is_empty()>"None: not a rating"</option>
                {statements.into_iter().map(|s| {
                    let value = s.id.to_string();
                    let selected = value == current;
                    view! { <option value=value selected=selected>{s.label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}
