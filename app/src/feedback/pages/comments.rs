//! The comment thread on a prototype, and comments beside a section of an iteration.
//! Reply, edit, report and "you said, we did" live in <details>, so all of it works
//! without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    consultations::{pages::OutcomeText, Consent},
    error::AppError,
    feedback::{
        api::{AddComment, CodeThemes, DeleteComment, EditComment, ReportComment, SetOutcome},
        rules::ReportReason,
        CommentState, CommentView, Comments, ItemKind,
    },
    safeguarding::{HeldMessage, Signposting},
    ui::{action_error, FormError, TextBox},
};

/// The actions every comment on a page shares.
#[derive(Clone, Copy)]
pub struct CommentActions {
    pub add: ServerAction<AddComment>,
    pub edit: ServerAction<EditComment>,
    pub delete: ServerAction<DeleteComment>,
    pub report: ServerAction<ReportComment>,
    pub outcome: ServerAction<SetOutcome>,
    pub code: ServerAction<CodeThemes>,
}

impl CommentActions {
    pub fn new() -> Self {
        CommentActions {
            add: ServerAction::new(),
            edit: ServerAction::new(),
            delete: ServerAction::new(),
            report: ServerAction::new(),
            outcome: ServerAction::new(),
            code: ServerAction::new(),
        }
    }
    /// Changes whenever any of them completes (resources key on it to refetch).
    pub fn version(&self) -> (usize, usize, usize, usize, usize, usize) {
        (
            self.add.version().get(),
            self.edit.version().get(),
            self.delete.version().get(),
            self.report.version().get(),
            self.outcome.version().get(),
            self.code.version().get(),
        )
    }
    pub fn error(&self) -> Signal<Option<AppError>> {
        let (a, e, d, r, o, c) = (
            action_error(self.add),
            action_error(self.edit),
            action_error(self.delete),
            action_error(self.report),
            action_error(self.outcome),
            action_error(self.code),
        );
        Signal::derive(move || {
            a.get().or_else(|| e.get()).or_else(|| d.get()).or_else(|| r.get()).or_else(|| o.get()).or_else(|| c.get())
        })
    }
}

impl Default for CommentActions {
    fn default() -> Self {
        Self::new()
    }
}

/// Notices after a post: held (with the signposting first), posted, removed, reported.
#[component]
pub fn Notices() -> impl IntoView {
    let q = use_query_map();
    let (held, commented, removed, reported) = q.with_untracked(|q| {
        (q.get("held").is_some(), q.get("commented").is_some(), q.get("removed").is_some(), q.get("reported").is_some())
    });
    view! {
        {held.then(|| view! { <div id="held" tabindex="-1"><HeldMessage/></div> })}
        {commented.then(|| view! { <p class="notice" role="status">"Your comment is posted."</p> })}
        {removed.then(|| view! { <p class="notice" role="status">"Your comment is removed."</p> })}
        {reported.then(|| view! { <p class="notice" role="status">"Thank you. A facilitator will look at it."</p> })}
    }
}

