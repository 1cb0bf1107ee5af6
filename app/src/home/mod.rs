//! The lab's home page: open consultations, recent decisions, the pipeline at a glance,
//! for the programme manager what needs her today, and for each role what they can do.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::{
    auth::policy::{allowed, Action},
    consultations::RoundSummary,
    error::AppError,
    layout::SiteResource,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub prototype_id: i64,
    pub prototype_title: String,
    pub note: String,
    pub at: String,
    pub link: String,
}

/// A stage with how many prototypes are in it (as the viewer may count them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageCount {
    pub id: i64,
    pub name: String,
    pub count: i64,
}

/// One thing waiting for the programme manager: what to say and where to go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub text: String,
    pub detail: String,
    pub href: String,
}

/// What needs the programme manager today, each list oldest or soonest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Attention {
    pub closing: Vec<Waiting>,
    pub motions: Vec<Waiting>,
    pub stale: Vec<Waiting>,
    pub paused: Vec<Waiting>,
}

impl Attention {
    pub fn is_empty(&self) -> bool {
        self.closing.is_empty() && self.motions.is_empty() && self.stale.is_empty() && self.paused.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeSummary {
    pub open_rounds: Vec<RoundSummary>,
    pub decisions: Vec<Decision>,
    /// Held and reported contributions waiting (facilitators only).
    pub waiting: Option<i64>,
    /// Stages and their prototypes (people with an account).
    pub pipeline: Vec<StageCount>,
    /// Facilitators only.
    pub attention: Option<Attention>,
}

/// A measure is due a reading when it has had none for this many days.
pub const STALE_DAYS: i64 = 90;

/// What the home page lists, as the viewer may see it: rounds they may answer, decisions
/// (for people with an account) and the moderation queue's length (facilitators).
#[server(prefix = "/api", endpoint = "load_home")]
pub async fn load_home() -> Result<HomeSummary, AppError> {
    use crate::{
        auth::session,
        consultations::{api as rounds, Audience, RoundStatus},
        state::db,
    };
    let role = session::viewer_role().await?;
    let db = db()?;
    let audiences: Vec<Audience> = Audience::ALL.into_iter().filter(|a| a.admits(role).is_ok()).collect();
    let (list, _) = rounds::list(&db.read, &audiences, 0, 5).await?;
    let open_rounds = list.into_iter().filter(|r| r.status == RoundStatus::Open).collect();
    let decisions = if allowed(role, Action::ReadPublished) {
        crate::meetings::store::recent_decisions(&db.read, 5).await?.into_iter().map(decision).collect()
    } else {
        Vec::new()
    };
    let waiting =
        if allowed(role, Action::Moderate) { Some(crate::feedback::store::waiting(&db.read).await?) } else { None };
    let pipeline = if allowed(role, Action::ReadPublished) {
        store::pipeline(&db.read, allowed(role, Action::ReadDrafts))
            .await?
            .into_iter()
            .map(|r| StageCount { id: r.id, name: r.name, count: r.n })
            .collect()
    } else {
        Vec::new()
    };
    let attention = if allowed(role, Action::RunMeetings) { Some(attention(&db.read).await?) } else { None };
    Ok(HomeSummary { open_rounds, decisions, waiting, pipeline, attention })
}

#[cfg(feature = "ssr")]
async fn attention(pool: &sqlx::SqlitePool) -> Result<Attention, AppError> {
    use crate::time::{now, today, when};
    let now = now();
    let stale_before = (today() - chrono::Duration::days(STALE_DAYS)).format("%Y-%m-%d").to_string();
    let row = store::attention(pool, now, now + 7 * 24 * 3600, &stale_before).await?;
    let day = crate::days::long_date;
    Ok(Attention {
        closing: row
            .closing
            .0
            .into_iter()
            .map(|(id, title, closes)| Waiting {
                text: title,
                detail: format!("closes {}", when(closes)),
                href: format!("/consultations/{id}"),
            })
            .collect(),
        motions: row
            .motions
            .0
            .into_iter()
            .map(|(meeting, motion, question)| Waiting {
                text: question,
                detail: "voting is open".into(),
                href: format!("/meetings/{meeting}#motion-{motion}"),
            })
            .collect(),
        stale: row
            .stale
            .0
            .into_iter()
            .map(|(prototype, title, measure, name, last)| Waiting {
                text: format!("{name} ({title})"),
                detail: if last.is_empty() { "no reading yet".into() } else { format!("last reading {}", day(&last)) },
                href: format!("/prototypes/{prototype}/measures/{measure}"),
            })
            .collect(),
        paused: row
            .paused
            .0
            .into_iter()
            .map(|(prototype, title, site, since)| Waiting {
                text: format!("{title} at {site}"),
                detail: format!("paused since {}", day(&since)),
                href: format!("/prototypes/{prototype}/rollout"),
            })
            .collect(),
    })
}

/// A decision as the home page lists it, linking to its motion on the meeting page.
#[cfg(feature = "ssr")]
fn decision(d: crate::meetings::store::DecisionRow) -> Decision {
    Decision {
        prototype_id: d.prototype_id,
        prototype_title: d.prototype_title,
        note: d.note,
        at: crate::time::when(d.at),
        link: format!("/meetings/{}#motion-{}", d.meeting_id.unwrap_or_default(), d.motion_id.unwrap_or_default()),
    }
}

#[component]
fn Summary() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_home());
    view! {
        <Suspense fallback=|| ()>
            {move || data.get().and_then(Result::ok).map(|s| view! {
                {s.waiting.filter(|n| *n > 0).map(|n| view! {
                    <p class="notice"><a href="/moderation">{format!("{n} contributions wait for moderation")}</a>", oldest first."</p>
                })}
                {s.attention.map(|a| view! { <NeedsYou a/> })}
                {(!s.pipeline.is_empty()).then(|| view! { <Pipeline stages=s.pipeline.clone()/> })}
                <section aria-labelledby="open-rounds-heading">
                    <h2 id="open-rounds-heading">"Open consultations"</h2>
                    {if s.open_rounds.is_empty() { view! { <p>"No consultation is open just now."</p> }.into_any() } else { view! {
                        <ul class="link-list">
                            {s.open_rounds.into_iter().map(|r| view! {
                                <li><a href=format!("/consultations/{}", r.id)>{r.title.clone()}</a>{format!(" · on {} · closes {}", r.prototype_title, r.closes)}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any() }}
                </section>
                {(!s.decisions.is_empty()).then(|| view! {
                    <section aria-labelledby="decisions-heading">
                        <h2 id="decisions-heading">"Recent decisions"</h2>
                        <ul class="plain">
                            {s.decisions.into_iter().map(|d| view! {
                                <li><p><a href=format!("/prototypes/{}", d.prototype_id)>{d.prototype_title}</a>{format!(" · {}", d.at)}</p><p class="small">{d.note}" "<a href=d.link>"See the meeting"</a></p></li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
            })}
        </Suspense>
    }
}

/// The pipeline at a glance: each stage with its count, linking to the list at that stage.
#[component]
fn Pipeline(stages: Vec<StageCount>) -> impl IntoView {
    view! {
        <section aria-labelledby="pipeline-heading">
            <h2 id="pipeline-heading">"The pipeline"</h2>
            <ol class="pipeline">
                {stages.into_iter().map(|s| view! {
                    <li>
                        <a href=format!("/prototypes?view=list&stage={}", s.id)>
                            <span class="pipeline-count">{s.count.to_string()}</span>
                            " "<span class="pipeline-stage">{s.name}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ol>
            <p class="small"><a href="/prototypes">"See the board"</a></p>
        </section>
    }
}

/// What needs the programme manager today (facilitators), or a plain word that nothing does.
#[component]
fn NeedsYou(a: Attention) -> impl IntoView {
    let empty = a.is_empty();
    let list = |id: &'static str, heading: &'static str, items: Vec<Waiting>| {
        (!items.is_empty()).then(|| view! {
            <h3 id=id>{heading}</h3>
            <ul class="link-list" aria-labelledby=id>
                {items.into_iter().map(|w| view! { <li><a href=w.href>{w.text}</a>{format!(" · {}", w.detail)}</li> }).collect_view()}
            </ul>
        })
    };
    view! {
        <section aria-labelledby="needs-heading" class="needs-you">
            <h2 id="needs-heading">"What needs you today"</h2>
            {empty.then(|| view! { <p>"Nothing is waiting: no round closes this week, no vote is open, every measure has a recent reading and no roll-out is paused."</p> })}
            {list("needs-closing", "Consultations closing this week", a.closing)}
            {list("needs-motions", "Votes open", a.motions)}
            {list("needs-stale", "Measures with no reading for 90 days", a.stale)}
            {list("needs-paused", "Roll-outs paused", a.paused)}
        </section>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let info = expect_context::<SiteResource>();
    let signed_out = move || use_query_map().with(|q| q.get("signed_out").is_some());
    view! {
        <Title text=""/>
        {move || signed_out().then(|| view! { <p class="notice" role="status">"You have signed out."</p> })}
        <h1>"Welcome to the Living Well Lab"</h1>
        <p class="lead">
            "Commissioners, NHS and council services, voluntary groups, service users and carers "
            "design adult mental-health services here together, as equal partners."
        </p>
        <p><a href="/vision">"Our vision: what all this work is for"</a></p>
        <Summary/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || info.get().map(|i| {
                let user = i.ok().and_then(|i| i.user);
                match user {
                    Some(u) => view! {
                        <h2>{format!("Hello, {}", u.display_name)}</h2>
                        <p>{format!("You are signed in as: {}.", u.role.label())}</p>
                        <ul class="link-list">
                            <li><a href="/prototypes">"The prototypes the collaborative is working on"</a></li>
                            <li><a href="/account">"Your account and the perspectives you speak from"</a></li>
                            {allowed(Some(u.role), Action::ManageMembers).then(|| view! {
                                <li><a href="/members">"Members, roles and invitations"</a></li>
                                <li><a href="/settings">"Stages and experience statements"</a></li>
                                <li><a href="/report">"The collaborative's report: the pipeline, rounds, decisions and measures over a period"</a></li>
                            })}
                        </ul>
                    }.into_any(),
                    None => view! {
                        <h2>"How to take part"</h2>
                        <p>
                            "To read the prototypes the collaborative is working on, comment and answer consultations, "
                            <a href="/register">"create an account"</a> " or " <a href="/login">"sign in"</a> "."
                        </p>
                        <p>"You can say whether you speak as a service user, a carer, a practitioner or another perspective. You never have to."</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
