//! Members server functions (facilitators only).

use leptos::prelude::*;

use super::MembersPage;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{store, views},
    crate::{
        auth::{
            api::{hash_token, new_token},
            fields::Email,
            policy::{require, Action},
            Role,
        },
        mail::compose,
        state::{db, mail},
    },
};

#[server(prefix = "/api", endpoint = "list_members")]
pub async fn list_members(page: i64) -> Result<MembersPage, AppError> {
    require(Action::ManageMembers).await?;
    let page = crate::site::page_number(Some(page))?;
    let rows = store::page(&db()?.read, page).await?;
    let has_more = rows.members.len() as i64 > super::PAGE_SIZE;
    let members = rows.members.into_iter().take(super::PAGE_SIZE as usize).map(views::member).collect();
    Ok(MembersPage { members, page, has_more, total: rows.total, open_registration: rows.open_registration })
}

/// Creates an invitation link. The token is shown once (on the members page it redirects
/// to) and stored only as a hash.
#[server(prefix = "/api", endpoint = "invite_member")]
pub async fn invite_member(email: String, role: String) -> Result<String, AppError> {
    let me = require(Action::ManageMembers).await?;
    let role = Role::parse(&role)
        .ok_or_else(|| AppError::invalid("role", "Please choose a role for the person you are inviting."))?;
    let email = match email.trim() {
        "" => None,
        e => Some(Email::parse(e).map_err(|err| err.keeping(&[("email", e)]))?),
    };
    let token = new_token();
    let db = db()?;
    // With an address, the link is emailed too, from the outbox written with the invitation.
    let email_message = match &email {
        Some(address) => {
            let link = format!("{}/invite/{token}", mail()?.public_url);
            let collaborative = crate::auth::store::collaborative_name(&db.read).await?;
            Some(compose::invitation(address.as_str(), &collaborative, role.label(), &link, store::INVITATION_DAYS))
        }
        None => None,
    };
    store::create_invitation(
        &db.write,
        &hash_token(&token),
        email.as_ref().map(|e| e.as_str()),
        role,
        me.id,
        email_message.as_ref(),
    )
    .await?;
    tracing::info!(by = me.id, role = role.as_str(), emailed = email.is_some(), "invitation created");
    let emailed = if email.is_some() { "&emailed=1" } else { "" };
    leptos_axum::redirect(&format!("/members?invited={token}{emailed}"));
    Ok(token)
}

#[server(prefix = "/api", endpoint = "set_member_role")]
pub async fn set_member_role(user_id: i64, role: String) -> Result<(), AppError> {
    require(Action::ManageMembers).await?;
    let role = Role::parse(&role).ok_or_else(|| AppError::invalid("role", "Please choose one of the listed roles."))?;
    store::change(&db()?.write, user_id, Some(role), None).await?;
    leptos_axum::redirect("/members?saved=1");
    Ok(())
}

/// `active` is "true" or "false" (a hidden form field, so it works without JavaScript).
#[server(prefix = "/api", endpoint = "set_member_active")]
pub async fn set_member_active(user_id: i64, active: String) -> Result<(), AppError> {
    require(Action::ManageMembers).await?;
    let active = match active.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::BadRequest),
    };
    store::change(&db()?.write, user_id, None, Some(active)).await?;
    leptos_axum::redirect("/members?saved=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "set_open_registration")]
pub async fn set_open_registration(open: String) -> Result<(), AppError> {
    require(Action::ManageMembers).await?;
    store::set_open_registration(&db()?.write, open == "true").await?;
    leptos_axum::redirect("/members?saved=1");
    Ok(())
}
