//! `/prototypes/{id}/rollout`: a prototype's roll-out plan. Everyone who may read the
//! prototype sees its progress and the sites with their status; the design group also gets
//! a form per site (only the moves allowed next are offered) and an "add sites" form, once
//! the prototype's stage allows a plan.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{error_summary, StatusText};
use crate::{
    error::AppError,
    rollout::{
        api::{rollout_plan, PlanSites, RemovePlannedSite, SetRolloutStatus},
        rules::choice_label,
        PlanEntry, PlanView, RolloutStatus, Site, NOTE_MAX,
    },
    ui::{action_error, Field, LoadError},
};

#[derive(Clone, Copy)]
struct Actions {
    plan: ServerAction<PlanSites>,
    status: ServerAction<SetRolloutStatus>,
    remove: ServerAction<RemovePlannedSite>,
}

#[component]
pub fn RolloutPlanPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let actions = Actions {
        plan: ServerAction::<PlanSites>::new(),
        status: ServerAction::<SetRolloutStatus>::new(),
        remove: ServerAction::<RemovePlannedSite>::new(),
    };
    let data = Resource::new(
        move || {
            (
                id(),
                query.with(|q| q.get("saved")),
                actions.plan.version().get(),
                actions.status.version().get(),
                actions.remove.version().get(),
            )
        },
        |(id, ..)| rollout_plan(id),
    );
    let notice = move || {
        query.with(|q| {
            q.get("saved").map(|s| match s.as_str() {
                "added" => "The sites were added to the plan.",
                "removed" => "The site was taken off the plan.",
                _ => "The status was changed. The change is on the prototype's timeline.",
            })
        })
    };
    view! {
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Roll-out plan"/> <h1>"Roll-out plan"</h1> <LoadError error/> }.into_any(),
                Ok(plan) => view! { <Plan plan actions/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Plan(plan: PlanView, actions: Actions) -> impl IntoView {
    let editing = plan.can_edit && plan.plan_allowed;
    let counts = plan.counts;
    let (live, total) = (counts.live, counts.total());
    let prototype = plan.prototype;
    let not_yet = (plan.can_edit && !plan.plan_allowed).then(|| match &plan.plan_stage {
        Some(start) => format!(
            "A roll-out plan starts when the prototype reaches {start}. It is at {} now: move it on from the prototype's page first.",
            plan.stage
        ),
        None => "This prototype's stage does not allow a roll-out plan yet.".to_string(),
    });
    let entries = plan.entries.clone();
    let today = plan.today.clone();
    view! {
        <Title text=format!("Roll-out: {}", plan.title)/>
        <p>
            <a href=format!("/prototypes/{prototype}")>"Back to the prototype"</a>
            " · "
            <a href="/rollout">"Roll-out across all sites"</a>
        </p>
        <h1>"Roll-out plan: " {plan.title.clone()}</h1>
        <p>"Stage: " <strong>{plan.stage.clone()}</strong></p>
        {plan.can_edit.then(|| view! { <Errors actions/> })}
        <section aria-labelledby="progress-heading">
            <h2 id="progress-heading">"Progress"</h2>
            <p id="progress-line" class="rollout-progress-line">{plan.progress.clone()}</p>
            {(total > 0).then(|| view! {
                <progress class="rollout-progress" max=total.to_string() value=live.to_string() aria-labelledby="progress-line">
                    {format!("{live} of {total}")}
                </progress>
                <ul class="inline-list plain rollout-counts" aria-label="Sites by status">
                    {RolloutStatus::ALL.into_iter().map(|s| view! {
                        <li><StatusText status=s/>{format!(": {}", counts.of(s))}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
        <section aria-labelledby="plan-heading">
            <h2 id="plan-heading">"Sites in the plan"</h2>
            {if entries.is_empty() {
                view! { <p>"No sites are in the plan yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="rollout-plan">
                            <caption class="visually-hidden">"Sites in the plan, by area and name, with their status"</caption>
                            <thead><tr>
                                <th scope="col">"Site"</th>
                                <th scope="col">"Kind"</th>
                                <th scope="col">"Area"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Since"</th>
                                <th scope="col">"Live since"</th>
                                <th scope="col">"Note"</th>
                                {editing.then(|| view! { <th scope="col">"Change"</th> })}
                            </tr></thead>
                            <tbody>
                                {entries.into_iter().map(|entry| {
                                    let today = today.clone();
                                    view! { <EntryRow entry prototype editing today actions/> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        {not_yet.map(|m| view! { <p class="notice rollout-not-yet">{m}</p> })}
        {editing.then(|| view! {
            <AddSites prototype available=plan.available.clone() more=plan.more_available today=plan.today.clone() action=actions.plan/>
        })}
    }
    .into_any()
}

/// Every refusal, at the top, each linking to its control (a site's controls are
/// `rs-{site}-{field}`; the add form's are `f-{field}`).
#[component]
fn Errors(actions: Actions) -> impl IntoView {
    let (plan, status, remove) =
        (action_error(actions.plan), action_error(actions.status), action_error(actions.remove));
    view! {
        {move || plan.get().map(|e| error_summary(&e, |f| Some(format!("f-{f}"))))}
        {move || status.get().or_else(|| remove.get()).map(|e| row_summary(&e))}
    }
    .into_any()
}

/// A refusal of one site's form, linking to the control in its row.
fn row_summary(e: &AppError) -> AnyView {
    let site = e.kept("site");
    error_summary(e, move |f| site.as_ref().map(|s| format!("rs-{s}-{f}")))
}

/// One site of the plan; for editors, a form with the moves allowed next and, while it is
/// only planned, a button to take it off the plan.
#[component]
fn EntryRow(entry: PlanEntry, prototype: i64, editing: bool, today: String, actions: Actions) -> impl IntoView {
    let site = entry.site.clone();
    let name = if site.retired { format!("{} (retired)", site.name) } else { site.name.clone() };
    let (status, since, live_on, note) =
        (entry.status, entry.since.clone(), entry.live_on.clone().unwrap_or_default(), entry.note.clone());
    let change = editing.then(|| view! { <td><ChangeForms entry prototype today actions/></td> });
    view! {
        <tr id=format!("site-{}", site.id)>
            <th scope="row">{name}</th>
            <td>{site.kind}</td>
            <td>{site.area}</td>
            <td><StatusText status/></td>
            <td>{since}</td>
            <td>{live_on}</td>
            <td class="rollout-note">{note}</td>
            {change}
        </tr>
    }
    .into_any()
}

#[component]
fn ChangeForms(entry: PlanEntry, prototype: i64, today: String, actions: Actions) -> impl IntoView {
    let site_id = entry.site.id;
    let id_text = site_id.to_string();
    let status_error = action_error(actions.status);
    let remove_error = action_error(actions.remove);
    // This row's refusal, if the last change refused was this site's.
    let mine = {
        let id_text = id_text.clone();
        Signal::derive(move || {
            status_error
                .get()
                .or_else(|| remove_error.get())
                .filter(|e| e.kept("site").as_deref() == Some(id_text.as_str()))
        })
    };
    let refused = mine.get_untracked();
    let kept = |field: &str| refused.as_ref().and_then(|e| e.kept(field));
    let chosen = kept("status");
    let date = kept("date").unwrap_or(today);
    let note = kept("note").unwrap_or_default();
    let ctl = move |field: &str| format!("rs-{site_id}-{field}");
    let message = move |field: &'static str| move || mine.get().and_then(|e| e.for_field(field));
    let error_p = move |field: &'static str| {
        let id = format!("{}-error", ctl(field));
        let msg = message(field);
        move || msg().map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
    };
    let described = move |field: &'static str, hint: bool| {
        let msg = message(field);
        move || {
            let mut ids = Vec::new();
            if hint {
                ids.push(format!("{}-hint", ctl(field)));
            }
            if msg().is_some() {
                ids.push(format!("{}-error", ctl(field)));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move |field: &'static str| {
        let msg = message(field);
        move || msg().is_some().then_some("true")
    };
    let from = Some(entry.status);
    let site_name = entry.site.name.clone();
    let for_site = format!(" for {site_name}");
    let submit = format!("Change “{site_name}”");
    let remove_label = format!("Take “{site_name}” off the plan");
    let remove_id = id_text.clone();
    view! {
        <ActionForm action=actions.status attr:class="form rollout-change">
            <input type="hidden" name="prototype" value=prototype.to_string()/>
            <input type="hidden" name="site" value=id_text.clone()/>
            <div class="field">
                <label for=ctl("status")>"New status"<span class="visually-hidden">{for_site.clone()}</span></label>
                {error_p("status")}
                <select id=ctl("status") name="status" aria-invalid=invalid("status") aria-describedby=described("status", false)>
                    {entry.next.iter().map(|&to| {
                        let selected = chosen.as_deref() == Some(to.as_str());
                        view! { <option value=to.as_str() selected=selected>{choice_label(from, to)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=ctl("date")>"From"<span class="visually-hidden">{for_site.clone()}</span></label>
                <p class="hint" id=format!("{}-hint", ctl("date"))>"The day it happened."</p>
                {error_p("date")}
                <input id=ctl("date") type="date" name="date" value=date
                    aria-invalid=invalid("date") aria-describedby=described("date", true)/>
            </div>
            <div class="field">
                <label for=ctl("note")>"Note (optional)"<span class="visually-hidden">{for_site}</span></label>
                <p class="hint" id=format!("{}-hint", ctl("note"))>{format!("Shown on the timeline. Up to {NOTE_MAX} characters.")}</p>
                {error_p("note")}
                <input id=ctl("note") type="text" name="note" value=note maxlength=NOTE_MAX.to_string()
                    aria-invalid=invalid("note") aria-describedby=described("note", true)/>
            </div>
            <button type="submit" class="button small">{submit}</button>
        </ActionForm>
        {(entry.status == RolloutStatus::Planned).then(|| view! {
            <ActionForm action=actions.remove attr:class="inline-form">
                <input type="hidden" name="prototype" value=prototype.to_string()/>
                <input type="hidden" name="site" value=remove_id/>
                <button type="submit" class="button small secondary">{remove_label}</button>
            </ActionForm>
        })}
    }
    .into_any()
}

/// Sites in use not yet in the plan, grouped by area, as checkboxes.
#[component]
fn AddSites(
    prototype: i64,
    available: Vec<Site>,
    more: i64,
    today: String,
    action: ServerAction<PlanSites>,
) -> impl IntoView {
    let error = action_error(action);
    let ticked: Vec<i64> = error
        .get_untracked()
        .and_then(|e| e.kept("site_ids"))
        .map(|s| s.split(',').filter_map(|v| v.parse().ok()).collect())
        .unwrap_or_default();
    let sites_error = move || error.get().and_then(|e| e.for_field("site_ids"));
    let described = move || {
        if sites_error().is_some() {
            "f-site_ids-hint f-site_ids-error"
        } else {
            "f-site_ids-hint"
        }
    };
    // Already sorted by area, then name: group the runs.
    let mut groups: Vec<(String, Vec<Site>)> = Vec::new();
    for site in available {
        let same_area = groups.last().is_some_and(|(area, _)| area.eq_ignore_ascii_case(&site.area));
        if !same_area {
            groups.push((site.area.clone(), Vec::new()));
        }
        if let Some((_, list)) = groups.last_mut() {
            list.push(site);
        }
    }
    let empty = groups.is_empty();
    view! {
        <section aria-labelledby="add-sites-heading">
            <h2 id="add-sites-heading">"Add sites to the plan"</h2>
            {if empty {
                view! { <p>"Every site in use is in the plan already. Facilitators add new sites in the settings."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action attr:class="form rollout-add">
                        <input type="hidden" name="prototype" value=prototype.to_string()/>
                        <fieldset id="f-site_ids" aria-describedby=described>
                            <legend>"Sites where the service is planned"</legend>
                            <p class="hint" id="f-site_ids-hint">"Tick each site where this service will start. Sites are grouped by area. You can mark each one live from the table above once it starts."</p>
                            {move || sites_error().map(|m| view! { <p class="field-error" id="f-site_ids-error">{m}</p> })}
                            {groups.into_iter().map(|(area, sites)| {
                                let legend = if area.is_empty() { "No area given".to_string() } else { area };
                                view! {
                                    <fieldset class="rollout-area">
                                        <legend>{legend}</legend>
                                        {sites.into_iter().map(|s| {
                                            let id = format!("add-site-{}", s.id);
                                            let checked = ticked.contains(&s.id);
                                            let label = format!("{} ({})", s.name, s.kind);
                                            view! {
                                                <div class="check">
                                                    <input type="checkbox" id=id.clone() name="site_ids[]" value=s.id.to_string() checked=checked/>
                                                    <label for=id>{label}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                }
                            }).collect_view()}
                        </fieldset>
                        {(more > 0).then(|| view! {
                            <p class="small">{format!("{more} more sites are not listed here. Add these first; the rest are offered next.")}</p>
                        })}
                        <Field name="date" label="Planned from" kind="date" required=false value=today
                            hint="Leave it as today, or give the day the plan starts." error/>
                        <button type="submit" class="button">"Add the ticked sites"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
