//! Email. Messages are composed here (`compose`, pure), written to the durable outbox in the
//! same transaction as the event that causes them (`store`), and sent by a background job
//! with retries (`sender`). Facilitators see the outbox at `/settings/outbox` (`api`,
//! `pages`), which says plainly when no mail server is configured and nothing is sent.
//!
//! No email carries health data: a message names what happened and links to it, and never
//! quotes what anyone wrote.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod compose;
#[cfg(feature = "ssr")]
pub mod sender;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// Messages on one page of the outbox.
pub const PAGE_SIZE: i64 = 25;

/// Where one message is on its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    Waiting,
    Sent,
    GaveUp,
}

/// One message as the outbox page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub to: String,
    pub kind: String,
    pub subject: String,
    pub delivery: Delivery,
    pub attempts: i64,
    pub created: String,
    /// When it was sent, or when the sender gave up.
    pub settled: Option<String>,
    pub last_error: Option<String>,
    /// The plain-text body; `None` for a message carrying a one-time link (a password reset),
    /// which nobody but its addressee should read.
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxPage {
    /// Whether a mail server is configured: without one, messages wait here unsent.
    pub sending: bool,
    pub waiting: i64,
    pub sent: i64,
    pub gave_up: i64,
    pub items: Vec<OutboxItem>,
    pub page: i64,
    pub has_more: bool,
}
