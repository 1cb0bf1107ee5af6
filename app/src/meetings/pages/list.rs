//! `/meetings`: upcoming and past collaborative meetings; facilitators schedule new ones.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    meetings::{
        api::{list_meetings, ScheduleMeeting},
        MeetingSummary,
    },
    ui::{action_error, Field, FormError, LoadError},
};

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_meetings());
    view! {
        <Title text="Meetings"/>
        <h1>"Collaborative meetings"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(list) => view! {
                    <section aria-labelledby="upcoming-heading">
                        <h2 id="upcoming-heading">"Upcoming"</h2>
                        <Meetings list=list.upcoming empty="No meetings are scheduled."/>
                    </section>
                    <section aria-labelledby="past-heading">
                        <h2 id="past-heading">"Past"</h2>
                        <Meetings list=list.past empty="No past meetings yet."/>
                    </section>
                    {list.can_schedule.then(|| view! { <Schedule/> })}
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Meetings(list: Vec<MeetingSummary>, empty: &'static str) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="cards">
            {list.into_iter().map(|m| view! {
                <li class="card">
                    <h3 class="card-title"><a href=format!("/meetings/{}", m.id)>{m.title.clone()}</a></h3>
                    <p>{m.when.clone()}{(!m.place.is_empty()).then(|| format!(" · {}", m.place))}{(!m.online_link.is_empty()).then_some(" · online")}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Schedule() -> impl IntoView {
    let action = ServerAction::<ScheduleMeeting>::new();
    let error = action_error(action);
    view! {
        <section aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">"Schedule a meeting"</h2>
            <ActionForm action attr:class="form narrow">
                <FormError error/>
                <Field name="title" label="Title" hint="For example “March collaborative meeting”." error/>
                <Field name="starts" kind="datetime-local" label="Starts (UK time)" error/>
                <Field name="place" label="Place" required=false hint="Where people meet in person (or leave empty for online only)." error/>
                <Field name="online_link" label="Online link" kind="url" required=false error/>
                <button type="submit" class="button">"Schedule"</button>
            </ActionForm>
        </section>
    }
}
