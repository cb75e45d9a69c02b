//! Aggregates as this process's last command left them, so the next command on the same
//! stream decides without reading and replaying the stream.
//!
//! A snapshot is only a guess at the current state: the append that follows carries the
//! snapshot's version as its expected version, so if another writer (another process,
//! or a concurrent request) got there first, the append is refused with a version
//! conflict and the command runs again on the state read from the store. A decision
//! that refuses, or decides nothing, is also taken again on the stored state before it
//! is answered, so a stale snapshot can never turn a valid command away.

use std::any::Any;
use std::sync::Arc;

use duban_domain::aggregate::Aggregate;

use crate::bounded::Bounded;

/// At most about this many streams are kept, the busiest (a task's state is about a
/// kilobyte).
const CAPACITY: usize = 10_000;

/// Snapshots by stream id.
pub struct Snapshots {
    entries: Bounded<String, Arc<dyn Any + Send + Sync>>,
}

impl Default for Snapshots {
    fn default() -> Self {
        Self {
            entries: Bounded::new(CAPACITY),
        }
    }
}

impl Snapshots {
    /// The last known state of `stream_id`, if it is an `A`.
    pub fn get<A: Aggregate + Send + Sync + 'static>(&self, stream_id: &str) -> Option<A> {
        let entry = self.entries.get(stream_id)?;
        entry.downcast_ref::<A>().cloned()
    }

    /// Remembers the state a successful append left.
    pub fn put<A: Aggregate + Send + Sync + 'static>(&self, stream_id: &str, state: A) {
        self.entries.insert(stream_id.to_string(), Arc::new(state));
    }

    /// Forgets a stream (its snapshot proved stale).
    pub fn forget(&self, stream_id: &str) {
        self.entries.remove(stream_id);
    }
}
