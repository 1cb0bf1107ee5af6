//! Password reset: "Forgot your password?" emails a link that works once, for an hour;
//! a facilitator can make one for a member without email access. Links are stored only as
//! hashes, and using one ends every session of the account.
//!
//! The answer to "forgot" is the same whether or not an account has the address, so the
//! page cannot be used to find out who is a member.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        api::{hash_token, new_token},
        fields::{Email, Password},
        hashing,
        policy::{check, require, Action},
        session, store, throttle,
    },
    crate::{
        limits,
        mail::compose,
        state::{db, mail},
    },
};

/// How long a reset link works.
pub const RESET_MINUTES: i64 = 60;

#[cfg(feature = "ssr")]
fn expired() -> AppError {
    AppError::Conflict(
        "This link has expired or has already been used. You can ask for a new one on the \u{201c}Forgot your password?\u{201d} page."
            .into(),
    )
}

/// Emails a reset link to the account with this address, if there is one (and says the same
/// either way).
#[server(prefix = "/api", endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    check(session::viewer_role().await?, Action::Public)?;
    let typed = email;
    let email = Email::parse(&typed).map_err(|e| e.keeping(&[("email", typed.as_str())]))?;
    let db = db()?;
    let address = crate::site::client_address().await;
    limits::take(&db.write, &throttle::reset_address_key(&address), throttle::RESET_ADDRESS).await?;
    let quiet =
        match limits::take(&db.write, &throttle::reset_account_key(email.as_str()), throttle::RESET_ACCOUNT).await {
            Ok(()) => false,
            Err(AppError::Throttled { .. }) => true,
            Err(e) => return Err(e),
        };
    match store::credentials(&db.read, &email).await? {
        Some(c) if c.active && !quiet => {
            let token = new_token();
            let link = format!("{}/reset/{token}", mail()?.public_url);
            let collaborative = store::collaborative_name(&db.read).await?;
            let message = compose::password_reset(email.as_str(), &collaborative, &link, RESET_MINUTES);
            store::create_reset(&db.write, c.id, &hash_token(&token), RESET_MINUTES * 60, None, Some(&message)).await?;
            tracing::info!(user_id = c.id, "password reset link emailed");
        }
        _ => tracing::info!("password reset asked for: nothing sent"),
    }
    leptos_axum::redirect("/login/forgot?sent=1");
    Ok(())
}

/// Whether a reset link still works (the page says so before anyone types a password).
#[server(prefix = "/api", endpoint = "reset_link")]
pub async fn reset_link(token: String) -> Result<(), AppError> {
    check(session::viewer_role().await?, Action::Public)?;
    match store::live_reset(&db()?.read, &hash_token(token.trim())).await? {
        Some(_) => Ok(()),
        None => Err(expired()),
    }
}

/// Sets a new password through a reset link, ends every other session, and signs this
/// browser in.
#[server(prefix = "/api", endpoint = "reset_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn reset_password(token: String, new_password: String, confirm_password: String) -> Result<(), AppError> {
    check(session::viewer_role().await?, Action::Public)?;
    let db = db()?;
    let token_hash = hash_token(token.trim());
    if store::live_reset(&db.read, &token_hash).await?.is_none() {
        return Err(expired());
    }
    let new = Password::parse("new_password", new_password)?;
    if new.expose() != confirm_password {
        return Err(AppError::invalid(
            "confirm_password",
            "The two new passwords are not the same. Please type them again.",
        ));
    }
    // Each new password costs a hash.
    let address = crate::site::client_address().await;
    limits::take(&db.write, &throttle::reset_use_key(&address), throttle::RESET_USE).await?;
    let hash = hashing::hash(new.expose().to_string()).await?;
    let (user_id, epoch) = store::use_reset(&db.write, &token_hash, &hash).await?.ok_or_else(expired)?;
    // Coming back through a reset link is signing in: it cancels a pending deletion too.
    let cancelled = crate::privacy::store::cancel_erasure(&db.write, user_id).await?;
    session::sign_in(&session::session().await?, user_id, epoch).await?;
    tracing::info!(user_id, cancelled, "password reset through a link");
    leptos_axum::redirect(if cancelled { "/account?saved=deletion_cancelled" } else { "/account?saved=reset" });
    Ok(())
}

/// Makes a reset link for a member who cannot receive email; the facilitator hands it over.
/// Shown once (on the members page it redirects to), stored only as a hash. The account's
/// address is told, in the same transaction, so no facilitator can take an account over
/// unseen; and it is refused for facilitators, who can use "Forgot your password?".
#[server(prefix = "/api", endpoint = "make_reset_link")]
pub async fn make_reset_link(user_id: i64) -> Result<String, AppError> {
    let me = require(Action::ManageMembers).await?;
    let db = db()?;
    let account = store::account(&db.read, user_id).await?;
    if account.role == super::Role::Facilitator {
        return Err(AppError::Conflict(
            "Facilitators cannot be given a reset link by another facilitator. They can use \u{201c}Forgot your password?\u{201d} on the sign-in page."
                .into(),
        ));
    }
    let token = new_token();
    let collaborative = store::collaborative_name(&db.read).await?;
    let sign_in = format!("{}/login", mail()?.public_url);
    let notice = compose::reset_link_made(&account.email, &collaborative, &me.display_name, &sign_in, RESET_MINUTES);
    store::create_reset(&db.write, user_id, &hash_token(&token), RESET_MINUTES * 60, Some(me.id), Some(&notice))
        .await?;
    tracing::info!(by = me.id, user_id, "password reset link made by a facilitator");
    leptos_axum::redirect(&format!("/members?reset_link={token}"));
    Ok(token)
}
