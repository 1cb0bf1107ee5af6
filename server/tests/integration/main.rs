//! The server's integration tests, in one binary: each links the whole server (about
//! 600 MB in a debug build), so one binary instead of eighteen saves the CI minutes of
//! linking and gigabytes of disk. Each module starts its own servers on port 0 with fresh
//! temporary databases, so the modules share nothing but the process.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod assets;
mod cli;
mod comments;
mod consultations;
mod evaluation;
mod library;
mod mail;
mod meetings;
mod notifications;
mod owner_deadlock;
mod period_report;
mod permissions;
mod privacy;
mod prototypes;
mod route_list;
mod search;
mod trust;
mod vision;
mod web_safety;
