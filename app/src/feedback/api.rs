//! Feedback server functions: comments, reports, moderation, coding, "you said, we did".

use leptos::prelude::*;

use super::{Comments, FeedbackItem, ModerationItem, MyContribution};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        rules::{self, ReportReason},
        store::{self, Decision, NewComment},
        CommentState, CommentView, ItemKind,
    },
    crate::{
        auth::{
            api::hash_token,
            policy::{allowed, check, Action},
            session::{self, Viewer},
            Role,
        },
        consultations::{store::outcome, Consent},
        limits,
        prototypes::{fields::Themes, store as prototypes},
        safeguarding,
        state::db,
    },
};

/// Comments, replies and edits one person may post: enough for a lively discussion (two a
/// minute on average), far too few to bury a thread or load the server.
pub const COMMENT_RATE: crate::limits::Rate = crate::limits::Rate { max: 20, window_secs: 10 * 60 };

/// The viewer, who must be signed in and able to read the prototype (drafts need the
/// design group): a draft someone cannot see is "not found", not "forbidden".
#[cfg(feature = "ssr")]
async fn reader_of(prototype: i64) -> Result<Viewer, AppError> {
    let viewer = session::viewer().await?;
    let role = viewer.as_ref().map(|v| v.role);
    check(role, Action::ReadPublished)?;
    prototypes::visible(&db()?.read, prototype, allowed(role, Action::ReadDrafts)).await?.ok_or(AppError::NotFound)?;
    viewer.ok_or(AppError::NotSignedIn)
}

#[cfg(feature = "ssr")]
async fn designer() -> Result<Viewer, AppError> {
    let viewer = session::viewer().await?;
    check(viewer.as_ref().map(|v| v.role), Action::EditPrototypes)?;
    viewer.ok_or(AppError::NotSignedIn)
}

