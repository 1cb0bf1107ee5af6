//! Round-trip tests: count the SQL statements each page runs (`support::statements`). The
//! count is read from one process-wide log, so these live in their own binary, where no
//! other test's server runs queries meanwhile; within it they take turns (one lock).

#[path = "../support/mod.rs"]
mod support;

mod consultations;
mod feedback;
mod frame;
mod meetings;
mod prototypes;
