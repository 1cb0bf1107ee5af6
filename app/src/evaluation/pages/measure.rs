//! `/prototypes/{id}/measures/{measure}`: one measure's chart and table, summary, method,
//! baseline and target. For the design group: add a reading, paste readings as CSV, delete
//! a reading, edit the measure, and delete it (after ticking that they understand).

use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{at, BackLinks, Deleting, MeasureFigure, MeasureFormFields, ProblemSummary};
use crate::{
    error::AppError,
    evaluation::{
        api::{measure_page, AddReading, DeleteMeasure, DeleteReading, ImportReadings, SaveMeasure, UploadReadings},
        rules::{count, field_message},
        Choice, MeasureCard, MeasureDetail, MeasureFormValues, MeasureKind, CSV_ROWS_MAX,
    },
    ui::{action_error, posted_error, Field, FormError, LoadError, TextArea},
};

/// The forms of this page.
#[derive(Clone, Copy)]
struct Actions {
    add_reading: ServerAction<AddReading>,
    import: ServerAction<ImportReadings>,
    /// The upload form is multipart, which `ActionForm` cannot send: a plain form.
    upload_error: Signal<Option<AppError>>,
    delete_reading: ServerAction<DeleteReading>,
    save: ServerAction<SaveMeasure>,
    delete: ServerAction<DeleteMeasure>,
}

/// What the query says just happened (numbers only are read from it; no text is shown).
fn notice_text(saved: Option<String>, imported: Option<String>) -> Option<String> {
    if let Some(n) = imported.and_then(|v| v.parse::<usize>().ok()) {
        return Some(match n {
            1 => "1 reading added.".to_string(),
            n => format!("{} readings added.", count(n)),
        });
    }
    let text = match saved.as_deref()? {
        "added" => "The measure is added.",
        "measure" => "The measure is saved.",
        "reading" => "The reading is added.",
        "deleted" => "The reading is deleted.",
        _ => return None,
    };
    Some(text.to_string())
}

