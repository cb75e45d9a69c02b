//! Whether the writer task has a round of writes in flight, so that a reader asking for
//! positions this process is about to remember can wait for them instead of querying
//! the database (see `Committer::recent` in the `group` module).
//!
//! On PostgreSQL the commit notification reaches the listener on its own connection and
//! can raise the store's head before the writer task has read the database's answer.
//! A reader woken by it (the read-model follower) then found the new positions missing
//! from [`crate::recent::Recent`] and read them from the database: under 16 HTTP clients
//! that was a third of the commits (BENCHMARKS.md).

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::watch;

/// Whether the writer task is writing, and how many rounds it has finished.
#[derive(Debug)]
pub(crate) struct Writing {
    busy: AtomicBool,
    rounds: watch::Sender<u64>,
}

impl Writing {
    pub(crate) fn new() -> Self {
        Self {
            busy: AtomicBool::new(false),
            rounds: watch::Sender::new(0),
        }
    }

    /// Marks a round of writes begun (before its first statement). The round ends when
    /// the guard is dropped: after its answers went out and its events were remembered,
    /// and also when the writer task is stopped or panics mid-round, so no reader waits
    /// for a round that will never end.
    pub(crate) fn begin(&self) -> Round<'_> {
        self.busy.store(true, Ordering::SeqCst);
        Round(self)
    }

    /// Waits for the round in flight to end, if one is.
    pub(crate) async fn settle(&self) {
        // Subscribed before looking, so an end between the two is not missed.
        let mut rounds = self.rounds.subscribe();
        if self.busy.load(Ordering::SeqCst) {
            // The sender lives in `self`, so `changed` cannot fail while it is borrowed.
            let _ = rounds.changed().await;
        }
    }
}

/// A round of writes in flight; see [`Writing::begin`].
pub(crate) struct Round<'a>(&'a Writing);

impl Drop for Round<'_> {
    fn drop(&mut self) {
        self.0.busy.store(false, Ordering::SeqCst);
        self.0.rounds.send_modify(|n| *n = n.wrapping_add(1));
    }
}

#[cfg(test)]
#[path = "in_flight_tests.rs"]
mod tests;
