//! A stored event row as both backends decode it, before it becomes a
//! [`RecordedEvent`]. Metadata stays a raw JSON value here so that verification hashes
//! exactly what is stored (an added key changes the hash).

use serde_json::Value;

use crate::error::StoreError;
use crate::event::{RecordedEvent, format_time};
use crate::hash::{CanonicalEvent, canonical_json};

/// One decoded row of the `events` table: the same record `export-events` writes, so
/// reading, verifying and importing share one shape.
pub(crate) use crate::log_entry::LogEntry as StoredEvent;

/// A row's position and the row, or why it could not be decoded.
pub(crate) type RawRow = (i64, Result<StoredEvent, String>);

impl StoredEvent {
    /// Recomputes this row's chain hash from its contents and `prev_hash`.
    pub(crate) fn chain_hash(&self, prev_hash: &str) -> String {
        let payload = canonical_json(&self.payload);
        let metadata = canonical_json(&self.metadata);
        let recorded_at = format_time(self.recorded_at);
        CanonicalEvent {
            position: self.position,
            stream_id: &self.stream_id,
            stream_type: &self.stream_type,
            stream_version: self.stream_version,
            event_id: self.event_id,
            event_type: &self.event_type,
            schema_version: self.schema_version,
            payload: &payload,
            metadata: &metadata,
            recorded_at: &recorded_at,
        }
        .chain_hash(prev_hash)
    }

    /// The public form.
    pub(crate) fn into_recorded(self) -> Result<RecordedEvent, StoreError> {
        let metadata = serde_json::from_value(self.metadata).map_err(|e| StoreError::Corrupt {
            position: self.position,
            detail: format!("bad metadata: {e}"),
        })?;
        Ok(RecordedEvent {
            position: self.position,
            stream_id: self.stream_id,
            stream_type: self.stream_type,
            stream_version: self.stream_version,
            event_id: self.event_id,
            event_type: self.event_type,
            schema_version: self.schema_version,
            payload: self.payload,
            metadata,
            recorded_at: self.recorded_at,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

/// Turns decoded rows into events, failing on the first undecodable one.
pub(crate) fn into_events(rows: Vec<RawRow>) -> Result<Vec<RecordedEvent>, StoreError> {
    rows.into_iter()
        .map(|(position, row)| {
            row.map_err(|detail| StoreError::Corrupt { position, detail })?
                .into_recorded()
        })
        .collect()
}

/// Parses a JSON column.
pub(crate) fn parse_json(column: &str, text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("bad {column} JSON: {e}"))
}
