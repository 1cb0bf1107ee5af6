//! Server functions for people's data: their own (`/account/data`), a facilitator acting on
//! a request by phone or letter (`/members/{id}/data`), and the retention settings.

use leptos::prelude::*;

use super::{DataPage, OnBehalfPage, RetentionPage};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{gather, jobs, parse_period, retention, store, Channel, RequestItem, EXPORT_DAYS, INLINE_EXPORT_ITEMS},
    crate::{
        auth::{
            policy::{require, Action},
            session, Role,
        },
        limits::Rate,
        state::db,
        time::when,
    },
};

/// Exports one person may ask for in an hour (each gathers everything and compresses it).
#[cfg(feature = "ssr")]
const EXPORTS: Rate = Rate { max: 10, window_secs: 3600 };

/// Whether this viewer may download a request's file: the person it is about, or (for one
/// made on their behalf, to post to them) a facilitator.
pub fn may_download(viewer: i64, viewer_is_facilitator: bool, about: i64, on_behalf: bool) -> bool {
    viewer == about || (viewer_is_facilitator && on_behalf)
}

#[cfg(feature = "ssr")]
fn items(rows: Vec<store::RequestRow>, viewer: i64, facilitator: bool) -> Vec<RequestItem> {
    rows.into_iter()
        .map(|r| {
            let on_behalf = r.requested_by.is_some();
            let channel = Channel::parse(&r.channel).unwrap_or(Channel::Own);
            let how = match (on_behalf, r.user_id == viewer) {
                (false, true) => "You, signed in".to_string(),
                (false, false) => "The person, signed in".to_string(),
                (true, _) => format!("A facilitator, for a request {}", channel.label()),
            };
            let erasure = r.kind == "erasure";
            let status = match (r.status.as_str(), erasure) {
                ("pending", true) => format!("Will happen on {} unless cancelled", when(r.due_at)),
                ("pending", false) => "Being prepared. This page shows a download link when it is ready.".into(),
                ("ready", _) => match r.file_expires_at {
                    Some(t) => format!("Ready to download until {}", when(t)),
                    None => "Deleted".into(),
                },
                ("done", true) => format!("Account deleted on {}", r.done_at.map(when).unwrap_or_default()),
                ("cancelled", _) => format!("Cancelled on {}", r.done_at.map(when).unwrap_or_default()),
                ("expired", _) => format!("The file was deleted after {EXPORT_DAYS} days"),
                (other, _) => other.to_string(),
            };
            let download = (r.status == "ready"
                && r.file_expires_at.is_some()
                && may_download(viewer, facilitator, r.user_id, on_behalf))
            .then(|| format!("/account/data/exports/{}", r.id));
            RequestItem {
                id: r.id,
                what: if erasure { "Account deletion" } else { "Export of data" }.into(),
                how,
                requested: when(r.requested_at),
                status,
                download,
            }
        })
        .collect()
}

#[server(prefix = "/api", endpoint = "load_my_data")]
pub async fn load_my_data() -> Result<DataPage, AppError> {
    let me = require(Action::OwnAccount).await?;
    let db = db()?;
    let rows = store::requests_of(&db.read, me.id).await?;
    Ok(DataPage {
        requests: items(rows, me.id, me.role == Role::Facilitator),
        erasure_due: store::pending_erasure(&db.read, me.id).await?.map(when),
        has_quotable: store::has_quotable(&db.read, me.id).await?,
        held_days: retention::settings(&db.read).await?.held_days,
        last_facilitator: me.role == Role::Facilitator && store::other_facilitators(&db.read, me.id).await? == 0,
    })
}

/// Queues an export and, for most accounts, makes it at once; a large one is made by the
/// background job and the page says so.
#[cfg(feature = "ssr")]
async fn start_export(user: i64, by: Option<i64>, channel: Channel) -> Result<bool, AppError> {
    let db = db()?;
    crate::limits::take(&db.write, &format!("export:{}", by.unwrap_or(user)), EXPORTS).await?;
    let id = store::request_export(&db.write, user, by, channel.as_str()).await?;
    tracing::info!(request = id, user, by, channel = channel.as_str(), "data export requested");
    if gather::size(&db.read, user).await? <= INLINE_EXPORT_ITEMS {
        // Gathered on a reader, so the one writer is held only to store the file.
        jobs::make_export(&db.read, &db.write, id, user, by.is_some()).await?;
        return Ok(true);
    }
    Ok(false)
}

