//! One iteration (`/prototypes/{id}/iterations/{n}`) and a comparison of two
//! (`/prototypes/{id}/diff?from=N&to=M`). Changes are marked with <ins>/<del> and a text
//! label for each changed line, never by colour alone.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    consultations::pages::OutcomeText,
    feedback::{
        api::{iteration_feedback, prototype_comments},
        pages::{CommentActions, CommentNotices, SectionComments},
        FeedbackItem,
    },
    prototypes::{
        api::{compare, iteration_page},
        diff::{DiffLine, LineKind},
        Section,
    },
    ui::LoadError,
};

fn param(map: &leptos_router::params::ParamsMap, key: &str) -> i64 {
    map.get(key).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)
}

#[component]
pub fn IterationPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| (param(p, "id"), param(p, "n")));
    let data = Resource::new(key, |(id, n)| iteration_page(id, n));
    let query = use_query_map();
    let actions = CommentActions::new();
    let comments = Resource::new(
        move || (key(), query.with(|q| q.to_query_string()), actions.version()),
        |((id, n), ..)| prototype_comments(id, None, Some(n)),
    );
    let answered = Resource::new(key, |(id, n)| iteration_feedback(id, n));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Iteration"/> <LoadError error/> }.into_any(),
                Ok(page) => {
                    let (id, n) = key();
                    let (title, it, numbers) = (page.prototype_title, page.iteration, page.numbers);
                    let published = query.with_untracked(|q| q.get("published").is_some());
                    view! {
                        <Title text=format!("{title}, iteration {n}")/>
                        <p><a href=format!("/prototypes/{id}")>{format!("Back to {title}")}</a></p>
                        <CommentNotices/>
                        {published.then(|| view! {
                            <div class="notice" role="status">
                                <p>{format!("Iteration {n} is published.")}</p>
                                // What an iteration taught is worth keeping from the second one on.
                                {(page.can_note && n > 1).then(|| view! {
                                    <p><a href=crate::library::rules::new_note_href(Some(id), Some(n), &[])>"Add what we learned"</a>
                                    " from this iteration to the learning library."</p>
                                })}
                            </div>
                        })}
                        <h1>{format!("{}: iteration {}", it.title, it.number)}</h1>
                        <p class="small">{format!("Published by {} on {}", it.published_by, it.published_at)}</p>
                        <div class="change-note"><strong>"What changed and why: "</strong>{it.change_note.clone()}</div>
                        {(n > 1).then(|| view! { <p><a href=format!("/prototypes/{id}/diff?from={}&to={n}", n - 1)>{format!("See what changed since iteration {}", n - 1)}</a></p> })}
                        <Suspense fallback=|| ()>
                            {move || answered.get().and_then(Result::ok).filter(|a| !a.is_empty()).map(|items| view! { <YouSaid items n/> })}
                        </Suspense>
                        <p class="small">"Comments on a section appear beside it. To comment on the whole prototype, use its main page."</p>
                        {
                            let sections = page.sections;
                            view! {
                                <Suspense fallback=|| ()>
                                    {move || {
                                        let c = comments.get().and_then(Result::ok);
                                        sections.clone().into_iter().map(|Section { id: sid, title, html: chunk }| {
                                            let aside = match (sid, c.clone()) {
                                                (Some(sid), Some(c)) => Some(view! { <SectionComments pid=id iteration=n section=sid title comments=c.comments key=c.key actions/> }),
                                                _ => None,
                                            };
                                            view! { <div class="section-row"><div class="prose" inner_html=chunk></div>{aside}</div> }
                                        }).collect_view()
                                    }}
                                </Suspense>
                            }
                        }
                        <nav aria-label="Iterations" class="pager">
                            {numbers.iter().filter(|&&m| m != n).map(|m| view! { <a href=format!("/prototypes/{id}/iterations/{m}")>{format!("Iteration {m}")}</a> }).collect_view()}
                        </nav>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key =
        move || (params.with(|p| param(p, "id")), query.with(|q| param(q, "from")), query.with(|q| param(q, "to")));
    let data = Resource::new(key, |(id, from, to)| compare(id, from, to));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(error) => view! { <Title text="Compare iterations"/> <h1>"Compare iterations"</h1> <LoadError error/> }.into_any(),
                Ok(d) => view! {
                    <Title text=format!("{}: iteration {} and {}", d.prototype_title, d.from, d.to)/>
                    <p><a href=format!("/prototypes/{}", d.prototype_id)>{format!("Back to {}", d.prototype_title)}</a></p>
                    <h1>{format!("What changed from iteration {} to {}", d.from, d.to)}</h1>
                    <p class="small">"Added text is underlined and marked “added”; removed text is struck through and marked “removed”."</p>
                    {d.title_change.clone().map(|(old, new)| view! { <p>"Title: " <del>{old}</del> " → " <ins>{new}</ins></p> })}
                    {if d.lines.is_empty() { view! { <p>"The text is the same in both iterations."</p> }.into_any() } else {
                        view! { <div class="diff">{d.lines.into_iter().map(|l| view! { <DiffLineView line=l/> }).collect_view()}</div> }.into_any()
                    }}
                }.into_any(),
            })}
        </Suspense>
    }
}

/// One line of a diff, with words marked as added or removed (also used by the vision's history).
#[component]
pub fn DiffLineView(line: DiffLine) -> impl IntoView {
    let (class, label, mark) = match line.kind {
        LineKind::Same => ("diff-line same", "", " "),
        LineKind::Added => ("diff-line added", "Added: ", "+"),
        LineKind::Removed => ("diff-line removed", "Removed: ", "−"),
        LineKind::Gap => return view! { <p class="diff-gap">"… unchanged text …"</p> }.into_any(),
    };
    let kind = line.kind;
    view! {
        <p class=class>
            <span class="diff-mark" aria-hidden="true">{mark}</span>
            {(!label.is_empty()).then(|| view! { <span class="visually-hidden">{label}</span> })}
            {line.segments.into_iter().map(|s| match (s.changed, kind) {
                (true, LineKind::Added) => view! { <ins>{s.text}</ins> }.into_any(),
                (true, LineKind::Removed) => view! { <del>{s.text}</del> }.into_any(),
                _ => view! { <span>{s.text}</span> }.into_any(),
            }).collect_view()}
        </p>
    }
    .into_any()
}

/// "You said, we did": the feedback this iteration acted on.
#[component]
fn YouSaid(items: Vec<FeedbackItem>, n: i64) -> impl IntoView {
    view! {
        <section aria-labelledby="you-said-heading" class="you-said">
            <h2 id="you-said-heading">{format!("You said, we did: feedback iteration {n} acted on")}</h2>
            <ul class="plain">
                {items.into_iter().map(|f| view! {
                    <li>
                        <p class="small">{format!("{} · {}", f.source, f.who)}</p>
                        {match f.text {
                            Some(t) => view! { <blockquote>{t}</blockquote> }.into_any(),
                            None => view! { <p>"Shared with the design group only, so not quoted here."</p> }.into_any(),
                        }}
                        <OutcomeText outcome=f.outcome/>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
