//! Evaluation report benchmark data (issue 12, scripts/bench-report.sh): on a database
//! `seed-bench` filled, one published prototype gets what a well-used prototype's report
//! reads: 5 closed consultation rounds × 2,000 responses from distinct accounts (declared
//! perspectives, statement ratings, a scale and free text), 10 outcome measures × 1,000
//! readings over about three years plus 2 rating measures, 48 GP practices in 4 areas with
//! 15 live, 5 paused and the rest planned, a few "you said, we did" outcomes, two decided
//! motions and some learning notes. Written straight to the tables in a few transactions
//! (the same SQL shapes as `bench` and `demo_evaluation`), with each timeline event as the
//! app records it. Deterministic: every varied value is arithmetic on its position.

use app::{
    auth::Perspective,
    meetings::{rules as meeting_rules, Choice, Method, Quorum},
    prototypes::timeline::{record_event, NewEvent},
    state::Db,
};

use crate::{bench::BENCH_EMAIL, cli::CliError};

/// Closed rounds on the prototype, one per iteration.
pub const ROUNDS: usize = 5;
/// Responses to each round, each from a different account.
pub const RESPONSES: usize = 2_000;
/// Accounts that answer: each round draws 2,000 of them, overlapping the previous round's.
const ACCOUNTS: usize = 6_000;
/// Readings per typed measure.
pub const READINGS: usize = 1_000;
/// The span the readings cover, in days (about three years).
const SPAN_DAYS: usize = 1_095;
/// Roll-out: the first 15 practices live, the next 5 paused, the rest planned.
const LIVE: usize = 15;
const PAUSED: usize = 5;
const DAY: i64 = 86_400;

const FIRST_NAMES: [&str; 16] = [
    "Aisha", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Harry", "Imran", "Jess", "Kwame", "Laura", "Mo", "Nina",
    "Owen", "Priya",
];
const LAST_NAMES: [&str; 12] =
    ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis"];

/// Experience statements the prototype addresses (added when the database has fewer).
const STATEMENTS: [(&str, &str); 3] = [
    ("I can get help when I need it, and get back in easily if I need it again", "easy in, easy out"),
    ("I have one plan, with one person coordinating my care and support", "one plan, one person coordinating"),
    ("I am supported to recover and stay well in my own community", "recovery close to home"),
];

const ROUND_TITLES: [&str; ROUNDS] = [
    "First thoughts on one front door",
    "The evening line",
    "Guides and coordinated plans",
    "Weekends and text messages",
    "Before the roll-out",
];

/// Free text, two sentences an answer, combined by position so answers vary.
const SAID: [&str; 10] = [
    "Nobody answers the phone after 5pm, which is when I need it most.",
    "One phone number would help: I never know who to call.",
    "The waiting put me off last time and I gave up.",
    "As a carer I want to be able to call on my son's behalf.",
    "A drop-in at my surgery would suit me better than the phone.",
    "Please make it clear what happens after I call.",
    "My guide rang me back the same day, which made a real difference.",
    "I had to tell my story three times before anyone could help.",
    "Text messages are easier for me than talking on the phone.",
    "Getting back in after discharge should not need a new referral.",
];
const SAID_MORE: [&str; 6] = [
    "It would make me more likely to ask for help early.",
    "I would use it at weekends if it were open.",
    "The guide should know my plan before we meet.",
    "Letters arriving after the appointment do not help.",
    "A quiet room at the surgery would make it easier to talk.",
    "Peer supporters who have been through it are the ones I trust.",
];

const AREAS: [&str; 4] = ["Northfield", "Riverside Central", "Eastgate", "Westmoor"];
const PRACTICE_NAMES: [&str; 12] = [
    "Abbey",
    "Brook Lane",
    "Castle Street",
    "Dale View",
    "Elm Tree",
    "Fairfield",
    "Green Park",
    "High Street",
    "Kingsway",
    "Lakeside",
    "Mill House",
    "Orchard",
];
const PRACTICE_KINDS: [&str; 4] = ["Medical Centre", "Health Centre", "Surgery", "Family Practice"];

/// One answer row to insert: question, statement, number, text.
type AnswerCells = (i64, Option<i64>, Option<i64>, Option<String>);

/// An outcome measure with typed readings.
struct BenchMeasure {
    name: &'static str,
    method: &'static str,
    kind: &'static str,
    unit: &'static str,
    direction: &'static str,
    baseline: f64,
    target: f64,
    source: &'static str,
}

