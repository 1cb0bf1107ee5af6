//! One-off commands: the first facilitator account, and the demo collaborative.

use std::io::{BufRead, IsTerminal};

use app::{
    auth::{
        fields::{DisplayName, Email, Password},
        hashing, store, Perspective, Role,
    },
    state::Db,
};
use rand::{distributions::Alphanumeric, Rng};

/// A user-facing failure of a command: printed as one line, exit code 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CliError(pub String);

impl From<app::error::AppError> for CliError {
    fn from(e: app::error::AppError) -> Self {
        CliError(e.to_string())
    }
}

fn generated_password() -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(20).map(char::from).collect()
}

pub async fn create_facilitator(db: &Db, email: &str, name: &str, generate: bool) -> Result<(), CliError> {
    let email = Email::parse(email)?;
    let name = DisplayName::parse(name)?;
    let stdin = std::io::stdin();
    let typed = if generate {
        None
    } else {
        if stdin.is_terminal() {
            eprintln!("Type a password (12 to 128 characters) and press Enter, or just Enter to generate one:");
        }
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| CliError(format!("cannot read the password from stdin: {e}")))?;
        Some(line.trim_end_matches(['\r', '\n']).to_string()).filter(|l| !l.is_empty())
    };
    let (password, show) = match typed {
        Some(p) => (p, false),
        None => (generated_password(), true),
    };
    let password = Password::parse("password", password)?;
    let hash = hashing::hash(password.expose().to_string()).await?;
    let id = store::create_user(&db.write, &email, &name, &hash, Role::Facilitator, None).await?;
    println!("Created facilitator {} (account {id}).", email.as_str());
    if show {
        println!("Password: {}", password.expose());
        println!("Keep it somewhere safe; change it from your account page after signing in.");
    }
    Ok(())
}

pub const DEMO_PASSWORD: &str = "living-well-demo";

/// The demo people, drawn from JOURNEYS.md: (name, email, role, perspectives).
const DEMO_PEOPLE: &[(&str, &str, Role, &[Perspective])] = &[
    ("Pat Okafor (programme manager)", "pat@demo.livingwell.test", Role::Facilitator, &[Perspective::Commissioner]),
    ("Dr Amira Shah (GP)", "amira@demo.livingwell.test", Role::DesignGroup, &[Perspective::Practitioner]),
    ("Sam Reid (peer supporter)", "sam@demo.livingwell.test", Role::DesignGroup, &[Perspective::ServiceUser]),
    ("Chris Evans (commissioner)", "chris@demo.livingwell.test", Role::Member, &[Perspective::Commissioner]),
    ("Priya Natarajan (voluntary sector)", "priya@demo.livingwell.test", Role::Member, &[Perspective::VoluntarySector]),
    ("Alex Morgan", "alex@demo.livingwell.test", Role::Member, &[Perspective::ServiceUser, Perspective::Carer]),
    ("Jordan Lee", "jordan@demo.livingwell.test", Role::Contributor, &[Perspective::ServiceUser]),
    ("Maureen Clarke (carer)", "maureen@demo.livingwell.test", Role::Contributor, &[Perspective::Carer]),
    ("Robin Hale", "robin@demo.livingwell.test", Role::Contributor, &[Perspective::Other]),
];

/// The experience model, in the spirit of Lambeth's: (statement, short name).
const DEMO_STATEMENTS: &[(&str, &str)] = &[
    ("I can get help when I need it, and get back in easily if I need it again", "easy in, easy out"),
    ("I have one plan, with one person coordinating my care and support", "one plan, one person coordinating"),
    ("My strengths and what I can contribute are recognised", "my assets count"),
    ("I am supported to recover and stay well in my own community", "recovery close to home"),
    ("I am connected to people and things that matter to me", "getting connected"),
    ("I have a real say in how services are designed and changed", "a say in services"),
];

/// The collaborative's values, in plain words: (name, what it means).
const DEMO_VALUES: &[(&str, &str)] = &[
    ("Lived experience leads", "People who use services, and carers, shape every change as equal partners."),
    ("Strengths first", "We start from what people can do and what they bring, not only from what is wrong."),
    ("Tell it once", "People tell their story once; services work together around them."),
    ("Close to home", "Help happens in people's own communities wherever it can."),
    ("Learn by trying", "We test small, change quickly, and share what did not work as well as what did."),
    ("Equal partners", "Commissioners, providers, voluntary groups and citizens each have an equal say."),
];

