//! The results' tallies, kept in this process by round and results version. The version is
//! bumped by triggers in the same transaction as any change to what the results count
//! (migration 12) and read with the round on every results page, so an entry is never stale
//! on any instance: a change makes a new key, and old keys are simply never asked for again.
//! Bounded: a round keeps only its latest entry, and the map is emptied when full.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use super::store::Tallies;

/// A round's tallies are for one version of it and of the round compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub round: i64,
    pub version: i64,
    pub previous: Option<(i64, i64)>,
}

const MAX_ROUNDS: usize = 256;

/// Per round, its latest key and tallies.
type Entries = HashMap<i64, (Key, Arc<Tallies>)>;

/// The tallies this server has worked out (in its `AppState`: one per database).
#[derive(Default)]
pub struct Cache {
    map: Mutex<Entries>,
}

impl Cache {
    pub fn get(&self, key: Key) -> Option<Arc<Tallies>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&key.round).filter(|(k, _)| *k == key).map(|(_, t)| t.clone())
    }

    pub fn put(&self, key: Key, tallies: Tallies) -> Arc<Tallies> {
        let tallies = Arc::new(tallies);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ROUNDS && !map.contains_key(&key.round) {
            map.clear();
        }
        map.insert(key.round, (key, tallies.clone()));
        tallies
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_found_only_under_its_exact_version() {
        let cache = Cache::default();
        let key = Key { round: 7, version: 3, previous: Some((6, 1)) };
        cache.put(key, Tallies::default());
        assert!(cache.get(key).is_some());
        assert!(cache.get(Key { version: 4, ..key }).is_none(), "a newer version is computed afresh");
        assert!(cache.get(Key { previous: Some((6, 2)), ..key }).is_none(), "so is a changed previous round");
        cache.put(Key { version: 4, ..key }, Tallies::default());
        assert!(cache.get(key).is_none(), "a round keeps only its latest entry");
    }
}