#[component]
pub fn MeasurePageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let number = move |k: &str| params.with(|p| p.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let actions = Actions {
        add_reading: ServerAction::<AddReading>::new(),
        import: ServerAction::<ImportReadings>::new(),
        upload_error: posted_error::<UploadReadings>(),
        delete_reading: ServerAction::<DeleteReading>::new(),
        save: ServerAction::<SaveMeasure>::new(),
        delete: ServerAction::<DeleteMeasure>::new(),
    };
    let data = Resource::new(
        move || {
            (
                number("id"),
                number("measure"),
                actions.add_reading.version().get(),
                actions.import.version().get(),
                actions.delete_reading.version().get(),
                actions.save.version().get(),
            )
        },
        |(prototype, measure, ..)| measure_page(prototype, measure),
    );
    let notice = move || query.with(|q| notice_text(q.get("saved"), q.get("imported")));
    view! {
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        // A refused upload comes back to the top of the page (a redirect has no fragment):
        // say so here, and link to the problems beside the form.
        {move || actions.upload_error.get().map(|_| view! {
            <p class="error-summary" role="alert">
                <a href="#upload-readings">"Your file was not added. See the problems under “Upload a CSV file”."</a>
            </p>
        })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! {
                    <Title text="Outcome measure"/>
                    <h1>"Outcome measure"</h1>
                    <LoadError error/>
                }.into_any(),
                Ok(d) => view! { <Measure d actions/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Measure(d: MeasureDetail, actions: Actions) -> impl IntoView {
    let m = d.measure.clone();
    let prototype = d.prototype_id;
    let delete_reading_error = action_error(actions.delete_reading);
    let deleting = d.can_edit.then_some(Deleting { prototype, action: actions.delete_reading });
    let what = match (&m.statement, m.kind) {
        (Some(s), _) => format!("{}: how people rated “{s}” in consultation rounds.", m.kind.label()),
        (None, MeasureKind::Number) if !m.unit.is_empty() => format!("{}, in {}.", m.kind.label(), m.unit),
        _ => format!("{}.", m.kind.label()),
    };
    let method = (!d.method_html.is_empty()).then(|| d.method_html.clone());
    let editing = d.form.clone().map(|values| (values, d.statements.clone(), d.sites.clone()));
    let figure = view! {
        <section aria-labelledby="readings-heading" id="readings">
            <h2 id="readings-heading">{if m.kind == MeasureKind::Rating { "Ratings over time" } else { "Readings over time" }}</h2>
            <FormError error=delete_reading_error/>
            <MeasureFigure card=m.clone() deleting/>
        </section>
    }
    .into_any();
    view! {
        <Title text=format!("{} · outcome measure", m.name)/>
        <BackLinks prototype_id=prototype prototype_title=d.prototype_title.clone() to_list=true/>
        <h1>{m.name.clone()}</h1>
        <p class="small">{format!("An outcome measure of “{}” (stage: {}). {what} {}.", d.prototype_title, d.stage, m.direction.label())}</p>
        {figure}
        <section aria-labelledby="method-heading">
            <h2 id="method-heading">"How it is measured"</h2>
            {match method {
                Some(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
                None => view! { <p>"Not described yet."</p> }.into_any(),
            }}
        </section>
        <section aria-labelledby="baseline-heading">
            <h2 id="baseline-heading">"Baseline and target"</h2>
            <dl class="measure-facts">
                <dt>"Baseline"</dt>
                <dd>{m.baseline.clone().unwrap_or_else(|| "None recorded.".to_string())}</dd>
                {(!m.baseline_source.is_empty()).then(|| view! {
                    <dt>"Where the baseline comes from"</dt>
                    <dd>{m.baseline_source.clone()}</dd>
                })}
                <dt>"Target"</dt>
                <dd>{m.target.clone().unwrap_or_else(|| "None set.".to_string())}</dd>
                <dt>"Which way is better"</dt>
                <dd>{m.direction.label()}</dd>
            </dl>
        </section>
        {editing.map(|(values, statements, sites)| view! {
            <Editing card=m.clone() prototype values statements sites actions/>
        })}
    }
    .into_any()
}

/// The design group's forms.
#[component]
fn Editing(
    card: MeasureCard,
    prototype: i64,
    values: MeasureFormValues,
    statements: Vec<Choice>,
    sites: Vec<String>,
    actions: Actions,
) -> impl IntoView {
    let (kind, unit, name, readings, measure) = (card.kind, card.unit, card.name, card.readings.len(), card.id);
    let ids = move || {
        view! {
            <input type="hidden" name="prototype" value=prototype.to_string()/>
            <input type="hidden" name="measure" value=measure.to_string()/>
        }
    };
    let readings_forms = (kind != MeasureKind::Rating).then(|| {
        let reading_error = action_error(actions.add_reading);
        let import_error = action_error(actions.import);
        let value_hint: &'static str = match kind {
            MeasureKind::Percentage => "From 0 to 100, for example 61.5.",
            _ => "A number, for example 24 or 3.5.",
        };
        let in_unit = match kind {
            MeasureKind::Percentage => Some("Values are percentages, from 0 to 100.".to_string()),
            _ if !unit.is_empty() => Some(format!("Values are in {unit}.")),
            _ => None,
        };
        view! {
            <section aria-labelledby="add-reading-heading" id="add-reading">
                <h2 id="add-reading-heading">"Add a reading"</h2>
                {in_unit.map(|u| view! { <p class="hint">{u}</p> })}
                <ActionForm action=actions.add_reading attr:class="form">
                    <ProblemSummary error=reading_error/>
                    {ids()}
                    <div class="two-up">
                        <Field name="taken_on" label="Date" hint="Day/month/year, for example 31/03/2025." error=at(reading_error, "taken_on")/>
                        <Field name="value" label="Value" hint=value_hint error=at(reading_error, "value")/>
                    </div>
                    <SiteChoice sites error=reading_error/>
                    <Field name="source" label="Source (optional)" required=false
                        hint="Where the figure comes from, for example “Monthly practice report”." error=at(reading_error, "source")/>
                    <button type="submit" class="button">"Add the reading"</button>
                </ActionForm>
            </section>
            <section aria-labelledby="paste-heading" id="paste-readings">
                <h2 id="paste-heading">"Paste readings (CSV)"</h2>
                <ActionForm action=actions.import attr:class="form">
                    <ProblemSummary error=import_error/>
                    {ids()}
                    <TextArea name="csv" label="Readings, one a line" rows=10 hint=CSV_HINT error=at(import_error, "csv")/>
                    <p class="small">{format!(
                        "Up to {} readings at a time. If any line has a problem, none are added, and every problem is listed by its line number.",
                        count(CSV_ROWS_MAX)
                    )}</p>
                    <button type="submit" class="button">"Check and add the readings"</button>
                </ActionForm>
            </section>
            <section aria-labelledby="upload-heading" id="upload-readings">
                <h2 id="upload-heading">"Upload a CSV file"</h2>
                <form method="post" action=UploadReadings::url() enctype="multipart/form-data" class="form">
                    <ProblemSummary error=actions.upload_error/>
                    {ids()}
                    <Field name="file" kind="file" label="CSV file" hint=UPLOAD_HINT error=at(actions.upload_error, "file")/>
                    <button type="submit" class="button">"Upload and add the readings"</button>
                </form>
            </section>
        }
        .into_any()
    });
    let rating_note = (kind == MeasureKind::Rating).then(|| view! {
        <p>"A rating's values come from the prototype's consultation rounds: each closed round that asked people to rate the statement adds one, once at least 5 people have rated it."</p>
    });
    let save_error = action_error(actions.save);
    let delete_error = action_error(actions.delete);
    let confirm_message = move || delete_error.get().and_then(|e| field_message(&e, "confirm"));
    let confirm_label = match readings {
        0 => format!("I understand that this deletes “{name}” for good."),
        1 => format!("I understand that this deletes “{name}” and its reading for good."),
        n => format!("I understand that this deletes “{name}” and its {} readings for good.", count(n)),
    };
    // Each part is type-erased (`into_any`): one nested view type for the whole page
    // overflows a 2 MiB thread stack when rendered by a debug build.
    let edit = view! {
        <section aria-labelledby="edit-heading" id="edit-measure">
            <h2 id="edit-heading">"Edit the measure"</h2>
            <ActionForm action=actions.save attr:class="form">
                <ProblemSummary error=save_error/>
                {ids()}
                <MeasureFormFields values statements error=save_error/>
                <button type="submit" class="button">"Save the measure"</button>
            </ActionForm>
        </section>
    }
    .into_any();
    view! {
        {readings_forms}
        {rating_note}
        {edit}
        <section aria-labelledby="delete-heading" id="delete-measure">
            <h2 id="delete-heading">"Delete the measure"</h2>
            <ActionForm action=actions.delete attr:class="form">
                <ProblemSummary error=delete_error/>
                {ids()}
                {move || confirm_message().map(|m| view! { <p class="field-error" id="f-confirm-error">{m}</p> })}
                <div class="check">
                    <input type="checkbox" id="f-confirm" name="confirm" value="on"
                        aria-describedby=move || confirm_message().map(|_| "f-confirm-error")
                        aria-invalid=move || confirm_message().is_some().then_some("true")/>
                    <label for="f-confirm">{confirm_label}</label>
                </div>
                <button type="submit" class="button danger">"Delete the measure"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The example under the CSV box (its lines kept apart by `style/evaluation.css`).
/// The upload form's hint: the same columns as a paste, and how to save a spreadsheet.
const UPLOAD_HINT: &str = "The same columns as pasted readings, in a file of at most 256 KB. From a spreadsheet, save as “CSV UTF-8”. If any line has a problem, none are added, and every problem is listed by its line number.";

const CSV_HINT: &str = "Columns: date, value, site, source. Site and source may be left off, a first line of column names is fine, and cells copied from a spreadsheet work too. For example:
date,value,site,source
31/01/2025,24,Lakeside Surgery,Practice audit
28/02/2025,20,,Practice audit";

/// Where a reading was taken: one of the sites in use, or none.
#[component]
fn SiteChoice(sites: Vec<String>, error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || error.get().and_then(|e| field_message(&e, "site"));
    let current = error.get_untracked().and_then(|e| e.kept("site")).unwrap_or_default();
    let described = move || if message().is_some() { "f-site-hint f-site-error" } else { "f-site-hint" };
    (!sites.is_empty()).then(|| {
        view! {
            <div class="field">
                <label for="f-site">"Site (optional)"</label>
                <p class="hint" id="f-site-hint">"Where the reading was taken, if it is for one site."</p>
                {move || message().map(|m| view! { <p class="field-error" id="f-site-error">{m}</p> })}
                <select id="f-site" name="site"
                    aria-describedby=described
                    aria-invalid=move || message().is_some().then_some("true")>
                    <option value="" selected=current.is_empty()>"Not for one site"</option>
                    {sites.into_iter().map(|s| {
                        let selected = s.eq_ignore_ascii_case(current.trim());
                        let value = s.clone();
                        view! { <option value=value selected=selected>{s}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::notice_text;

    #[test]
    fn notices_read_only_known_words_and_numbers_from_the_query() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(notice_text(None, s("12")).as_deref(), Some("12 readings added."));
        assert_eq!(notice_text(None, s("1")).as_deref(), Some("1 reading added."));
        assert_eq!(notice_text(None, s("2000")).as_deref(), Some("2,000 readings added."));
        assert_eq!(notice_text(s("reading"), None).as_deref(), Some("The reading is added."));
        assert_eq!(notice_text(s("Call 0909 now"), None), None);
        assert_eq!(notice_text(None, s("lots")), None);
    }
}
