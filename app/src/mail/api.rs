//! The outbox page's server function: facilitators only.

use leptos::prelude::*;

use super::OutboxPage;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{compose::Kind, store, Delivery, OutboxItem, PAGE_SIZE},
    crate::{
        auth::policy::{require, Action},
        state::{db, mail},
        time::when,
    },
};

/// One page of the outbox, newest first, with whether mail is being sent at all.
#[server(prefix = "/api", endpoint = "outbox")]
pub async fn outbox(page: Option<i64>) -> Result<OutboxPage, AppError> {
    require(Action::ManageSettings).await?;
    let page = crate::site::page_number(page)?;
    let (rows, counts) = store::page(&db()?.read, page, PAGE_SIZE).await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let items = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| {
            let (delivery, settled) = match (r.sent_at, r.failed_at) {
                (Some(t), _) => (Delivery::Sent, Some(when(t))),
                (None, Some(t)) => (Delivery::GaveUp, Some(when(t))),
                (None, None) => (Delivery::Waiting, None),
            };
            OutboxItem {
                id: r.id,
                to: r.to_address,
                kind: Kind::label(&r.kind).to_string(),
                subject: r.subject,
                delivery,
                attempts: r.attempts,
                created: when(r.created_at),
                settled,
                last_error: r.last_error,
                body: r.body,
            }
        })
        .collect();
    Ok(OutboxPage {
        sending: mail()?.sending,
        waiting: counts.waiting,
        sent: counts.sent,
        gave_up: counts.gave_up,
        items,
        page,
        has_more,
    })
}
