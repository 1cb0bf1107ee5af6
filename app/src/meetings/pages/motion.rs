//! One motion: what is asked, how it is decided, the vote form, and the (live) tally.

use leptos::prelude::*;

use crate::{
    error::AppError,
    meetings::{
        api::{CastVote, CloseMotion, OpenMotion},
        Attendance, Method, MotionStatus, MotionView, Tally,
    },
    ui::{action_error, TextBox},
};

#[derive(Clone, Copy)]
pub struct MotionActions {
    pub vote: ServerAction<CastVote>,
    pub open: ServerAction<OpenMotion>,
    pub close: ServerAction<CloseMotion>,
}

impl MotionActions {
    pub fn new() -> Self {
        MotionActions { vote: ServerAction::new(), open: ServerAction::new(), close: ServerAction::new() }
    }
    pub fn version(&self) -> (usize, usize, usize) {
        (self.vote.version().get(), self.open.version().get(), self.close.version().get())
    }
    pub fn error(&self) -> Signal<Option<AppError>> {
        let (v, o, c) = (action_error(self.vote), action_error(self.open), action_error(self.close));
        Signal::derive(move || v.get().or_else(|| o.get()).or_else(|| c.get()))
    }
}

impl Default for MotionActions {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn MotionBlock(
    m: MotionView,
    meeting: i64,
    actions: MotionActions,
    my_attendance: Option<Attendance>,
    fac: bool,
    /// The agenda item's prototype, for the "Add what we learned" prompt once decided.
    prototype: Option<i64>,
) -> impl IntoView {
    let id = m.id;
    let learn = (fac && m.status == MotionStatus::Closed).then(|| {
        use crate::library::{rules::new_note_href, EvidenceKind, EvidenceRef};
        let evidence = [
            EvidenceRef { kind: EvidenceKind::Decision, id },
            EvidenceRef { kind: EvidenceKind::Meeting, id: meeting },
        ];
        new_note_href(prototype, None, &evidence)
    });
    let quorum = match (m.quorum.votes, m.quorum.lived) {
        (0, 0) => "No quorum.".to_string(),
        (v, 0) => format!("Quorum: at least {v} votes."),
        (v, l) => format!("Quorum: at least {v} votes, of which at least {l} from service users or carers."),
    };
    let ballot = format!(
        "{}{}{}",
        if m.secret {
            "Secret ballot: who voted is recorded, not what they chose. "
        } else {
            "Open ballot: names are shown with choices. "
        },
        // Each +1 of a secret ballot's live tally would reveal the vote just cast.
        if m.hide_results || m.secret { "Results are hidden until voting closes. " } else { "" },
        if m.present_only { "Only people marked present may vote." } else { "Collaborative members may vote." }
    );
    let status = match m.status {
        MotionStatus::Draft => "Not open for voting yet".to_string(),
        MotionStatus::Open => {
            format!("Open for voting{}", m.closes.clone().map(|c| format!(" until {c}")).unwrap_or_default())
        }
        MotionStatus::Closed => "Closed".to_string(),
    };
    let can_vote = m.status == MotionStatus::Open
        && (!m.present_only || matches!(my_attendance, Some(Attendance::InPerson | Attendance::Online)));
    let heading = format!("motion-{id}-heading");
    let labelled = heading.clone();
    view! {
        <section class="motion" id=format!("motion-{id}") aria-labelledby=labelled>
            <h4 id=heading>{format!("Motion: {}", m.question)}</h4>
            {(!m.background_html.is_empty()).then(|| view! { <div class="prose" inner_html=m.background_html.clone()></div> })}
            <p class="small">{m.method.label()}". "{quorum}" "{ballot}" "<a href="/vision">"Our vision and values"</a></p>
            {m.action.clone().map(|a| view! { <p><strong>{a}</strong></p> })}
            <p><span class="badge">{status}</span></p>
            {m.decision.clone().map(|d| view! { <p class="decision"><strong>"Decision: "</strong>{d}</p> })}
            {learn.map(|href| view! { <p><a href=href>"Add what we learned"</a>" from this decision to the learning library."</p> })}
            <div aria-live="polite">
                <LiveTally meeting motion=id open=m.status == MotionStatus::Open turnout=m.turnout tally=m.tally.clone()/>
            </div>
            {(!m.ballots.is_empty()).then(|| view! {
                <details>
                    <summary>"Who voted how"</summary>
                    <ul class="plain">
                        {m.ballots.iter().map(|b| view! { <li>{format!("{}: {}{}", b.name, b.choice, if b.reason.is_empty() { String::new() } else { format!(" (“{}”)", b.reason) })}</li> }).collect_view()}
                    </ul>
                </details>
            })}
            {(!m.breakdown.is_empty()).then(|| view! {
                <table>
                    <caption>{if m.secret { "Votes by perspective (a group is shown only when it, and everyone outside it, is 5 or more people)" } else { "Votes by perspective" }}</caption>
                    <thead><tr><th scope="col">"Perspective"</th><th scope="col">"Voters"</th><th scope="col">"Choices"</th></tr></thead>
                    <tbody>
                        {m.breakdown.iter().map(|(g, n, c)| view! {
                            <tr><th scope="row">{g.clone()}</th><td>{*n}</td><td>{c.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {m.my_vote.clone().map(|(choice, reason, _)| view! {
                <p class="notice">{if choice == "secret" { "You have voted (secret ballot).".to_string() } else { format!("Your vote: {choice}{}", if reason.is_empty() { String::new() } else { format!(" (“{reason}”)") }) }}
                    {(!m.secret && m.status == MotionStatus::Open).then_some(" You can change it until voting closes.")}</p>
            })}
            {(can_vote && !(m.secret && m.my_vote.is_some())).then(|| view! { <VoteForm m=m.clone() action=actions.vote/> })}
            {(m.status == MotionStatus::Open && !can_vote && m.present_only).then(|| view! { <p>"Only people marked present may vote on this motion."</p> })}
            {fac.then(|| match m.status {
                MotionStatus::Draft => view! {
                    <ActionForm action=actions.open attr:class="inline-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <label for=format!("hours-{id}")>"Voting stays open for (hours, optional)"</label>
                        <input id=format!("hours-{id}") name="hours" type="number" min="1" max="336"/>
                        <button type="submit" class="button small">"Open voting"</button>
                    </ActionForm>
                }.into_any(),
                MotionStatus::Open => view! {
                    <ActionForm action=actions.close attr:class="inline-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <button type="submit" class="button small">"Close voting and record the decision"</button>
                    </ActionForm>
                }.into_any(),
                MotionStatus::Closed => ().into_any(),
            })}
        </section>
    }
}

/// Turnout and tally, kept current while voting is open: the page is server HTML, and this
/// island (the one part of a meeting that runs in the browser) polls every 5 seconds. It
/// replaces only itself, so the forms on the page and anything typed in them are untouched.
#[island]
fn LiveTally(meeting: i64, motion: i64, open: bool, turnout: i64, tally: Option<Tally>) -> impl IntoView {
    let current = RwSignal::new((turnout, tally));
    #[cfg(feature = "hydrate")]
    if open {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    let Ok(all) = crate::meetings::api::live_tallies(meeting).await else { return };
                    if let Some(x) = all.into_iter().find(|x: &crate::meetings::LiveMotion| x.id == motion) {
                        current.set((x.turnout, x.tally));
                    }
                })
            },
            std::time::Duration::from_secs(5),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (meeting, motion, open);
    view! {
        {move || {
            let (turnout, tally) = current.get();
            view! {
                <p>{format!("Votes so far: {turnout}")}</p>
                {tally.map(|t| view! { <TallyTable t/> })}
            }
        }}
    }
}

#[component]
fn TallyTable(t: Tally) -> impl IntoView {
    view! {
        <table>
            <caption>{t.summary.clone()}</caption>
            <thead><tr><th scope="col">{if t.method == Method::Approval { "Option" } else { "Choice" }}</th><th scope="col">"Votes"</th></tr></thead>
            <tbody>{t.counts.iter().map(|(l, c)| view! { <tr><td>{l.clone()}</td><td>{*c}</td></tr> }).collect_view()}</tbody>
        </table>
        <p class="small">{format!("{} votes, {} from service users or carers. Quorum {}.", t.turnout, t.lived_turnout, if t.quorum_met { "met" } else { "not met" })}</p>
        {(!t.objections.is_empty()).then(|| view! { <p>"Objections: "{t.objections.join("; ")}</p> })}
        {(!t.blocks.is_empty()).then(|| view! { <p>"Blocks: "{t.blocks.join("; ")}</p> })}
    }
}

#[component]
fn VoteForm(m: MotionView, action: ServerAction<CastVote>) -> impl IntoView {
    let error = action_error(action);
    let id = m.id;
    let mine = m.my_vote.clone();
    let current = mine.as_ref().map(|v| v.0.clone()).unwrap_or_default();
    let reason_now = mine.as_ref().map(|v| v.1.clone()).unwrap_or_default();
    let message = move |f: &'static str| {
        move || error.get().and_then(|e| e.for_field(f)).map(|e| view! { <p class="field-error">{e}</p> })
    };
    view! {
        <ActionForm action attr:class="form vote-form">
            <input type="hidden" name="motion" value=id.to_string()/>
            <fieldset class="field">
                <legend>{if mine.is_some() { "Change your vote" } else { "Your vote" }}</legend>
                {message("choice")}{message("options")}
                {if m.method == Method::Approval {
                    view! {
                        <input type="hidden" name="choice" value="approve"/>
                        {m.options.iter().map(|(oid, label)| {
                            let cid = format!("opt-{id}-{oid}");
                            let checked = mine.as_ref().is_some_and(|v| v.2.contains(oid));
                            view! { <div class="check"><input type="checkbox" id=cid.clone() name="options[]" value=oid.to_string() checked=checked/><label for=cid>{label.clone()}</label></div> }
                        }).collect_view()}
                    }.into_any()
                } else {
                    m.method.choices().iter().map(|c| {
                        let cid = format!("vote-{id}-{}", c.as_str());
                        view! {
                            <div class="check">
                                <input type="radio" id=cid.clone() name="choice" value=c.as_str() checked=current == c.as_str()/>
                                <label for=cid>{c.label()}</label>
                            </div>
                        }
                    }).collect_view().into_any()
                }}
            </fieldset>
            {(m.method == Method::Consent).then(|| view! {
                <div class="field">
                    <label for=format!("reason-{id}")>"Your reason (needed for an objection or a block)"</label>
                    {message("reason")}
                    <TextBox text=reason_now.clone() attr:id=format!("reason-{id}") attr:name="reason" attr:rows="2"/>
                </div>
            })}
            <button type="submit" class="button">{if mine.is_some() { "Change my vote" } else { "Vote" }}</button>
        </ActionForm>
    }
}
