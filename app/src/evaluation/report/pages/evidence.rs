//! The report's evidence: "you said, we did", decisions, outcome measures, the roll-out
//! plan and the learning notes.

use leptos::prelude::*;

use crate::{
    consultations::pages::OutcomeText,
    evaluation::{
        pages::MeasureFigure,
        report::{DecisionItem, FeedbackExample, FeedbackSummary, NotesSection as Notes},
        MeasureCard,
    },
    rollout::{pages::StatusText, PlanEntry, PlanView, RolloutStatus},
};

/// 4. What became of the feedback: the counts, then a few examples quoted as consent allows.
#[component]
pub fn FeedbackSection(feedback: FeedbackSummary) -> impl IntoView {
    let FeedbackSummary { acted, not_taken, waiting, line, examples } = feedback;
    let total = acted + not_taken + waiting;
    let counts = (total > 0).then(|| {
        view! {
            <table class="report-table">
                <caption>"What became of the published feedback"</caption>
                <thead>
                    <tr><th scope="col">"Outcome"</th><th scope="col">"Pieces of feedback"</th></tr>
                </thead>
                <tbody>
                    <tr><th scope="row">"Acted on in an iteration"</th><td>{acted}</td></tr>
                    <tr><th scope="row">"Not taken forward, with a reason"</th><td>{not_taken}</td></tr>
                    <tr><th scope="row">"Waiting for an answer"</th><td>{waiting}</td></tr>
                </tbody>
            </table>
        }
        .into_any()
    });
    let examples = (!examples.is_empty()).then(|| {
        view! {
            <h3>"Some of what people said, and what we did"</h3>
            <p class="small">"Quoted only where the person agreed to be quoted, and named only where they asked to be."</p>
            <ul class="plain report-examples">
                {examples.into_iter().map(|e| view! { <Example e/> }).collect_view()}
            </ul>
        }
        .into_any()
    });
    view! {
        <section class="report-section" aria-labelledby="report-feedback">
            <h2 id="report-feedback">"You said, we did"</h2>
            <p>{line}</p>
            {counts}
            {examples}
        </section>
    }
    .into_any()
}

#[component]
fn Example(e: FeedbackExample) -> impl IntoView {
    let FeedbackExample { source, quote, by, outcome } = e;
    let said = match by {
        Some(name) => format!("{source}, by {name}"),
        None => source,
    };
    view! {
        <li class="report-example you-said">
            <p class="small">{said}</p>
            <blockquote class="report-quote">{quote}</blockquote>
            <OutcomeText outcome/>
        </li>
    }
    .into_any()
}

