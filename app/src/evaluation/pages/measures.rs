//! `/prototypes/{id}/measures`: what the prototype is judged by, each measure as a card
//! with its chart and summary; for the design group, the "Add a measure" form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{BackLinks, MeasureFigure, MeasureFormFields, ProblemSummary};
use crate::{
    evaluation::{
        api::{measures_page, AddMeasure},
        MeasureCard, MeasureFormValues, MeasuresView,
    },
    ui::{action_error, LoadError},
};

#[component]
pub fn MeasuresPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let add = ServerAction::<AddMeasure>::new();
    let data = Resource::new(move || (id(), add.version().get()), |(id, _)| measures_page(id));
    let deleted = move || query.with(|q| q.get("deleted").is_some());
    view! {
        {move || deleted().then(|| view! { <p class="notice" role="status">"The measure and its readings are deleted."</p> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! {
                    <Title text="Outcome measures"/>
                    <h1>"Outcome measures"</h1>
                    <LoadError error/>
                }.into_any(),
                Ok(v) => view! { <Measures v add/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Measures(v: MeasuresView, add: ServerAction<AddMeasure>) -> impl IntoView {
    let error = action_error(add);
    let empty = v.measures.is_empty();
    let prototype = v.prototype_id;
    view! {
        <Title text=format!("Outcome measures: {}", v.prototype_title)/>
        <BackLinks prototype_id=prototype prototype_title=v.prototype_title.clone()/>
        <h1>"Outcome measures"</h1>
        <p class="lead">{format!("What “{}” is judged by: each measure's readings over time, its baseline and its target.", v.prototype_title)}</p>
        <p class="small">{format!("Stage: {}", v.stage)}</p>
        {if empty {
            view! {
                <p>{if v.can_edit {
                    "No outcome measures yet. Add the first one below: what would show that this prototype works?"
                } else {
                    "No outcome measures yet."
                }}</p>
            }.into_any()
        } else {
            view! {
                <ul class="measures plain">
                    {v.measures.into_iter().map(|card| view! { <li><MeasureCardView card prototype/></li> }).collect_view()}
                </ul>
            }.into_any()
        }}
        {v.can_edit.then(|| view! {
            <section aria-labelledby="add-measure-heading" class="add-measure">
                <h2 id="add-measure-heading">"Add a measure"</h2>
                <p class="hint">"A measure says what would show the prototype works: a number (days waited), a percentage, or how people rated an experience statement in consultation rounds."</p>
                <ActionForm action=add attr:class="form">
                    <ProblemSummary error/>
                    <input type="hidden" name="prototype" value=prototype.to_string()/>
                    <MeasureFormFields values=MeasureFormValues::default() statements=v.statements.clone() error/>
                    <button type="submit" class="button">"Add the measure"</button>
                </ActionForm>
            </section>
        })}
    }
    .into_any()
}

/// One measure in the list: its name (a link to its page), what kind it is, its summary,
/// chart and (folded) table.
#[component]
fn MeasureCardView(card: MeasureCard, prototype: i64) -> impl IntoView {
    let heading = format!("measure-{}-name", card.id);
    let href = format!("/prototypes/{prototype}/measures/{}", card.id);
    let meta = match (&card.statement, card.kind) {
        (Some(s), _) => format!("{} of “{s}” · {}", card.kind.label(), card.direction.label()),
        (None, _) if !card.unit.is_empty() && card.kind == crate::evaluation::MeasureKind::Number => {
            format!("{}, in {} · {}", card.kind.label(), card.unit, card.direction.label())
        }
        _ => format!("{} · {}", card.kind.label(), card.direction.label()),
    };
    let name = card.name.clone();
    let title = card.name.clone();
    let labelled_by = heading.clone();
    view! {
        <article class="card measure-card" aria-labelledby=labelled_by>
            <h2 id=heading class="card-title"><a href=href.clone()>{title}</a></h2>
            <p class="small">{meta}</p>
            <MeasureFigure card collapsed=true/>
            <p class="small"><a href=href>{format!("Method, baseline and target of “{name}”")}</a></p>
        </article>
    }
    .into_any()
}