/// The fields every comment form shares: the words, consent and anonymity.
#[component]
fn CommentFields(id: String, label: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    let body_id = format!("{id}-body");
    view! {
        <div class="field">
            <label for=body_id.clone()>{label}</label>
            {move || error.get().and_then(|e| e.for_field("body")).map(|m| view! { <p class="field-error">{m}</p> })}
            <TextBox attr:id=body_id attr:name="body" attr:rows="4"/>
        </div>
        <fieldset class="field compact">
            <legend>"May it be quoted outside this site?"</legend>
            {Consent::ALL.into_iter().map(|c| {
                let cid = format!("{id}-consent-{}", c.as_str());
                view! {
                    <div class="check">
                        <input type="radio" id=cid.clone() name="consent" value=c.as_str() checked=c == Consent::DesignGroupOnly/>
                        <label for=cid>{c.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <div class="check">
            <input type="checkbox" id=format!("{id}-anonymous") name="anonymous" value="on"/>
            <label for=format!("{id}-anonymous")>"Post anonymously: hide my name from everyone except the facilitators"</label>
        </div>
    }
}

/// Comments on the whole prototype, threaded, with the form for a new one.
#[component]
pub fn CommentThread(c: Comments, actions: CommentActions, iterations: Vec<i64>) -> impl IntoView {
    let error = actions.error();
    let pid = c.prototype_id;
    let key = c.key.clone();
    let count = c.total;
    let items = c.comments.clone().into_iter().map(|x| view! { <CommentItem x key=key.clone() pid actions can_code=c.can_code iterations=iterations.clone()/> }).collect_view();
    view! {
        <section aria-labelledby="comments-heading" class="comments">
            <h2 id="comments-heading">{format!("Comments ({count})")}</h2>
            <Notices/>
            <Signposting heading="If you need help now" id="comment-help"/>
            <FormError error/>
            {(c.page > 0).then(|| view! { <p class="small">{format!("Page {} of the comments.", c.page + 1)}</p> })}
            <ol class="thread">{items}</ol>
            <Pages pid page=c.page more=c.more/>
            <h3 id="new-comment-heading">"Add a comment"</h3>
            <ActionForm action=actions.add attr:class="form" attr:aria-labelledby="new-comment-heading">
                <input type="hidden" name="prototype" value=pid.to_string()/>
                <input type="hidden" name="key" value=c.key.clone()/>
                <CommentFields id="new".into() label="Your comment" error/>
                <button type="submit" class="button">"Post comment"</button>
            </ActionForm>
        </section>
    }
}

/// Plain links between pages of a long thread (they work without JavaScript).
#[component]
fn Pages(pid: i64, page: i64, more: bool) -> impl IntoView {
    let link = move |n: i64| format!("/prototypes/{pid}?comments={n}#comments-heading");
    (page > 0 || more).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of comments">
                {(page > 0).then(|| view! { <a href=link(page - 1)>"Earlier comments"</a> })}
                {more.then(|| view! { <a href=link(page + 1)>"More comments"</a> })}
            </nav>
        }
    })
}

#[component]
fn CommentItem(
    x: CommentView,
    key: String,
    pid: i64,
    actions: CommentActions,
    can_code: bool,
    iterations: Vec<i64>,
) -> impl IntoView {
    let id = x.id;
    let depth = x.depth.min(crate::feedback::rules::MAX_DEPTH);
    let error = actions.error();
    let where_ = match (&x.iteration, &x.section) {
        (Some(n), Some(s)) => Some((
            format!("On iteration {n}, section “{}”", s.trim_start_matches("section-").replace('-', " ")),
            format!("/prototypes/{pid}/iterations/{n}#{s}"),
        )),
        (Some(n), None) => Some((format!("On iteration {n}"), format!("/prototypes/{pid}/iterations/{n}"))),
        _ => None,
    };
    let words = match (x.state, x.body.clone()) {
        (CommentState::Removed, _) => {
            view! { <p class="removed">"This comment was removed by its author."</p> }.into_any()
        }
        (CommentState::Hidden, _) => {
            view! { <p class="removed">"This comment was removed by a moderator."</p> }.into_any()
        }
        (_, Some(b)) => view! { <p class="comment-body">{b}</p> }.into_any(),
        (_, None) => ().into_any(),
    };
    let live = matches!(x.state, CommentState::Published);
    view! {
        <li class=format!("comment depth-{depth}") id=format!("comment-{id}")>
            <p class="comment-meta"><strong>{x.author.clone()}</strong><span class="small">{format!(" · {}{}", x.at, if x.edited { " · edited" } else { "" })}</span></p>
            {where_.map(|(t, href)| view! { <p class="small"><a href=href>{t}</a></p> })}
            {(x.state == CommentState::Held).then(|| view! { <p class="small held-label">"Waiting for a moderator: only you and the facilitators can see this."</p> })}
            {words}
            {(live && can_code).then(|| view! { <OutcomeText outcome=x.outcome.clone()/> })}
            {(live && can_code && !x.themes.is_empty()).then(|| view! { <crate::prototypes::pages::Themes themes=x.themes.clone()/> })}
            {live.then(|| view! {
                <div class="comment-actions">
                    <details>
                        <summary>"Reply"</summary>
                        <ActionForm action=actions.add attr:class="form">
                            <input type="hidden" name="prototype" value=pid.to_string()/>
                            <input type="hidden" name="key" value=key.clone()/>
                            <input type="hidden" name="parent" value=id.to_string()/>
                            {x.iteration.map(|n| view! { <input type="hidden" name="iteration" value=n.to_string()/> })}
                            {x.section.clone().map(|s| view! { <input type="hidden" name="section" value=s/> })}
                            <CommentFields id=format!("reply-{id}") label="Your reply" error/>
                            <button type="submit" class="button small">"Post reply"</button>
                        </ActionForm>
                    </details>
                    {x.can_edit.then(|| view! {
                        <details>
                            <summary>"Edit"</summary>
                            <ActionForm action=actions.edit attr:class="form">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <label for=format!("edit-{id}")>"Your comment"</label>
                                <TextBox text=x.body.clone().unwrap_or_default() attr:id=format!("edit-{id}") attr:name="body" attr:rows="4"/>
                                <button type="submit" class="button small">"Save"</button>
                            </ActionForm>
                        </details>
                    })}
                    {x.mine.then(|| view! {
                        <ActionForm action=actions.delete attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <button type="submit" class="link-button">"Remove my comment"</button>
                        </ActionForm>
                    })}
                    {(!x.mine).then(|| view! {
                        <details>
                            <summary>"Report"</summary>
                            <ActionForm action=actions.report attr:class="form">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <fieldset class="compact">
                                    <legend>"What is wrong with it?"</legend>
                                    {ReportReason::ALL.into_iter().map(|r| {
                                        let rid = format!("report-{id}-{}", r.as_str());
                                        view! { <div class="check"><input type="radio" id=rid.clone() name="reason" value=r.as_str()/><label for=rid>{r.label()}</label></div> }
                                    }).collect_view()}
                                </fieldset>
                                <button type="submit" class="button small">"Report it"</button>
                            </ActionForm>
                        </details>
                    })}
                    {can_code.then(|| view! {
                        <details>
                            <summary>"You said, we did"</summary>
                            <super::OutcomeForm action=actions.outcome kind=ItemKind::Comment id back=format!("/prototypes/{pid}#comment-{id}") iterations=iterations.clone() dom_key=format!("c{id}")/>
                            <ActionForm action=actions.code attr:class="form">
                                <input type="hidden" name="kind" value="comment"/>
                                <input type="hidden" name="id" value=id.to_string()/>
                                <input type="hidden" name="back" value=format!("/prototypes/{pid}#comment-{id}")/>
                                <label for=format!("themes-c{id}")>"Themes"</label>
                                <input id=format!("themes-c{id}") name="themes" type="text" value=x.themes.join(", ")/>
                                <button type="submit" class="button small">"Save themes"</button>
                            </ActionForm>
                        </details>
                    })}
                </div>
            })}
        </li>
    }
}

/// Comments anchored to one section of an iteration, shown beside it, with a form to add one.
#[component]
pub fn SectionComments(
    pid: i64,
    iteration: i64,
    section: String,
    title: String,
    comments: Vec<CommentView>,
    key: String,
    actions: CommentActions,
) -> impl IntoView {
    let error = actions.error();
    let mine: Vec<CommentView> = comments
        .into_iter()
        .filter(|c| {
            c.iteration == Some(iteration) && c.section.as_deref() == Some(section.as_str()) && c.parent_id.is_none()
        })
        .collect();
    let form_id = format!("on-{section}");
    view! {
        <aside class="section-comments" aria-label=format!("Comments on “{title}”")>
            <ul class="plain">
                {mine.into_iter().map(|c| view! {
                    <li class="comment" id=format!("comment-{}", c.id)>
                        <p class="comment-meta"><strong>{c.author.clone()}</strong><span class="small">{format!(" · {}", c.at)}</span></p>
                        {match c.state {
                            CommentState::Removed | CommentState::Hidden => view! { <p class="removed">"Removed."</p> }.into_any(),
                            CommentState::Held => view! { <p class="small held-label">"Waiting for a moderator."</p><p>{c.body.clone()}</p> }.into_any(),
                            CommentState::Published => view! { <p>{c.body.clone()}</p> }.into_any(),
                        }}
                    </li>
                }).collect_view()}
            </ul>
            <details>
                <summary>{format!("Comment on “{title}”")}</summary>
                <ActionForm action=actions.add attr:class="form">
                    <input type="hidden" name="prototype" value=pid.to_string()/>
                    <input type="hidden" name="key" value=key/>
                    <input type="hidden" name="iteration" value=iteration.to_string()/>
                    <input type="hidden" name="section" value=section.clone()/>
                    <Signposting heading="If you need help now" id=format!("help-{section}")/>
                    <CommentFields id=form_id label="Your comment on this section" error/>
                    <button type="submit" class="button small">"Post comment"</button>
                </ActionForm>
            </details>
        </aside>
    }
}
