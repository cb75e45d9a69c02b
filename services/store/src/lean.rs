//! [`LeanPage`]: a page of the log in the form a projection replaying it needs, with
//! every text field a slice of one buffer.
//!
//! A rebuild reads millions of events. Held as four `String`s each (stream, type,
//! payload, metadata), a page cost four allocations, copies and frees per event; here
//! the texts stay in the buffer the database sent (SQLite's one separator-joined text)
//! or are appended to one (PostgreSQL's binary COPY), and each event keeps ranges.

use std::ops::Range;

use chrono::{DateTime, Utc};

/// A page of lean events, in position order (see [`crate::EventStore::read_all_lean`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeanPage {
    /// The text fields of every event, back to back (or with separators between them).
    text: String,
    /// Per event, its numbers and where its texts are in `text`.
    events: Vec<Spans>,
}

/// One event of a [`LeanPage`]: the numbers, and ranges of the page's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Spans {
    pub position: i64,
    pub schema_version: i32,
    pub recorded_at: DateTime<Utc>,
    pub stream_id: Range<usize>,
    pub event_type: Range<usize>,
    pub payload: Range<usize>,
    pub metadata: Range<usize>,
}

/// An event as a projection reads it when replaying the log: only what reducers use,
/// with payload and metadata as the stored JSON text, so the reader decodes each once,
/// straight into its own types. Hashes, the event id and the stream type are left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeanEvent<'a> {
    /// Global position.
    pub position: i64,
    /// The stream (`<type>-<uuid>`).
    pub stream_id: &'a str,
    /// Event type.
    pub event_type: &'a str,
    /// Payload schema version.
    pub schema_version: i32,
    /// The payload's JSON text.
    pub payload: &'a str,
    /// The metadata's JSON text (see [`crate::Metadata`] for its fields).
    pub metadata: &'a str,
    /// When the store took it.
    pub recorded_at: DateTime<Utc>,
}

impl LeanPage {
    /// A page of `events` whose ranges lie in `text` (on character boundaries).
    pub(crate) fn from_parts(text: String, events: Vec<Spans>) -> Self {
        debug_assert!(events.iter().all(|e| {
            [&e.stream_id, &e.event_type, &e.payload, &e.metadata]
                .into_iter()
                .all(|r| text.get(r.clone()).is_some())
        }));
        Self { text, events }
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True when the page holds no event (the log ends here).
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Position of the page's last event.
    pub fn last_position(&self) -> Option<i64> {
        self.events.last().map(|e| e.position)
    }

    /// The events, in position order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = LeanEvent<'_>> {
        self.events.iter().map(|e| {
            let text = |r: &Range<usize>| &self.text[r.clone()];
            LeanEvent {
                position: e.position,
                stream_id: text(&e.stream_id),
                event_type: text(&e.event_type),
                schema_version: e.schema_version,
                payload: text(&e.payload),
                metadata: text(&e.metadata),
                recorded_at: e.recorded_at,
            }
        })
    }
}

/// Where `part`, a slice of `whole`, lies in it.
pub(crate) fn range_in(whole: &str, part: &str) -> Range<usize> {
    let start = part.as_ptr().addr() - whole.as_ptr().addr();
    debug_assert!(start + part.len() <= whole.len());
    start..start + part.len()
}
