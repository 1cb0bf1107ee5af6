//! `/settings/sites` (facilitators): the places services are delivered. Filter by area and
//! kind, add one, change or retire one, bring a retired one back, or import many as CSV
//! (every problem listed by line; nothing imported unless all rows are right).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{error_summary, non_empty, page_href, query_page, query_text, SiteFilters};
use crate::{
    error::AppError,
    rollout::{
        api::{sites_page, AddSite, ImportSites, RestoreSite, RetireSite, SaveSite},
        Site, SitesView, AREA_MAX, KIND_MAX, NAME_MAX,
    },
    ui::{action_error, Field, LoadError, TextBox},
};

/// The page's actions, passed down together.
#[derive(Clone, Copy)]
struct Actions {
    add: ServerAction<AddSite>,
    save: ServerAction<SaveSite>,
    retire: ServerAction<RetireSite>,
    restore: ServerAction<RestoreSite>,
    import: ServerAction<ImportSites>,
}

#[component]
pub fn SitesPage() -> impl IntoView {
    let query = use_query_map();
    let actions = Actions {
        add: ServerAction::<AddSite>::new(),
        save: ServerAction::<SaveSite>::new(),
        retire: ServerAction::<RetireSite>::new(),
        restore: ServerAction::<RestoreSite>::new(),
        import: ServerAction::<ImportSites>::new(),
    };
    // Keyed on the actions' versions too: a second change redirects to the same URL, and
    // the list must still refresh.
    let data = Resource::new(
        move || {
            (
                query.with(|q| {
                    (query_text(q, "area"), query_text(q, "kind"), query_page(q), q.get("saved"), q.get("imported"))
                }),
                (
                    actions.add.version().get(),
                    actions.save.version().get(),
                    actions.retire.version().get(),
                    actions.restore.version().get(),
                    actions.import.version().get(),
                ),
            )
        },
        |((area, kind, page, ..), _)| sites_page(non_empty(area), non_empty(kind), page),
    );
    let notice = move || {
        query.with(|q| {
            // Only a number is read from the address: text in a link is never shown as ours.
            if let Some(n) = q.get("imported").and_then(|n| n.parse::<u32>().ok()) {
                return Some(match n {
                    1 => "One site was imported.".to_string(),
                    n => format!("{n} sites were imported."),
                });
            }
            q.get("saved").map(|s| {
                match s.as_str() {
                    "added" => "The site was added.",
                    "retired" => "The site was retired. It stays on the roll-out plans that name it.",
                    "restored" => "The site was brought back.",
                    _ => "Saved.",
                }
                .to_string()
            })
        })
    };
    view! {
        <Title text="Sites"/>
        <p><a href="/settings">"Back to settings"</a></p>
        <h1>"Sites"</h1>
        <p class="lead">"The places services are delivered: GP practices, hubs, teams. Roll-out plans say which prototypes run at which sites."</p>
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <Errors actions/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(v) => {
                    let (area, kind) = query.with(|q| (query_text(q, "area"), query_text(q, "kind")));
                    view! { <Sites v area kind actions/> }.into_any()
                }
            })}
        </Suspense>
        <AddForm action=actions.add/>
        <ImportForm action=actions.import/>
    }
    .into_any()
}

/// Every refusal, at the top of the page, each linking to the control it is about.
#[component]
fn Errors(actions: Actions) -> impl IntoView {
    let (add, save, retire, restore, import) = (
        action_error(actions.add),
        action_error(actions.save),
        action_error(actions.retire),
        action_error(actions.restore),
        action_error(actions.import),
    );
    view! {
        {move || add.get().map(|e| error_summary(&e, |f| Some(format!("f-{f}"))))}
        {move || save.get().map(|e| {
            let row = e.kept("id");
            error_summary(&e, move |f| row.as_ref().map(|id| format!("site-{id}-{f}")))
        })}
        {move || retire.get().or_else(|| restore.get()).map(|e| error_summary(&e, |_| None))}
        {move || import.get().map(|e| error_summary(&e, |_| Some("f-csv".to_string())))}
    }
    .into_any()
}

