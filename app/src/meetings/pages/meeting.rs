//! `/meetings/{id}`: agenda, attendance, motions and votes, live tallies, minutes.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::motion::{MotionActions, MotionBlock};
use crate::{
    meetings::{
        api::{load_meeting, AddAgendaItem, AddMotion, RecordAttendance, SaveMinutes},
        AgendaItem, Attendance, ItemKind, MeetingPage as Page, Method,
    },
    ui::{action_error, Field, FormError, LoadError, TextArea, TextBox},
    vision::pages::VisionAside,
};

#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let actions = MotionActions::new();
    let (item, motion, attendance, minutes) = (
        ServerAction::<AddAgendaItem>::new(),
        ServerAction::<AddMotion>::new(),
        ServerAction::<RecordAttendance>::new(),
        ServerAction::<SaveMinutes>::new(),
    );
    let data = Resource::new(
        move || {
            (
                id(),
                query.with(|q| q.to_query_string()),
                actions.version(),
                item.version().get(),
                motion.version().get(),
                attendance.version().get(),
                minutes.version().get(),
            )
        },
        |(id, ..)| load_meeting(id),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Meeting"/> <h1>"Meeting"</h1> <LoadError error/> }.into_any(),
                Ok(p) => view! { <Meeting p actions item motion attendance minutes/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Meeting(
    p: Page,
    actions: MotionActions,
    item: ServerAction<AddAgendaItem>,
    motion: ServerAction<AddMotion>,
    attendance: ServerAction<RecordAttendance>,
    minutes: ServerAction<SaveMinutes>,
) -> impl IntoView {
    let m = p.meeting.clone();
    let fac = p.is_facilitator && p.minutes_approved.is_none();
    let items = p.items.clone().into_iter().map(|i| view! { <Item i p=p.clone() actions motion fac/> }).collect_view();
    view! {
        <Title text=m.title.clone()/>
        <div class="no-print">
            <h1>{m.title.clone()}</h1>
            <p>{m.when.clone()}{(!m.place.is_empty()).then(|| format!(" · {}", m.place))}
                {(!m.online_link.is_empty()).then(|| view! { " · " <a href=m.online_link.clone() rel="noopener noreferrer external">"Join online"</a> })}
                " · " <a href=format!("/meetings/{}.ics", m.id) download="meeting.ics">"Add to your calendar"</a></p>
            <FormError error=actions.error()/>
            <VisionAside html=p.vision_html.clone() values=p.values.clone()/>
            <Attendees p=p.clone() action=attendance fac/>
            <section aria-labelledby="agenda-heading" class="agenda">
                <h2 id="agenda-heading">"Agenda"</h2>
                {if p.items.is_empty() { view! { <p>"No items yet."</p> }.into_any() } else { view! { <ol class="plain">{items}</ol> }.into_any() }}
                {fac.then(|| view! { <NewItem p=p.clone() action=item/> })}
            </section>
        </div>
        <Minutes p action=minutes/>
    }
}

#[component]
fn Attendees(p: Page, action: ServerAction<RecordAttendance>, fac: bool) -> impl IntoView {
    let error = action_error(action);
    let meeting = p.meeting.id;
    view! {
        <section aria-labelledby="attendance-heading">
            <h2 id="attendance-heading">"Attendance"</h2>
            {if p.attendance.is_empty() { view! { <p>"No attendance recorded yet."</p> }.into_any() } else { view! {
                <ul class="plain">
                    {p.attendance.iter().map(|(who, a)| view! { <li>{format!("{}: {}", who.name, a.label())}</li> }).collect_view()}
                </ul>
            }.into_any() }}
            {fac.then(|| view! {
                <ActionForm action attr:class="inline-form">
                    <FormError error/>
                    <input type="hidden" name="meeting" value=meeting.to_string()/>
                    <label for="att-user">"Member"</label>
                    <select id="att-user" name="user">
                        {p.members.iter().map(|m| view! { <option value=m.id.to_string()>{m.name.clone()}</option> }).collect_view()}
                    </select>
                    <label for="att-status">"Status"</label>
                    <select id="att-status" name="status">
                        {Attendance::ALL.into_iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button small">"Record"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn Item(i: AgendaItem, p: Page, actions: MotionActions, motion: ServerAction<AddMotion>, fac: bool) -> impl IntoView {
    let heading = format!("item-{}-heading", i.id);
    let labelled = heading.clone();
    let anchor = format!("item-{}", i.id);
    let motions = i
        .motions
        .clone()
        .into_iter()
        .map(|m| view! { <MotionBlock m meeting=p.meeting.id actions my_attendance=p.my_attendance fac=p.is_facilitator prototype=i.prototype.as_ref().map(|(id, _)| *id)/> })
        .collect_view();
    view! {
        <li class="card agenda-item" id=anchor aria-labelledby=labelled>
            <h3 id=heading class="card-title">{i.title.clone()}</h3>
            {i.prototype.clone().map(|(id, t)| view! { <p>"Prototype: "<a href=format!("/prototypes/{id}")>{t}</a></p> })}
            {i.round.clone().map(|(id, t)| view! { <p>"Consultation: "<a href=format!("/consultations/{id}/results")>{format!("results of {t}")}</a></p> })}
            {(!i.notes_html.is_empty()).then(|| view! { <div class="prose" inner_html=i.notes_html.clone()></div> })}
            {motions}
            {fac.then(|| view! { <NewMotion i p action=motion/> })}
        </li>
    }
}

#[component]
fn NewItem(p: Page, action: ServerAction<AddAgendaItem>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <details class="add-form">
            <summary>"Add an agenda item"</summary>
            <ActionForm action attr:class="form">
                <FormError error/>
                <input type="hidden" name="meeting" value=p.meeting.id.to_string()/>
                <div class="field">
                    <label for="item-kind">"Kind"</label>
                    <select id="item-kind" name="kind">
                        {ItemKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <Field name="title" label="Item title" error/>
                <OptionalSelect name="prototype" label="Prototype (for a prototype item)" choices=p.prototypes.clone()/>
                <OptionalSelect name="round" label="Consultation round (for a results item)" choices=p.rounds.clone()/>
                <TextArea name="notes" label="Notes (Markdown)" rows=3 error/>
                <button type="submit" class="button">"Add item"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn NewMotion(i: AgendaItem, p: Page, action: ServerAction<AddMotion>) -> impl IntoView {
    let error = action_error(action);
    let n = i.id;
    let id = move |s: &str| format!("m{n}-{s}");
    let message = move |f: &'static str| {
        move || error.get().and_then(|e| e.for_field(f)).map(|m| view! { <p class="field-error">{m}</p> })
    };
    view! {
        <details class="add-form">
            <summary>"Add a motion to this item"</summary>
            <ActionForm action attr:class="form">
                <FormError error/>
                <input type="hidden" name="item" value=n.to_string()/>
                <div class="field"><label for=id("question")>"The question put to the vote"</label>{message("question")}<input id=id("question") name="question" type="text"/></div>
                <div class="field"><label for=id("background")>"Background (Markdown, optional)"</label><TextBox attr:id=id("background") attr:name="background" attr:rows="3"/></div>
                <div class="field">
                    <label for=id("method")>"Voting method"</label>
                    <select id=id("method") name="method">
                        {Method::ALL.into_iter().map(|m| view! { <option value=m.as_str()>{m.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field"><label for=id("options")>"Options, one per line (approval votes only)"</label>{message("options")}<TextBox attr:id=id("options") attr:name="options" attr:rows="3"/></div>
                <div class="two-up">
                    <div class="field"><label for=id("qv")>"Quorum: at least this many votes"</label>{message("quorum_votes")}<input id=id("qv") name="quorum_votes" type="number" min="0" value="0"/></div>
                    <div class="field"><label for=id("ql")>"of which from service users or carers"</label>{message("quorum_lived")}<input id=id("ql") name="quorum_lived" type="number" min="0" value="0"/></div>
                </div>
                <div class="check"><input type="checkbox" id=id("secret") name="secret" value="on"/><label for=id("secret")>"Secret ballot (who voted is recorded, not what they chose)"</label></div>
                <div class="check"><input type="checkbox" id=id("hide") name="hide_results" value="on"/><label for=id("hide")>"Hide the results until voting closes"</label></div>
                <div class="check"><input type="checkbox" id=id("present") name="present_only" value="on"/><label for=id("present")>"Only people marked present may vote"</label></div>
                {i.prototype.clone().map(|(_, title)| view! {
                    <fieldset class="field">
                        <legend>{format!("If it passes ({title})")}</legend>
                        {message("action")}{message("stage")}{message("iteration")}
                        <div class="check"><input type="radio" id=id("none") name="action" value="none" checked=true/><label for=id("none")>"Nothing happens automatically"</label></div>
                        <div class="check"><input type="radio" id=id("move") name="action" value="move_stage"/><label for=id("move")>"Move it to this stage:"</label></div>
                        <label for=id("stage")>"Stage"</label>
                        <select id=id("stage") name="stage">
                            {p.stages.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                        </select>
                        <div class="check"><input type="radio" id=id("adopt") name="action" value="adopt_iteration"/><label for=id("adopt")>"Adopt this iteration:"</label></div>
                        <label for=id("iteration")>"Iteration number"</label>
                        <input id=id("iteration") name="iteration" type="number" min="1"/>
                    </fieldset>
                })}
                {i.prototype.is_none().then(|| view! { <input type="hidden" name="action" value="none"/> })}
                <button type="submit" class="button">"Add motion"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn Minutes(p: Page, action: ServerAction<SaveMinutes>) -> impl IntoView {
    let error = action_error(action);
    let id = p.meeting.id;
    view! {
        <section aria-labelledby="minutes-heading" class="minutes">
            <h2 id="minutes-heading">"Minutes"</h2>
            {match (p.minutes_html.clone(), p.is_facilitator) {
                (Some(html), _) => view! {
                    <p class="small no-print">{p.minutes_approved_note.clone().unwrap_or_default()}" · "
                        <a href=format!("/meetings/{id}/minutes.md") download="">"Download as Markdown"</a>
                        " · Use your browser's Print to print them."</p>
                    <div class="prose minutes-text" inner_html=html></div>
                }.into_any(),
                (None, true) => view! {
                    <ActionForm action attr:class="form no-print">
                        <FormError error/>
                        <input type="hidden" name="meeting" value=id.to_string()/>
                        <TextArea name="text" label="Draft minutes (Markdown)" rows=16 value=p.minutes_draft.clone()
                            hint="Built from the attendance, the agenda and each motion's outcome. Edit freely, save, and approve when agreed: approved minutes cannot change." error/>
                        <div class="actions">
                            <button type="submit" name="intent" value="save" class="button secondary">"Save draft"</button>
                            <button type="submit" name="intent" value="approve" class="button">"Approve the minutes"</button>
                        </div>
                    </ActionForm>
                }.into_any(),
                (None, false) => view! { <p>"The minutes will appear here once the facilitator approves them."</p> }.into_any(),
            }}
        </section>
    }
}

/// A labelled select whose first choice, "None", sends an empty value.
#[component]
fn OptionalSelect(name: &'static str, label: &'static str, choices: Vec<(i64, String)>) -> impl IntoView {
    let id = format!("item-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">"None"</option>
                {choices.into_iter().map(|(id, t)| view! { <option value=id.to_string()>{t}</option> }).collect_view()}
            </select>
        </div>
    }
}
