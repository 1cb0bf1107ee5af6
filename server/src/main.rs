use std::process::ExitCode;

use clap::Parser;
use server::{
    cli,
    config::{Cli, Command},
    db, Application,
};
use tracing_subscriber::EnvFilter;

/// Server-side rendering allocates and frees many small strings and nodes per page; glibc's
/// allocator spent about a third of the CPU on them under load (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&args.config.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Cli) -> Result<(), String> {
    let config = args.config;
    match args.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config.clone()).await.map_err(|e| e.to_string())?;
            let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
                .fetch_one(&app.state().db.read)
                .await
                .map_err(|e| e.to_string())?;
            println!("Living Well Lab is running at http://{}:{}/", config.addr.ip(), app.port());
            if users == 0 {
                println!(
                    "The database is empty. Register at http://{}:{}/register, or create the first facilitator with:",
                    config.addr.ip(),
                    app.port()
                );
                println!("  target/debug/server create-facilitator --email you@example.org");
            } else {
                println!("Sign in at http://{}:{}/login", config.addr.ip(), app.port());
            }
            app.run_until_stopped().await.map_err(|e| e.to_string())
        }
        Command::Migrate => {
            db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
            println!("Database {} is up to date.", config.database_url);
            Ok(())
        }
        Command::CreateFacilitator { email, name, generate_password } => {
            let db = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
            cli::create_facilitator(&db, &email, &name, generate_password).await.map_err(|e| e.to_string())
        }
        Command::SeedBench { prototypes, responses, comments, notes, report } => {
            let db = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
            server::bench::seed(&db, prototypes).await.map_err(|e| e.to_string())?;
            if responses > 0 {
                let middle = (prototypes / 2).max(1) as i64;
                server::bench::seed_consultation(&db, middle, responses).await.map_err(|e| e.to_string())?;
            }
            if comments + notes > 0 {
                server::bench_search::seed(&db, comments, notes).await.map_err(|e| e.to_string())?;
            }
            if report {
                server::bench_report::seed(&db).await.map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        Command::BenchCommentWrites { count } => {
            let db = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
            server::bench_search::comment_writes(&db, count).await.map_err(|e| e.to_string())
        }
        Command::SeedDemo { if_empty } => {
            let db = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
            cli::seed_demo(&db, if_empty).await.map_err(|e| e.to_string())
        }
    }
}
