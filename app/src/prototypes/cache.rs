//! Published iterations' HTML and its section split, kept in memory. An iteration never
//! changes once published, so an entry never goes stale and needs no invalidation; the cache
//! is bounded (least recently used out) and per process, so several instances stay correct:
//! each reads what it lacks from the database. Everything mutable is read on every request.
//!
//! Keyed by the iteration's id: the cache lives in the server's `AppState`, one per
//! database, so ids are never ambiguous (the tests run many servers in one process).

use std::{
    num::NonZeroUsize,
    sync::{Arc, Mutex},
};

use lru::LruCache;

use super::Section;

/// Iterations kept: a few hundred pages of prose (tens of KB each) is a few MB at most.
pub const CAPACITY: usize = 512;

/// An iteration's HTML, whole (the prototype page) and split at its section headings (the
/// iteration page, with comments beside each section).
#[derive(Debug, PartialEq, Eq)]
pub struct Body {
    pub html: String,
    pub sections: Vec<Section>,
}

impl Body {
    pub fn new(html: String) -> Body {
        let sections = crate::feedback::rules::sections(&html)
            .into_iter()
            .map(|(id, title, html)| Section { id, title, html })
            .collect();
        Body { html, sections }
    }
}

/// A bounded map from iteration id to the iteration's body.
pub struct Cache {
    entries: Mutex<LruCache<i64, Arc<Body>>>,
}

impl Default for Cache {
    fn default() -> Cache {
        Cache::new(CAPACITY)
    }
}

impl Cache {
    pub fn new(capacity: usize) -> Cache {
        Cache { entries: Mutex::new(LruCache::new(NonZeroUsize::new(capacity.max(1)).expect("at least one"))) }
    }

    pub fn get(&self, iteration: i64) -> Option<Arc<Body>> {
        self.entries.lock().ok()?.get(&iteration).cloned()
    }

    pub fn put(&self, iteration: i64, body: Arc<Body>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.put(iteration, body);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Iteration `id`'s body: from the cache, or read once (one statement) and kept.
pub async fn body(pool: &sqlx::SqlitePool, cache: &Cache, iteration: i64) -> Result<Arc<Body>, crate::error::AppError> {
    if let Some(hit) = cache.get(iteration) {
        return Ok(hit);
    }
    let html = super::store::iteration_html(pool, iteration).await?.ok_or(crate::error::AppError::NotFound)?;
    let body = Arc::new(Body::new(html));
    cache.put(iteration, body.clone());
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(s: &str) -> Arc<Body> {
        Arc::new(Body::new(s.to_string()))
    }

    #[test]
    fn the_cache_is_bounded_and_keyed_by_iteration() {
        let cache = Cache::new(2);
        cache.put(1, body("<p>one</p>"));
        cache.put(2, body("<p>two</p>"));
        assert_eq!(cache.get(1).unwrap().html, "<p>one</p>");
        assert!(cache.get(3).is_none(), "keyed by iteration id");
        // 1 was used last; a third entry pushes out the least recently used (2).
        cache.put(3, body("<p>three</p>"));
        assert_eq!(cache.len(), 2, "bounded");
        assert!(cache.get(2).is_none());
        assert!(cache.get(1).is_some() && cache.get(3).is_some());
    }

    #[test]
    fn a_body_is_split_at_its_section_headings() {
        let b = Body::new("<p>intro</p><h2 id=\"section-the-problem\">The problem</h2><p>text</p>".into());
        assert_eq!(b.sections.len(), 2);
        assert_eq!(b.sections[0].id, None);
        assert_eq!(b.sections[1].id.as_deref(), Some("section-the-problem"));
        assert_eq!(b.sections[1].title, "The problem");
        assert_eq!(b.sections.iter().map(|s| s.html.as_str()).collect::<String>(), b.html);
    }
}
