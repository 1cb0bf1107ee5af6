//! Safeguarding: crisis signposting on every feedback form, triage that holds worrying
//! contributions for a moderator, and the audit log of every look at a held item.

pub mod api;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod store;
pub mod triage;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::layout::SiteResource;

/// The UK default, in Markdown (facilitators can replace it in Settings).
pub const DEFAULT_CRISIS: &str = "If you are struggling or feel unsafe, you do not have to wait:\n\n\
- Call Samaritans free, any time, on [116 123](tel:116123).\n\
- Call NHS 111 and choose option 2 for mental-health support.\n\
- In an emergency, call [999](tel:999) or go to A&E.\n";

/// The signposting as safe HTML. Every page shows it, so the last rendering is kept: the
/// HTML is a pure function of the text, and a changed text is simply rendered afresh.
#[cfg(feature = "ssr")]
pub fn crisis_html(custom: Option<&str>) -> String {
    use std::sync::Mutex;
    static LAST: Mutex<Option<(String, String)>> = Mutex::new(None);
    let text = custom.filter(|t| !t.trim().is_empty()).unwrap_or(DEFAULT_CRISIS);
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    match &*last {
        Some((source, html)) if source == text => html.clone(),
        _ => {
            let html = crate::markdown::render(text);
            *last = Some((text.to_string(), html.clone()));
            html
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafeguardingSettings {
    pub crisis_text: String,
    pub phrases: String,
    pub using_default_phrases: bool,
}

impl SafeguardingSettings {
    /// The settings form's contents: the collaborative's own text and phrases, or the
    /// defaults where it has none (an empty phrase list is the default list).
    pub fn from_stored(crisis: Option<String>, custom: Option<String>) -> SafeguardingSettings {
        let using_default_phrases = custom.as_deref().map(triage::parse_phrases).is_none_or(|p| p.is_empty());
        SafeguardingSettings {
            crisis_text: crisis.unwrap_or_else(|| DEFAULT_CRISIS.to_string()),
            phrases: if using_default_phrases {
                triage::default_phrases().join("\n")
            } else {
                custom.unwrap_or_default()
            },
            using_default_phrases,
        }
    }
}

/// The collaborative's crisis signposting. Shown on every page (footer) and again, first,
/// on every response and comment form and after a contribution is held.
#[component]
pub fn Signposting(
    #[prop(default = "Need help now?")] heading: &'static str,
    #[prop(into, default = "crisis-heading".to_string())] id: String,
) -> impl IntoView {
    let site = use_context::<SiteResource>();
    let labelled = id.clone();
    view! {
        <section class="crisis" aria-labelledby=labelled>
            <h2 id=id>{heading}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    let html = site.and_then(|s| s.get()).and_then(Result::ok).map(|s| s.crisis_html);
                    html.map(|h| view! { <div inner_html=h></div> })
                }}
            </Suspense>
            <p class="small">"This site is not watched around the clock, so please do not wait for a reply here if you need help now."</p>
        </section>
    }
}

/// What a person sees when their words were held: kind, plain, and the numbers first.
#[component]
pub fn HeldMessage() -> impl IntoView {
    view! {
        <div class="held" role="status">
            <h2>"Thank you for telling us. Please look after yourself."</h2>
            <p>"Something you wrote made us want to check you are safe. What you wrote is saved, and a member of our team will read it before it is shared with anyone. That can take a day or two, so if you need help now, please use one of these:"</p>
            <Signposting heading="Help you can get right now" id="held-help"/>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_form_shows_the_defaults_where_none_are_set() {
        let s = SafeguardingSettings::from_stored(None, None);
        assert_eq!(s.crisis_text, DEFAULT_CRISIS);
        assert!(s.using_default_phrases);
        assert_eq!(s.phrases, triage::default_phrases().join("\n"));
        assert!(SafeguardingSettings::from_stored(None, Some("  \n".into())).using_default_phrases);
        let s = SafeguardingSettings::from_stored(Some("Call us".into()), Some("worried".into()));
        assert_eq!(
            (s.crisis_text.as_str(), s.phrases.as_str(), s.using_default_phrases),
            ("Call us", "worried", false)
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_kept_crisis_html_follows_a_changed_text() {
        let default = crisis_html(None);
        assert!(default.contains("116 123"));
        assert_eq!(crisis_html(Some("  ")), default, "blank is the default");
        let custom = crisis_html(Some("Call **the team** on 0800"));
        assert_eq!(custom, crate::markdown::render("Call **the team** on 0800"));
        assert_eq!(crisis_html(None), default, "back to the default when the text is cleared");
    }
}