/// Which values (by position) each demo prototype serves, by title.
const DEMO_VALUE_LINKS: &[(&str, &[i64])] = &[
    ("Living Well Hub: one front door", &[3, 4]),
    ("Peer supporters in GP surgeries", &[1, 2]),
    ("Easy back in after discharge", &[3, 5]),
    ("Time bank for carers", &[2, 4]),
];

/// The demo vision, in the spirit of the case study (plain words, no invented quotations).
const DEMO_VISION: &str = "People with mental health needs in our area recover and stay well, and have the same chances in life as everyone else.

We get there together: people who use services, carers, the NHS, the council and voluntary groups design and test changes side by side, and decide as equal partners.

## What this means day to day

- Getting help is easy, and getting back in is just as easy.
- Each person has one plan, built on their strengths, with one person coordinating it.
- Support happens close to home, connected to the people and things that matter.
- We try ideas small, learn from what happens, and say what we changed because of what people told us.
";

pub async fn seed_demo(db: &Db, if_empty: bool) -> Result<(), CliError> {
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db.read)
        .await
        .map_err(|e| CliError(e.to_string()))?;
    if users > 0 && if_empty {
        println!("The database already has accounts, so no demo data was added.");
        return Ok(());
    }
    if users > 0 {
        return Err(CliError(
            "This database already has accounts; seed-demo only fills an empty one. Use a new --database-url.".into(),
        ));
    }
    // Marked first, so even a half-finished seed is never served as a real site.
    store::mark_demo(&db.write).await?;
    let hash = hashing::hash(DEMO_PASSWORD.to_string()).await?;
    let mut ids = Vec::new();
    for (name, email, role, perspectives) in DEMO_PEOPLE {
        let email = Email::parse(email)?;
        let name = DisplayName::parse(name)?;
        let id = store::create_user(&db.write, &email, &name, &hash, *role, None).await?;
        store::update_profile(&db.write, id, &name, perspectives).await?;
        ids.push(id);
    }
    let mut tx = db.write.begin().await.map_err(|e| CliError(e.to_string()))?;
    for (i, (text, short)) in DEMO_STATEMENTS.iter().enumerate() {
        sqlx::query("INSERT INTO experience_statements (text, short_name, position) VALUES (?, ?, ?)")
            .bind(text)
            .bind(short)
            .bind(i as i64 + 1)
            .execute(&mut *tx)
            .await
            .map_err(|e| CliError(e.to_string()))?;
    }
    for (i, (name, description)) in DEMO_VALUES.iter().enumerate() {
        sqlx::query("INSERT INTO lab_values (name, description, position) VALUES (?, ?, ?)")
            .bind(name)
            .bind(description)
            .bind(i as i64 + 1)
            .execute(&mut *tx)
            .await
            .map_err(|e| CliError(e.to_string()))?;
    }
    sqlx::query("UPDATE collaborative SET name = 'Riverside Living Well Collaborative' WHERE id = 1")
        .execute(&mut *tx)
        .await
        .map_err(|e| CliError(e.to_string()))?;
    tx.commit().await.map_err(|e| CliError(e.to_string()))?;
    let vision = app::markdown::render(DEMO_VISION);
    app::vision::store::save(
        &db.write,
        DEMO_VISION,
        &vision,
        "The vision agreed at the collaborative's first meeting.",
        ids[0],
        0,
    )
    .await?;
    seed_prototypes(db, ids[1], ids[2]).await?;
    seed_consultation(db, ids[1], &ids).await?;
    crate::demo_evaluation::seed(db, ids[0]).await?;
    println!("Demo collaborative created. Every demo account's password is: {DEMO_PASSWORD}");
    println!("Serve it with --demo, on this computer only (a loopback address).");
    for (name, email, role, _) in DEMO_PEOPLE {
        println!("  {email:<32} {:<22} {name}", role.label());
    }
    Ok(())
}

