//! Notification server functions: a person's own list, read marks and preferences (signed
//! in, their own only), and unsubscribing by an emailed link (no sign-in; the link's MAC).

use leptos::prelude::*;

use super::{NotificationsPage, Preferences};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        link, sentence, still_visible, store, unsubscribe, Delivery, Kind, KindChoice, NotificationItem, PAGE_SIZE,
    },
    crate::{
        auth::{
            policy::{check, require, Action},
            session, Role,
        },
        state::{db, mail},
        time::when,
    },
};

#[server(prefix = "/api", endpoint = "list_notifications")]
pub async fn list_notifications(page: Option<i64>) -> Result<NotificationsPage, AppError> {
    let me = require(Action::OwnAccount).await?;
    let page = crate::site::page_number(page)?;
    let (rows, unread) = store::page(&db()?.read, me.id, page, PAGE_SIZE).await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let items = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .filter_map(|r| {
            let kind = Kind::parse(&r.kind)?;
            if !still_visible(kind, me.role, r.round_audience.as_deref(), r.prototype_published) {
                return None;
            }
            Some(NotificationItem {
                id: r.id,
                text: sentence(
                    kind,
                    r.prototype_title.as_deref(),
                    r.round_title.as_deref(),
                    r.meeting_title.as_deref(),
                ),
                link: link(kind, r.prototype_id, r.round_id, r.meeting_id, r.comment_id),
                when: when(r.created_at),
                unread: r.read_at.is_none(),
            })
        })
        .collect();
    Ok(NotificationsPage { items, unread, page, has_more })
}

/// The header's count of unread notifications (polled by the header when JavaScript is on).
#[server(prefix = "/api", endpoint = "unread_count")]
pub async fn unread_count() -> Result<i64, AppError> {
    let me = require(Action::OwnAccount).await?;
    store::unread(&db()?.read, me.id).await
}

#[server(prefix = "/api", endpoint = "mark_read")]
pub async fn mark_read(id: i64, page: Option<i64>) -> Result<(), AppError> {
    let me = require(Action::OwnAccount).await?;
    let page = crate::site::page_number(page)?;
    if !store::mark_read(&db()?.write, me.id, id).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(&format!("/notifications?page={page}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "mark_all_read")]
pub async fn mark_all_read() -> Result<(), AppError> {
    let me = require(Action::OwnAccount).await?;
    store::mark_all_read(&db()?.write, me.id).await?;
    leptos_axum::redirect("/notifications?all_read=1");
    Ok(())
}

/// The kinds this person can receive: the held-item alert only for facilitators.
#[cfg(feature = "ssr")]
fn kinds_for(role: Role) -> impl Iterator<Item = Kind> {
    Kind::ALL.into_iter().filter(move |k| *k != Kind::Held || role == Role::Facilitator)
}

#[server(prefix = "/api", endpoint = "load_preferences")]
pub async fn load_preferences() -> Result<Preferences, AppError> {
    let me = require(Action::OwnAccount).await?;
    let rows = store::preferences(&db()?.read, me.id).await?;
    let kinds = kinds_for(me.role)
        .map(|kind| {
            let chosen = rows.chosen.iter().find(|(k, _)| k == kind.as_str()).and_then(|(_, d)| Delivery::parse(d));
            KindChoice {
                kind,
                delivery: if kind.configurable() {
                    chosen.unwrap_or(kind.default_delivery())
                } else {
                    Delivery::Immediate
                },
            }
        })
        .collect();
    Ok(Preferences { paused: rows.paused, kinds, sending: mail()?.sending })
}

/// Saves the preferences form: one `delivery[{kind}]` choice per kind, and the pause box.
#[server(prefix = "/api", endpoint = "save_preferences")]
pub async fn save_preferences(
    paused: Option<String>,
    delivery: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    let me = require(Action::OwnAccount).await?;
    let mut chosen = Vec::new();
    for (kind, d) in &delivery {
        let kind = Kind::parse(kind).filter(|k| k.configurable()).ok_or(AppError::BadRequest)?;
        let d = Delivery::parse(d)
            .ok_or_else(|| AppError::invalid("delivery", "Please choose one of the listed options for each kind."))?;
        chosen.push((kind.as_str(), d.as_str()));
    }
    store::save_preferences(&db()?.write, me.id, paused.is_some(), &chosen).await?;
    leptos_axum::redirect("/notifications?saved=1#preferences");
    Ok(())
}

/// Whether an unsubscribe link is genuine, and what it stops (for its page).
#[server(prefix = "/api", endpoint = "unsubscribe_link")]
pub async fn unsubscribe_link(user: i64, kind: String, mac: String) -> Result<String, AppError> {
    check(session::viewer_role().await?, Action::Public)?;
    let what = verified(user, &kind, &mac).await?;
    Ok(what)
}

/// Stops one kind of email (or, for a digest's link, pauses every email) for the person the
/// link was made for: no sign-in, the link's MAC is the permission.
#[server(prefix = "/api", endpoint = "unsubscribe")]
pub async fn unsubscribe(user: i64, kind: String, mac: String) -> Result<(), AppError> {
    check(session::viewer_role().await?, Action::Public)?;
    verified(user, &kind, &mac).await?;
    apply_unsubscribe(&db()?.write, user, &kind).await?;
    leptos_axum::redirect(&format!("/unsubscribe/{user}/{kind}/{mac}?done=1"));
    Ok(())
}

/// Checks a link and says what it stops; the same "not found" for a forged or stale link.
#[cfg(feature = "ssr")]
async fn verified(user: i64, kind: &str, mac: &str) -> Result<String, AppError> {
    let key = mail()?.unsubscribe_key;
    let what = match kind {
        unsubscribe::ALL => Some("every notification email".to_string()),
        k => Kind::parse(k).filter(|k| k.configurable()).map(|k| format!("emails when: {}", k.label().to_lowercase())),
    };
    match what {
        Some(what) if unsubscribe::verify(&key, user, kind, mac) && store::active_user(&db()?.read, user).await? => {
            Ok(what)
        }
        _ => Err(AppError::NotFound),
    }
}

/// Turns off one kind, or pauses everything. Used by the page's button and by the one-click
/// POST a mail program sends (`server/src/unsubscribe.rs`), after the MAC is checked.
#[cfg(feature = "ssr")]
pub async fn apply_unsubscribe(pool: &sqlx::SqlitePool, user: i64, kind: &str) -> Result<(), AppError> {
    if kind == unsubscribe::ALL {
        store::set_paused(pool, user, true).await
    } else {
        let mut conn = pool.acquire().await?;
        store::set_delivery(&mut conn, user, kind, Delivery::Off.as_str()).await
    }
}
