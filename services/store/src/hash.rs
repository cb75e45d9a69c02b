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

use std::io::Write;

use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// `prev_hash` of the first event of every stream.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Writes `value` as compact JSON with the keys of every object sorted.
pub(crate) fn write_canonical(out: &mut impl Write, value: &Value) {
    match value {
        Value::Object(map) => {
            // serde_json's own map iterates in key order (unless `preserve_order` is on
            // somewhere in the build): then nothing needs collecting or sorting.
            if map.keys().is_sorted_by(|a, b| a.as_bytes() <= b.as_bytes()) {
                write_entries(out, map.iter());
            } else {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                write_entries(out, entries.into_iter());
            }
        }
        Value::Array(items) => {
            put(out, b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    put(out, b",");
                }
                write_canonical(out, item);
            }
            put(out, b"]");
        }
        scalar => write_json(out, scalar),
    }
}

/// An object's entries, already in key order.
fn write_entries<'a>(out: &mut impl Write, entries: impl Iterator<Item = (&'a String, &'a Value)>) {
    put(out, b"{");
    for (i, (key, item)) in entries.enumerate() {
        if i > 0 {
            put(out, b",");
        }
        write_json(out, key.as_str());
        put(out, b":");
        write_canonical(out, item);
    }
    put(out, b"}");
}

/// Raw bytes. The writers here are a `Vec` and a hasher, which never fail.
fn put(out: &mut impl Write, bytes: &[u8]) {
    out.write_all(bytes)
        .expect("writing into memory or a hasher cannot fail");
}

/// A string, number or other scalar as compact JSON (strings escaped as serde_json does).
fn write_json<T: serde::Serialize + ?Sized>(out: &mut impl Write, value: &T) {
    serde_json::to_writer(out, value).expect("serialising JSON into memory cannot fail");
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
    /// When the store took it, in the fixed-precision form of
    /// [`crate::event::format_time`] (formatted once per append, not per event).
    pub recorded_at: &'a str,
}

impl CanonicalEvent<'_> {
    /// Writes the canonical bytes (keys in sorted order).
    fn write(&self, out: &mut impl Write) {
        let mut id = Uuid::encode_buffer();
        let fields: [(&str, Field<'_>); 10] = [
            (
                "event_id",
                Field::Text(self.event_id.hyphenated().encode_lower(&mut id)),
            ),
            ("event_type", Field::Text(self.event_type)),
            ("metadata", Field::Json(self.metadata)),
            ("payload", Field::Json(self.payload)),
            ("position", Field::Number(self.position)),
            ("recorded_at", Field::Text(self.recorded_at)),
            ("schema_version", Field::Number(self.schema_version.into())),
            ("stream_id", Field::Text(self.stream_id)),
            ("stream_type", Field::Text(self.stream_type)),
            ("stream_version", Field::Number(self.stream_version)),
        ];
        for (i, (name, field)) in fields.into_iter().enumerate() {
            put(out, if i == 0 { b"{\"" } else { b",\"" });
            put(out, name.as_bytes());
            put(out, b"\":");
            match field {
                Field::Text(text) => write_json(out, text),
                Field::Json(json) => put(out, json.as_bytes()),
                Field::Number(n) => write_json(out, &n),
            }
        }
        put(out, b"}");
    }

    /// The canonical bytes.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        self.write(&mut out);
        out
    }

    /// This event's link in its stream's chain. The bytes go straight into the hasher.
    pub(crate) fn chain_hash(&self, prev_hash: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        self.write(&mut hasher);
        hex_string(&hasher.finalize().into())
    }
}

/// Lower-case hex of a digest. `hex::encode` collects one `char` at a time into its
/// String, which was ~4 % of the writer's samples in a bulk append; writing into a
/// buffer first costs one allocation and a copy.
fn hex_string(digest: &[u8; 32]) -> String {
    let mut hex = [0u8; 64];
    hex::encode_to_slice(digest, &mut hex).expect("64 digits for 32 bytes");
    std::str::from_utf8(&hex)
        .expect("hex digits are ASCII")
        .to_owned()
}

/// One value of the canonical event object.
enum Field<'a> {
    /// A string, escaped.
    Text(&'a str),
    /// JSON text already canonical, written as is.
    Json(&'a str),
    /// An integer.
    Number(i64),
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

    /// One event of stream `plan-1` with this payload and metadata (canonical text).
    fn sample<'a>(payload: &'a str, metadata: &'a str) -> CanonicalEvent<'a> {
        CanonicalEvent {
            position: 7,
            stream_id: "plan-1",
            stream_type: "plan",
            stream_version: 2,
            event_id: Uuid::nil(),
            event_type: "PlanDefined",
            schema_version: 1,
            payload,
            metadata,
            recorded_at: "2024-05-01T08:00:00.500000Z",
        }
    }

    #[test]
    fn event_bytes_are_sorted_compact_json() {
        let payload = canonical_json(&json!({"z": 1, "a": 2}));
        let metadata = canonical_json(&json!({"actor": "office"}));
        let event = sample(&payload, &metadata);
        let bytes = String::from_utf8(event.bytes()).expect("utf-8");
        let reparsed: Value = serde_json::from_str(&bytes).expect("valid JSON");
        assert_eq!(bytes, canonical_json(&reparsed), "keys already sorted");
        assert!(bytes.contains(r#""recorded_at":"2024-05-01T08:00:00.500000Z""#));
        assert_eq!(event.chain_hash(GENESIS_HASH).len(), 64);
        assert_ne!(event.chain_hash(GENESIS_HASH), event.chain_hash("x"));
    }

    /// The chain is a stored format: logs hashed by earlier builds must verify. The bytes
    /// and the hash are pinned here as literals (hash computed outside Rust).
    #[test]
    fn event_bytes_and_hash_keep_their_format() {
        let payload = canonical_json(&json!({"z": 1, "title": "鲤城区 \"均衡\"\n", "a": 2}));
        let metadata = canonical_json(&json!({"actor": "office"}));
        let event = sample(&payload, &metadata);
        let expected = concat!(
            r#"{"event_id":"00000000-0000-0000-0000-000000000000","event_type":"PlanDefined","#,
            r#""metadata":{"actor":"office"},"payload":{"a":2,"title":"鲤城区 \"均衡\"\n","z":1},"#,
            r#""position":7,"recorded_at":"2024-05-01T08:00:00.500000Z","schema_version":1,"#,
            r#""stream_id":"plan-1","stream_type":"plan","stream_version":2}"#
        );
        assert_eq!(String::from_utf8(event.bytes()).expect("utf-8"), expected);
        assert_eq!(
            event.chain_hash(GENESIS_HASH),
            "4a5db59ebd5e18c865069b1a9533bda4baa8bc76d68aa65c2b372824342770c0"
        );
    }
}