/// A demo prototype: (title, summary, themes, statement positions, stage, iteration texts).
type DemoPrototype = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [i64],
    &'static str,
    &'static [(&'static str, &'static str)],
);

const DEMO_PROTOTYPES: &[DemoPrototype] = &[
    (
        "Living Well Hub: one front door",
        "A single place to ask for help, with a personal guide who coordinates everything after.",
        &["Living Well Hub", "one phone number"],
        &[1, 2],
        "Implementing",
        &[
            (
                "Anyone can phone or walk in to the Hub, 9am to 5pm on weekdays.",
                "First iteration from the design group's workshop.",
            ),
            (
                "Anyone can phone or walk in to the Hub, 9am to 9pm on weekdays, with an evening line.",
                "Added an evening line: people told us nobody answers after 5pm.",
            ),
            (
                "Anyone can phone, text or walk in to the Hub, 9am to 9pm every day, with an evening line.",
                "Weekends and text messages, after the second consultation round.",
            ),
        ],
    ),
    (
        "Peer supporters in GP surgeries",
        "Trained peer supporters with lived experience in every surgery, one day a week.",
        &["peer support", "primary care"],
        &[3, 4],
        "Prototype",
        &[
            (
                "A peer supporter spends one day a week in each of the first five surgeries.",
                "The first sketch, from the peer supporters' group.",
            ),
            (
                "A peer supporter spends one day a week in each of the first five surgeries, with a quiet room.",
                "Surgeries asked where the conversations would happen.",
            ),
        ],
    ),
    (
        "Easy back in after discharge",
        "People discharged from secondary care can come back without a new referral for a year.",
        &["easy in, easy out", "discharge"],
        &[1],
        "Co-design",
        &[(
            "For twelve months after discharge, a person can return by calling their old team.",
            "First draft for discussion.",
        )],
    ),
    (
        "Time bank for carers",
        "Carers trade hours of help with each other, organised by the voluntary sector.",
        &["carers", "getting connected"],
        &[5],
        "Idea",
        &[],
    ),
];

