//! Safeguarding settings (facilitators).

use leptos::prelude::*;

use super::SafeguardingSettings;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::{
    auth::policy::{require, Action},
    state::db,
};

#[server(prefix = "/api", endpoint = "load_safeguarding")]
pub async fn load_safeguarding() -> Result<SafeguardingSettings, AppError> {
    require(Action::ManageSettings).await?;
    let stored = super::store::settings(&db()?.read).await?;
    Ok(SafeguardingSettings::from_stored(stored.crisis_text, stored.triage_phrases))
}

/// Saves the crisis text and triage phrases. Empty means "use the default", so the
/// signposting can never be blanked by accident.
#[server(prefix = "/api", endpoint = "update_safeguarding")]
pub async fn update_safeguarding(crisis_text: String, phrases: String) -> Result<(), AppError> {
    require(Action::ManageSettings).await?;
    let keep = |e: AppError| e.keeping(&[("crisis_text", crisis_text.as_str()), ("phrases", phrases.as_str())]);
    if crisis_text.len() > 4000 {
        return Err(keep(AppError::invalid("crisis_text", "Please keep the crisis text under 4,000 characters.")));
    }
    if phrases.len() > 20_000 {
        return Err(keep(AppError::invalid("phrases", "Please keep the phrase list under 20,000 characters.")));
    }
    let crisis = Some(crisis_text.trim()).filter(|t| !t.is_empty() && *t != super::DEFAULT_CRISIS.trim());
    let list = super::triage::parse_phrases(&phrases);
    let custom = (!list.is_empty() && list != super::triage::default_phrases()).then(|| list.join("\n"));
    super::store::save(&db()?.write, crisis, custom.as_deref()).await?;
    leptos_axum::redirect("/settings?saved=safeguarding#safeguarding-heading");
    Ok(())
}
