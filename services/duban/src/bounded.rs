//! [`Bounded`]: the one cache type the server keeps things in (parsed documents, whole
//! answers, boards, dispatches, aggregate snapshots).
//!
//! Every such cache must stay under a bound whatever its clients send, and must not
//! lose what is used over and over because something else was asked once. `quick_cache`
//! gives both: its eviction (close to S3-FIFO) lets a new entry in on probation and
//! evicts those first, so a scan of one-off keys passes through without pushing out the
//! entries that are read again.

use std::hash::Hash;

use quick_cache::sync::Cache;
use quick_cache::{Equivalent, OptionsBuilder, UnitWeighter, Weighter};

/// A concurrent cache bounded in entries, or in a weight of its own ([`Bounded::weighed`]).
/// Values are cloned out, so large ones go behind an `Arc`.
pub struct Bounded<K, V, W = UnitWeighter> {
    inner: Cache<K, V, W>,
}

impl<K: Eq + Hash, V: Clone> Bounded<K, V> {
    /// Holds about `entries` entries at most.
    pub fn new(entries: usize) -> Self {
        Self {
            inner: Cache::new(entries),
        }
    }
}

impl<K: Eq + Hash, V: Clone, W: Weighter<K, V> + Clone> Bounded<K, V, W> {
    /// Holds entries whose weights add up to `capacity` at most. One shard, so that a
    /// single entry may take nearly the whole capacity (a sharded cache splits it);
    /// `estimated_entries` sizes the table. An entry heavier than the part of `capacity`
    /// quick_cache allots to hot entries (97 %) is not kept.
    pub fn weighed(capacity: u64, estimated_entries: usize, weighter: W) -> Self {
        let options = OptionsBuilder::new()
            .shards(1)
            .estimated_items_capacity(estimated_entries)
            .weight_capacity(capacity)
            .build()
            .expect("a positive capacity");
        Self {
            inner: Cache::with_options(options, weighter, Default::default(), Default::default()),
        }
    }

    /// A copy of the value kept under `key`.
    pub fn get<Q: Hash + Equivalent<K> + ?Sized>(&self, key: &Q) -> Option<V> {
        self.inner.get(key)
    }

    /// Keeps `value` under `key`, replacing what was there; may evict cold entries.
    pub fn insert(&self, key: K, value: V) {
        self.inner.insert(key, value);
    }

    /// Forgets `key`.
    pub fn remove<Q: Hash + Equivalent<K> + ?Sized>(&self, key: &Q) {
        self.inner.remove(key);
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.inner.clear();
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hot_entry_survives_a_scan_of_many_cold_ones() {
        let cache = Bounded::<String, usize>::new(100);
        cache.insert("hot".into(), 0);
        for i in 0..10_000 {
            cache.insert(format!("cold {i}"), i);
            assert_eq!(cache.get("hot"), Some(0), "evicted after {i} cold entries");
        }
        assert!(cache.len() <= 100, "bounded: {}", cache.len());
    }

    #[derive(Clone)]
    struct Len;
    impl Weighter<u32, String> for Len {
        fn weight(&self, _: &u32, value: &String) -> u64 {
            value.len() as u64
        }
    }

    #[test]
    fn a_weighed_cache_stays_under_its_weight_and_keeps_one_entry_of_nearly_its_size() {
        let cache = Bounded::weighed(1000, 10, Len);
        for i in 0..100 {
            cache.insert(i, "x".repeat(100));
        }
        assert!(cache.len() <= 10, "{} entries of 100", cache.len());
        cache.clear();
        assert!(cache.is_empty());
        cache.insert(1, "x".repeat(950));
        assert!(
            cache.get(&1).is_some(),
            "an entry of 95 % of the bound is kept"
        );
        cache.insert(2, "x".repeat(1001));
        assert!(cache.get(&2).is_none(), "one larger than the bound is not");
        cache.remove(&1);
        assert!(cache.get(&1).is_none());
    }
}
