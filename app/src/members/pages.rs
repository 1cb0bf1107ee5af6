//! `/members`: who is in the collaborative, their roles and perspectives; invitations;
//! deactivation; whether open registration is on. Facilitators only (checked on the server).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    api::{list_members, InviteMember, SetMemberActive, SetMemberRole, SetOpenRegistration},
    Member,
};
use crate::{
    auth::{
        reset::{MakeResetLink, RESET_MINUTES},
        Role,
    },
    ui::{action_error, Field, FormError},
};

#[component]
pub fn MembersPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0));
    let invited = move || query.with(|q| q.get("invited"));
    let emailed = move || query.with(|q| q.get("emailed").is_some());
    let reset_link = move || query.with(|q| q.get("reset_link"));
    let saved = move || query.with(|q| q.get("saved").is_some());
    let invite = ServerAction::<InviteMember>::new();
    let set_role = ServerAction::<SetMemberRole>::new();
    let set_active = ServerAction::<SetMemberActive>::new();
    let set_open = ServerAction::<SetOpenRegistration>::new();
    let make_reset = ServerAction::<MakeResetLink>::new();
    // Keyed on the actions' versions too: a second change redirects to the same URL.
    let data = Resource::new(
        move || {
            (
                page(),
                query.with(|q| q.get("saved")),
                set_role.version().get(),
                set_active.version().get(),
                set_open.version().get(),
            )
        },
        |(p, ..)| list_members(p),
    );
    let invite_error = action_error(invite);
    let change_error = Signal::derive(move || {
        action_error(set_role)
            .get()
            .or_else(|| action_error(set_active).get())
            .or_else(|| action_error(set_open).get())
            .or_else(|| action_error(make_reset).get())
    });

    view! {
        <Title text="Members"/>
        <h1>"Members"</h1>
        {move || saved().then(|| view! { <p class="notice" role="status">"Saved."</p> })}
        {move || reset_link().map(|token| view! {
            <div class="notice" role="status">
                <p>{format!("Password reset link made. Give it to the person yourself (it is not emailed); it works once, for {RESET_MINUTES} minutes, and is not shown again:")}</p>
                <p><code class="invite-link">{format!("/reset/{token}")}</code></p>
            </div>
        })}
        <FormError error=change_error/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|d| match d {
                Err(e) => view! { <p class="error-summary" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(d) => view! {
                    <section aria-labelledby="join-heading">
                        <h2 id="join-heading">"Who can join"</h2>
                        <p>{if d.open_registration { "Anyone can register as a contributor. Invitation links always work." } else { "Registration is by invitation only." }}</p>
                        <ActionForm action=set_open attr:class="inline-form">
                            <input type="hidden" name="open" value=(!d.open_registration).to_string()/>
                            <button type="submit" class="button secondary">
                                {if d.open_registration { "Switch to invitation only" } else { "Open registration to anyone" }}
                            </button>
                        </ActionForm>
                    </section>
                    <section aria-labelledby="list-heading">
                        <h2 id="list-heading">{format!("Everyone ({})", d.total)}</h2>
                        <div class="table-scroll">
                            <table>
                                <caption class="visually-hidden">"Members, their roles, perspectives and status"</caption>
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Perspectives"</th>
                                    <th scope="col">"Role"</th><th scope="col">"Status"</th><th scope="col">"Password"</th><th scope="col">"Their data"</th>
                                </tr></thead>
                                <tbody>
                                    {d.members.into_iter().map(|m| view! { <MemberRow m set_role set_active make_reset/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <nav aria-label="Pages of members" class="pager">
                            {(d.page > 0).then(|| view! { <a href=format!("/members?page={}", d.page - 1)>"Previous page"</a> })}
                            {d.has_more.then(|| view! { <a href=format!("/members?page={}", d.page + 1)>"Next page"</a> })}
                        </nav>
                    </section>
                }.into_any(),
            })}
        </Suspense>
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite someone"</h2>
            {move || invited().map(|token| view! {
                <div class="notice" role="status">
                    <p>"Invitation created. Send this link to the person; it works once, for 14 days, and is not shown again:"</p>
                    {emailed().then(|| view! { <p>"We have also emailed it to the address you gave."</p> })}
                    <p><code class="invite-link">{format!("/invite/{token}")}</code></p>
                    <p><a href=format!("/invite/{token}")>"Open the invitation link"</a></p>
                </div>
            })}
            <ActionForm action=invite attr:class="form narrow">
                <FormError error=invite_error/>
                <Field name="email" label="Their email address (optional)" kind="email" required=false
                    hint="Fills in the form for them. They can still use another address." error=invite_error/>
                <div class="field">
                    <label for="invite-role">"Role"</label>
                    <select id="invite-role" name="role">
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == Role::Member>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">"Create invitation link"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn MemberRow(
    m: Member,
    set_role: ServerAction<SetMemberRole>,
    set_active: ServerAction<SetMemberActive>,
    make_reset: ServerAction<MakeResetLink>,
) -> impl IntoView {
    let select_id = format!("role-{}", m.id);
    let reset_label = format!("Make a reset link for {}", m.display_name);
    let name = m.display_name.clone();
    let data_link = (format!("/members/{}/data", m.id), format!("Export or delete for {}", m.display_name));
    let perspectives = if m.perspectives.is_empty() {
        "None declared".to_string()
    } else {
        m.perspectives.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ")
    };
    view! {
        <tr>
            <th scope="row">{m.display_name.clone()}</th>
            <td>{m.email.clone()}</td>
            <td>{perspectives}</td>
            <td>
                <ActionForm action=set_role attr:class="inline-form">
                    <input type="hidden" name="user_id" value=m.id.to_string()/>
                    <label for=select_id.clone() class="visually-hidden">{format!("Role for {}", m.display_name)}</label>
                    <select id=select_id name="role">
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == m.role>{r.label()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button small">"Set role"</button>
                </ActionForm>
            </td>
            <td>
                <ActionForm action=set_active attr:class="inline-form">
                    <input type="hidden" name="user_id" value=m.id.to_string()/>
                    <input type="hidden" name="active" value=(!m.active).to_string()/>
                    <span>{if m.active { "Active " } else { "Deactivated " }}</span>
                    <button type="submit" class="button small secondary">
                        {if m.active { format!("Deactivate {name}") } else { format!("Reactivate {name}") }}
                    </button>
                </ActionForm>
            </td>
            <td>
                <ActionForm action=make_reset attr:class="inline-form">
                    <input type="hidden" name="user_id" value=m.id.to_string()/>
                    <button type="submit" class="button small secondary">{reset_label}</button>
                </ActionForm>
            </td>
            <td><a href=data_link.0>{data_link.1}</a></td>
        </tr>
    }
}
