//! Feedback server functions: comments, reports, moderation, coding, "you said, we did".

use leptos::prelude::*;

use super::{Comments, FeedbackItem, ModerationItem, MyContribution};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        rules::{self, ReportReason},
        store::{self, Decision, NewComment},
        views, ItemKind,
    },
    crate::{
        auth::{
            api::hash_token,
            policy::{allowed, require, Action},
            session::Viewer,
        },
        consultations::Consent,
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
    let me = require(Action::ReadPublished).await?;
    let drafts = allowed(Some(me.role), Action::ReadDrafts);
    if !store::prototype_readable(&db()?.read, prototype, drafts).await? {
        return Err(AppError::NotFound);
    }
    Ok(me)
}

/// One page of a prototype's comment thread (`page`, from 0), or with `iteration` the
/// comments on that iteration's sections. Work per call is one page whatever the thread's
/// length. What is returned is what the viewer may see: held comments only to their author
/// (facilitators read them in /moderation, where reading is audited), theme codes only to
/// the design group and facilitators, an anonymous author's name only to facilitators and
/// the author.
#[server(prefix = "/api", endpoint = "prototype_comments")]
pub async fn prototype_comments(id: i64, page: Option<i64>, iteration: Option<i64>) -> Result<Comments, AppError> {
    let me = require(Action::ReadPublished).await?;
    let page = page.unwrap_or(0);
    let (which, per_page) = match iteration {
        None => (store::Thread::All, rules::COMMENTS_PER_PAGE),
        Some(iteration) => (store::Thread::Sections { iteration }, rules::SECTION_COMMENTS_PER_PAGE),
    };
    let offset = rules::page_offset(page, per_page)?;
    // The check that the prototype is there for this reader (drafts need the design group)
    // is part of the same statement: a draft someone cannot see is "not found".
    let drafts = allowed(Some(me.role), Action::ReadDrafts);
    let found = store::comments(&db()?.read, id, drafts, which, store::HeldOf(me.id), offset, per_page + 1).await?;
    let mut found = found.ok_or(AppError::NotFound)?;
    let more = found.rows.len() as i64 > per_page;
    found.rows.truncate(per_page as usize);
    let comments = views::thread_view(found.rows, &me, crate::time::now());
    let total = found.total.unwrap_or(comments.len() as i64);
    Ok(Comments {
        prototype_id: id,
        comments,
        key: uuid::Uuid::new_v4().simple().to_string(),
        can_code: allowed(Some(me.role), Action::EditPrototypes),
        page,
        more,
        total,
    })
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
    let store::Added { id, held } = store::add(&db.write, &comment).await?;
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
    let me = require(Action::OwnAccount).await?;
    let db = db()?;
    let c = store::comment_meta(&db.read, id).await?;
    if c.author_id != me.id {
        return Err(not_yours(&c.status));
    }
    if c.status != "published" || !rules::may_edit(crate::time::now(), c.created_at, true) {
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
    let back = back_to(c.prototype_id, c.iteration_number);
    leptos_axum::redirect(&if held.is_some() {
        format!("{back}?held=1#held")
    } else {
        format!("{back}?commented={id}#comment-{id}")
    });
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_comment")]
pub async fn delete_comment(id: i64) -> Result<(), AppError> {
    let me = require(Action::OwnAccount).await?;
    let db = db()?;
    let c = store::comment_meta(&db.read, id).await?;
    if c.author_id != me.id {
        return Err(not_yours(&c.status));
    }
    store::remove(&db.write, id).await?;
    leptos_axum::redirect(&format!("{}?removed={id}#comment-{id}", back_to(c.prototype_id, c.iteration_number)));
    Ok(())
}

#[server(prefix = "/api", endpoint = "report_comment")]
pub async fn report_comment(id: i64, reason: String) -> Result<(), AppError> {
    let me = require(Action::OwnAccount).await?;
    let reason = ReportReason::parse(&reason)?;
    let db = db()?;
    let c = store::comment_meta(&db.read, id).await?;
    let prototype = c.prototype_id;
    reader_of(prototype).await?;
    // Only what readers can see can be reported; a held comment is already with a moderator,
    // and answering otherwise would tell the caller that it exists.
    if c.status != "published" {
        return Err(AppError::NotFound);
    }
    store::report(&db.write, id, me.id, reason).await?;
    leptos_axum::redirect(&format!("/prototypes/{prototype}?reported={id}#comment-{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "moderation_queue")]
pub async fn moderation_queue() -> Result<Vec<ModerationItem>, AppError> {
    let me = require(Action::Moderate).await?;
    Ok(store::queue(&db()?.write, me.id).await?.into_iter().map(views::moderation_item).collect())
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
    let me = require(Action::Moderate).await?;
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
    require(Action::EditPrototypes).await?;
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
    require(Action::EditPrototypes).await?;
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
    store::set_outcome(&db.write, prototype, kind, id, iteration, reason.as_deref()).await?;
    leptos_axum::redirect(&safe_back(back.as_deref()));
    Ok(())
}

/// Open feedback on a prototype, for the publish form.
#[server(prefix = "/api", endpoint = "open_feedback")]
pub async fn open_feedback(prototype: i64) -> Result<Vec<FeedbackItem>, AppError> {
    require(Action::EditPrototypes).await?;
    Ok(store::open_feedback(&db()?.read, prototype).await?.into_iter().map(|r| views::feedback_item(r, true)).collect())
}

/// The feedback an iteration answered.
#[server(prefix = "/api", endpoint = "iteration_feedback")]
pub async fn iteration_feedback(prototype: i64, number: i64) -> Result<Vec<FeedbackItem>, AppError> {
    let me = reader_of(prototype).await?;
    let full = allowed(Some(me.role), Action::EditPrototypes);
    Ok(store::answered_by(&db()?.read, prototype, number)
        .await?
        .into_iter()
        .map(|r| views::feedback_item(r, full))
        .collect())
}

#[server(prefix = "/api", endpoint = "my_contributions")]
pub async fn my_contributions() -> Result<Vec<MyContribution>, AppError> {
    let me = require(Action::OwnAccount).await?;
    Ok(store::mine(&db()?.read, me.id).await?.into_iter().map(views::my_contribution).collect())
}