#[server(prefix = "/api", endpoint = "export_my_data")]
pub async fn export_my_data() -> Result<(), AppError> {
    let me = require(Action::OwnAccount).await?;
    let ready = start_export(me.id, None, Channel::Own).await?;
    leptos_axum::redirect(if ready { "/account/data?export=ready" } else { "/account/data?export=queued" });
    Ok(())
}

/// Asks for the account's deletion after the grace period, with the password typed again.
/// Signs the person out everywhere; signing in again cancels it.
#[server(prefix = "/api", endpoint = "delete_my_account")]
pub async fn delete_my_account(password: String, quotes: String, understood: Option<String>) -> Result<(), AppError> {
    let me = require(Action::OwnAccount).await?;
    let keep_quotes = parse_quotes(&quotes)?;
    if understood.is_none() {
        return Err(AppError::invalid(
            "understood",
            "Please tick the box to say you understand what deleting your account does.",
        )
        .keeping(&[("quotes", quotes.as_str())]));
    }
    crate::auth::api::recheck_password(me.id, password, "password")
        .await
        .map_err(|e| e.keeping(&[("quotes", quotes.as_str()), ("understood", "on")]))?;
    let tell = telling(None).await?;
    let due = store::request_erasure(&db()?.write, me.id, None, Channel::Own.as_str(), keep_quotes, tell).await?;
    tracing::info!(user = me.id, due, "account deletion requested");
    session::sign_out(&session::session().await?).await?;
    leptos_axum::redirect("/login?deletion=requested");
    Ok(())
}

/// The email telling the person their account's deletion was asked for (by `facilitator`
/// for them, or by themselves).
#[cfg(feature = "ssr")]
async fn telling(
    facilitator: Option<String>,
) -> Result<impl FnOnce(&str, i64) -> Option<crate::mail::compose::Outgoing>, AppError> {
    let collaborative = crate::auth::store::collaborative_name(&db()?.read).await?;
    let sign_in = format!("{}/login", crate::state::mail()?.public_url);
    Ok(move |to: &str, due: i64| {
        Some(crate::mail::compose::deletion_requested(to, &collaborative, facilitator.as_deref(), &when(due), &sign_in))
    })
}

#[cfg(feature = "ssr")]
fn parse_quotes(quotes: &str) -> Result<bool, AppError> {
    match quotes {
        "keep" => Ok(true),
        "remove" => Ok(false),
        _ => Err(AppError::invalid("quotes", "Please choose what to do with the words you agreed could be quoted.")),
    }
}

#[cfg(feature = "ssr")]
fn parse_channel(channel: &str) -> Result<Channel, AppError> {
    Channel::parse(channel)
        .filter(|c| *c != Channel::Own)
        .ok_or_else(|| AppError::invalid("channel", "Please say how the person asked."))
}

/// The person a facilitator would act for: not a facilitator (they act for themselves, as
/// with reset links), and not already erased.
#[cfg(feature = "ssr")]
async fn actionable(user_id: i64) -> Result<store::Person, AppError> {
    let p = store::person(&db()?.read, user_id).await?;
    if p.erased_at.is_some() {
        return Err(AppError::Conflict("This account has already been deleted.".into()));
    }
    if p.role == Role::Facilitator.as_str() {
        return Err(AppError::Conflict(
            "A facilitator's own data is handled by them, signed in, at “Your data”.".into(),
        ));
    }
    Ok(p)
}

#[server(prefix = "/api", endpoint = "load_data_for")]
pub async fn load_data_for(user_id: i64) -> Result<OnBehalfPage, AppError> {
    let me = require(Action::ManageMembers).await?;
    let db = db()?;
    let p = store::person(&db.read, user_id).await?;
    let rows = store::requests_of(&db.read, user_id).await?;
    Ok(OnBehalfPage {
        user_id,
        is_facilitator: p.role == Role::Facilitator.as_str(),
        erased: p.erased_at.is_some(),
        display_name: p.display_name,
        email: if p.erased_at.is_some() { String::new() } else { p.email },
        requests: items(rows, me.id, true),
        erasure_due: store::pending_erasure(&db.read, user_id).await?.map(when),
    })
}

