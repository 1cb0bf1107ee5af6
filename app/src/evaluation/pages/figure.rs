//! A measure's summary sentence, its chart and, beside it, the same values as a table, so
//! everything the chart shows can be read as text. No points: the summary alone.

use leptos::prelude::*;

use crate::evaluation::{api::DeleteReading, chart::MeasureChart, MeasureCard, MeasureKind, ReadingItem, RoundRating};

/// What deleting a reading needs: the prototype in the URL and the form's action.
#[derive(Clone, Copy)]
pub struct Deleting {
    pub prototype: i64,
    pub action: ServerAction<DeleteReading>,
}

/// `collapsed`: the table folds into a "show the table" disclosure (the list of measures,
/// where many tables would make a long page); `deleting`: each reading gets a delete button.
#[component]
pub fn MeasureFigure(
    card: MeasureCard,
    #[prop(optional)] collapsed: bool,
    #[prop(optional_no_strip)] deleting: Option<Deleting>,
) -> impl IntoView {
    let chart_id = format!("measure-{}-chart", card.id);
    let rating = card.kind == MeasureKind::Rating;
    let rows = if rating { card.rounds.len() } else { card.readings.len() };
    let table = (rows > 0).then(|| {
        let table = if rating {
            view! { <RatingsTable rounds=card.rounds.clone() statement=card.statement.clone().unwrap_or_default()/> }
                .into_any()
        } else {
            // Months have no one reading to delete (the measure's own page lists every reading).
            let deleting = deleting.filter(|_| !card.by_month);
            let caption = if card.by_month {
                format!(
                    "Monthly means of “{}”, oldest first ({} readings in all; the measure's page lists each)",
                    card.name,
                    crate::evaluation::rules::count(card.reading_count as usize)
                )
            } else {
                format!("Readings of “{}”, oldest first", card.name)
            };
            view! { <ReadingsTable readings=card.readings.clone() caption measure=card.id deleting by_month=card.by_month/> }
                .into_any()
        };
        if collapsed {
            let what = match (rating, rows) {
                (true, 1) => "Show the round as a table".to_string(),
                (true, n) => format!("Show the {n} rounds as a table"),
                (false, n) if card.by_month => format!("Show the {n} months as a table"),
                (false, 1) => "Show the reading as a table".to_string(),
                (false, n) => format!("Show the {n} readings as a table"),
            };
            view! { <details class="measure-table"><summary>{what}</summary>{table}</details> }.into_any()
        } else {
            table
        }
    });
    view! {
        <p class="measure-summary">{card.summary.clone()}</p>
        {card.progress.clone().map(|p| view! { <p class="measure-progress"><strong>{p}</strong></p> })}
        {card.ratings_hidden.then(|| view! {
            <p class="small">"Members of the collaborative can see how each round rated the statement."</p>
        })}
        {table.map(|table| view! {
            <div class="chart-and-table measure-figure">
                <MeasureChart id=chart_id name=card.name.clone() summary=card.summary.clone() data=card.chart.clone()/>
                <div class="table-scroll">{table}</div>
            </div>
        })}
    }
    .into_any()
}

/// Typed and imported readings: date, value, site, source.
#[component]
fn ReadingsTable(
    readings: Vec<ReadingItem>,
    caption: String,
    measure: i64,
    deleting: Option<Deleting>,
    by_month: bool,
) -> impl IntoView {
    view! {
        <table class="readings">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{if by_month { "Month" } else { "Date" }}</th>
                    <th scope="col">"Value"</th>
                    <th scope="col">"Site"</th>
                    <th scope="col">"Source"</th>
                    {deleting.map(|_| view! { <th scope="col">"Delete"</th> })}
                </tr>
            </thead>
            <tbody>
                {readings.into_iter().map(|r| {
                    let delete = deleting.map(|d| {
                        let label = format!(" the reading of {}", r.date);
                        view! {
                            <td>
                                <ActionForm action=d.action attr:class="inline-form">
                                    <input type="hidden" name="prototype" value=d.prototype.to_string()/>
                                    <input type="hidden" name="measure" value=measure.to_string()/>
                                    <input type="hidden" name="reading" value=r.id.to_string()/>
                                    <button type="submit" class="button small secondary">
                                        "Delete"<span class="visually-hidden">{label}</span>
                                    </button>
                                </ActionForm>
                            </td>
                        }
                    });
                    view! {
                        <tr>
                            <th scope="row">{r.date}</th>
                            <td>{r.shown}</td>
                            <td>{r.site.unwrap_or_default()}</td>
                            <td>{r.source}</td>
                            {delete}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A rating's closed rounds: when each closed, its mean rating and how many rated.
#[component]
fn RatingsTable(rounds: Vec<RoundRating>, statement: String) -> impl IntoView {
    view! {
        <table class="readings">
            <caption>{format!("Ratings of “{statement}” in consultation rounds, oldest first")}</caption>
            <thead>
                <tr>
                    <th scope="col">"Round closed"</th>
                    <th scope="col">"Mean rating"</th>
                    <th scope="col">"Ratings"</th>
                    <th scope="col">"Round"</th>
                </tr>
            </thead>
            <tbody>
                {rounds.into_iter().map(|r| view! {
                    <tr>
                        <th scope="row">{r.date}</th>
                        <td>{r.shown}</td>
                        <td>{r.ratings.map_or_else(
                            || format!("Fewer than {}", crate::suppression::MIN_GROUP),
                            |n| n.to_string(),
                        )}</td>
                        <td><a href=format!("/consultations/{}/results", r.round_id)>{r.title}</a></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
