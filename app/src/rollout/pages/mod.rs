//! Roll-out pages: the sites (`/settings/sites`, facilitators), a prototype's roll-out plan
//! (`/prototypes/{id}/rollout`) and the overview (`/rollout`). Every form works without
//! JavaScript: filters are GET forms; changes post, persist, then redirect to the page that
//! shows them; a refused form comes back with what was typed.

mod overview;
mod plan;
mod sites;

pub use overview::RolloutOverviewPage;
pub use plan::RolloutPlanPage;
pub use sites::SitesPage;

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use super::RolloutStatus;
use crate::error::AppError;

/// A refusal at the top of a form, linking to the control it is about (`anchor` gives a
/// field's element id, or `None` to leave it unlinked). Only its first line is shown here:
/// a long refusal (a CSV import's) lists the rest beside its control.
pub fn error_summary(e: &AppError, anchor: impl Fn(&str) -> Option<String>) -> AnyView {
    let (text, href) = match e {
        AppError::Invalid { field, message, .. } => (
            message.lines().next().unwrap_or_default().to_string(),
            field.as_deref().and_then(&anchor).map(|id| format!("#{id}")),
        ),
        other => (other.to_string(), None),
    };
    view! {
        <div class="error-summary" role="alert">
            {match href {
                Some(href) => view! { <p><a href=href>{text}</a></p> }.into_any(),
                None => view! { <p>{text}</p> }.into_any(),
            }}
        </div>
    }
    .into_any()
}

/// A status as text (never colour alone), with a class for a border style.
#[component]
pub fn StatusText(status: RolloutStatus) -> impl IntoView {
    view! { <span class=format!("rollout-status rollout-{}", status.as_str())>{status.label()}</span> }
}

/// A link to page `page` of `base` with the area and kind filters kept.
pub fn page_href(base: &str, area: &str, kind: &str, page: i64) -> String {
    let mut q = ParamsMap::new();
    if !area.is_empty() {
        q.insert("area", area.to_string());
    }
    if !kind.is_empty() {
        q.insert("kind", kind.to_string());
    }
    if page > 0 {
        q.insert("page", page.to_string());
    }
    format!("{base}{}", q.to_query_string())
}

/// The area and kind filters as a plain GET form (the same with or without JavaScript).
#[component]
pub fn SiteFilters(
    action: &'static str,
    label: &'static str,
    areas: Vec<String>,
    kinds: Vec<String>,
    area: String,
    kind: String,
) -> impl IntoView {
    let options = |choices: Vec<String>, current: String| {
        choices
            .into_iter()
            .map(|c| {
                let selected = c.eq_ignore_ascii_case(&current);
                let text = c.clone();
                view! { <option value=c selected=selected>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <form method="get" action=action class="filters" role="search" aria-label=label>
            <div class="field">
                <label for="filter-area">"Area"</label>
                <select id="filter-area" name="area">
                    <option value="">"Any area"</option>
                    {options(areas, area)}
                </select>
            </div>
            <div class="field">
                <label for="filter-kind">"Kind of site"</label>
                <select id="filter-kind" name="kind">
                    <option value="">"Any kind"</option>
                    {options(kinds, kind)}
                </select>
            </div>
            <button type="submit" class="button">"Show"</button>
        </form>
    }
    .into_any()
}

/// The query's value for `key`, or "".
pub fn query_text(q: &ParamsMap, key: &str) -> String {
    q.get(key).unwrap_or_default()
}

/// The query's page number (`None` when absent; unreadable asks for page -1, which the
/// server refuses plainly).
pub fn query_page(q: &ParamsMap) -> Option<i64> {
    q.get("page").map(|p| p.parse::<i64>().unwrap_or(-1))
}

/// Optional filter text for a server function ("" is none).
pub fn non_empty(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}
