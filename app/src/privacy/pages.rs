//! `/account/data` (a person's own export and deletion), `/members/{id}/data` (a facilitator
//! acting on a request by phone or letter) and `/settings/retention`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    api::{
        load_data_for, load_my_data, load_retention, CancelDeletionFor, DeleteAccountFor, DeleteMyAccount,
        ExportDataFor, ExportMyData, SaveRetention,
    },
    Channel, RequestItem, EXPORT_DAYS, GRACE_DAYS,
};
use crate::{
    error::AppError,
    ui::{action_error, Field, FormError, LoadError},
};

/// A fixed sentence for a fixed query value; anything else in the URL shows nothing.
fn export_notice(value: Option<String>) -> Option<&'static str> {
    match value.as_deref() {
        Some("ready") => Some("Your export is ready. Download it below."),
        Some("queued") => Some("There is a lot to gather, so the export is being prepared in the background. Reload this page in a minute to download it."),
        _ => None,
    }
}

#[component]
fn Requests(items: Vec<RequestItem>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>"No requests yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table>
                <caption class="visually-hidden">"Requests about this data, newest first"</caption>
                <thead><tr>
                    <th scope="col">"What"</th><th scope="col">"Asked by"</th><th scope="col">"When"</th>
                    <th scope="col">"Status"</th><th scope="col">"File"</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|r| {
                        let label = format!("Download the export of {} (ZIP)", r.requested);
                        view! {
                            <tr>
                                <th scope="row">{r.what}</th>
                                <td>{r.how}</td>
                                <td>{r.requested}</td>
                                <td>{r.status}</td>
                                <td>{r.download.map(|href| view! { <a href=href download="">{label}</a> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The choice about quotable words, shown when the person has some.
#[component]
fn QuotesChoice(#[prop(into)] error: Signal<Option<AppError>>, whose: &'static str) -> impl IntoView {
    let kept = move || error.get().and_then(|e| e.kept("quotes"));
    view! {
        <fieldset class="field">
            <legend>{format!("{whose} words that were agreed could be quoted")}</legend>
            <div class="check">
                <input type="radio" id="quotes-keep" name="quotes" value="keep" checked=move || kept().as_deref() != Some("remove")/>
                <label for="quotes-keep">"Keep them, anonymously: they stay with the feedback, with no name and no link to the account"</label>
            </div>
            <div class="check">
                <input type="radio" id="quotes-remove" name="quotes" value="remove" checked=move || kept().as_deref() == Some("remove")/>
                <label for="quotes-remove">"Remove them too"</label>
            </div>
        </fieldset>
    }
}

#[component]
pub fn DataPage() -> impl IntoView {
    let query = use_query_map();
    let export = ServerAction::<ExportMyData>::new();
    let delete = ServerAction::<DeleteMyAccount>::new();
    let data = Resource::new(move || (query.with(|q| q.get("export")), export.version().get()), |_| load_my_data());
    let export_error = action_error(export);
    let delete_error = action_error(delete);
    view! {
        <Title text="Your data"/>
        <h1>"Your data"</h1>
        <p>"You can download a copy of everything this site holds about you, or delete your account. These are your rights under UK data protection law."</p>
        {move || export_notice(query.with(|q| q.get("export"))).map(|m| view! { <p class="notice" role="status">{m}</p> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|d| match d {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => view! {
                    <section aria-labelledby="export-heading">
                        <h2 id="export-heading">"Download your data"</h2>
                        <p>"A ZIP file with a page you can open in any web browser, and the same data as JSON for other programs: your profile, perspectives, prototypes you wrote, your comments and answers (including anonymous ones: only you can download those), your votes in open ballots, meetings you attended and your notifications."</p>
                        <p>"Votes in secret ballots are not included: the site keeps that you voted, never how, so nobody can link a secret vote to you."</p>
                        <p>{format!("The file can be downloaded for {EXPORT_DAYS} days, then it is deleted.")}</p>
                        <ActionForm action=export attr:class="form">
                            <FormError error=export_error/>
                            <button type="submit" class="button">"Prepare my download"</button>
                        </ActionForm>
                        <h3>"Your requests"</h3>
                        <Requests items=d.requests/>
                    </section>
                    <section aria-labelledby="delete-heading">
                        <h2 id="delete-heading">"Delete your account"</h2>
                        {match (d.erasure_due, d.last_facilitator) {
                            (Some(due), _) => view! {
                                <p class="notice" role="status">{format!("Your account will be deleted on {due}. Signing in again before then cancels it.")}</p>
                            }.into_any(),
                            (None, true) => view! {
                                <p>"You are the only facilitator, so your account cannot be deleted yet. Please make someone else a facilitator first."</p>
                            }.into_any(),
                            (None, false) => view! {
                                <p>{format!("Your account is deleted {GRACE_DAYS} days after you ask. You are signed out now; if you change your mind, sign in before then and nothing is deleted.")}</p>
                                <ul>
                                    <li>"Your name, email address, password, perspectives, notifications and settings are deleted."</li>
                                    <li>"Your comments and answers are removed. Where you agreed your words could be quoted, you choose below."</li>
                                    <li>"Decisions, minutes and vote counts stay whole: your name in them becomes “a former member”, and the reasons you gave for votes are removed."</li>
                                    <li>{match d.held_days {
                                        Some(days) => format!("Anything held for a moderator (for example because it mentioned a risk of harm) is kept until a moderator has dealt with it, and if it was not published, for up to {days} days after that, as the collaborative's safeguarding rules say. It is never published after your account is deleted. This is so a concern about someone's safety can still be followed up."),
                                        None => "Anything held for a moderator (for example because it mentioned a risk of harm) is kept as the collaborative's safeguarding rules say, so a concern about someone's safety can still be followed up.".to_string(),
                                    }}</li>
                                </ul>
                                <ActionForm action=delete attr:class="form narrow">
                                    <FormError error=delete_error/>
                                    {d.has_quotable.then(|| view! { <QuotesChoice error=delete_error whose="Your"/> })}
                                    {(!d.has_quotable).then(|| view! { <input type="hidden" name="quotes" value="remove"/> })}
                                    <div class="check">
                                        <input type="checkbox" id="f-understood" name="understood" value="on" required=true
                                            checked=move || delete_error.get().and_then(|e| e.kept("understood")).is_some()
                                            aria-describedby=move || delete_error.get().and_then(|e| e.for_field("understood")).map(|_| "f-understood-error")/>
                                        <label for="f-understood">"I understand my account will be deleted and this cannot be undone after 14 days"</label>
                                    </div>
                                    {move || delete_error.get().and_then(|e| e.for_field("understood")).map(|m| view! { <p class="field-error" id="f-understood-error">{m}</p> })}
                                    <Field name="password" label="Your password" kind="password" autocomplete="current-password" error=delete_error/>
                                    <button type="submit" class="button danger">"Delete my account"</button>
                                </ActionForm>
                            }.into_any(),
                        }}
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn OnBehalfPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let export = ServerAction::<ExportDataFor>::new();
    let delete = ServerAction::<DeleteAccountFor>::new();
    let cancel = ServerAction::<CancelDeletionFor>::new();
    let data = Resource::new(
        move || {
            (id(), query.with(|q| (q.get("export"), q.get("saved"))), cancel.version().get(), delete.version().get())
        },
        |(id, ..)| load_data_for(id),
    );
    let export_error = action_error(export);
    let delete_error = action_error(delete);
    let cancel_error = action_error(cancel);
    let saved = move || {
        match query.with(|q| q.get("saved")).as_deref() {
        Some("deletion") => Some("The deletion is recorded. The person has been signed out; it happens after the grace period unless they sign in or you cancel it."),
        Some("cancelled") => Some("The deletion is cancelled. Nothing was deleted."),
        _ => None,
    }
    };
    view! {
        <Title text="A person's data"/>
        <h1>"A person's data"</h1>
        <p><a href="/members">"Back to members"</a></p>
        {move || saved().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        {move || export_notice(query.with(|q| q.get("export"))).map(|_| view! {
            <p class="notice" role="status">"The export is recorded. Download it below when it is ready, and send it to the person securely."</p>
        })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|d| match d {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => {
                    let uid = d.user_id.to_string();
                    view! {
                        <h2>{d.display_name.clone()}</h2>
                        {(!d.email.is_empty()).then(|| view! { <p>{d.email.clone()}</p> })}
                        {if d.erased {
                            view! { <p>"This account has been deleted."</p> }.into_any()
                        } else if d.is_facilitator {
                            view! { <p>"This is a facilitator. Facilitators download or delete their own data, signed in, at “Your data”."</p> }.into_any()
                        } else {
                            let (uid2, uid3) = (uid.clone(), uid.clone());
                            view! {
                                <p>"Use this when the person asked by phone, letter or in person, and you have checked it is them. Every request is recorded with your name."</p>
                                <section aria-labelledby="export-for-heading">
                                    <h3 id="export-for-heading">"Export their data"</h3>
                                    <p>"Anonymous comments and answers are left out: only the person, signed in, can download those."</p>
                                    <ActionForm action=export attr:class="form narrow">
                                        <FormError error=export_error/>
                                        <input type="hidden" name="user_id" value=uid.clone()/>
                                        <ChannelSelect id="export-channel" error=export_error/>
                                        <button type="submit" class="button">"Prepare an export"</button>
                                    </ActionForm>
                                </section>
                                <section aria-labelledby="delete-for-heading">
                                    <h3 id="delete-for-heading">"Delete their account"</h3>
                                    {match d.erasure_due.clone() {
                                        Some(due) => view! {
                                            <p>{format!("Their account will be deleted on {due}.")}</p>
                                            <ActionForm action=cancel attr:class="form">
                                                <FormError error=cancel_error/>
                                                <input type="hidden" name="user_id" value=uid2/>
                                                <button type="submit" class="button secondary">"Cancel the deletion"</button>
                                            </ActionForm>
                                        }.into_any(),
                                        None => view! {
                                            <p>{format!("The account is deleted {GRACE_DAYS} days from now; the person is signed out, and signing in again cancels it.")}</p>
                                            <ActionForm action=delete attr:class="form narrow">
                                                <FormError error=delete_error/>
                                                <input type="hidden" name="user_id" value=uid3/>
                                                <ChannelSelect id="delete-channel" error=delete_error/>
                                                <QuotesChoice error=delete_error whose="Their"/>
                                                <div class="check">
                                                    <input type="checkbox" id="f-understood" name="understood" value="on" required=true/>
                                                    <label for="f-understood">"The person asked for their account to be deleted"</label>
                                                </div>
                                                {move || delete_error.get().and_then(|e| e.for_field("understood")).map(|m| view! { <p class="field-error">{m}</p> })}
                                                <button type="submit" class="button danger">"Delete their account"</button>
                                            </ActionForm>
                                        }.into_any(),
                                    }}
                                </section>
                            }.into_any()
                        }}
                        <h3>"Requests"</h3>
                        <Requests items=d.requests/>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChannelSelect(id: &'static str, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let kept = move || error.get().and_then(|e| e.kept("channel"));
    view! {
        <div class="field">
            <label for=id>"How did they ask?"</label>
            <select id=id name="channel">
                {Channel::ON_BEHALF.into_iter().map(|c| {
                    let v = c.as_str();
                    view! { <option value=v selected=move || kept().as_deref() == Some(v)>{c.label()}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn RetentionPage() -> impl IntoView {
    let query = use_query_map();
    let save = ServerAction::<SaveRetention>::new();
    let data = Resource::new(move || query.with(|q| q.get("saved")), |_| load_retention());
    let error = action_error(save);
    let saved = move || query.with(|q| q.get("saved").is_some());
    let show = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    view! {
        <Title text="Retention"/>
        <h1>"How long we keep things"</h1>
        <p><a href="/settings">"Back to settings"</a></p>
        <p>"Feedback about mental health is sensitive. Keep it only as long as the collaborative needs it. A job runs once a day and removes whatever is past its time; what it removed is listed below."</p>
        {move || saved().then(|| view! { <p class="notice" role="status">"Saved. The next daily run uses these settings."</p> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|d| match d {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(d) => view! {
                    <ActionForm action=save attr:class="form narrow">
                        <FormError error/>
                        <Field name="held_days" label="Hidden items: days to keep after a moderator hid them" required=false
                            hint="Held items that were not published, and their safeguarding record. Empty keeps them." value=show(d.held_days) error/>
                        <Field name="response_days" label="Consultation responses: days to keep after the round closes" required=false
                            hint="Removes the answers and so changes the round's results. Empty keeps them." value=show(d.response_days) error/>
                        <Field name="throttle_days" label="Sign-in limit records: days" hint="At least 1." value=d.throttle_days.to_string() error/>
                        <Field name="refused_form_hours" label="Forms kept after a refusal: hours" hint="What someone typed into a form that was refused, kept so they can try again. At least 1." value=d.refused_form_hours.to_string() error/>
                        <Field name="audit_days" label="Audit entries: days" required=false
                            hint="Entries about items still held or hidden are kept while the item is. Empty keeps them." value=show(d.audit_days) error/>
                        <Field name="mail_days" label="Sent emails and notifications: days" required=false
                            hint="Empty keeps them." value=show(d.mail_days) error/>
                        <button type="submit" class="button">"Save"</button>
                    </ActionForm>
                    <h2>"Recent runs"</h2>
                    {if d.runs.is_empty() {
                        view! { <p>"The job has not run yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul>{d.runs.into_iter().map(|(at, what)| view! { <li>{format!("{at}: {what}")}</li> }).collect_view()}</ul>
                        }.into_any()
                    }}
                }.into_any(),
            })}
        </Suspense>
    }
}
