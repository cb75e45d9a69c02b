//! Large appends: an append bigger than one INSERT statement (SQLite inserts 500 rows per
//! statement, PostgreSQL 5 000) is stored whole: contiguous positions, per-stream
//! versions, read back as returned, and the chain verifies.

use std::time::Instant;

use duban_store::ExpectedVersion::Exact;
use duban_store::{EventStore, StreamAppend, StreamBound};
use serde_json::json;

use crate::support::{at, ev, office};

/// Streams per large append.
const STREAMS: usize = 60;
/// Events per stream.
const PER_STREAM: usize = 100;

fn large_batch() -> Vec<StreamAppend> {
    (0..STREAMS)
        .map(|s| {
            let events = (0..PER_STREAM)
                .map(|i| {
                    ev(
                        "ProgressReported",
                        json!({"s": s, "i": i, "note": "进展顺利"}),
                    )
                })
                .collect();
            StreamAppend::new(format!("big-{s}"), "task", Exact(0), events)
        })
        .collect()
}

/// An append of 6 000 events over 60 streams is stored whole and verifies.
pub async fn large_appends_span_insert_chunks(store: &dyn EventStore) {
    let t = at("2024-01-01T00:00:00Z");
    let total = i64::try_from(STREAMS * PER_STREAM).unwrap();
    let started = Instant::now();
    let out = store.append(large_batch(), &office(), t).await.unwrap();
    let took = started.elapsed();
    let positions: Vec<i64> = out.events.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=total).collect::<Vec<_>>());
    assert_eq!(store.head().await.unwrap(), total);
    let mut read = Vec::new();
    while read.len() < out.events.len() {
        let after = read
            .last()
            .map_or(0, |e: &duban_store::RecordedEvent| e.position);
        let page = store.read_all(after, 1_000).await.unwrap();
        assert!(!page.is_empty(), "read_all stopped at {after}");
        read.extend(page);
    }
    assert_eq!(
        read,
        out.events.to_vec(),
        "what was returned is what was stored"
    );
    let last = store
        .read_stream(&format!("big-{}", STREAMS - 1), StreamBound::All)
        .await
        .unwrap();
    let versions: Vec<i64> = last.iter().map(|e| e.stream_version).collect();
    assert_eq!(
        versions,
        (1..=i64::try_from(PER_STREAM).unwrap()).collect::<Vec<_>>()
    );

    let started = Instant::now();
    let report = store.verify().await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.events_checked, u64::try_from(total).unwrap());
    eprintln!(
        "one append of {total} events over {STREAMS} streams: {took:.2?}; verify: {:.2?}",
        started.elapsed()
    );
}
