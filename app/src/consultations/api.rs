//! Consultation server functions: parse → check permission (`auth::policy`) → store →
//! assemble the view (`views.rs`).

use std::collections::HashMap;

use leptos::prelude::*;

use super::{results::RoundResults, NewRoundForm, Receipt, RoundList, RoundPage};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{
        cache,
        results::TEXTS_PER_PAGE,
        rules::{self, Audience, Consent, QuestionKind},
        store::{self, NewQuestion, NewResponse, NewRound, Submitted},
        views::{self, ResultsAccess},
        RoundStatus, RoundSummary, MAX_TEXT,
    },
    crate::{
        auth::{
            api::hash_token,
            policy::{allowed, check, require, Action},
            session, Perspective, Role,
        },
        prototypes::fields::Title,
        safeguarding,
        state::{caches, db},
        time::{from_local_input, now, to_local_input},
    },
    sqlx::SqlitePool,
};

/// Which audiences' rounds a viewer may see (and answer).
#[cfg(feature = "ssr")]
fn audiences(role: Option<Role>) -> Vec<Audience> {
    Audience::ALL.into_iter().filter(|a| a.admits(role).is_ok()).collect()
}

/// Rounds the viewer's audiences may see: open ones first, then by closing time, newest
/// first; one page of `size`, and whether more follow. (The home page lists them too.)
#[cfg(feature = "ssr")]
pub async fn list(
    pool: &SqlitePool,
    audiences: &[Audience],
    page: i64,
    size: i64,
) -> Result<(Vec<RoundSummary>, bool), AppError> {
    let t = now();
    let rows = store::list(pool, audiences, t, page, size).await?;
    let has_more = rows.len() as i64 > size;
    Ok((rows.into_iter().take(size as usize).map(|r| views::summary(r, t)).collect(), has_more))
}

/// Rounds on one prototype, oldest first, as its page shows them.
#[cfg(feature = "ssr")]
pub async fn for_prototype(pool: &SqlitePool, prototype: i64) -> Result<Vec<RoundSummary>, AppError> {
    let t = now();
    Ok(store::for_prototype(pool, prototype).await?.into_iter().map(|r| views::summary(r, t)).collect())
}

#[server(prefix = "/api", endpoint = "list_rounds")]
pub async fn list_rounds(page: Option<i64>) -> Result<RoundList, AppError> {
    let role = session::viewer_role().await?;
    let page = crate::site::page_number(page)?;
    let (rounds, has_more) = list(&db()?.read, &audiences(role), page, 20).await?;
    Ok(RoundList { rounds, page, has_more })
}

