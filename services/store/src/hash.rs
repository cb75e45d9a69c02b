//! Canonical bytes of an event and the per-stream hash chain.
//!
//! `hash = hex(sha256(prev_hash ‖ canonical_bytes))`, where `prev_hash` is the previous
//! event's hash in the same stream (64 zeros for version 1) and the canonical bytes are a
//! compact JSON object with sorted keys:
//!
//! ```text
//! {"event_id":…,"event_type":…,"metadata":{…},"payload":…,"position":…,
//!  "recorded_at":"2024-05-01T08:00:00.000000Z","schema_version":…,
//!  "stream_id":…,"stream_type":…,"stream_version":…}
//! ```
//!
//! Keys of every object (payload and metadata included) are sorted by their UTF-8 bytes
//! here, explicitly, so the bytes do not depend on serde_json's `preserve_order` feature
//! being switched on by some other crate. Including the global position makes a
//! reordering of rows detectable, not only a change.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::event::format_time;

/// `prev_hash` of the first event of every stream.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Writes `value` as compact JSON with the keys of every object sorted.
pub(crate) fn write_canonical(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_scalar(out, &Value::String(key.clone()));
                out.push(b':');
                write_canonical(out, item);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(out, item);
            }
            out.push(b']');
        }
        scalar => write_scalar(out, scalar),
    }
}

fn write_scalar(out: &mut Vec<u8>, value: &Value) {
    serde_json::to_writer(&mut *out, value).expect("serialising JSON into a Vec cannot fail");
}

/// `value` as canonical JSON text (the form stored in the payload and metadata columns).
pub(crate) fn canonical_json(value: &Value) -> String {
    let mut out = Vec::with_capacity(128);
    write_canonical(&mut out, value);
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The fields of one event that the hash covers.
pub(crate) struct CanonicalEvent<'a> {
    pub position: i64,
    pub stream_id: &'a str,
    pub stream_type: &'a str,
    pub stream_version: i64,
    pub event_id: Uuid,
    pub event_type: &'a str,
    pub schema_version: i32,
    /// Canonical JSON text of the payload ([`canonical_json`]).
    pub payload: &'a str,
    /// Canonical JSON text of the metadata.
    pub metadata: &'a str,
    pub recorded_at: DateTime<Utc>,
}

impl CanonicalEvent<'_> {
    /// The canonical bytes (keys in sorted order).
    pub(crate) fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        fn key(out: &mut Vec<u8>, name: &str, first: bool) {
            out.extend_from_slice(if first { b"{\"" } else { b",\"" });
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":");
        }
        key(&mut out, "event_id", true);
        write_scalar(&mut out, &Value::String(self.event_id.to_string()));
        key(&mut out, "event_type", false);
        write_scalar(&mut out, &Value::String(self.event_type.to_owned()));
        key(&mut out, "metadata", false);
        out.extend_from_slice(self.metadata.as_bytes());
        key(&mut out, "payload", false);
        out.extend_from_slice(self.payload.as_bytes());
        key(&mut out, "position", false);
        out.extend_from_slice(self.position.to_string().as_bytes());
        key(&mut out, "recorded_at", false);
        write_scalar(&mut out, &Value::String(format_time(self.recorded_at)));
        key(&mut out, "schema_version", false);
        out.extend_from_slice(self.schema_version.to_string().as_bytes());
        key(&mut out, "stream_id", false);
        write_scalar(&mut out, &Value::String(self.stream_id.to_owned()));
        key(&mut out, "stream_type", false);
        write_scalar(&mut out, &Value::String(self.stream_type.to_owned()));
        key(&mut out, "stream_version", false);
        out.extend_from_slice(self.stream_version.to_string().as_bytes());
        out.push(b'}');
        out
    }

    /// This event's link in its stream's chain.
    pub(crate) fn chain_hash(&self, prev_hash: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(self.bytes());
        hex::encode(hasher.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_are_written_with_sorted_keys() {
        let value = json!({"b": 1, "a": {"d": [true, null, 1.5], "c": "é\n"}});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":{"c":"é\n","d":[true,null,1.5]},"b":1}"#
        );
    }

    #[test]
    fn event_bytes_are_sorted_compact_json() {
        let payload = canonical_json(&json!({"z": 1, "a": 2}));
        let metadata = canonical_json(&json!({"actor": "office"}));
        let event = CanonicalEvent {
            position: 7,
            stream_id: "plan-1",
            stream_type: "plan",
            stream_version: 2,
            event_id: Uuid::nil(),
            event_type: "PlanDefined",
            schema_version: 1,
            payload: &payload,
            metadata: &metadata,
            recorded_at: DateTime::parse_from_rfc3339("2024-05-01T08:00:00.5Z")
                .expect("valid time")
                .with_timezone(&Utc),
        };
        let bytes = String::from_utf8(event.bytes()).expect("utf-8");
        let reparsed: Value = serde_json::from_str(&bytes).expect("valid JSON");
        assert_eq!(bytes, canonical_json(&reparsed), "keys already sorted");
        assert!(bytes.contains(r#""recorded_at":"2024-05-01T08:00:00.500000Z""#));
        assert_eq!(event.chain_hash(GENESIS_HASH).len(), 64);
        assert_ne!(event.chain_hash(GENESIS_HASH), event.chain_hash("x"));
    }
}
