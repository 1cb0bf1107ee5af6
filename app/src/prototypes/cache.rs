//! Published iterations' HTML and its section split, kept in memory. An iteration never
//! changes once published, so an entry never goes stale and needs no invalidation; the cache
//! is bounded (least recently used out) and per process, so several instances stay correct:
//! each reads what it lacks from the database. Everything mutable is read on every request.
//!
//! Keyed by the iteration's id within its database file: one process may serve (or, in the
//! tests, run servers over) several databases, where the same id names different iterations.

use std::{
    num::NonZeroUsize,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, OnceLock},
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

/// A bounded map from (database, iteration id) to the iteration's body.
pub struct Cache {
    entries: Mutex<LruCache<(PathBuf, i64), Arc<Body>>>,
}

impl Cache {
    pub fn new(capacity: usize) -> Cache {
        Cache { entries: Mutex::new(LruCache::new(NonZeroUsize::new(capacity.max(1)).expect("at least one"))) }
    }

    pub fn get(&self, db: &Path, iteration: i64) -> Option<Arc<Body>> {
        self.entries.lock().ok()?.get(&(db.to_path_buf(), iteration)).cloned()
    }

    pub fn put(&self, db: &Path, iteration: i64, body: Arc<Body>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.put((db.to_path_buf(), iteration), body);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn shared() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Cache::new(CAPACITY))
}

/// The database file `pool` reads (`None` for an in-memory database, which has no lasting name).
fn database(pool: &sqlx::SqlitePool) -> Option<PathBuf> {
    let name = pool.connect_options().get_filename().to_path_buf();
    let s = name.to_string_lossy();
    (!s.is_empty() && !s.contains(":memory:")).then_some(name)
}

/// Iteration `id`'s body: from the cache, or read once (one statement) and kept.
pub async fn body(pool: &sqlx::SqlitePool, iteration: i64) -> Result<Arc<Body>, crate::error::AppError> {
    let db = database(pool);
    if let Some(hit) = db.as_ref().and_then(|db| shared().get(db, iteration)) {
        return Ok(hit);
    }
    let html = super::store::iteration_html(pool, iteration).await?.ok_or(crate::error::AppError::NotFound)?;
    let body = Arc::new(Body::new(html));
    if let Some(db) = &db {
        shared().put(db, iteration, body.clone());
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(s: &str) -> Arc<Body> {
        Arc::new(Body::new(s.to_string()))
    }

    #[test]
    fn the_cache_is_bounded_and_keyed_by_database_and_iteration() {
        let cache = Cache::new(2);
        let (a, b) = (PathBuf::from("/data/a.db"), PathBuf::from("/data/b.db"));
        cache.put(&a, 1, body("<p>one</p>"));
        cache.put(&b, 1, body("<p>another database's one</p>"));
        assert_eq!(cache.get(&a, 1).unwrap().html, "<p>one</p>");
        assert_eq!(cache.get(&b, 1).unwrap().html, "<p>another database's one</p>");
        assert!(cache.get(&a, 2).is_none(), "keyed by iteration id");
        // a/1 was used last; a third entry pushes out the least recently used (b/1).
        cache.get(&a, 1);
        cache.put(&a, 3, body("<p>three</p>"));
        assert_eq!(cache.len(), 2, "bounded");
        assert!(cache.get(&b, 1).is_none());
        assert!(cache.get(&a, 1).is_some() && cache.get(&a, 3).is_some());
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
