//! Account server functions: parse → check permission → store → map errors.

use leptos::prelude::*;

use super::{AccountDetails, InvitationOffer, Site};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        fields::{DisplayName, Email, Password},
        hashing,
        policy::{check, Action},
        roles::Perspective,
        session, store, throttle, CurrentUser, Role,
    },
    crate::state::db,
};

/// The header's view of the site: the collaborative's name and who is signed in.
#[server(prefix = "/api", endpoint = "site_info")]
pub async fn site_info() -> Result<Site, AppError> {
    let user = session::viewer().await?.map(|v| CurrentUser {
        id: v.id,
        display_name: v.display_name,
        role: v.role,
        unread: v.unread,
    });
    let s = session::site_settings().await?;
    let crisis_html = crate::safeguarding::crisis_html(s.crisis_text.as_deref());
    Ok(Site { collaborative: s.name, open_registration: s.open_registration, user, crisis_html, demo: s.demo })
}

#[cfg(feature = "ssr")]
pub fn hash_token(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh link token: 192 random bits, hex. Stored only as `hash_token` of it.
#[cfg(feature = "ssr")]
pub fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Registers a contributor (or the invitation's role) and signs them straight in.
#[server(prefix = "/api", endpoint = "register")]
pub async fn register(
    display_name: String,
    email: String,
    password: String,
    invitation: Option<String>,
) -> Result<(), AppError> {
    let (name_typed, email_typed) = (display_name.clone(), email.clone());
    register_account(display_name, email, password, invitation)
        .await
        .map_err(|e| e.keeping(&[("display_name", name_typed.as_str()), ("email", email_typed.as_str())]))
}

#[cfg(feature = "ssr")]
async fn register_account(
    display_name: String,
    email: String,
    password: String,
    invitation: Option<String>,
) -> Result<(), AppError> {
    check(session::viewer_role().await?, Action::Public)?;
    let name = DisplayName::parse(&display_name)?;
    let email = Email::parse(&email)?;
    let password = Password::parse("password", password)?;
    let db = db()?;
    let invitation = match invitation.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => {
            let (id, role, _) = store::live_invitation(&db.read, &hash_token(token)).await?.ok_or_else(|| {
                AppError::Conflict("This invitation link has expired or has already been used. Please ask the person who invited you for a new one.".into())
            })?;
            (role, Some(id))
        }
        None if store::open_registration(&db.read).await? => (Role::Contributor, None),
        None => {
            return Err(AppError::Conflict(
                "Registration is by invitation only at the moment. Please ask a facilitator for an invitation link."
                    .into(),
            ))
        }
    };
    // Each new account costs a hash: counted per address before it runs.
    let key = [(throttle::register_key(&crate::site::client_address().await), throttle::REGISTER)];
    reserve(&db.write, &key).await?;
    let hash = match hashing::hash(password.expose().to_string()).await {
        Ok(hash) => hash,
        Err(e) => {
            give_back(&db.write, &key).await?;
            return Err(e);
        }
    };
    let (role, invitation_id) = invitation;
    let id = store::create_user(&db.write, &email, &name, &hash, role, invitation_id).await?;
    session::sign_in(&session::session().await?, id, 0).await?;
    tracing::info!(user_id = id, "account registered");
    leptos_axum::redirect("/account");
    Ok(())
}

#[server(prefix = "/api", endpoint = "login")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    check(session::viewer_role().await?, Action::Public)?;
    let typed = email;
    let mismatch = || {
        AppError::invalid("password", "That email and password do not match. Please check them and try again.")
            .keeping(&[("email", typed.as_str())])
    };
    let email = Email::parse(&typed).map_err(|e| e.keeping(&[("email", typed.as_str())]))?;
    let db = db()?;
    let address = crate::site::client_address().await;
    let address_key = throttle::address_failures_key(&address);
    if let Some(c) = store::rate_count(&db.read, &address_key).await? {
        if let Err(minutes) = throttle::used_up(c.hits, c.window_start, throttle::ADDRESS, crate::time::now()) {
            tracing::warn!(key = %address_key, "sign-in refused: throttled");
            return Err(AppError::Throttled { minutes });
        }
    }
    let keys = throttle::sign_in_keys(email.as_str(), &address);
    reserve(&db.write, &keys).await?;
    let creds = store::credentials(&db.read, &email).await?;
    let ok = match hashing::verify(password, creds.as_ref().map(|c| c.password_hash.clone())).await {
        Ok(ok) => ok,
        Err(e) => {
            // Nothing was checked (busy, or our own failure): the attempt costs nothing.
            give_back(&db.write, &keys).await?;
            return Err(e);
        }
    };
    match creds {
        Some(c) if ok => {
            // The right password: this place's count for the account starts again, and the
            // account's ceiling keeps only failures.
            store::forget(&db.write, &keys[0].0).await?;
            give_back(&db.write, &keys[1..]).await?;
            if !c.active {
                tracing::info!(user_id = c.id, "sign-in refused: account deactivated");
                return Err(AppError::Conflict(
                    "This account has been deactivated. Please contact a facilitator if you think this is a mistake."
                        .into(),
                ));
            }
            // Signing in during an account's grace period is how its deletion is cancelled:
            // before the session is made, so an erasure committing meanwhile (which changes
            // the epoch) leaves a session that names nobody rather than a half-kept account.
            let cancelled = crate::privacy::store::cancel_erasure(&db.write, c.id).await?;
            session::sign_in(&session::session().await?, c.id, c.epoch).await?;
            if cancelled {
                tracing::info!(user_id = c.id, "account deletion cancelled by signing in");
                leptos_axum::redirect("/account?saved=deletion_cancelled");
            } else {
                leptos_axum::redirect("/account");
            }
            Ok(())
        }
        _ => {
            match crate::limits::take(&db.write, &address_key, throttle::ADDRESS).await {
                Ok(()) | Err(AppError::Throttled { .. }) => {}
                Err(e) => return Err(e),
            }
            Err(mismatch())
        }
    }
}