const MEASURES: [BenchMeasure; 10] = [
    BenchMeasure {
        name: "Days waited for a first appointment",
        method: "The median number of calendar days between a person first asking for help and their first appointment with a guide, from the Hub's booking system.",
        kind: "number",
        unit: "days",
        direction: "lower",
        baseline: 28.0,
        target: 7.0,
        source: "Hub booking system",
    },
    BenchMeasure {
        name: "People supported in primary care",
        method: "Of the people referred to secondary mental-health care, the share seen and supported in primary care instead, from the referral audit.",
        kind: "percentage",
        unit: "%",
        direction: "higher",
        baseline: 31.0,
        target: 60.0,
        source: "Referral audit",
    },
    BenchMeasure {
        name: "Re-referred within 90 days",
        method: "The share of people discharged who were referred again within 90 days.",
        kind: "percentage",
        unit: "%",
        direction: "lower",
        baseline: 40.0,
        target: 10.0,
        source: "Secondary care records",
    },
    BenchMeasure {
        name: "Calls answered within two minutes",
        method: "The share of calls to the Hub answered by a person within two minutes, from the telephony report.",
        kind: "percentage",
        unit: "%",
        direction: "higher",
        baseline: 55.0,
        target: 90.0,
        source: "Telephony report",
    },
    BenchMeasure {
        name: "People seen by a peer supporter",
        method: "People who met a peer supporter at a practice, counted by the peer supporters' log.",
        kind: "number",
        unit: "people",
        direction: "higher",
        baseline: 12.0,
        target: 60.0,
        source: "Peer supporters' log",
    },
    BenchMeasure {
        name: "Mental-health presentations at A&E",
        method: "Presentations at the emergency department with a mental-health need, from the hospital's weekly return.",
        kind: "number",
        unit: "people",
        direction: "lower",
        baseline: 35.0,
        target: 20.0,
        source: "Hospital weekly return",
    },
    BenchMeasure {
        name: "Days from first contact to a plan",
        method: "The median number of days between first contact and an agreed plan with one coordinator.",
        kind: "number",
        unit: "days",
        direction: "lower",
        baseline: 42.0,
        target: 14.0,
        source: "Practice audit",
    },
    BenchMeasure {
        name: "Evening contacts handled",
        method: "Contacts after 5pm handled by the evening line, phone and text.",
        kind: "number",
        unit: "contacts",
        direction: "higher",
        baseline: 5.0,
        target: 40.0,
        source: "Hub booking system",
    },
    BenchMeasure {
        name: "People with one coordinated plan",
        method: "Of the people supported, the share with a single plan and one named coordinator.",
        kind: "percentage",
        unit: "%",
        direction: "higher",
        baseline: 18.0,
        target: 70.0,
        source: "Practice audit",
    },
    BenchMeasure {
        name: "Appointments missed",
        method: "The share of booked appointments with a guide that the person did not attend and did not cancel.",
        kind: "percentage",
        unit: "%",
        direction: "lower",
        baseline: 22.0,
        target: 10.0,
        source: "Hub booking system",
    },
];

/// The perspectives account `a` declares (positions in `Perspective::ALL`): most one,
/// skewed (few commissioners), some none, a few two.
fn declared(a: usize) -> &'static [usize] {
    match a % 20 {
        0..=7 => &[0],
        8..=11 => &[1],
        12..=14 => &[2],
        15 => &[3],
        16 => &[4],
        17 => &[5],
        18 if a % 60 == 18 => &[0, 1],
        _ => &[],
    }
}

/// A deterministic value in [-1, 1] for position (`a`, `b`).
fn wobble(a: usize, b: usize) -> f64 {
    let h = (a as u64).wrapping_mul(2_654_435_761).wrapping_add((b as u64).wrapping_mul(40_503)) % 10_007;
    h as f64 / 10_007.0 * 2.0 - 1.0
}

/// The calendar day `days` ago, as stored.
fn day_ago(days: i64) -> String {
    app::days::iso(app::time::today() - chrono::Duration::days(days))
}

