//! `/rollout`: every site (filtered by area and kind, 50 a page) against every prototype the
//! viewer may read that has a roll-out plan, with each status written out in its cell.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{non_empty, page_href, query_page, query_text, SiteFilters, StatusText};
use crate::{
    rollout::{api::rollout_overview, OverviewView, OVERVIEW_COLUMNS},
    ui::LoadError,
};

#[component]
pub fn RolloutOverviewPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.with(|q| (query_text(q, "area"), query_text(q, "kind"), query_page(q))),
        |(area, kind, page)| rollout_overview(non_empty(area), non_empty(kind), page),
    );
    view! {
        <Title text="Roll-out across sites"/>
        <h1>"Roll-out across sites"</h1>
        <p class="lead">"Which adopted services are planned, live, paused or stopped at each site."</p>
        <p><a href="/report">"The collaborative's report: what happened across every prototype over a period"</a></p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(v) => {
                    let (area, kind) = query.with(|q| (query_text(q, "area"), query_text(q, "kind")));
                    view! { <Overview v area kind/> }.into_any()
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Overview(v: OverviewView, area: String, kind: String) -> impl IntoView {
    let previous = (v.page > 0).then(|| page_href("/rollout", &area, &kind, v.page - 1));
    let next = v.has_more.then(|| page_href("/rollout", &area, &kind, v.page + 1));
    let filtered = !area.is_empty() || !kind.is_empty();
    let columns = v.columns.clone();
    let more_columns = v.more_columns;
    let table = if v.rows.is_empty() {
        view! {
            <p>{if filtered { "No sites match. Try another area or kind." } else { "No sites have been added yet." }}</p>
        }
        .into_any()
    } else if columns.is_empty() {
        view! { <p>"No prototype has a roll-out plan at these sites yet."</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="rollout-matrix">
                    <caption class="visually-hidden">"Roll-out status of each prototype (columns) at each site (rows)"</caption>
                    <thead><tr>
                        <th scope="col">"Site"</th>
                        <th scope="col">"Area"</th>
                        <th scope="col">"Kind"</th>
                        {columns.iter().map(|c| view! {
                            <th scope="col"><a href=format!("/prototypes/{}/rollout", c.id)>{c.title.clone()}</a></th>
                        }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {v.rows.into_iter().map(|row| {
                            let name = if row.site.retired { format!("{} (retired)", row.site.name) } else { row.site.name.clone() };
                            view! {
                                <tr>
                                    <th scope="row">{name}</th>
                                    <td>{row.site.area.clone()}</td>
                                    <td>{row.site.kind.clone()}</td>
                                    {row.cells.into_iter().map(|cell| match cell {
                                        Some(status) => view! { <td><StatusText status/></td> }.into_any(),
                                        None => view! {
                                            <td class="rollout-none">
                                                <span aria-hidden="true">"–"</span>
                                                <span class="visually-hidden">"Not in the plan"</span>
                                            </td>
                                        }.into_any(),
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <SiteFilters action="/rollout" label="Filter sites" areas=v.areas.clone() kinds=v.kinds.clone() area kind/>
        <p class="rollout-count"><strong>{v.count_line.clone()}</strong></p>
        {(more_columns > 0).then(|| view! {
            <p class="small">{format!(
                "The table shows the first {OVERVIEW_COLUMNS} prototypes with a plan, by title; {more_columns} more are not shown. Each prototype's own roll-out page lists all its sites."
            )}</p>
        })}
        {table}
        <nav aria-label="Pages of sites" class="pager">
            {previous.map(|href| view! { <a href=href>"Previous page"</a> })}
            {next.map(|href| view! { <a href=href>"Next page"</a> })}
        </nav>
    }
    .into_any()
}