/// 5. Decisions: for members, each closed motion as its meeting page shows it; for others,
/// the record the prototype's timeline keeps.
#[component]
pub fn DecisionsSection(decisions: Vec<DecisionItem>, in_full: bool) -> impl IntoView {
    let body = if decisions.is_empty() {
        view! { <p>"No decision has been taken on this prototype at a collaborative meeting yet."</p> }.into_any()
    } else if in_full {
        decisions.into_iter().map(|d| view! { <Decision d/> }).collect_view().into_any()
    } else {
        view! {
            <p class="small">"Members of the collaborative can see each vote in full on its meeting's page."</p>
            <ul class="report-decisions">
                {decisions.into_iter().map(|d| view! {
                    <li><p><strong>{d.date}</strong></p><p class="decision">{d.outcome}</p></li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="report-section" aria-labelledby="report-decisions">
            <h2 id="report-decisions">"Decisions"</h2>
            {body}
        </section>
    }
    .into_any()
}

#[component]
fn Decision(d: DecisionItem) -> impl IntoView {
    let id = d.motion_id.unwrap_or_default();
    let heading = format!("decision-{id}");
    let labelled_by = heading.clone();
    let question = d.question.clone().unwrap_or_else(|| "A decision".to_string());
    let caption = format!("Votes on “{question}”");
    let meeting = d.meeting.clone().map(|(meeting, title)| {
        view! {
            <dt>"Meeting"</dt>
            <dd><a href=format!("/meetings/{meeting}#motion-{id}")>{title}</a></dd>
        }
    });
    let counts = (!d.counts.is_empty()).then(|| {
        view! {
            <table class="report-table">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">"Choice"</th><th scope="col">"Votes"</th></tr></thead>
                <tbody>
                    {d.counts.clone().into_iter().map(|(label, n)| view! {
                        <tr><th scope="row">{label}</th><td>{n}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    });
    let reasons = view! {
        {(!d.objections.is_empty()).then(|| view! { <p>{format!("Objections: {}", d.objections.join("; "))}</p> })}
        {(!d.blocks.is_empty()).then(|| view! { <p>{format!("Blocks: {}", d.blocks.join("; "))}</p> })}
    }
    .into_any();
    view! {
        <section class="report-part report-decision" aria-labelledby=labelled_by>
            <h3 id=heading>{question}</h3>
            <p class="decision"><strong>{d.outcome.clone()}</strong></p>
            <dl class="facts">
                <dt>"Decided"</dt>
                <dd>{d.date.clone()}</dd>
                {meeting}
                {d.method.clone().map(|m| view! { <dt>"How it was decided"</dt><dd>{m}</dd> })}
            </dl>
            {counts}
            {d.turnout.clone().map(|t| view! { <p class="small">{t}</p> })}
            {reasons}
        </section>
    }
    .into_any()
}

/// 6. Outcome measures: each measure's summary, progress, chart and table.
#[component]
pub fn MeasuresSection(id: i64, measures: Vec<MeasureCard>) -> impl IntoView {
    let body = if measures.is_empty() {
        view! { <p>"No outcome measures have been set for this prototype yet."</p> }.into_any()
    } else {
        measures.into_iter().map(|card| view! { <Measure card/> }).collect_view().into_any()
    };
    view! {
        <section class="report-section" aria-labelledby="report-measures">
            <h2 id="report-measures">"Outcome measures"</h2>
            {body}
            <p class="no-print small"><a href=format!("/prototypes/{id}/measures")>"All its outcome measures, with how each is measured"</a></p>
        </section>
    }
    .into_any()
}

#[component]
fn Measure(card: MeasureCard) -> impl IntoView {
    let heading = format!("report-measure-{}", card.id);
    let labelled_by = heading.clone();
    let name = card.name.clone();
    let facts = view! {
        <dl class="facts">
            {card.statement.clone().map(|s| view! { <dt>"Experience statement"</dt><dd>{s}</dd> })}
            <dt>"Which way is better"</dt>
            <dd>{card.direction.label()}</dd>
            <dt>"Baseline"</dt>
            <dd>{card.baseline.clone().unwrap_or_else(|| "None recorded.".to_string())}</dd>
            <dt>"Target"</dt>
            <dd>{card.target.clone().unwrap_or_else(|| "None set.".to_string())}</dd>
        </dl>
    }
    .into_any();
    let figure = view! { <MeasureFigure card/> }.into_any();
    view! {
        <section class="report-part report-measure" aria-labelledby=labelled_by>
            <h3 id=heading>{name}</h3>
            {facts}
            {figure}
        </section>
    }
    .into_any()
}

/// 7. Roll-out: the progress line and every site in the plan with its status.
#[component]
pub fn RolloutSection(id: i64, plan: PlanView) -> impl IntoView {
    let counts = plan.counts;
    let not_yet = (plan.entries.is_empty() && !plan.plan_allowed).then(|| match &plan.plan_stage {
        Some(start) => {
            format!("A roll-out plan starts when the prototype reaches {start}; it is at {} now.", plan.stage)
        }
        None => "This prototype's stage does not allow a roll-out plan yet.".to_string(),
    });
    let sites = (!plan.entries.is_empty()).then(|| view! { <SitesTable entries=plan.entries.clone()/> }.into_any());
    view! {
        <section class="report-section" aria-labelledby="report-rollout">
            <h2 id="report-rollout">"Roll-out"</h2>
            <p class="rollout-progress-line"><strong>{plan.progress.clone()}</strong></p>
            {(counts.total() > 0).then(|| view! {
                <ul class="inline-list plain rollout-counts" aria-label="Sites by status">
                    {RolloutStatus::ALL.into_iter().map(|s| view! {
                        <li><StatusText status=s/>{format!(": {}", counts.of(s))}</li>
                    }).collect_view()}
                </ul>
            })}
            {not_yet.map(|m| view! { <p>{m}</p> })}
            {sites}
            <p class="no-print small"><a href=format!("/prototypes/{id}/rollout")>"The roll-out plan"</a></p>
        </section>
    }
    .into_any()
}

#[component]
fn SitesTable(entries: Vec<PlanEntry>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="report-table rollout-plan">
                <caption>"Sites in the roll-out plan, by area and name, with their status"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Site"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Area"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Since"</th>
                        <th scope="col">"Live since"</th>
                        <th scope="col">"Note"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let name = if e.site.retired { format!("{} (retired)", e.site.name) } else { e.site.name.clone() };
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{e.site.kind}</td>
                                <td>{e.site.area}</td>
                                <td><StatusText status=e.status/></td>
                                <td>{e.since}</td>
                                <td>{e.live_on.unwrap_or_default()}</td>
                                <td class="report-note">{e.note}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// 8. Published learning notes about the prototype (the library is for members).
#[component]
pub fn NotesSection(id: i64, notes: Option<Notes>) -> impl IntoView {
    let body = match notes {
        None => view! { <p>"The learning library is shared with members of the collaborative."</p> }.into_any(),
        Some(n) if n.notes.is_empty() => {
            view! { <p>"No learning note about this prototype has been published yet."</p> }.into_any()
        }
        Some(Notes { notes, more }) => view! {
            <div class="table-scroll">
                <table class="report-table">
                    <caption>"Published learning notes about this prototype, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Note"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"Published"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {notes.into_iter().map(|n| view! {
                            <tr>
                                <th scope="row"><a href=format!("/library/{}", n.id)>{n.title}</a></th>
                                <td>{n.kind.label()}</td>
                                <td>{n.when}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {more.then(|| view! {
                <p class="no-print"><a href=format!("/library?prototype={id}")>"Every learning note about this prototype"</a></p>
            })}
        }
        .into_any(),
    };
    view! {
        <section class="report-section" aria-labelledby="report-notes">
            <h2 id="report-notes">"What we learned"</h2>
            {body}
        </section>
    }
    .into_any()
}
