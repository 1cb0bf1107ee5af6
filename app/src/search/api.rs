//! The search server function. Searching needs an account: nothing in the index is for
//! visitors (a public consultation link opens its round directly), and a count of results
//! is itself information.

use leptos::prelude::*;

use super::SearchView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    super::{audiences, parse_query, store, views, DocKind, KindCount, MAX_QUERY_CHARS, PAGE_SIZE},
    crate::{
        auth::policy::{may, require, Action},
        state::{caches, db},
        time::now,
    },
};

/// Above this many results, only the title matches are ranked (`store::Order`): bm25 reads
/// every match, and a word in 100,000 comments cost 0.4 s a search.
/// (The note on the page says "5,000".)
#[cfg(feature = "ssr")]
pub const RANK_ALL_MAX: i64 = 5_000;

/// The longest theme a filter accepts (themes are short labels).
#[cfg(feature = "ssr")]
const THEME_MAX: usize = 100;

/// One page of results for what was typed, as far as the viewer may see: results, counts
/// and filter choices all come only from what they may open. An empty search is an empty
/// result, not an error; so is one that is only words to leave out (with a plain reason).
/// Whatever is typed, the index is asked only a well-formed expression (`parse_query`).
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(
    q: String,
    kind: Option<String>,
    theme: Option<String>,
    stage: Option<i64>,
    page: Option<i64>,
) -> Result<SearchView, AppError> {
    let me = require(Action::ReadPublished).await?;
    caches()?.searches.admit(me.id, now())?;
    let page = crate::site::page_number(page)?;
    let kind = match kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(
            DocKind::parse(k)
                .ok_or_else(|| AppError::invalid("kind", "Please choose what to look through from the list."))?,
        ),
    };
    let theme = theme.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if theme.as_ref().is_some_and(|t| t.chars().count() > THEME_MAX) {
        return Err(AppError::invalid("theme", "Please choose a theme from the list."));
    }
    let query = parse_query(&q);
    let db = db()?;
    let choices = store::choices(&db.read, may(&me, Action::ReadDrafts), may(&me, Action::TakePart)).await?;
    let mut view = SearchView {
        q: q.chars().take(MAX_QUERY_CHARS).collect(),
        kind,
        theme: theme.clone(),
        stage,
        page,
        problem: query.problem(&q),
        stages: choices.stages.0,
        themes: choices.themes.0,
        ..SearchView::default()
    };
    let Some(fts) = query.fts() else {
        return Ok(view);
    };
    let reach = audiences(Some(me.role));
    let filter =
        store::Filter { fts: &fts, audiences: &reach, kind: kind.map(DocKind::as_str), theme: theme.as_deref(), stage };
    let counts = store::counts(&db.read, &filter).await?;
    view.kinds =
        counts.into_iter().filter_map(|c| DocKind::parse(&c.kind).map(|kind| KindCount { kind, count: c.n })).collect();
    view.kinds.sort_by_key(|c| DocKind::ALL.iter().position(|k| *k == c.kind));
    view.total = view.kinds.iter().filter(|c| kind.is_none_or(|k| k == c.kind)).map(|c| c.count).sum();
    let order = if view.total > RANK_ALL_MAX && stage.is_none() && theme.is_none() {
        view.order_note = Some(
            "With over 5,000 results, those with the words in their title come first, best first; then the rest, newest first."
                .into(),
        );
        store::Order::TitlesThenNewest
    } else {
        store::Order::Ranked
    };
    let mut rows = store::hits(&db.read, &filter, page, PAGE_SIZE, order).await?;
    view.has_more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    view.results = rows.into_iter().filter_map(views::result).collect();
    view.searched = Some(query.describe());
    Ok(view)
}
