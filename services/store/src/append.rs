//! What an append asks for ([`StreamAppend`], [`ExpectedVersion`]) and answers
//! ([`Appended`]), plus the checks and planning both backends share: once a backend holds
//! the write lock and knows each stream's head, [`plan`] checks expected versions and
//! builds the recorded events with their positions and hashes.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{Metadata, NewEvent, RecordedEvent, format_time};
use crate::hash::{CanonicalEvent, GENESIS_HASH, canonical_json};

/// The version a stream must be at for an append to go through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedVersion {
    /// No check (the append goes after whatever is there).
    Any,
    /// The stream must be at exactly this version; `Exact(0)` = the stream must not exist.
    Exact(i64),
}

/// Events for one stream within an append.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamAppend {
    /// The stream (`<type>-<uuid>`).
    pub stream_id: String,
    /// The aggregate type; must match the type the stream was created with.
    pub stream_type: String,
    /// Optimistic-concurrency check for this stream.
    pub expected: ExpectedVersion,
    /// The events, in order. May be empty: then the append only asserts the version.
    pub events: Vec<NewEvent>,
}

impl StreamAppend {
    /// Events for `stream_id` with the given expectation.
    pub fn new(
        stream_id: impl Into<String>,
        stream_type: impl Into<String>,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Self {
        Self {
            stream_id: stream_id.into(),
            stream_type: stream_type.into(),
            expected,
            events,
        }
    }
}

/// The answer to an append.
#[derive(Clone, Debug, PartialEq)]
pub struct Appended {
    /// The recorded events, in position order; shared with the store's memory of recent
    /// appends (see the `recent` module), so answering copies no event.
    pub events: Arc<[RecordedEvent]>,
    /// True when the command id had been handled before: nothing was written and
    /// `events` are those of the first append.
    pub duplicate: bool,
}

impl Appended {
    /// Position of the last event of this append, if it has any.
    pub fn last_position(&self) -> Option<i64> {
        self.events.last().map(|e| e.position)
    }
}

/// The last event of a stream, as far as an append needs it.
#[derive(Clone, Debug)]
pub(crate) struct StreamHead {
    pub stream_type: String,
    pub version: i64,
    pub hash: String,
}

/// Stream id → its head, as planning looks streams up. Hashed with foldhash (the hasher
/// `hashbrown` itself defaults to; seeded per process) instead of std's SipHash: a bulk
/// append looks each of its streams up several times, and SipHash was ~9 % of the
/// writer's samples in a bulk append of 100 events.
pub(crate) type Heads<V = StreamHead> = HashMap<String, V, foldhash::fast::RandomState>;

/// Checks the shape of an append and returns its number of events.
pub(crate) fn validate(batch: &[StreamAppend]) -> Result<i64, StoreError> {
    let mut seen = HashSet::new();
    let mut total = 0i64;
    for part in batch {
        if part.stream_id.is_empty() || part.stream_type.is_empty() {
            return Err(StoreError::InvalidAppend(
                "stream id and stream type must not be empty".into(),
            ));
        }
        if !seen.insert(part.stream_id.as_str()) {
            return Err(StoreError::InvalidAppend(format!(
                "stream {} appears twice in one append",
                part.stream_id
            )));
        }
        if let ExpectedVersion::Exact(v) = part.expected
            && v < 0
        {
            return Err(StoreError::InvalidAppend(format!(
                "expected version {v} of stream {} is negative",
                part.stream_id
            )));
        }
        if part.events.iter().any(|e| e.event_type.is_empty()) {
            return Err(StoreError::InvalidAppend(
                "event type must not be empty".into(),
            ));
        }
        total += i64::try_from(part.events.len()).expect("event count fits in i64");
    }
    Ok(total)
}

/// The events of an append, ready to insert.
pub(crate) struct Planned {
    /// The recorded events, in position order.
    pub events: Vec<RecordedEvent>,
    /// Canonical JSON of each event's payload (stored and hashed as is).
    pub payloads: Vec<String>,
    /// Canonical JSON of the metadata (the same for every event of the append).
    pub metadata: String,
}

/// Builds the recorded events of `batch`, numbered from `first_position`, after checking
/// every stream's expected version and type against `heads` (streams missing from `heads`
/// do not exist yet). The payloads are only read (canonical text and hash): the recorded
/// events hold `Value::Null` until [`move_payloads`] moves the batch's payloads in, once
/// the write went through, so a batch planned again after a lost race is not copied.
pub(crate) fn plan(
    batch: &[StreamAppend],
    heads: &Heads,
    first_position: i64,
    meta: &Metadata,
    recorded_at: DateTime<Utc>,
) -> Result<Planned, StoreError> {
    for part in batch {
        let head = heads.get(&part.stream_id);
        let actual = head.map_or(0, |h| h.version);
        if let ExpectedVersion::Exact(expected) = part.expected
            && expected != actual
        {
            return Err(StoreError::VersionConflict {
                stream: part.stream_id.clone(),
                expected,
                actual,
            });
        }
        if let Some(h) = head
            && h.stream_type != part.stream_type
        {
            return Err(StoreError::StreamTypeMismatch {
                stream: part.stream_id.clone(),
                existing: h.stream_type.clone(),
                requested: part.stream_type.clone(),
            });
        }
    }
    let metadata = canonical_json(&metadata_value(meta));
    let at = format_time(recorded_at);
    let mut position = first_position;
    let total = batch.iter().map(|part| part.events.len()).sum();
    let mut events = Vec::with_capacity(total);
    let mut payloads = Vec::with_capacity(total);
    for part in batch {
        let head = heads.get(&part.stream_id);
        let first_version = head.map_or(0, |h| h.version) + 1;
        let mut prev_hash = head.map_or_else(|| GENESIS_HASH.to_owned(), |h| h.hash.clone());
        for (version, event) in (first_version..).zip(&part.events) {
            let event_id = Uuid::now_v7();
            let payload = canonical_json(&event.payload);
            let hash = CanonicalEvent {
                position,
                stream_id: &part.stream_id,
                stream_type: &part.stream_type,
                stream_version: version,
                event_id,
                event_type: &event.event_type,
                schema_version: event.schema_version,
                payload: &payload,
                metadata: &metadata,
                recorded_at: &at,
            }
            .chain_hash(&prev_hash);
            events.push(RecordedEvent {
                position,
                stream_id: part.stream_id.clone(),
                stream_type: part.stream_type.clone(),
                stream_version: version,
                event_id,
                event_type: event.event_type.clone(),
                schema_version: event.schema_version,
                payload: Value::Null,
                metadata: meta.clone(),
                recorded_at,
                prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
                hash,
            });
            payloads.push(payload);
            position += 1;
        }
    }
    Ok(Planned {
        events,
        payloads,
        metadata,
    })
}

impl Planned {
    /// The head each stream has after these events: one per run of a stream's events.
    pub(crate) fn heads(&self) -> impl Iterator<Item = (String, StreamHead)> + '_ {
        self.events
            .chunk_by(|a, b| a.stream_id == b.stream_id)
            .filter_map(<[RecordedEvent]>::last)
            .map(|e| {
                let head = StreamHead {
                    stream_type: e.stream_type.clone(),
                    version: e.stream_version,
                    hash: e.hash.clone(),
                };
                (e.stream_id.clone(), head)
            })
    }
}

/// Moves the payloads of the batch a [`plan`] was made from into its recorded events
/// (the same events, in the same order).
pub(crate) fn move_payloads(events: &mut [RecordedEvent], batch: Vec<StreamAppend>) {
    let payloads = batch.into_iter().flat_map(|part| part.events);
    for (event, new) in events.iter_mut().zip(payloads) {
        event.payload = new.payload;
    }
}

/// Metadata as the JSON value that is stored and hashed.
pub(crate) fn metadata_value(meta: &Metadata) -> Value {
    serde_json::to_value(meta).expect("metadata always serialises")
}

#[cfg(test)]
#[path = "append_tests.rs"]
mod tests;