#[component]
fn Sites(v: SitesView, area: String, kind: String, actions: Actions) -> impl IntoView {
    let newer = (v.page > 0).then(|| page_href("/settings/sites", &area, &kind, v.page - 1));
    let older = v.has_more.then(|| page_href("/settings/sites", &area, &kind, v.page + 1));
    let filtered = !area.is_empty() || !kind.is_empty();
    let retired = v.retired.clone();
    view! {
        <SiteFilters action="/settings/sites" label="Filter sites" areas=v.areas.clone() kinds=v.kinds.clone() area kind/>
        <section aria-labelledby="sites-heading">
            <h2 id="sites-heading">"Sites in use"</h2>
            {if v.sites.is_empty() {
                view! {
                    <p>{if filtered { "No sites in use match. Try another area or kind." } else { "No sites yet. Add one below, or import a list." }}</p>
                }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="sites-table">
                            <caption class="visually-hidden">"Sites in use, by name"</caption>
                            <thead><tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Kind"</th>
                                <th scope="col">"Area"</th>
                                <th scope="col">"Change"</th>
                            </tr></thead>
                            <tbody>
                                {v.sites.into_iter().map(|site| view! { <SiteRow site actions/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <nav aria-label="Pages of sites" class="pager">
                {newer.map(|href| view! { <a href=href>"Previous page"</a> })}
                {older.map(|href| view! { <a href=href>"Next page"</a> })}
            </nav>
        </section>
        {(!retired.is_empty()).then(|| view! {
            <section aria-labelledby="retired-heading">
                <h2 id="retired-heading">"Retired sites"</h2>
                <p class="hint">"A retired site stays on the roll-out plans that name it, but cannot be added to a plan until it is brought back."</p>
                <div class="table-scroll">
                    <table class="sites-table">
                        <caption class="visually-hidden">"Retired sites, by name"</caption>
                        <thead><tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"Area"</th>
                            <th scope="col">"Change"</th>
                        </tr></thead>
                        <tbody>
                            {retired.into_iter().map(|site| {
                                let label = format!("Bring back “{}”", site.name);
                                view! {
                                    <tr class="retired">
                                        <th scope="row">{site.name.clone()}</th>
                                        <td>{site.kind.clone()}</td>
                                        <td>{site.area.clone()}</td>
                                        <td>
                                            <ActionForm action=actions.restore attr:class="inline-form">
                                                <input type="hidden" name="id" value=site.id.to_string()/>
                                                <button type="submit" class="button small secondary">{label}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
    }
    .into_any()
}

/// One site in use: its facts, a form to change them (open after a refusal of its own,
/// keeping what was typed) and its retire button.
#[component]
fn SiteRow(site: Site, actions: Actions) -> impl IntoView {
    let error = action_error(actions.save);
    let id = site.id.to_string();
    // This row's refusal, if the last save refused was this site's.
    let mine = {
        let id = id.clone();
        Signal::derive(move || error.get().filter(|e| e.kept("id").as_deref() == Some(id.as_str())))
    };
    let refused = mine.get_untracked();
    let value =
        |field: &str, saved: &str| refused.as_ref().and_then(|e| e.kept(field)).unwrap_or_else(|| saved.to_string());
    let (name, kind, area) = (value("name", &site.name), value("kind", &site.kind), value("area", &site.area));
    let site_id = site.id;
    // Owns what it uses (a site id and a signal): what it builds goes into a form's children.
    let for_site = format!(" of {}", site.name);
    let control = move |field: &'static str, label: &'static str, value: String, required: bool| {
        let for_site = for_site.clone();
        let control_id = format!("site-{site_id}-{field}");
        let error_id = format!("{control_id}-error");
        let message = move || mine.get().and_then(|e| e.for_field(field));
        let described = {
            let error_id = error_id.clone();
            move || message().map(|_| error_id.clone())
        };
        view! {
            <div class="field">
                <label for=control_id.clone()>{label}<span class="visually-hidden">{for_site.clone()}</span></label>
                {move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
                <input id=control_id type="text" name=field value=value required=required
                    aria-invalid=move || message().is_some().then_some("true")
                    aria-describedby=described/>
            </div>
        }
    };
    let save_id = id.clone();
    let summary = format!("Change “{}”", site.name);
    let retire_label = format!("Retire “{}”", site.name);
    view! {
        <tr id=format!("site-{}", site.id)>
            <th scope="row">{site.name.clone()}</th>
            <td>{site.kind.clone()}</td>
            <td>{site.area.clone()}</td>
            <td>
                <details class="site-edit" open=refused.is_some()>
                    <summary>{summary}</summary>
                    <ActionForm action=actions.save attr:class="form">
                        <input type="hidden" name="id" value=save_id/>
                        {control("name", "Name", name, true)}
                        {control("kind", "Kind", kind, true)}
                        {control("area", "Area (optional)", area, false)}
                        <button type="submit" class="button small">"Save"</button>
                    </ActionForm>
                </details>
                <ActionForm action=actions.retire attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button small secondary">{retire_label}</button>
                </ActionForm>
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn AddForm(action: ServerAction<AddSite>) -> impl IntoView {
    let error = action_error(action);
    let limits =
        format!("Up to {NAME_MAX} characters for the name, {KIND_MAX} for the kind and {AREA_MAX} for the area.");
    view! {
        <section aria-labelledby="add-heading">
            <h2 id="add-heading">"Add a site"</h2>
            <ActionForm action attr:class="form">
                <Field name="name" label="Name" hint="For example “Lakeside Surgery”." error/>
                <Field name="kind" label="Kind of site" hint="For example “GP practice”, “hub” or “team”. Use the same words for sites of one kind: plans count them by kind." error/>
                <Field name="area" label="Area (optional)" required=false hint="The neighbourhood or locality it serves, for example “North”." error/>
                <p class="small">{limits}</p>
                <button type="submit" class="button">"Add the site"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// A refused import: its first line, then each problem (one a line) as a list.
fn problems(message: String) -> impl IntoView {
    let mut lines = message.lines().map(str::to_string);
    let first = lines.next().unwrap_or_default();
    let rest: Vec<String> = lines.collect();
    view! {
        <div class="field-error import-problems" id="f-csv-error">
            <p>{first}</p>
            {(!rest.is_empty()).then(|| view! {
                <ul>{rest.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            })}
        </div>
    }
    .into_any()
}

#[component]
fn ImportForm(action: ServerAction<ImportSites>) -> impl IntoView {
    let error: Signal<Option<AppError>> = action_error(action);
    let message = move || error.get().and_then(|e| e.for_field("csv"));
    // Read once: after a refused post the box starts from what was pasted.
    let initial = error.get_untracked().and_then(|e| e.kept("csv")).unwrap_or_default();
    let described = move || {
        if message().is_some() {
            "f-csv-hint f-csv-example f-csv-error".to_string()
        } else {
            "f-csv-hint f-csv-example".to_string()
        }
    };
    view! {
        <section aria-labelledby="import-heading">
            <h2 id="import-heading">"Import sites (CSV)"</h2>
            <ActionForm action attr:class="form">
                <div class="field">
                    <label for="f-csv">"Sites, one a line: name, kind, area"</label>
                    <p class="hint" id="f-csv-hint">"Paste from a spreadsheet saved as CSV. The area may be left empty, and a first line of column names (starting “name”) is skipped. Put a name that contains a comma in double quotes. Up to 1,000 sites at a time: if any line has a problem, nothing is imported and every problem is listed by its line number."</p>
                    <pre class="csv-example" id="f-csv-example">"name,kind,area\nLakeside Surgery,GP practice,North\n\"Hub, The\",hub,South\nCommunity mental health team,team,"</pre>
                    {move || message().map(problems)}
                    <TextBox text=initial
                        attr:id="f-csv"
                        attr:name="csv"
                        attr:rows=12
                        attr:aria-invalid=move || message().is_some().then_some("true")
                        attr:aria-describedby=described/>
                </div>
                <button type="submit" class="button">"Import the sites"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
