//! Command line and environment. Every flag has an environment fallback; secrets are
//! never compiled in (there are none to configure: passwords come from stdin).

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "server", about = "Living Well Lab: the co-design and prototyping lab of a Living Well Collaborative")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the app (the default).
    Serve,
    /// Create the database if needed, apply migrations, and exit.
    Migrate,
    /// Create a facilitator account. Reads the password from stdin, or generates and prints one.
    CreateFacilitator {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Facilitator")]
        name: String,
        /// Generate a password and print it, instead of reading one from stdin.
        #[arg(long)]
        generate_password: bool,
    },
    /// Benchmark only: fill an empty database with N prototypes of 5 iterations each, and a
    /// consultation round with `responses` answers on the middle one.
    #[command(hide = true)]
    SeedBench {
        #[arg(long, default_value_t = 10_000)]
        prototypes: usize,
        #[arg(long, default_value_t = 0)]
        responses: usize,
        /// Published comments spread over the prototypes (the search benchmark).
        #[arg(long, default_value_t = 0)]
        comments: usize,
        /// Published learning notes (the search benchmark).
        #[arg(long, default_value_t = 0)]
        notes: usize,
        /// One prototype's evaluation report data (the report benchmark): 5 closed rounds ×
        /// 2,000 responses, 10 measures × 1,000 readings, 48 sites; prints its id.
        #[arg(long)]
        report: bool,
    },
    /// Benchmark only: post N comments one after another through the comment store and print
    /// acknowledged comments per second (the write cost of keeping the search index).
    #[command(hide = true)]
    BenchCommentWrites {
        #[arg(long, default_value_t = 2_000)]
        count: usize,
    },
    /// Fill an empty database with a demo collaborative: people of every role and perspective,
    /// the default stages and an experience model.
    SeedDemo {
        /// Succeed quietly, adding nothing, when the database already has accounts.
        #[arg(long)]
        if_empty: bool,
    },
}

#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub addr: SocketAddr,
    /// SQLite database URL; the file and its folder are created on first start.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/livingwell.db", global = true)]
    pub database_url: String,
    /// Mark cookies `Secure` (turn on when served over HTTPS).
    #[arg(long, env = "LWL_SECURE_COOKIES", default_value_t = false, global = true)]
    pub secure_cookies: bool,
    /// Log filter, in tracing's EnvFilter syntax.
    #[arg(long, env = "RUST_LOG", default_value = "info,sqlx=warn,tower_sessions=warn", global = true)]
    pub log: String,
    /// Where the built site (the `pkg` folder with wasm, JS and CSS) lives.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: String,
    /// Believe the last address in `X-Forwarded-For` (turn on only behind a reverse proxy
    /// that sets it; otherwise anyone could claim any address and dodge rate limits).
    #[arg(long, env = "LWL_TRUSTED_PROXY", default_value_t = false, global = true)]
    pub trusted_proxy: bool,
    /// Searches one account may make per minute on this server (0: no limit; the search
    /// benchmark turns it off, as its 64 connections share one account).
    #[arg(long, env = "LWL_SEARCH_PER_MINUTE", default_value_t = app::throttle::SEARCHES_PER_MINUTE, global = true)]
    pub search_per_minute: i64,
    /// Reports one account may ask for per minute on this server: a prototype's report and
    /// its downloads, and the collaborative's report for a period (0: no limit; the report
    /// benchmark turns it off).
    #[arg(long, env = "LWL_REPORT_PER_MINUTE", default_value_t = app::throttle::REPORTS_PER_MINUTE, global = true)]
    pub report_per_minute: i64,
    /// Serve the demo collaborative (`seed-demo`): its accounts share a published password,
    /// so the server serves a demo database only with this flag, and only on loopback.
    #[arg(long, env = "LWL_DEMO", default_value_t = false, global = true)]
    pub demo: bool,
    /// Seconds to let requests in flight finish after Ctrl-C or SIGTERM before the
    /// connections still open are closed (a browser's unused speculative connection, or a
    /// client sending slowly, would otherwise keep the server from ever stopping).
    #[arg(long, env = "LWL_SHUTDOWN_GRACE", default_value_t = 10, global = true)]
    pub shutdown_grace: u64,
    /// The SMTP server that sends email, e.g. `smtps://user:pass@smtp.example.org` (TLS) or
    /// `smtp://user:pass@smtp.example.org:587?tls=required` (STARTTLS). Without one, email
    /// is composed and kept in the outbox (`/settings/outbox`), not sent.
    #[arg(long, env = "LWL_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    /// The sender of every email.
    #[arg(long, env = "LWL_MAIL_FROM", default_value = "Living Well Lab <noreply@localhost>", global = true)]
    pub mail_from: String,
    /// This site's address as people reach it, for links in emails (e.g.
    /// `https://lab.example.org`); by default `http://` and `--addr`.
    #[arg(long, env = "LWL_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// The hour (UK time, 0-23) the daily notification digest goes out.
    #[arg(long, env = "LWL_DIGEST_HOUR", default_value_t = 8, global = true)]
    pub digest_hour: u32,
}

impl Config {
    /// Where links in emails point: `--public-url` without a trailing slash, or this server.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.addr),
        }
    }
}

/// Whether the server may start: demo data (a password anyone can read in the README) is
/// served only when asked for by name, and never to the network, so a demo database cannot
/// be left in production by accident.
pub fn demo_allowed(demo_flag: bool, addr: SocketAddr, database_is_demo: bool) -> Result<(), String> {
    if demo_flag && !addr.ip().is_loopback() {
        return Err(format!(
            "--demo serves made-up accounts whose password is published, so only on this computer: use a loopback --addr such as 127.0.0.1:{}, not {addr}",
            addr.port()
        ));
    }
    if database_is_demo && !demo_flag {
        return Err(
            "this database holds the demo collaborative, whose password is published: serve it with --demo (on this computer only), or use another --database-url"
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::demo_allowed;

    #[test]
    fn demo_only_when_asked_and_only_on_loopback() {
        let local = "127.0.0.1:3000".parse().unwrap();
        let local6 = "[::1]:3000".parse().unwrap();
        let public = "0.0.0.0:3000".parse().unwrap();
        assert!(demo_allowed(true, local, true).is_ok());
        assert!(demo_allowed(true, local6, true).is_ok());
        assert!(demo_allowed(true, local, false).is_ok(), "an empty or real database with --demo stays as it is");
        assert!(demo_allowed(false, public, false).is_ok(), "a real site");
        assert!(demo_allowed(true, public, true).unwrap_err().contains("loopback"));
        assert!(demo_allowed(true, public, false).is_err());
        assert!(demo_allowed(false, local, true).unwrap_err().contains("--demo"));
        assert!(demo_allowed(false, public, true).is_err());
    }
}