async fn seed_prototypes(db: &Db, amira: i64, sam: i64) -> Result<(), CliError> {
    use app::prototypes::{fields::TEMPLATE, store as prototypes};
    let stages = app::stages::store::all(&db.read).await?;
    let statements = app::statements::store::all(&db.read).await?;
    let values = app::vision::store::values(&db.read).await?;
    for (title, summary, themes, statement_positions, stage, iterations) in DEMO_PROTOTYPES {
        let value_positions = DEMO_VALUE_LINKS.iter().find(|(t, _)| t == title).map_or(&[][..], |(_, v)| v);
        let value_ids: Vec<i64> =
            values.iter().filter(|v| value_positions.contains(&v.position)).map(|v| v.id).collect();
        let themes: Vec<String> = themes.iter().map(|t| t.to_string()).collect();
        let statement_ids: Vec<i64> =
            statements.iter().filter(|s| statement_positions.contains(&s.position)).map(|s| s.id).collect();
        let authors = [amira, sam];
        let body = |text: &str| TEMPLATE.replace("What changes, step by step?", text);
        let first = body(iterations.first().map_or("Still an idea.", |(t, _)| t));
        let input = prototypes::DraftInput {
            title,
            summary,
            body: &first,
            themes: &themes,
            author_ids: &authors,
            statement_ids: &statement_ids,
            value_ids: &value_ids,
        };
        let id = prototypes::create(&db.write, &input, amira).await?;
        for (i, (text, note)) in iterations.iter().enumerate() {
            let text = body(text);
            let input = prototypes::DraftInput { body: &text, ..input };
            if i > 0 {
                let revision: i64 = sqlx::query_scalar("SELECT draft_revision FROM prototypes WHERE id = ?")
                    .bind(id)
                    .fetch_one(&db.read)
                    .await
                    .map_err(|e| CliError(e.to_string()))?;
                prototypes::save(&db.write, id, revision, &input, sam).await?;
            }
            prototypes::publish(&db.write, id, note, if i % 2 == 0 { amira } else { sam }, &[]).await?;
        }
        if let Some(target) = stages.iter().find(|s| s.name == *stage).filter(|s| s.position > 1) {
            // Walk through the stages in order, as a real prototype would.
            for s in stages.iter().filter(|s| s.position > 1 && s.position <= target.position && !s.closed) {
                prototypes::move_stage(
                    &db.write,
                    id,
                    s.id,
                    &format!("Ready for {}: agreed at the design-group meeting.", s.name),
                    amira,
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// A public round on the first demo prototype's latest iteration, answered by the demo
/// people and a few visitors, so results, coding and "you said, we did" have data to show.
async fn seed_consultation(db: &Db, amira: i64, people: &[i64]) -> Result<(), CliError> {
    use app::consultations::{
        rules::Answer,
        store::{self as consultations, NewQuestion, NewResponse, NewRound},
        Audience, Consent, QuestionKind,
    };
    let err = |e: sqlx::Error| CliError(e.to_string());
    let (prototype, iteration): (i64, i64) =
        sqlx::query_as("SELECT id, iteration_count FROM prototypes WHERE iteration_count > 0 ORDER BY id LIMIT 1")
            .fetch_one(&db.read)
            .await
            .map_err(err)?;
    let now = app::time::now();
    let question = |kind, prompt: &str, options: &[&str]| NewQuestion {
        kind,
        prompt: prompt.to_string(),
        required: false,
        low: "Not at all".into(),
        high: "Completely".into(),
        options: options.iter().map(|o| o.to_string()).collect(),
    };
    let title = "Living Well Hub: what do you think?";
    let note = app::consultations::views::timeline_note(title, now - 3 * 86_400, now + 11 * 86_400);
    let round = NewRound {
        prototype,
        iteration,
        title,
        purpose: "We are testing one front door for help. Tell us what would make it work for you.",
        audience: Audience::Public,
        opens: now - 3 * 86_400,
        closes: now + 11 * 86_400,
        timeline_note: &note,
        questions: vec![
            question(QuestionKind::Text, "What would make this work better for you?", &[]),
            question(QuestionKind::Scale, "How likely would you be to use it?", &[]),
            question(
                QuestionKind::Single,
                "How would you most like to get in touch?",
                &["Phone", "Text message", "Drop in"],
            ),
            question(QuestionKind::Statements, "How well would this meet each of these?", &[]),
        ],
    };
    let id = consultations::create(&db.write, &round, amira).await?;
    let questions = app::consultations::views::questions(consultations::questions(&db.read, id).await?);
    let said = [
        "Nobody answers the phone after 5pm, which is when I need it.",
        "One phone number would help: I never know who to call.",
        "The waiting times put me off. I gave up last time.",
        "As a carer I want to be able to call on my son's behalf.",
        "A drop-in would suit me better than the phone.",
        "Please make it clear what happens after I call.",
    ];
    for (i, text) in said.iter().enumerate() {
        let mut answers = vec![
            (questions[0].id, Answer::Text(text.to_string())),
            (questions[1].id, Answer::Number(2 + (i as i64 % 4))),
            (questions[2].id, Answer::Number(i as i64 % 3)),
        ];
        let ratings = questions[3]
            .statements
            .iter()
            .enumerate()
            .map(|(j, s)| (s.id, 2 + ((i + j) as i64 % 4)))
            .collect::<Vec<_>>();
        if !ratings.is_empty() {
            answers.push((questions[3].id, Answer::Ratings(ratings)));
        }
        let user = people.get(3 + i).copied();
        let perspectives = if user.is_some() {
            consultations::perspectives_of(&db.read, user.unwrap_or_default()).await?
        } else {
            vec![app::auth::Perspective::ServiceUser]
        };
        let key = app::auth::api::hash_token(&uuid::Uuid::new_v4().simple().to_string());
        let receipt = app::auth::api::hash_token(&uuid::Uuid::new_v4().simple().to_string());
        let response = NewResponse {
            round: id,
            user,
            anonymous: false,
            entered_by: None,
            gathered_at: "",
            consent: if i % 2 == 0 { Consent::QuoteAnonymously } else { Consent::DesignGroupOnly },
            content_note: "",
            submission_hash: &key,
            receipt_hash: &receipt,
            browser_hash: None,
            held_phrase: None,
            perspectives,
            answers: &answers,
        };
        consultations::submit(&db.write, &response).await?;
    }
    Ok(())
}