/// Seeds the report's data and returns the prototype's id (its report is
/// `/prototypes/{id}/report`). Refuses a database without published prototypes.
pub async fn seed(db: &Db) -> Result<i64, CliError> {
    let err = |e: sqlx::Error| CliError(e.to_string());
    let now = app::time::now();
    let (author, hash): (i64, String) = sqlx::query_as("SELECT id, password_hash FROM users WHERE email = ?")
        .bind(BENCH_EMAIL)
        .fetch_one(&db.read)
        .await
        .map_err(err)?;
    // A published prototype at an open stage before Implementing, from the middle.
    let candidates: Vec<i64> = sqlx::query_scalar(
        "SELECT p.id FROM prototypes p JOIN stages s ON s.id = p.stage_id
         WHERE p.iteration_count > 0 AND s.kind = 'open' AND s.rollout_from = 0 ORDER BY p.id",
    )
    .fetch_all(&db.read)
    .await
    .map_err(err)?;
    let prototype = *candidates
        .get(candidates.len() / 2)
        .ok_or_else(|| CliError("Seed prototypes first (seed-bench --prototypes N).".into()))?;
    let (iterations, from_stage): (i64, i64) =
        sqlx::query_as("SELECT iteration_count, stage_id FROM prototypes WHERE id = ?")
            .bind(prototype)
            .fetch_one(&db.read)
            .await
            .map_err(err)?;
    let implementing: i64 =
        sqlx::query_scalar("SELECT id FROM stages WHERE rollout_from = 1 AND retired = 0 ORDER BY position LIMIT 1")
            .fetch_optional(&db.read)
            .await
            .map_err(err)?
            .ok_or_else(|| CliError("No stage is marked as the one roll-out plans start from.".into()))?;

    // Accounts, their perspectives, and the statements the prototype addresses.
    let mut tx = db.write.begin().await.map_err(err)?;
    let mut accounts = Vec::with_capacity(ACCOUNTS);
    for a in 0..ACCOUNTS {
        let name = format!("{} {}", FIRST_NAMES[a % FIRST_NAMES.len()], LAST_NAMES[(a / 7) % LAST_NAMES.len()]);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, display_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(format!("person{a}@report.bench.test"))
        .bind(name)
        .bind(&hash)
        .bind(if a % 40 == 0 { "member" } else { "contributor" })
        .bind(now - 1_200 * DAY + a as i64 * 3_600)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        for p in declared(a) {
            sqlx::query("INSERT INTO user_perspectives (user_id, perspective) VALUES (?, ?)")
                .bind(id)
                .bind(Perspective::ALL[*p].as_str())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        accounts.push(id);
    }
    let mut statements: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM experience_statements WHERE retired = 0 ORDER BY position, id LIMIT 3")
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
    for (text, short) in STATEMENTS.iter().skip(statements.len()) {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO experience_statements (text, short_name, position)
             VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM experience_statements)) RETURNING id",
        )
        .bind(text)
        .bind(short)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        statements.push(id);
    }
    for s in &statements {
        sqlx::query("INSERT OR IGNORE INTO prototype_statements (prototype_id, statement_id) VALUES (?, ?)")
            .bind(prototype)
            .bind(s)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
    }
    sqlx::query("UPDATE prototypes SET draft_links = json_set(draft_links, '$.statements', json(?)) WHERE id = ?")
        .bind(serde_json::to_string(&statements).map_err(|e| CliError(e.to_string()))?)
        .bind(prototype)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    tx.commit().await.map_err(err)?;

    // Five closed rounds, one transaction each: 2,000 responses from distinct accounts.
    for k in 0..ROUNDS {
        let mut tx = db.write.begin().await.map_err(err)?;
        let iteration = (k as i64 + 1).min(iterations);
        let opens = now - (1_050 - 200 * k as i64) * DAY;
        let closes = opens + 28 * DAY;
        let title = format!("Round {}: {}", k + 1, ROUND_TITLES[k]);
        let purpose = "We are testing one front door for help. Tell us what would make it work for you.";
        let round: i64 = sqlx::query_scalar(
            "INSERT INTO rounds (prototype_id, iteration_number, title, purpose, purpose_html, audience, opens_at, closes_at, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(prototype)
        .bind(iteration)
        .bind(&title)
        .bind(purpose)
        .bind(app::markdown::render(purpose))
        .bind(if k % 2 == 0 { "public" } else { "signed_in" })
        .bind(opens)
        .bind(closes)
        .bind(author)
        .bind(opens - 7 * DAY)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        for s in &statements {
            sqlx::query("INSERT INTO round_statements (round_id, statement_id) VALUES (?, ?)")
                .bind(round)
                .bind(s)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        let mut q = Vec::new();
        for (position, (kind, prompt)) in [
            ("text", "What would make this work better for you?"),
            ("scale", "How likely would you be to use it?"),
            ("statements", "How well would this meet each of these?"),
        ]
        .into_iter()
        .enumerate()
        {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO questions (round_id, position, kind, prompt, low_label, high_label)
                 VALUES (?, ?, ?, ?, 'Not at all', 'Completely') RETURNING id",
            )
            .bind(round)
            .bind(position as i64)
            .bind(kind)
            .bind(prompt)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
            q.push(id);
        }
        let note = app::consultations::views::timeline_note(&title, opens, closes);
        record_event(
            &mut tx,
            prototype,
            opens - 7 * DAY,
            author,
            NewEvent::Consultation { round, iteration, note: &note },
        )
        .await?;
        let consents = ["design_group_only", "quote_anonymously", "quote_with_name"];
        for i in 0..RESPONSES {
            let a = (k * 1_000 + i) % ACCOUNTS;
            // "You said, we did": a few acted on in the next iteration, a few not taken forward.
            let acted = (i % 250 == 7 && iteration < iterations).then_some(iteration + 1);
            let not_taken = (i % 500 == 61).then_some(
                "Outside what the Hub can change: we have passed it to the commissioners' transport review.",
            );
            let outcome_at = (acted.is_some() || not_taken.is_some()).then_some(closes + 21 * DAY);
            let response: i64 = sqlx::query_scalar(
                "INSERT INTO responses (round_id, user_id, anonymous, gathered_at, consent, submission_hash, status,
                     acted_iteration, not_taken_reason, outcome_at, created_at)
                 VALUES (?, ?, ?, '', ?, ?, 'published', ?, ?, ?, ?) RETURNING id",
            )
            .bind(round)
            .bind(accounts[a])
            .bind(i % 9 == 4)
            .bind(consents[(i * 7 + k) % 3])
            .bind(format!("report-{round}-{i}"))
            .bind(acted)
            .bind(not_taken)
            .bind(outcome_at)
            .bind(opens + (i as i64 * 27 * DAY) / RESPONSES as i64)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
            let mut rows: Vec<AnswerCells> = Vec::with_capacity(5);
            if i % 6 != 5 {
                let text = format!("{} {}", SAID[(a * 3 + k) % SAID.len()], SAID_MORE[(a + i + k) % SAID_MORE.len()]);
                rows.push((q[0], None, None, Some(text)));
            }
            rows.push((q[1], None, Some(1 + ((a * 3 + k * 2 + i / 7) % 5) as i64), None));
            for (j, s) in statements.iter().enumerate() {
                if (i + j + k) % 17 == 0 {
                    continue;
                }
                // Ratings rise from round to round, by 1–5.
                let score = (a * 37 + j * 11 + k * 13) % 100 + k * 8;
                rows.push((q[2], Some(*s), Some(1 + (score * 5 / 133).min(4) as i64), None));
            }
            for (question, statement, number, text) in rows {
                sqlx::query(
                    "INSERT INTO answers (response_id, question_id, statement_id, number, text) VALUES (?, ?, ?, ?, ?)",
                )
                .bind(response)
                .bind(question)
                .bind(statement)
                .bind(number)
                .bind(text)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            }
            for p in declared(a) {
                sqlx::query("INSERT INTO response_perspectives (response_id, perspective) VALUES (?, ?)")
                    .bind(response)
                    .bind(Perspective::ALL[*p].as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
            }
        }
        tx.commit().await.map_err(err)?;
    }

    // Two decided motions (the first moves the prototype to Implementing), comments with
    // outcomes and learning notes.
    let mut tx = db.write.begin().await.map_err(err)?;
    let voters: Vec<usize> = (0..ACCOUNTS).filter(|a| a % 40 == 0).take(14).collect();
    let motions = [
        (
            "Collaborative meeting, spring",
            "Should the Hub move to Implementing, starting with practices in Northfield and Riverside Central?",
            210,
            Some(implementing),
            [Choice::For, Choice::For, Choice::Against],
        ),
        (
            "Collaborative meeting, autumn",
            "Should the Hub open at every Eastgate and Westmoor practice this year?",
            60,
            None,
            [Choice::For, Choice::Against, Choice::Abstain],
        ),
    ];
    for (m, (meeting_title, question, days_ago, move_to, choices)) in motions.into_iter().enumerate() {
        let decided = now - days_ago * DAY;
        let meeting: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (title, starts_at, place, created_by, created_at) VALUES (?, ?, 'Town Hall, Committee Room 2', ?, ?) RETURNING id",
        )
        .bind(meeting_title)
        .bind(decided - 3_600)
        .bind(author)
        .bind(decided - 30 * DAY)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let item: i64 = sqlx::query_scalar(
            "INSERT INTO agenda_items (meeting_id, position, kind, title, prototype_id) VALUES (?, 1, 'prototype', 'The Living Well Hub', ?) RETURNING id",
        )
        .bind(meeting)
        .bind(prototype)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        // Ballots as closing reads them: (choice, reason, perspective cell); lived turnout.
        let mut ballots = Vec::new();
        let mut cast = Vec::new();
        let mut lived = 0;
        for (v, &a) in voters.iter().enumerate() {
            let choice = choices[(v * 5 + m) % choices.len()];
            let perspectives: Vec<Perspective> = declared(a).iter().map(|p| Perspective::ALL[*p]).collect();
            let is_lived = perspectives.iter().any(|p| p.is_lived_experience());
            lived += i64::from(is_lived);
            let reason = if choice == Choice::Against { "Not until the evening line is fully staffed." } else { "" };
            ballots.push(meeting_rules::Ballot { choice, reason: reason.to_string(), options: Vec::new() });
            cast.push((accounts[a], choice, reason, meeting_rules::perspective_cell(&perspectives), is_lived));
        }
        let quorum = Quorum { votes: 8, lived: 3 };
        let tally = meeting_rules::tally(Method::Majority, &ballots, &[], quorum, lived);
        let decision = serde_json::to_string(&tally).map_err(|e| CliError(e.to_string()))?;
        let background = "The design group's summary of the last rounds and the measures so far.";
        let motion: i64 = sqlx::query_scalar(
            "INSERT INTO motions (meeting_id, item_id, question, background, background_html, prototype_id, action, action_stage_id,
                 method, quorum_votes, quorum_lived, status, closes_at, outcome, decision, decided_at, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'majority', ?, ?, 'closed', ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(meeting)
        .bind(item)
        .bind(question)
        .bind(background)
        .bind(app::markdown::render(background))
        .bind(prototype)
        .bind(if move_to.is_some() { "move_stage" } else { "none" })
        .bind(move_to)
        .bind(quorum.votes)
        .bind(quorum.lived)
        .bind(decided)
        .bind(tally.outcome.as_str())
        .bind(&decision)
        .bind(decided)
        .bind(decided - 30 * DAY)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        for (v, (user, choice, reason, cell, is_lived)) in cast.into_iter().enumerate() {
            sqlx::query("INSERT INTO voters (motion_id, user_id, cast_at, lived) VALUES (?, ?, ?, ?)")
                .bind(motion)
                .bind(user)
                .bind(decided - 600 + v as i64 * 20)
                .bind(is_lived)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            // Ids not in voting order, as the store makes them (here by arithmetic, not chance).
            let id = ((motion as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (v as u64 + 1).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)) as i64
                & i64::MAX;
            sqlx::query(
                "INSERT INTO ballots (id, motion_id, user_id, choice, reason, perspective) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(motion)
            .bind(user)
            .bind(choice.as_str())
            .bind(reason)
            .bind(cell)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
        let note = meeting_rules::decision_note(meeting_title, question, &tally);
        record_event(&mut tx, prototype, decided, author, NewEvent::Decision { motion, note: &note }).await?;
        if let Some(to) = move_to.filter(|_| tally.outcome == app::meetings::Outcome::Passed) {
            let reason = meeting_rules::decision_reason(meeting_title, None, &tally);
            sqlx::query("UPDATE prototypes SET stage_id = ?, last_activity = ? WHERE id = ?")
                .bind(to)
                .bind(decided)
                .bind(prototype)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            record_event(
                &mut tx,
                prototype,
                decided,
                author,
                NewEvent::StageMove { from: from_stage, to, reason: &reason },
            )
            .await?;
        }
    }
    // Whatever the vote said, the benchmark needs the prototype at Implementing.
    let stage: i64 = sqlx::query_scalar("SELECT stage_id FROM prototypes WHERE id = ?")
        .bind(prototype)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
    if stage != implementing {
        let at = now - 205 * DAY;
        sqlx::query("UPDATE prototypes SET stage_id = ?, last_activity = ? WHERE id = ?")
            .bind(implementing)
            .bind(at)
            .bind(prototype)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let reason = "Ready to roll out: agreed at the design-group meeting.";
        record_event(&mut tx, prototype, at, author, NewEvent::StageMove { from: stage, to: implementing, reason })
            .await?;
    }
    for c in 0..8usize {
        // On iteration `on`; two in three acted on in the next one (when there is one).
        let on = 1 + (c as i64 % 4).min(iterations - 1);
        let acted = (c % 3 != 2 && on < iterations).then_some(on + 1);
        let body = format!("{} {}", SAID[(c * 3) % SAID.len()], SAID_MORE[c % SAID_MORE.len()]);
        let created = now - (900 - 100 * c as i64) * DAY;
        sqlx::query(
            "INSERT INTO comments (prototype_id, iteration_number, author_id, anonymous, consent, body, status, form_key_hash,
                 acted_iteration, not_taken_reason, outcome_at, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, ?, ?)",
        )
        .bind(prototype)
        .bind(on)
        .bind(accounts[c * 11 + 1])
        .bind(c % 2 == 0)
        .bind(if c % 4 == 3 { "quote_with_name" } else { "quote_anonymously" })
        .bind(&body)
        .bind(format!("report-comment-{prototype}-{c}"))
        .bind(acted)
        .bind(acted.is_none().then_some("We looked at this, and the Hub's funding does not stretch to it this year."))
        .bind(created + 30 * DAY)
        .bind(created)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    }
    sqlx::query("UPDATE comments SET thread_id = id WHERE prototype_id = ? AND thread_id IS NULL")
        .bind(prototype)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    for (n, (title, kind)) in [
        ("Evening opening mattered more than we expected", "surprise"),
        ("Guides who knew the plan before the first meeting", "worked"),
        ("A single phone number was not enough on its own", "did_not_work"),
        ("Rating rounds at every practice, not only online", "method"),
    ]
    .into_iter()
    .enumerate()
    {
        let body = format!("{title}. {} {}", SAID[(n * 4) % SAID.len()], SAID_MORE[(n * 5) % SAID_MORE.len()]);
        let t = now - (400 - 90 * n as i64) * DAY;
        sqlx::query(
            "INSERT INTO learning_notes (prototype_id, title, body, body_html, kind, status, created_by, created_at, updated_at, published_at)
             VALUES (?, ?, ?, ?, ?, 'published', ?, ?, ?, ?)",
        )
        .bind(prototype)
        .bind(title)
        .bind(&body)
        .bind(app::markdown::render(&body))
        .bind(kind)
        .bind(author)
        .bind(t)
        .bind(t)
        .bind(t)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    }
    tx.commit().await.map_err(err)?;

    // Sites and the roll-out plan; measures and their readings.
    let mut tx = db.write.begin().await.map_err(err)?;
    let mut practices = Vec::new();
    for (i, name) in PRACTICE_NAMES.iter().enumerate() {
        for (a, area) in AREAS.iter().enumerate() {
            let site: i64 = sqlx::query_scalar(
                "INSERT INTO sites (name, kind, area, created_at) VALUES (?, 'GP practice', ?, ?) RETURNING id",
            )
            .bind(format!("{name} {}, {area}", PRACTICE_KINDS[(i + a) % PRACTICE_KINDS.len()]))
            .bind(area)
            .bind(now - 400 * DAY)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
            practices.push(site);
        }
    }
    let planned_days = 200;
    for (i, site) in practices.iter().enumerate() {
        // Planned everywhere at once; then live one by one; a few paused since.
        let live_days = (i < LIVE + PAUSED).then_some(180 - 7 * i as i64);
        let paused_days = i.checked_sub(LIVE).filter(|k| *k < PAUSED).map(|k| 45 - 6 * k as i64);
        let (status, since_days) = match (live_days, paused_days) {
            (Some(_), Some(p)) => ("paused", p),
            (Some(l), None) => ("live", l),
            _ => ("planned", planned_days),
        };
        let note = if status == "paused" { "Paused while the practice recruits a new peer supporter." } else { "" };
        sqlx::query(
            "INSERT INTO rollouts (prototype_id, site_id, status, since, live_on, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(prototype)
        .bind(site)
        .bind(status)
        .bind(day_ago(since_days))
        .bind(live_days.map(day_ago))
        .bind(note)
        .bind(author)
        .bind(now - since_days * DAY)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        let planned = NewEvent::Rollout { site: *site, status: "planned", note: "" };
        record_event(&mut tx, prototype, now - planned_days * DAY, author, planned).await?;
        if let Some(l) = live_days {
            let live = NewEvent::Rollout { site: *site, status: "live", note: "" };
            record_event(&mut tx, prototype, now - l * DAY, author, live).await?;
        }
        if let Some(p) = paused_days {
            record_event(&mut tx, prototype, now - p * DAY, author, NewEvent::Rollout { site: *site, status, note })
                .await?;
        }
    }
    let baseline_on = day_ago(SPAN_DAYS as i64 + 30);
    let target_on = day_ago(-365);
    for (m, measure) in MEASURES.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO measures (prototype_id, name, method, method_html, kind, unit, direction, baseline, baseline_on,
                 baseline_source, target, target_on, position, created_by, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'The service review before the Hub', ?, ?, ?, ?, ?, ?)
             RETURNING id",
        )
        .bind(prototype)
        .bind(measure.name)
        .bind(measure.method)
        .bind(app::markdown::render(measure.method))
        .bind(measure.kind)
        .bind(measure.unit)
        .bind(measure.direction)
        .bind(measure.baseline)
        .bind(&baseline_on)
        .bind(measure.target)
        .bind(&target_on)
        .bind(m as i64 + 1)
        .bind(author)
        .bind(now - 1_100 * DAY)
        .bind(now - 1_100 * DAY)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let spread = (measure.target - measure.baseline).abs();
        for r in 0..READINGS {
            let days_ago = (SPAN_DAYS - r * SPAN_DAYS / READINGS) as i64;
            let progress = r as f64 / (READINGS - 1) as f64;
            let season = (std::f64::consts::TAU * days_ago as f64 / 365.0).sin();
            let mut value = measure.baseline
                + (measure.target - measure.baseline) * 0.85 * progress
                + spread * (0.12 * wobble(r, m) + 0.05 * season);
            value = if measure.kind == "percentage" { value.clamp(0.0, 100.0) } else { value.max(0.0) };
            value = (value * 10.0).round() / 10.0;
            // Every third measure is read per practice, across the live ones.
            let site = (m % 3 == 2).then(|| practices[r % LIVE]);
            sqlx::query(
                "INSERT INTO readings (measure_id, value, taken_on, site_id, source, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(value)
            .bind(day_ago(days_ago))
            .bind(site)
            .bind(measure.source)
            .bind(author)
            .bind(now - days_ago * DAY + 3_600)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
    }
    // Lived-experience ratings of two of the statements, read from the rounds' answers.
    for (n, statement) in statements.iter().take(2).enumerate() {
        sqlx::query(
            "INSERT INTO measures (prototype_id, name, method, method_html, kind, unit, direction, statement_id, target,
                 target_on, position, created_by, created_at, updated_at)
             SELECT ?, 'Rating: ' || coalesce(s.short_name, s.text), 'The mean rating (1 to 5) people gave this experience statement in each consultation round.',
                    '<p>The mean rating (1 to 5) people gave this experience statement in each consultation round.</p>',
                    'rating', 'out of 5', 'higher', s.id, 4.0, ?, ?, ?, ?, ?
             FROM experience_statements s WHERE s.id = ?",
        )
        .bind(prototype)
        .bind(&target_on)
        .bind((MEASURES.len() + n) as i64 + 1)
        .bind(author)
        .bind(now - 1_100 * DAY)
        .bind(now - 1_100 * DAY)
        .bind(statement)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    }
    tx.commit().await.map_err(err)?;
    println!(
        "Seeded the report of prototype {prototype}: {ROUNDS} rounds × {RESPONSES} responses, {} measures × {READINGS} readings and 2 ratings, {} sites ({LIVE} live, {PAUSED} paused).",
        MEASURES.len(),
        practices.len()
    );
    println!("Report prototype: {prototype}");
    Ok(prototype)
}
