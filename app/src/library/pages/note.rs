//! `/library/{id}`: one learning note with its evidence. Feedback is quoted only as the
//! server allowed (`Evidence`); the design group also gets "Edit" and, for a draft, "Publish".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::ThemeLinks;
use crate::{
    library::{
        api::{library_note, PublishNote},
        Evidence, EvidenceKind, NoteView,
    },
    ui::{action_error, FormError, LoadError},
};

#[component]
pub fn NotePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let publish = ServerAction::<PublishNote>::new();
    let data = Resource::new(
        move || (id(), query.with(|q| q.get("published")), publish.version().get()),
        |(id, ..)| library_note(id),
    );
    let notice = move || {
        query.with(|q| {
            if q.get("published").is_some() {
                Some("The note is published: members of the collaborative can read it now.")
            } else if q.get("saved").is_some() {
                Some("The note is saved.")
            } else {
                None
            }
        })
    };
    view! {
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Learning note"/> <h1>"Learning note"</h1> <LoadError error/> }.into_any(),
                Ok(note) => view! { <Note note publish/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Note(note: NoteView, publish: ServerAction<PublishNote>) -> impl IntoView {
    let error = action_error(publish);
    let id = note.id;
    let evidence = note.evidence.clone();
    view! {
        <Title text=note.title.clone()/>
        <p><a href="/library">"Back to the library"</a></p>
        <article aria-labelledby="note-title">
            <h1 id="note-title">{note.title.clone()}</h1>
            <p class="small">
                <span class="badge">{note.kind.label()}</span>
                {note.draft.then(|| view! { " " <span class="badge">"Draft"</span> })}
                {note.prototype.clone().map(|p| view! { " · from " <a href=format!("/prototypes/{}", p.id)>{p.label}</a> })}
                {format!(" · by {} · {}", note.by, note.when)}
            </p>
            <ThemeLinks themes=note.themes.clone()/>
            <div class="prose" inner_html=note.body_html.clone()></div>
            <section aria-labelledby="evidence-heading">
                <h2 id="evidence-heading">"Evidence"</h2>
                {if evidence.is_empty() {
                    view! { <p>"No evidence is linked to this note."</p> }.into_any()
                } else {
                    view! { <ul class="plain-list evidence">{evidence.into_iter().map(evidence_item).collect_view()}</ul> }.into_any()
                }}
            </section>
        </article>
        {note.can_edit.then(|| view! {
            <section aria-labelledby="manage-heading">
                <h2 id="manage-heading">"Manage this note"</h2>
                <p><a class="button secondary" href=format!("/library/{id}/edit")>"Edit the note"</a></p>
                {match (note.draft, note.shareable) {
                    (false, true) => view! {
                        <p>"Its public page, with every personal detail left out, is at "
                            <a href=format!("/library/{id}/shared")>{format!("/library/{id}/shared")}</a>
                            ". Anyone with the link can read it."</p>
                    }.into_any(),
                    (true, true) => view! { <p>"Once published, it will have a public page anyone with the link can read."</p> }.into_any(),
                    _ => view! { <p>"It is for members only. Tick “Shareable” in the editor to give it a public page."</p> }.into_any(),
                }}
                {note.draft.then(|| view! {
                    <ActionForm action=publish attr:class="form">
                        <FormError error/>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <p>"Publishing lets every member of the collaborative read it."</p>
                        <button type="submit" class="button">"Publish the note"</button>
                    </ActionForm>
                })}
            </section>
        })}
    }
}

fn not_for_quoting(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Answer => "An answer that is not for quoting.",
        _ => "A comment that is not for quoting.",
    }
}

fn evidence_item(e: Evidence) -> AnyView {
    match e {
        Evidence::Link { label, href, .. } => view! { <li><a href=href>{label}</a></li> }.into_any(),
        Evidence::Quote { source, text, by, href, .. } => view! {
            <li>
                <blockquote><p>{text}</p></blockquote>
                <p class="small">{by.map(|b| format!("{b} · "))}<a href=href>{source}</a></p>
            </li>
        }
        .into_any(),
        Evidence::NotForQuoting { kind, source } => view! {
            <li><p>{not_for_quoting(kind)}</p><p class="small">{source}</p></li>
        }
        .into_any(),
        Evidence::Unavailable { .. } => view! { <li><p>"This item is no longer available."</p></li> }.into_any(),
    }
}
