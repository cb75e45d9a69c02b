//! How long one request's answer holds: resolvers whose answer depends on the moment
//! asked (the board: until the next midnight or the next task turning stale) narrow
//! it, so that a cache of whole answers (`http::response_cache`) never keeps one past
//! the instant it would change.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};

/// The longest a board's answer is used again: its `asOf` says when it was computed.
pub const MAX_AGE: TimeDelta = TimeDelta::seconds(1);

/// The earliest instant any resolver of this request said its answer changes at
/// (request data, as `Arc<Validity>`).
#[derive(Debug, Default)]
pub struct Validity(Mutex<Option<DateTime<Utc>>>);

impl Validity {
    /// This request's answer changes at `until` at the latest.
    pub fn holds_until(&self, until: DateTime<Utc>) {
        let mut current = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *current = Some(current.map_or(until, |c| c.min(until)));
    }

    /// The earliest instant declared, if any resolver declared one.
    pub fn until(&self) -> Option<DateTime<Utc>> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