#[server(prefix = "/api", endpoint = "export_data_for")]
pub async fn export_data_for(user_id: i64, channel: String) -> Result<(), AppError> {
    let me = require(Action::ManageMembers).await?;
    let channel = parse_channel(&channel)?;
    actionable(user_id).await?;
    let ready = start_export(user_id, Some(me.id), channel).await?;
    leptos_axum::redirect(&format!("/members/{user_id}/data?export={}", if ready { "ready" } else { "queued" }));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_account_for")]
pub async fn delete_account_for(
    user_id: i64,
    channel: String,
    quotes: String,
    understood: Option<String>,
) -> Result<(), AppError> {
    let me = require(Action::ManageMembers).await?;
    let kept = [("channel", channel.as_str()), ("quotes", quotes.as_str())];
    let channel = parse_channel(&channel).map_err(|e| e.keeping(&kept))?;
    let keep_quotes = parse_quotes(&quotes).map_err(|e| e.keeping(&kept))?;
    if understood.is_none() {
        return Err(AppError::invalid(
            "understood",
            "Please tick the box to confirm the person asked for their account to be deleted.",
        )
        .keeping(&kept));
    }
    actionable(user_id).await?;
    let tell = telling(Some(me.display_name.clone())).await?;
    let due = store::request_erasure(&db()?.write, user_id, Some(me.id), channel.as_str(), keep_quotes, tell).await?;
    tracing::info!(user = user_id, by = me.id, due, "account deletion requested on the person's behalf");
    leptos_axum::redirect(&format!("/members/{user_id}/data?saved=deletion"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "cancel_deletion_for")]
pub async fn cancel_deletion_for(user_id: i64) -> Result<(), AppError> {
    let me = require(Action::ManageMembers).await?;
    if !store::cancel_erasure_for(&db()?.write, user_id, me.id).await? {
        return Err(AppError::Conflict(
            "There is no deletion recorded by a facilitator waiting for this account. A person's own request is cancelled only by them signing in.".into(),
        ));
    }
    tracing::info!(user = user_id, by = me.id, "account deletion cancelled by a facilitator");
    leptos_axum::redirect(&format!("/members/{user_id}/data?saved=cancelled"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "load_retention")]
pub async fn load_retention() -> Result<RetentionPage, AppError> {
    require(Action::ManageSettings).await?;
    let db = db()?;
    let s = retention::settings(&db.read).await?;
    let runs =
        retention::runs(&db.read, 7).await?.into_iter().map(|(at, r)| (when(at), retention::describe(&r))).collect();
    Ok(RetentionPage {
        held_days: s.held_days,
        response_days: s.response_days,
        throttle_days: s.throttle_days,
        refused_form_hours: s.refused_form_hours,
        audit_days: s.audit_days,
        mail_days: s.mail_days,
        runs,
    })
}

#[server(prefix = "/api", endpoint = "save_retention")]
pub async fn save_retention(
    held_days: String,
    response_days: String,
    throttle_days: String,
    refused_form_hours: String,
    audit_days: String,
    mail_days: String,
) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let typed = [
        ("held_days", held_days.as_str()),
        ("response_days", response_days.as_str()),
        ("throttle_days", throttle_days.as_str()),
        ("refused_form_hours", refused_form_hours.as_str()),
        ("audit_days", audit_days.as_str()),
        ("mail_days", mail_days.as_str()),
    ];
    let field = |name: &str, text: &str, optional: bool, what: &str| {
        parse_period(text, optional, what).map_err(|m| AppError::invalid(name, m).keeping(&typed))
    };
    let settings = retention::Settings {
        held_days: field("held_days", &held_days, true, "hidden items")?,
        response_days: field("response_days", &response_days, true, "responses")?,
        throttle_days: field("throttle_days", &throttle_days, false, "sign-in limits")?.unwrap_or(1),
        refused_form_hours: field("refused_form_hours", &refused_form_hours, false, "refused forms")?.unwrap_or(1),
        audit_days: field("audit_days", &audit_days, true, "audit entries")?,
        mail_days: field("mail_days", &mail_days, true, "emails and notifications")?,
    };
    retention::save(&db()?.write, &settings).await?;
    leptos_axum::redirect("/settings/retention?saved=1");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::may_download;

    #[test]
    fn only_the_person_or_a_facilitator_for_a_request_on_their_behalf_downloads() {
        assert!(may_download(7, false, 7, false));
        assert!(may_download(7, false, 7, true));
        assert!(!may_download(8, false, 7, true));
        assert!(!may_download(8, true, 7, false), "a facilitator never reads a person's own export");
        assert!(may_download(8, true, 7, true));
    }
}
