//! Whether the writer task has a round of writes in flight, so that a reader asking for
//! positions this process is about to remember can wait for them instead of querying
//! the database (see `Committer::recent` in the `group` module).
//!
//! On PostgreSQL the commit notification reaches the listener on its own connection and
//! can raise the store's head before the writer task has read the database's answer.
//! A reader woken by it (the read-model follower) then found the new positions missing
//! from [`crate::recent::Recent`] and read them from the database, for a large share of
//! the commits under many HTTP clients.

use tokio::sync::watch;

/// Whether the writer task is in a round of writes. Rounds never overlap, so the next
/// change a reader sees after finding a round in flight is that round's end.
#[derive(Debug)]
pub(crate) struct Writing {
    busy: watch::Sender<bool>,
}

impl Writing {
    pub(crate) fn new() -> Self {
        Self {
            busy: watch::Sender::new(false),
        }
    }

    /// Marks a round of writes begun (before its first statement). The round ends when
    /// the guard is dropped: after its answers went out and its events were remembered,
    /// and also when the writer task is stopped or panics mid-round, so no reader waits
    /// for a round that will never end.
    pub(crate) fn begin(&self) -> Round<'_> {
        self.busy.send_replace(true);
        Round(self)
    }

    /// Waits for the round in flight to end, if one is.
    pub(crate) async fn settle(&self) {
        let mut busy = self.busy.subscribe();
        // Marked seen here, so an end between this look and the wait is not missed.
        if *busy.borrow_and_update() {
            // The sender lives in `self`, so `changed` cannot fail while it is borrowed.
            let _ = busy.changed().await;
        }
    }
}

/// A round of writes in flight; see [`Writing::begin`].
pub(crate) struct Round<'a>(&'a Writing);

impl Drop for Round<'_> {
    fn drop(&mut self) {
        self.0.busy.send_replace(false);
    }
}

#[cfg(test)]
#[path = "in_flight_tests.rs"]
mod tests;
