//! Commit notifications: a watch channel holding the latest committed position, and the
//! guard that stops a backend's background listener when the store is dropped.

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Raises the watched head to `position` if that is newer (notifications may arrive out
/// of order or twice; the value only moves forward).
pub(crate) fn advance(head: &watch::Sender<i64>, position: i64) {
    head.send_if_modified(|current| {
        if position > *current {
            *current = position;
            true
        } else {
            false
        }
    });
}

/// Aborts a background task when dropped.
#[derive(Debug)]
pub(crate) struct TaskGuard(pub JoinHandle<()>);

impl Drop for TaskGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}
