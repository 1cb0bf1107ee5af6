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

pub async fn seed_demo(db: &Db, if_empty: bool) -> Result<(), CliError> {
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&db.read).await.map_err(|e| CliError(e.to_string()))?;
    if users > 0 && if_empty {
        println!("The database already has accounts, so no demo data was added.");
        return Ok(());
    }
    if users > 0 {
        return Err(CliError("This database already has accounts; seed-demo only fills an empty one. Use a new --database-url.".into()));
    }
    let hash = hashing::hash(DEMO_PASSWORD.to_string()).await?;
    for (name, email, role, perspectives) in DEMO_PEOPLE {
        let email = Email::parse(email)?;
        let name = DisplayName::parse(name)?;
        let id = store::create_user(&db.write, &email, &name, &hash, *role, None).await?;
        store::update_profile(&db.write, id, &name, perspectives).await?;
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
    sqlx::query("UPDATE collaborative SET name = 'Riverside Living Well Collaborative' WHERE id = 1")
        .execute(&mut *tx)
        .await
        .map_err(|e| CliError(e.to_string()))?;
    tx.commit().await.map_err(|e| CliError(e.to_string()))?;
    println!("Demo collaborative created. Every demo account's password is: {DEMO_PASSWORD}");
    for (name, email, role, _) in DEMO_PEOPLE {
        println!("  {email:<32} {:<22} {name}", role.label());
    }
    Ok(())
}
