//! Notification email: a background job turns each new notification into an email at once,
//! a place in tomorrow's digest, or nothing, as the person chose; the outbox row is written
//! in the same transaction that marks the notification, so each is emailed at most once and
//! a crash loses none. Once a day, at the configured UK hour, each person with waiting
//! notifications gets one digest (only when there is something).

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use sqlx::SqlitePool;

use super::{
    email_plan, link, sentence, still_visible,
    store::{self, MailState},
    unsubscribe, Delivery, Kind,
};
use crate::{
    auth::store::collaborative_name,
    error::AppError,
    jobs::Job,
    mail::{
        compose::{self, NoticeLinks},
        store as outbox,
    },
    state::MailSettings,
    time::now,
};

/// Notifications read per run.
const BATCH: i64 = 200;

pub struct NotificationMailer {
    settings: MailSettings,
    /// The hour (UK time, 0–23) after which the day's digest goes.
    digest_hour: u32,
}

impl NotificationMailer {
    pub fn new(settings: MailSettings, digest_hour: u32) -> Self {
        NotificationMailer { settings, digest_hour: digest_hour.min(23) }
    }

    /// The two jobs: new notifications every two seconds, the digest checked every minute.
    pub fn jobs(self: Arc<Self>) -> Vec<Job> {
        let (a, b) = (self.clone(), self);
        vec![
            Job::new("notifications.mail", Duration::from_secs(2), move |pool| {
                let m = a.clone();
                async move { m.mail_new(&pool).await }
            }),
            Job::new("notifications.digest", Duration::from_secs(60), move |pool| {
                let m = b.clone();
                async move { m.digest_if_due(&pool, now()).await }
            }),
        ]
    }

    fn links(&self, user: i64, kind: &str) -> (String, String, String) {
        let (url, key) = (&self.settings.public_url, self.settings.unsubscribe_key.as_slice());
        (
            format!("{url}/notifications#preferences"),
            unsubscribe::page_url(url, key, user, kind),
            unsubscribe::one_click_url(url, key, user, kind),
        )
    }

    /// The kind, sentence and full link of a notification the person may still see (and whose
    /// account is open); `None` means it is not emailed.
    fn words(&self, row: &store::PendingRow) -> Option<(Kind, String, String)> {
        let n = &row.n;
        let kind = Kind::parse(&n.kind)?;
        let role = crate::auth::Role::parse(&row.role)?;
        if !row.active || !still_visible(kind, role, n.round_audience.as_deref(), n.prototype_published) {
            return None;
        }
        let text = sentence(kind, n.prototype_title.as_deref(), n.round_title.as_deref(), n.meeting_title.as_deref());
        let path = link(kind, n.prototype_id, n.round_id, n.meeting_id, n.comment_id);
        Some((kind, text, format!("{}{path}", self.settings.public_url)))
    }

    /// A meeting's calendar invite, for a notification about a meeting.
    fn invite(&self, n: &store::NotificationRow, url: &str, collaborative: &str) -> Option<String> {
        let (id, starts_at) = (n.meeting_id?, n.meeting_starts_at?);
        let host = self.settings.host();
        Some(crate::meetings::calendar::ics(&crate::meetings::calendar::Invite {
            id,
            title: n.meeting_title.as_deref().unwrap_or_default(),
            starts_at,
            place: n.meeting_place.as_deref().unwrap_or_default(),
            online_link: n.meeting_link.as_deref().unwrap_or_default(),
            url,
            host,
            collaborative,
        }))
    }