/// A fresh secret: a response form's one-time key or a receipt token. 128 random bits, hex.
#[cfg(feature = "ssr")]
fn new_key() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// A form key as `new_key` makes them (comment forms use the same kind).
#[cfg(feature = "ssr")]
pub fn valid_key(key: &str) -> bool {
    key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The browser's own kept form, as its hash (only its cookie can find it).
#[cfg(feature = "ssr")]
fn browser_hash() -> Option<String> {
    crate::site::browser_id().map(|b| hash_token(&b))
}

/// The answer page, with a fresh one-time form key. After a refused form sent without
/// JavaScript, what was typed comes back from the server, found by this browser's own
/// cookie: nothing in the URL or the request can name someone else's.
#[server(prefix = "/api", endpoint = "load_round")]
pub async fn load_round(id: i64) -> Result<RoundPage, AppError> {
    let role = session::viewer_role().await?;
    let db = db()?;
    let row = store::round_page(&db.read, id).await?;
    let round = views::summary(row.round, now());
    round.audience.admits(role)?;
    let questions = views::questions(row.questions.into_questions());
    let typed = match browser_hash() {
        Some(b) => store::kept_form(&db.read, &b, id)
            .await?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(RoundPage {
        round,
        purpose_html: row.purpose_html,
        iteration_html: row.iteration_html,
        change_note: row.change_note,
        questions,
        key: new_key(),
        typed,
        signed_in: role.is_some(),
        can_enter_for_others: allowed(role, Action::EditPrototypes),
        can_see_results: allowed(role, Action::EditPrototypes) || allowed(role, Action::TakePart),
        can_close: allowed(role, Action::EditPrototypes),
    })
}

#[server(prefix = "/api", endpoint = "load_new_round")]
pub async fn load_new_round(prototype: i64) -> Result<NewRoundForm, AppError> {
    require(Action::EditPrototypes).await?;
    let row = store::new_form(&db()?.read, prototype).await?;
    let t = now();
    Ok(NewRoundForm {
        prototype_id: prototype,
        iterations: row.iterations.0,
        statements: row.statements.iter().map(views::statement).collect(),
        prototype_title: row.title,
        opens: to_local_input(t - t % 60),
        closes: to_local_input(t - t % 60 + 14 * 86_400),
    })
}

/// Question slots, parsed: unused slots (no kind chosen) are skipped.
#[cfg(feature = "ssr")]
fn parse_questions(
    kind: &[String],
    prompt: &[String],
    options: &[String],
    low: &[String],
    high: &[String],
    required: &[String],
) -> Result<Vec<NewQuestion>, AppError> {
    let get = |v: &[String], i: usize| v.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    let mut out = Vec::new();
    for (i, k) in kind.iter().enumerate() {
        if k.is_empty() {
            continue;
        }
        let name = format!("prompt.{i}");
        let kind = QuestionKind::parse(k)
            .ok_or_else(|| AppError::invalid(&name, "Please choose what kind of question this is."))?;
        let prompt = get(prompt, i);
        if prompt.is_empty() || prompt.chars().count() > 500 {
            return Err(AppError::invalid(
                &name,
                format!("Question {}: please write the question (up to 500 characters).", i + 1),
            ));
        }
        let options: Vec<String> =
            get(options, i).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        if matches!(kind, QuestionKind::Single | QuestionKind::Multiple) && options.len() < 2 {
            return Err(AppError::invalid(
                &name,
                format!("Question {}: a choice question needs at least two choices, one per line.", i + 1),
            ));
        }
        out.push(NewQuestion {
            kind,
            prompt,
            required: get(required, i) == "yes",
            low: get(low, i),
            high: get(high, i),
            options,
        });
    }
    if out.is_empty() {
        return Err(AppError::invalid("prompt.0", "Please add at least one question."));
    }
    Ok(out)
}

#[server(prefix = "/api", endpoint = "open_round")]
#[allow(clippy::too_many_arguments)]
pub async fn open_round(
    prototype: i64,
    iteration: i64,
    title: String,
    purpose: String,
    audience: String,
    opens: String,
    closes: String,
    kind: Option<Vec<String>>,
    prompt: Option<Vec<String>>,
    options: Option<Vec<String>>,
    low: Option<Vec<String>>,
    high: Option<Vec<String>>,
    required: Option<Vec<String>>,
) -> Result<(), AppError> {
    let me = require(Action::EditPrototypes).await?;
    let (kind, prompt, options, low, high, required) = (
        kind.unwrap_or_default(),
        prompt.unwrap_or_default(),
        options.unwrap_or_default(),
        low.unwrap_or_default(),
        high.unwrap_or_default(),
        required.unwrap_or_default(),
    );
    let mut kept: Vec<(String, String)> = vec![
        ("title".into(), title.clone()),
        ("purpose".into(), purpose.clone()),
        ("audience".into(), audience.clone()),
        ("opens".into(), opens.clone()),
        ("closes".into(), closes.clone()),
    ];
    for (name, list) in [
        ("kind", &kind),
        ("prompt", &prompt),
        ("options", &options),
        ("low", &low),
        ("high", &high),
        ("required", &required),
    ] {
        kept.extend(list.iter().enumerate().map(|(i, v)| (format!("{name}.{i}"), v.clone())));
    }
    let keep = |e: AppError| e.keeping(&kept.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>());
    let parsed = (|| {
        let title = Title::parse(&title)?;
        if purpose.chars().count() > MAX_TEXT {
            return Err(AppError::invalid("purpose", "Please keep the purpose under 20,000 characters."));
        }
        let audience =
            Audience::parse(&audience).ok_or_else(|| AppError::invalid("audience", "Please choose who can answer."))?;
        let opens_at = from_local_input(&opens)
            .ok_or_else(|| AppError::invalid("opens", "Please give the opening date and time."))?;
        let closes_at = from_local_input(&closes)
            .ok_or_else(|| AppError::invalid("closes", "Please give the closing date and time."))?;
        if closes_at <= opens_at {
            return Err(AppError::invalid("closes", "The round must close after it opens."));
        }
        if closes_at <= now() {
            return Err(AppError::invalid(
                "closes",
                "The closing time has already passed. Please choose a time in the future.",
            ));
        }
        let questions = parse_questions(&kind, &prompt, &options, &low, &high, &required)?;
        Ok((title, audience, opens_at, closes_at, questions))
    })();
    let (title, audience, opens_at, closes_at, questions) = parsed.map_err(keep)?;
    let timeline_note = views::timeline_note(title.as_str(), opens_at, closes_at);
    let round = NewRound {
        prototype,
        iteration,
        title: title.as_str(),
        purpose: purpose.trim(),
        audience,
        opens: opens_at,
        closes: closes_at,
        questions,
        timeline_note: &timeline_note,
    };
    let id = store::create(&db()?.write, &round, me.id).await.map_err(keep)?;
    tracing::info!(round = id, prototype, "consultation round opened");
    leptos_axum::redirect(&format!("/consultations/{id}?opened=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "close_round")]
pub async fn close_round(id: i64) -> Result<(), AppError> {
    require(Action::EditPrototypes).await?;
    store::close(&db()?.write, id).await?;
    leptos_axum::redirect(&format!("/consultations/{id}?closed=1"));
    Ok(())
}

/// How many answer forms one address (visitors) or one person (signed in) may send in ten
/// minutes. A workshop's typed-in answers count against the person typing them; a busy
/// surgery's shared connection is why the address limit is generous.
#[cfg(feature = "ssr")]
pub const ANSWERS_PER_ADDRESS: crate::limits::Rate = crate::limits::Rate { max: 60, window_secs: 600 };
#[cfg(feature = "ssr")]
pub const ANSWERS_PER_PERSON: crate::limits::Rate = crate::limits::Rate { max: 30, window_secs: 600 };

/// Records one person's answers. The form's key makes a resend harmless; the receipt link
/// carries a token minted here after the answer is stored. A contribution that triage
/// matches is held and the person is shown the crisis signposting at once.
#[server(prefix = "/api", endpoint = "submit_response")]
#[allow(clippy::too_many_arguments)]
pub async fn submit_response(
    round: i64,
    key: String,
    consent: Option<String>,
    anonymous: Option<String>,
    content_note: Option<String>,
    perspectives: Option<Vec<String>>,
    on_behalf: Option<String>,
    gathered_at: Option<String>,
    answers: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    let viewer = session::viewer().await?;
    let role = viewer.as_ref().map(|v| v.role);
    let db = db()?;
    let summary = views::summary(store::round(&db.read, round).await?, now());
    summary.audience.admits(role)?;
    if !valid_key(&key) {
        return Err(AppError::BadRequest);
    }
    match &viewer {
        Some(v) => crate::limits::take(&db.write, &format!("answer:user:{}", v.id), ANSWERS_PER_PERSON).await?,
        // IPv6 per /64, as for sign-in: one host may hold a whole /64.
        None => {
            let address = crate::auth::throttle::address_key(&crate::site::client_address().await);
            crate::limits::take(&db.write, &format!("answer:addr:{address}"), ANSWERS_PER_ADDRESS).await?
        }
    }
    let answers = answers.unwrap_or_default();
    let perspectives = perspectives.unwrap_or_default();
    let on_behalf = on_behalf.as_deref() == Some("on");
    let extras = [
        ("consent", consent.as_deref()),
        ("anonymous", anonymous.as_deref()),
        ("content_note", content_note.as_deref()),
        ("gathered_at", gathered_at.as_deref()),
    ];
    let questions = views::questions(store::questions(&db.read, round).await?);
    let parsed = (|| {
        rules::check_open(summary.status)?;
        if on_behalf {
            check(role, Action::EditPrototypes)?;
        }
        let parsed = rules::parse_answers(&questions, &answers)?;
        let signed_in_answer = viewer.is_some() && !on_behalf;
        let consent = Consent::choose(consent.as_deref(), signed_in_answer)?;
        let note = content_note.clone().unwrap_or_default();
        if note.chars().count() > 200 {
            return Err(AppError::invalid("content_note", "Please keep the content note under 200 characters."));
        }
        let gathered = gathered_at.clone().unwrap_or_default();
        if on_behalf && gathered.trim().is_empty() {
            return Err(AppError::invalid(
                "gathered_at",
                "Please say where and when these answers were gathered (for example “Workshop at the Hub, 3 March”).",
            ));
        }
        Ok((parsed, consent, note, gathered))
    })();
    let (parsed, consent, note, gathered) = match parsed {
        Ok(p) => p,
        Err(e) => {
            // Keep what was typed server-side (not in the URL: it may be health data), for
            // this browser only, and only the fields this form has.
            if let (AppError::Invalid { .. }, Some(browser)) = (&e, browser_hash()) {
                let typed = rules::keepable(&questions, &answers, &extras, &perspectives);
                if let Ok(json) = serde_json::to_string(&typed) {
                    store::keep_form(&db.write, &browser, round, &json).await?;
                }
            }
            return Err(match e {
                AppError::Invalid { field, message, .. } => AppError::Invalid { field, message, kept: Vec::new() },
                other => other,
            });
        }
    };
    let sender = viewer.as_ref().map(|v| v.id);
    let submission_hash = hash_token(&rules::fingerprint(round, &key, sender, &answers, &extras, &perspectives));
    let perspectives: Vec<Perspective> = match (&viewer, on_behalf) {
        (Some(v), false) => store::perspectives_of(&db.read, v.id).await?,
        _ => perspectives.iter().filter_map(|p| Perspective::parse(p)).collect(),
    };
    let phrases = safeguarding::store::phrases(&db.read).await?;
    let held = safeguarding::triage::first_match(rules::texts(&parsed).chain([note.as_str()]), &phrases);
    let receipt = new_key();
    let browser = browser_hash();
    let response = NewResponse {
        round,
        user: viewer.as_ref().filter(|_| !on_behalf).map(|v| v.id),
        anonymous: anonymous.as_deref() == Some("on"),
        entered_by: viewer.as_ref().filter(|_| on_behalf).map(|v| v.id),
        gathered_at: gathered.trim(),
        consent,
        content_note: note.trim(),
        submission_hash: &submission_hash,
        receipt_hash: &hash_token(&receipt),
        browser_hash: browser.as_deref(),
        held_phrase: held.as_deref(),
        perspectives,
        answers: &parsed,
    };
    let outcome = store::submit(&db.write, &response).await?;
    let held = matches!(outcome, Submitted::Recorded { held: true } | Submitted::Duplicate { held: true });
    if matches!(outcome, Submitted::Recorded { held: true }) {
        tracing::warn!(round, "response held by safeguarding triage");
    }
    if on_behalf {
        leptos_axum::redirect(&format!("/consultations/{round}?entered=1"));
    } else {
        leptos_axum::redirect(&format!("/receipts/{receipt}{}", if held { "?held=1" } else { "" }));
    }
    Ok(())
}

/// A receipt, by the token in its link (visitors have no account to find it by). Only a
/// token the server minted after storing an answer opens one; form keys open nothing.
#[server(prefix = "/api", endpoint = "load_receipt")]
pub async fn load_receipt(token: String) -> Result<Receipt, AppError> {
    if !valid_key(&token) {
        return Err(AppError::NotFound);
    }
    views::receipt(store::receipt(&db()?.read, &hash_token(&token)).await?)
}

/// Full results for the design group (one page of free text at a time, `TEXTS_PER_PAGE`
/// answers per question); a summary (no free text) for members once closed.
#[server(prefix = "/api", endpoint = "load_results")]
pub async fn load_results(id: i64, page: Option<i64>) -> Result<RoundResults, AppError> {
    let role = session::viewer_role().await?;
    let page = crate::site::page_number(page)?;
    let access =
        ResultsAccess { full: allowed(role, Action::EditPrototypes), sees_anonymous: allowed(role, Action::Moderate) };
    if !access.full {
        check(role, Action::ReadPublished)?;
        check(role, Action::TakePart)?;
    }
    let db = db()?;
    let t = now();
    let round = store::results_round(&db.read, id, t).await?;
    if !access.full
        && rules::status(t, round.round.opens_at, round.round.closes_at, round.round.closed_early_at)
            != RoundStatus::Closed
    {
        return Err(AppError::Conflict("The results summary is shared with members when the round closes.".into()));
    }
    // Computed once per version of the round (and of the one compared with): see `cache`.
    let key = cache::Key {
        round: id,
        version: round.results_version,
        previous: round.previous_id.zip(round.previous_version),
    };
    let caches = caches()?;
    let tallies = match caches.tallies.get(key) {
        Some(t) => t,
        None => caches.tallies.put(key, store::tallies(&db.read, id, round.previous_id).await?),
    };
    let texts = if access.full { store::text_answers(&db.read, id, page, TEXTS_PER_PAGE).await? } else { Vec::new() };
    views::results(round, &tallies, texts, access, page, t)
}

/// Property tests (issue 9, finding 13): the new-round form's question slots never panic,
/// and an accepted question is one a round can hold. (`open_round` and `submit_response`
/// parse their other fields inline; the pure parts they call are tested in `rules`.)
#[cfg(all(test, feature = "ssr"))]
mod props {
    use proptest::{prelude::*, sample::select};

    use super::parse_questions;
    use crate::{
        consultations::QuestionKind,
        props::{config, short_value, value},
    };

    fn slot() -> impl Strategy<Value = String> {
        prop_oneof![
            short_value(),
            select(QuestionKind::ALL.to_vec()).prop_map(|k| k.as_str().to_string()),
            Just("yes".to_string()),
            "([a-z ]{0,5}\n){0,4}"
        ]
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn question_slots_never_panic(
            kind in prop::collection::vec(slot(), 0..10),
            prompt in prop::collection::vec(slot(), 0..10),
            options in prop::collection::vec(slot(), 0..10),
            low in prop::collection::vec(slot(), 0..10),
            high in prop::collection::vec(slot(), 0..10),
            required in prop::collection::vec(slot(), 0..10),
        ) {
            if let Ok(qs) = parse_questions(&kind, &prompt, &options, &low, &high, &required) {
                prop_assert!(!qs.is_empty() && qs.len() <= kind.len());
                for q in &qs {
                    prop_assert!((1..=500).contains(&q.prompt.chars().count()));
                    prop_assert!(!matches!(q.kind, QuestionKind::Single | QuestionKind::Multiple) || q.options.len() >= 2);
                    prop_assert!(q.options.iter().all(|o| !o.is_empty() && o.trim() == o));
                }
            }
        }

        /// The date and time fields (`opens`, `closes`, a meeting's `starts`): any text, and
        /// well-formed times at the edges of the calendar, never panic.
        #[test]
        fn local_times_never_panic(s in prop_oneof![
            value(),
            (prop_oneof![Just(-262_144i64), Just(262_143i64), Just(262_142), Just(-262_143), 1i64..10_000, any::<i64>()], 1u32..=12, 1u32..=31, 0u32..=24, 0u32..=60, any::<bool>())
                .prop_map(|(y, mo, d, h, mi, secs)| if secs { format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00") } else { format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}") }),
        ]) {
            let _ = crate::time::from_local_input(&s);
        }
    }
}