/// One page of a prototype's comment thread (`page`, from 0), or with `iteration` the
/// comments on that iteration's sections. Work per call is one page whatever the thread's
/// length. What is returned is what the viewer may see: held comments only to their author
/// (facilitators read them in /moderation, where reading is audited), theme codes only to
/// the design group and facilitators, an anonymous author's name only to facilitators and
/// the author.
#[server(prefix = "/api", endpoint = "prototype_comments")]
pub async fn prototype_comments(id: i64, page: Option<i64>, iteration: Option<i64>) -> Result<Comments, AppError> {
    let me = reader_of(id).await?;
    let page = page.unwrap_or(0);
    let db = db()?;
    let held = store::HeldOf(me.id);
    let (per_page, rows, total) = match iteration {
        None => {
            let per_page = rules::COMMENTS_PER_PAGE;
            let rows =
                store::thread_page(&db.read, id, held, rules::page_offset(page, per_page)?, per_page + 1).await?;
            (per_page, rows, Some(store::thread_total(&db.read, id, held).await?))
        }
        Some(n) => {
            let per_page = rules::SECTION_COMMENTS_PER_PAGE;
            (
                per_page,
                store::section_page(&db.read, id, n, held, rules::page_offset(page, per_page)?, per_page + 1).await?,
                None,
            )
        }
    };
    let more = rows.len() as i64 > per_page;
    let mut rows = rows;
    rows.truncate(per_page as usize);
    let can_code = allowed(Some(me.role), Action::EditPrototypes);
    let themes = if can_code {
        store::comment_themes(&db.read, &rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?
    } else {
        Vec::new()
    };
    let comments = thread_view(rows, &themes, &me);
    let total = total.unwrap_or(comments.len() as i64);
    Ok(Comments {
        prototype_id: id,
        comments,
        key: uuid::Uuid::new_v4().simple().to_string(),
        can_code,
        page,
        more,
        total,
    })
}

/// Puts a page of rows in thread order and decides, for each, what this viewer sees.
#[cfg(feature = "ssr")]
fn thread_view(rows: Vec<store::CommentRow>, themes: &[(i64, String)], me: &Viewer) -> Vec<CommentView> {
    let facilitator = me.role == Role::Facilitator;
    let order = rules::thread_order(&rows.iter().map(|r| (r.id, r.parent_id)).collect::<Vec<_>>());
    let t = crate::time::now();
    let mut rows: Vec<Option<store::CommentRow>> = rows.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(i, depth)| rows[i].take().map(|r| (r, depth)))
        .map(|(r, depth)| {
            let mine = r.author_id == me.id;
            let state = match r.status.as_str() {
                "held" => CommentState::Held,
                "hidden" => CommentState::Hidden,
                "removed" => CommentState::Removed,
                _ => CommentState::Published,
            };
            let author = match (r.anonymous, facilitator || mine) {
                (false, _) => r.author_name.clone(),
                (true, true) => format!("{} (posted anonymously)", r.author_name),
                (true, false) => "Anonymous".to_string(),
            };
            // A reply to a comment that was held after it was answered does not point at it:
            // its id would tell others that a held comment exists.
            let parent_id =
                r.parent_id.filter(|_| r.parent_status.as_deref() != Some("held") || r.parent_author == Some(me.id));
            CommentView {
                id: r.id,
                parent_id,
                depth,
                author,
                mine,
                body: matches!(state, CommentState::Published | CommentState::Held).then_some(r.body),
                state,
                iteration: r.iteration_number,
                section: r.section,
                at: crate::time::when(r.created_at),
                edited: r.edited_at.is_some(),
                can_edit: rules::may_edit(t, r.created_at, mine) && state == CommentState::Published,
                outcome: outcome(r.prototype_id, r.acted_iteration, r.not_taken_reason),
                themes: themes.iter().filter(|(id, _)| *id == r.id).map(|(_, t)| t.clone()).collect(),
            }
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn back_to(prototype: i64, iteration: Option<i64>) -> String {
    match iteration {
        Some(n) => format!("/prototypes/{prototype}/iterations/{n}"),
        None => format!("/prototypes/{prototype}"),
    }
}

#[server(prefix = "/api", endpoint = "add_comment")]
#[allow(clippy::too_many_arguments)]
pub async fn add_comment(
    prototype: i64,
    key: String,
    body: String,
    parent: Option<i64>,
    iteration: Option<i64>,
    section: Option<String>,
    consent: Option<String>,
    anonymous: Option<String>,
) -> Result<(), AppError> {
    let me = reader_of(prototype).await?;
    let text = rules::comment_body(&body)?;
    let consent = Consent::choose(consent.as_deref(), true)?;
    if !crate::consultations::api::valid_key(&key) {
        return Err(AppError::BadRequest);
    }
    let section = section.filter(|s| s.starts_with("section-") && s.len() < 200);
    let db = db()?;
    // Counted per person before any work: one person posted 30,000 replies in 4 minutes.
    limits::take(&db.write, &format!("comment:user:{}", me.id), COMMENT_RATE).await?;
    let phrases = safeguarding::store::phrases(&db.read).await?;
    let held = safeguarding::triage::first_match([text.as_str()], &phrases);
    let comment = NewComment {
        prototype,
        parent,
        iteration,
        section: section.as_deref().filter(|_| iteration.is_some()),
        author: me.id,
        anonymous: anonymous.as_deref() == Some("on"),
        consent,
        body: &text,
        key_hash: &hash_token(&key),
        held_phrase: held.as_deref(),
    };
    let (id, held) = store::add(&db.write, &comment).await?;
    let back = back_to(prototype, iteration);
    leptos_axum::redirect(&if held {
        format!("{back}?held=1#held")
    } else {
        format!("{back}?commented={id}#comment-{id}")
    });
    Ok(())
}

/// Someone else's comment: "forbidden" when others can see it, "not found" when it is held,
/// the same answer as for a comment that does not exist.
#[cfg(feature = "ssr")]
fn not_yours(status: &str) -> AppError {
    if status == "held" {
        AppError::NotFound
    } else {
        AppError::Forbidden
    }
}

#[server(prefix = "/api", endpoint = "edit_comment")]
pub async fn edit_comment(id: i64, body: String) -> Result<(), AppError> {
    let me = session::viewer().await?.ok_or(AppError::NotSignedIn)?;
    let db = db()?;
    let (prototype, author, created, status, iteration) = store::comment_meta(&db.read, id).await?;
    if author != me.id {
        return Err(not_yours(&status));
    }
    if status != "published" || !rules::may_edit(crate::time::now(), created, true) {
        return Err(AppError::Conflict(
            "Comments can be edited for 15 minutes after posting. You can still remove it and write a new one.".into(),
        ));
    }
    let text = rules::comment_body(&body)?;
    // Edits share the comments' limit: each one is a write and a triage run.
    limits::take(&db.write, &format!("comment:user:{}", me.id), COMMENT_RATE).await?;
    let phrases = safeguarding::store::phrases(&db.read).await?;
    let held = safeguarding::triage::first_match([text.as_str()], &phrases);
    store::edit(&db.write, id, &text, held.as_deref()).await?;
    let back = back_to(prototype, iteration);
    leptos_axum::redirect(&if held.is_some() {
        format!("{back}?held=1#held")
    } else {
        format!("{back}?commented={id}#comment-{id}")
    });
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_comment")]
pub async fn delete_comment(id: i64) -> Result<(), AppError> {
    let me = session::viewer().await?.ok_or(AppError::NotSignedIn)?;
    let db = db()?;
    let (prototype, author, _, status, iteration) = store::comment_meta(&db.read, id).await?;
    if author != me.id {
        return Err(not_yours(&status));
    }
    store::remove(&db.write, id).await?;
    leptos_axum::redirect(&format!("{}?removed={id}#comment-{id}", back_to(prototype, iteration)));
    Ok(())
}

#[server(prefix = "/api", endpoint = "report_comment")]
pub async fn report_comment(id: i64, reason: String) -> Result<(), AppError> {
    let me = session::viewer().await?.ok_or(AppError::NotSignedIn)?;
    let reason = ReportReason::parse(&reason)?;
    let db = db()?;
    let (prototype, _, _, status, _) = store::comment_meta(&db.read, id).await?;
    reader_of(prototype).await?;
    // Only what readers can see can be reported; a held comment is already with a moderator,
    // and answering otherwise would tell the caller that it exists.
    if status != "published" {
        return Err(AppError::NotFound);
    }
    store::report(&db.write, id, me.id, reason).await?;
    leptos_axum::redirect(&format!("/prototypes/{prototype}?reported={id}#comment-{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "moderation_queue")]
pub async fn moderation_queue() -> Result<Vec<ModerationItem>, AppError> {
    let me = session::viewer().await?;
    check(me.as_ref().map(|v| v.role), Action::ManageSettings)?;
    store::queue(&db()?.write, me.map(|v| v.id).unwrap_or_default()).await
}

/// Release, hide (with a reason) or edit out personal details.
#[server(prefix = "/api", endpoint = "moderate")]
pub async fn moderate(
    kind: String,
    id: i64,
    decision: String,
    reason: Option<String>,
    text_id: Option<i64>,
    text: Option<String>,
) -> Result<(), AppError> {
    let me = session::viewer().await?;
    check(me.as_ref().map(|v| v.role), Action::ManageSettings)?;
    let me = me.ok_or(AppError::NotSignedIn)?;
    let kind = ItemKind::parse(&kind).ok_or(AppError::BadRequest)?;
    let hide_reason =
        if decision == "hide" { Some(rules::reason(reason.as_deref().unwrap_or_default(), "reason")?) } else { None };
    let text = text.unwrap_or_default();
    let decision = match decision.as_str() {
        "release" => Decision::Release,
        "hide" => Decision::Hide { reason: hide_reason.as_deref().unwrap_or_default() },
        "edit" => {
            let t = text.trim();
            if t.is_empty() || t.chars().count() > crate::consultations::MAX_TEXT {
                return Err(AppError::invalid("text", "Please give the text with the personal details taken out."));
            }
            Decision::Edit { text_id: text_id.ok_or(AppError::BadRequest)?, text: t }
        }
        _ => return Err(AppError::BadRequest),
    };
    store::moderate(&db()?.write, kind, id, decision, me.id).await?;
    leptos_axum::redirect("/moderation?done=1");
    Ok(())
}

/// Codes a free-text answer or a comment with themes (replacing earlier coding).
#[server(prefix = "/api", endpoint = "code_themes")]
pub async fn code_themes(kind: String, id: i64, themes: String, back: Option<String>) -> Result<(), AppError> {
    designer().await?;
    let kind = match kind.as_str() {
        "answer" | "comment" => kind,
        _ => return Err(AppError::BadRequest),
    };
    let themes = Themes::parse(&themes)?;
    store::code(&db()?.write, (&kind, id), themes.as_slice()).await?;
    leptos_axum::redirect(&safe_back(back.as_deref()));
    Ok(())
}

/// Only a path on this site (never `//elsewhere`), so redirects cannot be sent off-site.
#[cfg(feature = "ssr")]
fn safe_back(back: Option<&str>) -> String {
    back.filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or("/consultations")
        .to_string()
}

/// "You said, we did": link feedback to the iteration that acted on it, or record why not.
#[server(prefix = "/api", endpoint = "set_outcome")]
pub async fn set_outcome(
    kind: String,
    id: i64,
    iteration: Option<String>,
    reason: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    designer().await?;
    // An empty choice ("not acted on") arrives as "".
    let iteration = match iteration.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(n) => Some(
            n.parse::<i64>()
                .map_err(|_| AppError::invalid("iteration", "Please choose an iteration of this prototype."))?,
        ),
        None => None,
    };
    let kind = ItemKind::parse(&kind).ok_or(AppError::BadRequest)?;
    let db = db()?;
    let prototype = store::prototype_of(&db.read, kind, id).await?;
    let reason = match (iteration, reason.as_deref().map(str::trim).filter(|r| !r.is_empty())) {
        (Some(n), _) => {
            prototypes::iteration(&db.read, prototype, n)
                .await
                .map_err(|_| AppError::invalid("iteration", "Please choose an iteration of this prototype."))?;
            None
        }
        (None, Some(r)) => Some(rules::reason(r, "reason")?),
        (None, None) => {
            return Err(AppError::invalid(
                "reason",
                "Please choose the iteration that acted on it, or say why it was not taken forward.",
            ))
        }
    };
    let mut conn = db.write.acquire().await?;
    store::set_outcome(&mut conn, prototype, kind, id, iteration, reason.as_deref()).await?;
    leptos_axum::redirect(&safe_back(back.as_deref()));
    Ok(())
}

/// Open feedback on a prototype, for the publish form.
#[server(prefix = "/api", endpoint = "open_feedback")]
pub async fn open_feedback(prototype: i64) -> Result<Vec<FeedbackItem>, AppError> {
    designer().await?;
    Ok(store::open_feedback(&db()?.read, prototype).await?.into_iter().map(|r| feedback_item(r, true)).collect())
}

/// The feedback an iteration answered.
#[server(prefix = "/api", endpoint = "iteration_feedback")]
pub async fn iteration_feedback(prototype: i64, number: i64) -> Result<Vec<FeedbackItem>, AppError> {
    let me = reader_of(prototype).await?;
    let full = allowed(Some(me.role), Action::EditPrototypes);
    Ok(store::answered_by(&db()?.read, prototype, number).await?.into_iter().map(|r| feedback_item(r, full)).collect())
}

/// What a viewer sees of one piece of feedback: its words and name only as its consent
/// allows (`full` for the design group, who see everything).
#[cfg(feature = "ssr")]
fn feedback_item(r: store::FeedbackRow, full: bool) -> FeedbackItem {
    let kind = ItemKind::parse(&r.kind).unwrap_or(ItemKind::Comment);
    let consent = Consent::parse(&r.consent).unwrap_or(Consent::DesignGroupOnly);
    let shown = rules::shown(kind, consent, r.anonymous, full);
    let source = match (kind, r.iteration_number) {
        (ItemKind::Response, _) => format!("Answer to “{}”", r.round_title.unwrap_or_default()),
        (ItemKind::Comment, Some(n)) => format!("Comment on iteration {n}"),
        (ItemKind::Comment, None) => "Comment".to_string(),
    };
    FeedbackItem {
        kind,
        id: r.id,
        source,
        text: if shown.text { r.text.filter(|t| !t.is_empty()) } else { None },
        who: match (r.author_name, shown.name) {
            (Some(n), true) => n,
            _ => "Someone who took part".into(),
        },
        consent,
        outcome: outcome(r.prototype_id, r.acted_iteration, r.not_taken_reason),
    }
}

#[server(prefix = "/api", endpoint = "my_contributions")]
pub async fn my_contributions() -> Result<Vec<MyContribution>, AppError> {
    let me = session::viewer().await?.ok_or(AppError::NotSignedIn)?;
    store::mine(&db()?.read, me.id).await
}
