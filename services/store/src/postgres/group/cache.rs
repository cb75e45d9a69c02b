//! The stream heads the writer task knows, as of one log head.
//!
//! A group needs the head (last version, type, hash) of every stream it appends to. The
//! writer task learns them from the database and from what it writes itself, and keeps
//! them with the log head they are valid at. While no other writer commits, the log head
//! stays where this writer left it, so the cached stream heads are exact and a group of
//! known streams needs no read before its write. Whether another writer committed is
//! decided by the write itself: it is a compare-and-swap on the log head (see the parent
//! module), and a group planned from stale heads writes nothing, after which the cache
//! is dropped and the group planned again from the database.

use crate::append::{Heads, StreamHead};

/// Most streams remembered; past this the cache starts again empty (about 200 bytes a
/// stream, so at most a few MiB).
const MAX_STREAMS: usize = 16_384;

/// Stream heads, all valid at one log head.
#[derive(Debug, Default)]
pub(crate) struct HeadCache {
    /// The log head every entry is valid at; `None` when nothing is known.
    at: Option<i64>,
    /// Stream id → its head at `at`; `None`: the stream did not exist then.
    streams: Heads<Option<StreamHead>>,
}

impl HeadCache {
    /// The log head and the heads of the existing streams among `streams`, if every one
    /// of them is known.
    pub(crate) fn lookup(&self, streams: &[&str]) -> Option<(i64, Heads)> {
        let at = self.at?;
        let mut heads = Heads::with_capacity_and_hasher(streams.len(), Default::default());
        for id in streams {
            if let Some(head) = self.streams.get(*id)? {
                heads.insert((*id).to_owned(), head.clone());
            }
        }
        Some((at, heads))
    }

    /// True when the cache knows the log head (it may still know no stream).
    pub(crate) fn knows_head(&self) -> bool {
        self.at.is_some()
    }

    /// The streams among `streams` whose head is not known (all of them while the cache
    /// knows no log head: it then holds no entries).
    pub(crate) fn missing<'a>(&self, streams: &[&'a str]) -> Vec<&'a str> {
        streams
            .iter()
            .copied()
            .filter(|id| !self.streams.contains_key(*id))
            .collect()
    }

    /// Records stream heads read from the database when the log head was `seen`. When
    /// that is not the head the cache was valid at, what it knew is dropped first, and
    /// false is returned: then only the streams just read are known.
    pub(crate) fn learn(
        &mut self,
        seen: i64,
        heads: impl IntoIterator<Item = (String, Option<StreamHead>)>,
    ) -> bool {
        let kept = self.at == Some(seen);
        if !kept {
            self.streams.clear();
            self.at = Some(seen);
        }
        self.streams.extend(heads);
        self.bound();
        kept
    }

    /// Records a write made from log head `head` to `last`, with the new heads of the
    /// streams it wrote. A cache that was not valid at `head` is dropped instead.
    pub(crate) fn wrote(
        &mut self,
        head: i64,
        last: i64,
        heads: impl IntoIterator<Item = (String, StreamHead)>,
    ) {
        if self.at != Some(head) {
            self.forget();
            return;
        }
        self.at = Some(last);
        self.streams
            .extend(heads.into_iter().map(|(id, h)| (id, Some(h))));
        self.bound();
    }

    /// Forgets everything (another writer committed, or the state is unknown).
    pub(crate) fn forget(&mut self) {
        self.at = None;
        self.streams.clear();
    }

    fn bound(&mut self) {
        if self.streams.len() > MAX_STREAMS {
            self.streams.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(version: i64) -> StreamHead {
        StreamHead {
            stream_type: "task".into(),
            version,
            hash: format!("h{version}"),
        }
    }

    #[test]
    fn an_empty_cache_knows_nothing() {
        let cache = HeadCache::default();
        assert!(cache.lookup(&[]).is_none());
        assert_eq!(cache.missing(&["a", "b"]), ["a", "b"]);
    }

    #[test]
    fn learned_heads_and_absent_streams_are_known_at_their_log_head() {
        let mut cache = HeadCache::default();
        assert!(!cache.learn(7, [("a".into(), Some(head(2))), ("b".into(), None)]));
        let (at, heads) = cache.lookup(&["a", "b"]).expect("both known");
        assert_eq!(at, 7);
        assert_eq!(heads.len(), 1, "b does not exist");
        assert_eq!(heads["a"].version, 2);
        assert_eq!(cache.missing(&["a", "b", "c"]), ["c"]);
        assert!(cache.lookup(&["a", "c"]).is_none());
        assert!(cache.learn(7, [("c".into(), None)]));
        assert!(cache.lookup(&["a", "c"]).is_some());
    }

    #[test]
    fn heads_read_at_another_log_head_replace_what_was_known() {
        let mut cache = HeadCache::default();
        cache.learn(7, [("a".into(), Some(head(2)))]);
        assert!(!cache.learn(9, [("b".into(), Some(head(1)))]));
        assert_eq!(cache.missing(&["a", "b"]), ["a"]);
        assert_eq!(cache.lookup(&["b"]).map(|(at, _)| at), Some(9));
    }

    #[test]
    fn a_write_moves_the_log_head_and_the_written_streams() {
        let mut cache = HeadCache::default();
        cache.learn(7, [("a".into(), Some(head(2))), ("b".into(), None)]);
        cache.wrote(7, 9, [("a".into(), head(3)), ("b".into(), head(1))]);
        let (at, heads) = cache.lookup(&["a", "b"]).expect("known");
        assert_eq!((at, heads["a"].version, heads["b"].version), (9, 3, 1));
    }

    #[test]
    fn a_write_from_another_log_head_drops_the_cache() {
        let mut cache = HeadCache::default();
        cache.learn(7, [("a".into(), Some(head(2)))]);
        cache.wrote(8, 9, [("a".into(), head(3))]);
        assert!(cache.lookup(&["a"]).is_none());
        cache.learn(9, [("a".into(), Some(head(3)))]);
        cache.forget();
        assert_eq!(cache.missing(&["a"]), ["a"]);
    }

    #[test]
    fn past_its_bound_the_cache_starts_again() {
        let mut cache = HeadCache::default();
        let many = (0..=MAX_STREAMS).map(|i| (format!("s{i}"), None));
        cache.learn(1, many);
        assert_eq!(cache.missing(&["s0"]), ["s0"]);
        assert!(cache.lookup(&[]).is_some(), "still valid at its log head");
    }
}
