//! The per-stream hash chain: every stored hash is recomputed here, independently of the
//! store's code, from the format documented in `hash.rs`:
//! `hex(sha256(prev_hash ‖ canonical_bytes))`, the canonical bytes being compact JSON
//! with every object's keys sorted, and `prev_hash` of each stream's first event
//! [`GENESIS_HASH`].

use duban_store::ExpectedVersion::Any;
use duban_store::{EventStore, GENESIS_HASH, RecordedEvent, StreamBound};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{at, ev, office, one, part};

/// Compact JSON with the keys of every object sorted by their UTF-8 bytes.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            let items: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), canonical(v)))
                .collect();
            format!("{{{}}}", items.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        scalar => scalar.to_string(),
    }
}

/// The hash an event must carry, given the previous hash of its stream.
fn expected_hash(prev_hash: &str, e: &RecordedEvent) -> String {
    let bytes = canonical(&json!({
        "event_id": e.event_id.to_string(),
        "event_type": e.event_type,
        "metadata": serde_json::to_value(&e.metadata).unwrap(),
        "payload": e.payload,
        "position": e.position,
        "recorded_at": e.recorded_at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        "schema_version": e.schema_version,
        "stream_id": e.stream_id,
        "stream_type": e.stream_type,
        "stream_version": e.stream_version,
    }));
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(bytes.as_bytes());
    hex::encode(hasher.finalize())
}

/// Every event's hash is sha256(prev hash ‖ canonical bytes), chained per stream from
/// the genesis hash, and `verify` agrees.
pub async fn hash_chain_links_each_stream(store: &dyn EventStore) {
    let empty = store.verify().await.unwrap();
    assert!(empty.ok && empty.events_checked == 0, "{empty:?}");
    let t = at("2024-01-01T00:00:00.25Z");
    let meta = office().with_command_id("cmd-chain");
    store
        .append(
            one(
                "task-a",
                Any,
                vec![
                    ev(
                        "A1",
                        json!({"z": 1, "a": {"y": "值", "b": [2, {"d": 1, "c": 0}]}}),
                    ),
                    ev("A2", json!({})),
                ],
            ),
            &meta,
            t,
        )
        .await
        .unwrap();
    store
        .append(
            vec![
                part("task-b", Any, vec![ev("B1", json!({}))]),
                part("task-a", Any, vec![ev("A3", json!({"n": 1.5}))]),
            ],
            &office(),
            t,
        )
        .await
        .unwrap();
    store
        .append(
            one("task-b", Any, vec![ev("B2", json!({"x": [1, 2]}))]),
            &office(),
            at("2024-06-30T16:00:00.123456Z"),
        )
        .await
        .unwrap();
    let mut recomputed = 0;
    for stream in ["task-a", "task-b"] {
        let events = store.read_stream(stream, StreamBound::All).await.unwrap();
        let mut prev = GENESIS_HASH.to_owned();
        for e in &events {
            assert_eq!(
                e.prev_hash, prev,
                "{stream} v{} links back",
                e.stream_version
            );
            assert_eq!(
                e.hash,
                expected_hash(&prev, e),
                "{stream} v{}: hash = sha256(prev_hash ‖ canonical bytes)",
                e.stream_version
            );
            prev.clone_from(&e.hash);
            recomputed += 1;
        }
    }
    assert_eq!(recomputed, 5);
    // The chains are per stream: B1 (position 3) starts afresh although A2 precedes it.
    let all = store.read_all(0, 100).await.unwrap();
    assert_eq!(
        (all[2].stream_id.as_str(), all[2].prev_hash.as_str()),
        ("task-b", GENESIS_HASH)
    );
    assert_eq!(all[3].prev_hash, all[1].hash, "A3 follows A2, not B1");
    let report = store.verify().await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(
        (report.events_checked, report.first_broken_position),
        (5, None)
    );
}
