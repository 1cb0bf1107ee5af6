//! The draft editor: `/prototypes/new` and `/prototypes/{id}/edit`. "Save and preview"
//! works without JavaScript (it saves, then shows the rendered draft); with JavaScript the
//! preview also follows typing. A save over a newer revision keeps both texts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    error::AppError,
    feedback::FeedbackItem,
    prototypes::{
        api::{load_draft, CreatePrototype, PublishIteration, SaveDraft},
        DraftForm,
    },
    ui::{action_error, Field, FormError, LoadError, TextArea},
};

#[component]
pub fn NewPrototypePage() -> impl IntoView {
    let form = Resource::new(|| (), |_| load_draft(None, None, None));
    let create = ServerAction::<CreatePrototype>::new();
    let error = action_error(create);
    view! {
        <Title text="New prototype"/>
        <h1>"New prototype"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || form.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(form) => view! {
                    <ActionForm action=create attr:class="form editor">
                        <DraftFields form error/>
                    </ActionForm>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn EditPrototypePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let conflict = move || query.with(|q| q.get("conflict").and_then(|v| v.parse::<i64>().ok()));
    let preview = move || query.with(|q| q.get("preview").is_some());
    let saved = move || query.with(|q| q.get("saved").is_some());
    let save = ServerAction::<SaveDraft>::new();
    // Keyed on the save's version: saving twice redirects to the same URL, and the form must
    // pick up the new revision or the next save would be refused as a conflict.
    let form = Resource::new(
        move || (id(), conflict(), preview(), query.with(|q| q.get("saved")), save.version().get()),
        |(id, c, p, ..)| load_draft(Some(id), c, Some(p)),
    );
    let error = action_error(save);
    // Made here, once: inside the form's Suspense it would be made (and read) again each
    // time the form renders.
    let open = Resource::new(id, crate::feedback::api::open_feedback);
    view! {
        <Title text="Edit draft"/>
        <h1>"Edit draft"</h1>
        {move || saved().then(|| view! { <p class="notice" role="status">"Draft saved."</p> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || form.get().map(|r| match r {
                Err(error) => view! { <LoadError error/> }.into_any(),
                Ok(form) => {
                    let id = form.id.unwrap_or_default();
                    let count = form.iteration_count;
                    view! {
                        <p><a href=format!("/prototypes/{id}")>"Back to the prototype"</a></p>
                        <ActionForm action=save attr:class="form editor">
                            <DraftFields form error/>
                        </ActionForm>
                        <PublishForm id count open/>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The fields shared by the new and edit forms.
#[component]
fn DraftFields(form: DraftForm, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    // After a refused save, the editor holds the person's own text; the newer saved text is shown below.
    let (title, summary, body) = match &form.conflict {
        Some(c) => (c.title.clone(), c.summary.clone(), c.body.clone()),
        None => (form.title.clone(), form.summary.clone(), form.body.clone()),
    };
    let server_preview = form.preview_html.clone();
    let suggestions = form.theme_suggestions.join(", ");
    let themes_hint: &'static str = "Separate themes with commas, for example: Living Well Hub, out of hours.";
    view! {
        <FormError error/>
        {form.conflict.as_ref().map(|_| view! {
            <div class="error-summary" role="alert">
                <p>"Someone else saved this draft while you were editing, so your version was not saved over theirs. Nothing is lost."</p>
                <p>"The editor below holds your text. Their saved text is shown under the editor: combine the two, then save."</p>
            </div>
        })}
        {form.id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
        {form.id.map(|_| view! { <input type="hidden" name="revision" value=form.revision.to_string()/> })}
        <Field name="title" label="Title" value=title error/>
        <Field name="summary" label="One-line summary" required=false value=summary error/>
        <TextArea name="body" label="The prototype (Markdown)" rows=18 value=body
            hint="Use ## for section headings, - for lists, **bold** and [links](https://example.org)." error/>
        <Field name="themes" label="Themes" required=false value=form.themes.clone() hint=themes_hint error/>
        {(!suggestions.is_empty()).then(|| view! { <p class="small">"Themes already in use: " {suggestions}</p> })}
        <fieldset>
            <legend>"Co-authors (design group)"</legend>
            {move || error.get().and_then(|e| e.for_field("authors")).map(|m| view! { <p class="field-error">{m}</p> })}
            {form.designers.iter().map(|p| {
                let id = format!("author-{}", p.id);
                view! {
                    <div class="check">
                        <input type="checkbox" id=id.clone() name="authors[]" value=p.id.to_string() checked=form.author_ids.contains(&p.id)/>
                        <label for=id>{p.name.clone()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <fieldset>
            <legend>"Experience statements it addresses"</legend>
            {form.statements.iter().map(|s| {
                let id = format!("statement-{}", s.id);
                view! {
                    <div class="check">
                        <input type="checkbox" id=id.clone() name="statements[]" value=s.id.to_string() checked=form.statement_ids.contains(&s.id)/>
                        <label for=id>{s.text.clone()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <fieldset>
            <legend>"Values it serves"</legend>
            {if form.values.is_empty() { view! { <p class="small">"The collaborative has not written its values yet (a facilitator adds them on the vision page)."</p> }.into_any() } else { view! {
                {form.values.iter().map(|v| {
                    let id = format!("value-{}", v.id);
                    view! {
                        <div class="check">
                            <input type="checkbox" id=id.clone() name="values[]" value=v.id.to_string() checked=form.value_ids.contains(&v.id)/>
                            <label for=id>{v.name.clone()}</label>
                        </div>
                    }
                }).collect_view()}
            }.into_any() }}
        </fieldset>
        <div class="button-row">
            <button type="submit" name="intent" value="save" class="button">{if form.id.is_some() { "Save draft" } else { "Create prototype" }}</button>
            <button type="submit" name="intent" value="preview" class="button secondary">"Save and preview"</button>
        </div>
        <section id="preview" class="preview" aria-labelledby="preview-heading" aria-live="polite">
            <h2 id="preview-heading">"Preview"</h2>
            <LivePreview source="f-body".to_string() server_preview/>
        </section>
        {form.conflict.as_ref().map(|_| view! {
            <section aria-labelledby="theirs-heading">
                <h2 id="theirs-heading">"The text saved by someone else"</h2>
                <p><strong>"Title: "</strong>{form.title.clone()}</p>
                <pre class="their-text">{form.body.clone()}</pre>
            </section>
        })}
    }
}

/// The preview that follows typing: the one part of the editor that runs in the browser
/// (an island). It listens for `input` events from the body text box, which the server
/// renders (so the form works without JavaScript), and renders the text through the same
/// Markdown pipeline as published iterations, 400 ms after typing stops.
#[island]
fn LivePreview(source: String, server_preview: Option<String>) -> impl IntoView {
    let live = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let pending = StoredValue::new(None::<TimeoutHandle>);
        let typed = window_event_listener(leptos::ev::input, move |ev| {
            let from_body = ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
                .is_some_and(|e| e.id() == source);
            if !from_body {
                return;
            }
            let text = event_target_value(&ev);
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            let handle = set_timeout_with_handle(
                move || {
                    leptos::task::spawn_local(async move {
                        if let Ok(html) = crate::prototypes::api::preview(text).await {
                            live.set(Some(html));
                        }
                    })
                },
                std::time::Duration::from_millis(400),
            )
            .ok();
            pending.set_value(handle);
        });
        // Leaving the page right after typing must cancel a pending preview.
        on_cleanup(move || {
            typed.remove();
            pending.try_update_value(|h| {
                if let Some(h) = h.take() {
                    h.clear();
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = source;
    view! {
        {move || match live.get().or_else(|| server_preview.clone()) {
            Some(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
            None => view! { <p class="small">"Press “Save and preview” to see how the draft will look. With JavaScript on, the preview follows your typing."</p> }.into_any(),
        }}
    }
}

#[component]
fn PublishForm(id: i64, count: i64, open: Resource<Result<Vec<FeedbackItem>, AppError>>) -> impl IntoView {
    let publish = ServerAction::<PublishIteration>::new();
    let error = action_error(publish);
    view! {
        <section aria-labelledby="publish-heading" class="publish">
            <h2 id="publish-heading">{format!("Publish iteration {}", count + 1)}</h2>
            <p>"Publishing freezes the saved draft as a new iteration that everyone with an account can read. Save your changes first."</p>
            <ActionForm action=publish attr:class="form">
                <FormError error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <TextArea name="change_note" label="What changed and why" rows=3
                    hint="For example: “Added an evening phone line, because people told us nobody answers after 5pm.”" error/>
                <Suspense fallback=|| ()>
                    {move || open.get().and_then(Result::ok).filter(|f| !f.is_empty()).map(|items| view! {
                        <fieldset class="field">
                            <legend>"Which feedback does this iteration act on? (You said, we did)"</legend>
                            <p class="hint">"The people who gave it will see that this iteration answered them."</p>
                            {items.into_iter().map(|f| {
                                let value = format!("{}:{}", f.kind.as_str(), f.id);
                                let cid = format!("acted-{}-{}", f.kind.as_str(), f.id);
                                view! {
                                    <div class="check">
                                        <input type="checkbox" id=cid.clone() name="acted[]" value=value/>
                                        <label for=cid>
                                            {format!("{} · {}: ", f.source, f.who)}
                                            {f.text.unwrap_or_else(|| "(no free text)".into())}
                                        </label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    })}
                </Suspense>
                <button type="submit" class="button">{format!("Publish iteration {}", count + 1)}</button>
            </ActionForm>
        </section>
    }
}