    /// Looks at every new notification once: emails it now, keeps it for the digest, or
    /// marks it as not emailed. Returns how many were emailed now.
    pub async fn mail_new(&self, pool: &SqlitePool) -> Result<usize, AppError> {
        let rows = store::pending(pool, MailState::New, BATCH).await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let collaborative = collaborative_name(pool).await?;
        let t = now();
        let mut tx = pool.begin().await?;
        let (mut emailed, mut digest, mut none) = (Vec::new(), Vec::new(), Vec::new());
        for row in &rows {
            let Some((kind, text, url)) = self.words(row) else {
                none.push(row.n.id);
                continue;
            };
            match email_plan(kind, row.chosen.as_deref().and_then(Delivery::parse), row.paused) {
                Delivery::Immediate => {
                    let (preferences, stop_page, one_click) = self.links(row.user_id, kind.as_str());
                    // A kind nobody can stop (a held item) carries no unsubscribe link.
                    let stoppable = kind.configurable();
                    let links = NoticeLinks {
                        preferences: &preferences,
                        stop_page: stoppable.then_some(stop_page.as_str()),
                        one_click: stoppable.then_some(one_click.as_str()),
                    };
                    let mut m = compose::notification(&row.email, &collaborative, &text, &url, links);
                    m.calendar = self.invite(&row.n, &url, &collaborative);
                    outbox::enqueue(&mut tx, &m, t).await?;
                    emailed.push(row.n.id);
                }
                Delivery::Digest => digest.push(row.n.id),
                Delivery::Off => none.push(row.n.id),
            }
        }
        store::set_mail_state(&mut tx, &emailed, "emailed").await?;
        store::set_mail_state(&mut tx, &digest, "digest").await?;
        store::set_mail_state(&mut tx, &none, "none").await?;
        tx.commit().await?;
        Ok(emailed.len())
    }

    /// Sends the day's digests if it is past the hour and no instance has sent today's.
    pub async fn digest_if_due(&self, pool: &SqlitePool, at: i64) -> Result<usize, AppError> {
        let Some(uk) = chrono::DateTime::from_timestamp(at, 0).map(|d| d.with_timezone(&chrono_tz::Europe::London))
        else {
            return Ok(0);
        };
        use chrono::Timelike;
        if uk.hour() < self.digest_hour || !store::claim_digest_day(pool, &uk.format("%Y-%m-%d").to_string()).await? {
            return Ok(0);
        }
        self.send_digests(pool).await
    }

    /// One digest per person with notifications waiting for it, each written to the outbox
    /// in the transaction that marks its notifications. Someone who has since paused, or
    /// turned a kind off, is not emailed those. Returns how many digests were written.
    pub async fn send_digests(&self, pool: &SqlitePool) -> Result<usize, AppError> {
        let collaborative = collaborative_name(pool).await?;
        let mut written = 0;
        loop {
            let rows = store::pending(pool, MailState::Digest, BATCH * 5).await?;
            if rows.is_empty() {
                return Ok(written);
            }
            let mut people: BTreeMap<i64, Vec<&store::PendingRow>> = BTreeMap::new();
            for row in &rows {
                people.entry(row.user_id).or_default().push(row);
            }
            for (user, rows) in people {
                let mut items = Vec::new();
                let mut ids = Vec::new();
                let mut dropped = Vec::new();
                for row in &rows {
                    match self.words(row) {
                        Some((kind, text, url))
                            if email_plan(kind, row.chosen.as_deref().and_then(Delivery::parse), row.paused)
                                != Delivery::Off =>
                        {
                            items.push((text, url));
                            ids.push(row.n.id);
                        }
                        _ => dropped.push(row.n.id),
                    }
                }
                let mut tx = pool.begin().await?;
                if !items.is_empty() {
                    let (preferences, stop_page, one_click) = self.links(user, unsubscribe::ALL);
                    let links = NoticeLinks {
                        preferences: &preferences,
                        stop_page: Some(&stop_page),
                        one_click: Some(&one_click),
                    };
                    let m = compose::digest(&rows[0].email, &collaborative, &items, links);
                    outbox::enqueue(&mut tx, &m, now()).await?;
                    written += 1;
                }
                store::set_mail_state(&mut tx, &ids, "emailed").await?;
                store::set_mail_state(&mut tx, &dropped, "none").await?;
                tx.commit().await?;
            }
        }
    }
}