/// Reserves one attempt under each key, narrowest first, on the writer (one atomic
/// statement each, so parallel requests are counted one by one before any hashing).
/// Stops at the first refusal.
#[cfg(feature = "ssr")]
async fn reserve(pool: &sqlx::SqlitePool, keys: &[(String, crate::limits::Rate)]) -> Result<(), AppError> {
    for (key, rate) in keys {
        if let Err(e) = crate::limits::take(pool, key, *rate).await {
            tracing::warn!(%key, "password check refused: throttled");
            return Err(e);
        }
    }
    Ok(())
}

#[cfg(feature = "ssr")]
async fn give_back(pool: &sqlx::SqlitePool, keys: &[(String, crate::limits::Rate)]) -> Result<(), AppError> {
    for (key, _) in keys {
        store::give_back(pool, key).await?;
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    check(session::viewer_role().await?, Action::Public)?;
    session::sign_out(&session::session().await?).await?;
    leptos_axum::redirect("/?signed_out=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "account")]
pub async fn account() -> Result<AccountDetails, AppError> {
    let viewer = session::viewer().await?;
    check(viewer.as_ref().map(|v| v.role), Action::OwnAccount)?;
    let Some(viewer) = viewer else { return Err(AppError::NotSignedIn) };
    let a = store::account(&db()?.read, viewer.id).await?;
    Ok(AccountDetails { display_name: a.display_name, email: a.email, role: a.role, perspectives: a.perspectives })
}

/// Saves the display name and declared perspectives. Each perspective is a checkbox, so a
/// form without JavaScript can post it (a checked box sends its name, an unchecked one nothing).
#[server(prefix = "/api", endpoint = "update_profile")]
#[allow(clippy::too_many_arguments)]
pub async fn update_profile(
    display_name: String,
    service_user: Option<String>,
    carer: Option<String>,
    practitioner: Option<String>,
    commissioner: Option<String>,
    voluntary_sector: Option<String>,
    other: Option<String>,
) -> Result<(), AppError> {
    let viewer = session::viewer().await?;
    check(viewer.as_ref().map(|v| v.role), Action::OwnAccount)?;
    let Some(viewer) = viewer else { return Err(AppError::NotSignedIn) };
    let name = DisplayName::parse(&display_name)?;
    let ticked = [service_user, carer, practitioner, commissioner, voluntary_sector, other];
    let perspectives: Vec<Perspective> =
        Perspective::ALL.into_iter().zip(ticked).filter(|(_, v)| v.is_some()).map(|(p, _)| p).collect();
    store::update_profile(&db()?.write, viewer.id, &name, &perspectives).await?;
    leptos_axum::redirect("/account?saved=profile");
    Ok(())
}

#[server(prefix = "/api", endpoint = "change_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let viewer = session::viewer().await?;
    check(viewer.as_ref().map(|v| v.role), Action::OwnAccount)?;
    let Some(viewer) = viewer else { return Err(AppError::NotSignedIn) };
    let new = Password::parse("new_password", new_password)?;
    if new.expose() != confirm_password {
        return Err(AppError::invalid(
            "confirm_password",
            "The two new passwords are not the same. Please type them again.",
        ));
    }
    let db = db()?;
    recheck_password(viewer.id, current_password, "current_password").await?;
    let hash = hashing::hash(new.expose().to_string()).await?;
    let epoch = store::set_password(&db.write, viewer.id, &hash).await?;
    // Every other session ended with the epoch bump; this one continues under a new id.
    session::sign_in(&session::session().await?, viewer.id, epoch).await?;
    leptos_axum::redirect("/account?saved=password");
    Ok(())
}

/// Checks a signed-in person's password again before something that cannot be undone
/// lightly (a new password, deleting the account). Whoever holds a session can guess at
/// it, so guesses are throttled per account; `field` is the form control to blame.
#[cfg(feature = "ssr")]
pub async fn recheck_password(user_id: i64, password: String, field: &str) -> Result<(), AppError> {
    let db = db()?;
    let key = [(throttle::password_change_key(user_id), throttle::PASSWORD_CHANGE)];
    reserve(&db.write, &key).await?;
    let stored = store::password_hash(&db.read, user_id).await?;
    let ok = match hashing::verify(password, Some(stored)).await {
        Ok(ok) => ok,
        Err(e) => {
            give_back(&db.write, &key).await?;
            return Err(e);
        }
    };
    if !ok {
        return Err(AppError::invalid(field, "Your password is not right. Please try again."));
    }
    store::forget(&db.write, &key[0].0).await?;
    Ok(())
}

/// What an invitation link offers; a clear message if it is expired or used.
#[server(prefix = "/api", endpoint = "invitation")]
pub async fn invitation(token: String) -> Result<InvitationOffer, AppError> {
    check(session::viewer_role().await?, Action::Public)?;
    let db = db()?;
    let (_, role, email) = store::live_invitation(&db.read, &hash_token(&token)).await?.ok_or_else(|| {
        AppError::Conflict("This invitation link has expired or has already been used. Please ask the person who invited you for a new one.".into())
    })?;
    Ok(InvitationOffer { role, email, collaborative: store::collaborative_name(&db.read).await? })
}
