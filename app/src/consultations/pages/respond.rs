//! `/consultations/{id}`: the iteration being consulted on, and the form to answer it.
//! With `?in_person=1` a design-group member types in answers gathered at an event.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::StatusBadge;
use crate::{
    auth::Perspective,
    consultations::{
        api::{load_round, CloseRound, SubmitResponse},
        rules::{field, option_field, rating_field},
        Consent, Question, QuestionKind, RoundPage as Page, RoundStatus,
    },
    error::AppError,
    safeguarding::Signposting,
    ui::{action_error, FormError, LoadError, TextBox},
};

#[component]
pub fn RoundPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let submit = ServerAction::<SubmitResponse>::new();
    let close = ServerAction::<CloseRound>::new();
    let data = Resource::new(
        move || (id(), query.with(|q| (q.get("entered"), q.get("closed"))), close.version().get()),
        |(id, ..)| load_round(id),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Consultation"/> <h1>"Consultation"</h1> <LoadError error/> }.into_any(),
                Ok(p) => view! { <Round p submit close/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Round(p: Page, submit: ServerAction<SubmitResponse>, close: ServerAction<CloseRound>) -> impl IntoView {
    let query = use_query_map();
    let in_person = p.can_enter_for_others && query.with_untracked(|q| q.get("in_person").is_some());
    let (opened, entered, closed) =
        query.with_untracked(|q| (q.get("opened").is_some(), q.get("entered").is_some(), q.get("closed").is_some()));
    let r = p.round.clone();
    let open = r.status == RoundStatus::Open;
    view! {
        <Title text=r.title.clone()/>
        {opened.then(|| view! { <p class="notice" role="status">"The round is set up. Share this page's address with the people you want to hear from."</p> })}
        {entered.then(|| view! { <p class="notice" role="status">"Saved. The form is empty again for the next person's answers."</p> })}
        {closed.then(|| view! {
            <div class="notice" role="status">
                <p>"The round is closed."</p>
                {p.can_close.then(|| view! {
                    <p><a href=crate::library::rules::new_note_href(Some(r.prototype_id), None, &[crate::library::EvidenceRef { kind: crate::library::EvidenceKind::Round, id: r.id }])>"Add what we learned"</a>
                    " from this round to the learning library."</p>
                })}
            </div>
        })}
        <h1>{r.title.clone()}</h1>
        <p><StatusBadge round=r.clone()/>" "{format!("Open {} to {}", r.opens, r.closes)}</p>
        <div class="prose" inner_html=p.purpose_html.clone()></div>
        <p class="actions">
            {p.can_see_results.then(|| view! { <a href=format!("/consultations/{}/results", r.id)>"Results"</a> })}
            {(p.can_enter_for_others && open && !in_person).then(|| view! { <a href=format!("/consultations/{}?in_person=1", r.id)>"Type in answers gathered in person"</a> })}
        </p>
        {(p.can_close && open).then(|| view! {
            <ActionForm action=close attr:class="inline-form">
                <input type="hidden" name="id" value=r.id.to_string()/>
                <button type="submit" class="button secondary">"Close the round now"</button>
            </ActionForm>
        })}
        <details class="consulted" open=true>
            <summary>{format!("What we are asking about: {}, iteration {}", r.prototype_title, r.iteration_number)}</summary>
            <div class="change-note"><strong>"What changed and why: "</strong>{p.change_note.clone()}</div>
            <div class="prose" inner_html=p.iteration_html.clone()></div>
        </details>
        {if open {
            view! { <AnswerForm p submit in_person/> }.into_any()
        } else {
            view! { <p class="notice">{match r.status { RoundStatus::NotYetOpen => "This round is not open yet. Please come back when it opens.", _ => "This round has closed. Thank you to everyone who took part." }}</p> }.into_any()
        }}
    }
}

#[component]
fn AnswerForm(p: Page, submit: ServerAction<SubmitResponse>, in_person: bool) -> impl IntoView {
    let error = action_error(submit);
    let typed = p.typed.clone();
    let value = move |name: &str| typed.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let consent_now = Some(value("consent"))
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| Consent::DesignGroupOnly.as_str().to_string());
    let questions =
        p.questions.iter().map(|q| view! { <QuestionField q=q.clone() typed=p.typed.clone() error/> }).collect_view();
    let signed_in = p.signed_in && !in_person;
    let ask_perspective = !signed_in;
    let typed_p = p.typed.clone();
    view! {
        <section aria-labelledby="answer-heading">
            <h2 id="answer-heading">{if in_person { "Type in answers gathered in person" } else { "Your answers" }}</h2>
            <Signposting heading="If you need help now" id="form-help"/>
            <ActionForm action=submit attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="round" value=p.round.id.to_string()/>
                <input type="hidden" name="key" value=p.key.clone()/>
                {in_person.then(|| view! {
                    <input type="hidden" name="on_behalf" value="on"/>
                    <div class="field">
                        <label for="f-gathered_at">"Where and when were these answers gathered?"</label>
                        <p class="hint" id="f-gathered_at-hint">"For example: “Workshop at the Hub, 3 March”. They will be marked as typed in by you."</p>
                        <input id="f-gathered_at" name="gathered_at" type="text" value=value("gathered_at") aria-describedby="f-gathered_at-hint"/>
                        {move || error.get().and_then(|e| e.for_field("gathered_at")).map(|m| view! { <p class="field-error">{m}</p> })}
                    </div>
                })}
                {move || error.get().and_then(|e| e.for_field("answers")).map(|m| view! { <p class="field-error">{m}</p> })}
                {questions}
                {ask_perspective.then(|| view! {
                    <fieldset class="field">
                        <legend>{if in_person { "They are answering as (optional)" } else { "You are answering as (optional)" }}</legend>
                        {Perspective::ALL.into_iter().map(|x| {
                            let checked = typed_p.iter().any(|(k, _)| *k == format!("perspective.{}", x.as_str()));
                            view! {
                                <div class="check">
                                    <input type="checkbox" id=format!("p-{}", x.as_str()) name="perspectives[]" value=x.as_str() checked=checked/>
                                    <label for=format!("p-{}", x.as_str())>{x.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                <fieldset class="field">
                    <legend>{if in_person { "What did they agree we may do with their words?" } else { "What may we do with what you wrote?" }}</legend>
                    {move || error.get().and_then(|e| e.for_field("consent")).map(|m| view! { <p class="field-error">{m}</p> })}
                    {Consent::ALL.into_iter().filter(|c| signed_in || *c != Consent::QuoteWithName).map(|c| view! {
                        <div class="check">
                            <input type="radio" id=format!("consent-{}", c.as_str()) name="consent" value=c.as_str() checked=consent_now == c.as_str()/>
                            <label for=format!("consent-{}", c.as_str())>{c.label()}</label>
                        </div>
                    }).collect_view()}
                    {(!signed_in && !in_person).then(|| view! { <p class="hint">"To be quoted with your name, sign in first."</p> })}
                </fieldset>
                {signed_in.then(|| view! {
                    <div class="check">
                        <input type="checkbox" id="f-anonymous" name="anonymous" value="on" checked=value("anonymous") == "on"/>
                        <label for="f-anonymous">"Answer anonymously: hide my name from everyone except the facilitators"</label>
                    </div>
                })}
                <div class="field">
                    <label for="f-content_note">"Content note (optional)"</label>
                    <p class="hint" id="f-content_note-hint">"If your answers talk about something that may upset readers, say so in a few words."</p>
                    <input id="f-content_note" name="content_note" type="text" value=value("content_note") aria-describedby="f-content_note-hint"/>
                    {move || error.get().and_then(|e| e.for_field("content_note")).map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <button type="submit" class="button">{if in_person { "Save these answers" } else { "Send my answers" }}</button>
            </ActionForm>
        </section>
    }
}

/// One question's controls, named as `rules::parse_answers` reads them.
#[component]
fn QuestionField(q: Question, typed: Vec<(String, String)>, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = move |name: &str| typed.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let name = field(q.id);
    let err_name = name.clone();
    let message = Signal::derive(move || error.get().and_then(|e| e.for_field(&err_name)));
    let error_id = format!("{name}-error");
    let eid = error_id.clone();
    let error_line = move || message.get().map(|m| view! { <p class="field-error" id=eid.clone()>{m}</p> });
    let required = if q.required { " (needed)" } else { " (optional)" };
    let scale = |radio_name: String, current: String, labelled_by: String| {
        view! {
            <div class="scale" role="radiogroup" aria-labelledby=labelled_by>
                {(1..=5).map(|n| {
                    let id = format!("{radio_name}-{n}");
                    view! {
                        <span class="scale-point">
                            <input type="radio" id=id.clone() name=format!("answers[{radio_name}]") value=n.to_string() checked=current == n.to_string()/>
                            <label for=id>{n.to_string()}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
        }
    };
    let body = match q.kind {
        QuestionKind::Text => view! {
            <div class="field">
                <label for=name.clone()>{q.prompt.clone()}{required}</label>
                {error_line}
                <TextBox text=value(&name) attr:id=name.clone() attr:name=format!("answers[{name}]") attr:rows="5" attr:aria-describedby=move || message.get().map(|_| error_id.clone())/>
            </div>
        }.into_any(),
        QuestionKind::Scale => {
            let legend_id = format!("{name}-legend");
            view! {
                <fieldset class="field">
                    <legend id=legend_id.clone()>{q.prompt.clone()}{required}</legend>
                    <p class="hint">{format!("1 means “{}”, 5 means “{}”.", q.low_label, q.high_label)}</p>
                    {error_line}
                    {scale(name.clone(), value(&name), legend_id)}
                </fieldset>
            }.into_any()
        }
        QuestionKind::Single => view! {
            <fieldset class="field">
                <legend>{q.prompt.clone()}{required}</legend>
                {error_line}
                {q.options.iter().enumerate().map(|(i, o)| {
                    let id = format!("{name}-{i}");
                    view! {
                        <div class="check">
                            <input type="radio" id=id.clone() name=format!("answers[{name}]") value=i.to_string() checked=value(&name) == i.to_string()/>
                            <label for=id>{o.clone()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }.into_any(),
        QuestionKind::Multiple => view! {
            <fieldset class="field">
                <legend>{q.prompt.clone()}{required}" (choose any)"</legend>
                {error_line}
                {q.options.iter().enumerate().map(|(i, o)| {
                    let f = option_field(q.id, i);
                    view! {
                        <div class="check">
                            <input type="checkbox" id=f.clone() name=format!("answers[{f}]") value="on" checked=value(&f) == "on"/>
                            <label for=f.clone()>{o.clone()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }.into_any(),
        QuestionKind::Statements => view! {
            <fieldset class="field">
                <legend>{q.prompt.clone()}{required}</legend>
                <p class="hint">"1 means “not at all”, 5 means “completely”."</p>
                {error_line}
                {q.statements.iter().map(|s| {
                    let f = rating_field(q.id, s.id);
                    let label_id = format!("{f}-label");
                    view! {
                        <div class="rating">
                            <p id=label_id.clone()>{format!("How well would this meet: “{}”?", s.label)}</p>
                            {scale(f.clone(), value(&f), label_id)}
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }.into_any(),
    };
    view! { <div class="question">{body}</div> }
}
