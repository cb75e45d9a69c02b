//! Many concurrent writers on several store instances (as if several processes), with
//! rolled-back transactions, while a reader tails the log: the reader must see every
//! committed event exactly once, in order, positions contiguous.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use duban_store::ExpectedVersion::{Any, Exact};
use duban_store::{EventStore, FaultHook, Metadata, StoreError, StreamAppend};
use serde_json::{Value, json};
use tokio::sync::watch;
use uuid::Uuid;

use crate::support::{at, ev, office, part};

/// Concurrent writers.
pub const WRITERS: usize = 16;
/// Appends each writer attempts.
pub const APPENDS: usize = 500;

/// Aborts (after positions were assigned and rows inserted) every append carrying an
/// event whose payload has `"abort": true`.
pub fn abort_marked() -> FaultHook {
    Arc::new(|batch: &[StreamAppend]| {
        batch
            .iter()
            .flat_map(|p| &p.events)
            .any(|e| e.payload.get("abort") == Some(&Value::Bool(true)))
    })
}

#[derive(Debug, Default)]
struct Tally {
    appends: usize,
    events: Vec<Uuid>,
    conflicts: usize,
    injected: usize,
    duplicates: usize,
}

async fn writer(store: Arc<dyn EventStore>, w: usize) -> Tally {
    let own = format!("task-w{w}");
    let shared = format!("task-shared{}", w % 4);
    let mut version = 0i64;
    let mut tally = Tally::default();
    let base = at("2023-01-01T00:00:00Z");
    for i in 0..APPENDS {
        let t = base + TimeDelta::seconds(i64::try_from(i).unwrap());
        let payload = json!({"w": w, "i": i});
        let (batch, meta, expect_ok) = match i % 10 {
            // A stale expected version: rolled back after the head was locked.
            6 => {
                let stale = if version > 0 {
                    version - 1
                } else {
                    version + 1
                };
                (
                    vec![part(&own, Exact(stale), vec![ev("Stale", payload)])],
                    office(),
                    false,
                )
            }
            // Rolled back by the fault hook after positions were assigned and rows written.
            7 => {
                let events = vec![ev("Doomed", json!({"abort": true})), ev("Doomed", payload)];
                (vec![part(&own, Exact(version), events)], office(), false)
            }
            // Contended stream shared by several writers.
            8 => (
                vec![part(&shared, Any, vec![ev("Shared", payload)])],
                office(),
                true,
            ),
            // Multi-stream append under a command id (repeated below).
            9 => {
                let meta = Metadata {
                    command_id: Some(format!("cmd-{w}-{i}")),
                    ..office()
                };
                let batch = vec![
                    part(&own, Exact(version), vec![ev("Own", payload.clone())]),
                    part(&shared, Any, vec![ev("Shared", payload)]),
                ];
                (batch, meta, true)
            }
            n => {
                let events = (0..=n % 2).map(|_| ev("Own", payload.clone())).collect();
                (vec![part(&own, Exact(version), events)], office(), true)
            }
        };
        let own_count = batch
            .iter()
            .find(|p| p.stream_id == own)
            .map_or(0, |p| i64::try_from(p.events.len()).unwrap());
        match store.append(batch.clone(), &meta, t).await {
            Ok(out) => {
                assert!(
                    expect_ok && !out.duplicate,
                    "writer {w} append {i} should have failed"
                );
                version += own_count;
                tally.appends += 1;
                tally.events.extend(out.events.iter().map(|e| e.event_id));
                if meta.command_id.is_some() {
                    let again = store.append(batch, &meta, t).await.unwrap();
                    assert!(again.duplicate);
                    assert_eq!(again.events, out.events);
                    tally.duplicates += 1;
                }
            }
            Err(StoreError::VersionConflict { .. }) if i % 10 == 6 => tally.conflicts += 1,
            Err(StoreError::InjectedFault) if i % 10 == 7 => tally.injected += 1,
            Err(e) => panic!("writer {w} append {i}: {e}"),
        }
    }
    tally
}

/// Tails the log until it has read `total` events (known once the writers are done).
async fn reader(
    store: Arc<dyn EventStore>,
    mut done: watch::Receiver<Option<usize>>,
) -> (Vec<Uuid>, usize) {
    let mut notified = store.subscribe();
    let mut last = 0i64;
    let mut seen = Vec::new();
    let mut reads = 0;
    loop {
        let page = store.read_all(last, 500).await.unwrap();
        for e in &page {
            assert_eq!(
                e.position,
                last + 1,
                "the reader skipped or repeated a position"
            );
            last = e.position;
            seen.push(e.event_id);
        }
        if !page.is_empty() {
            reads += 1;
            continue;
        }
        if let Some(total) = *done.borrow_and_update()
            && seen.len() >= total
        {
            return (seen, reads);
        }
        tokio::select! {
            _ = notified.changed() => {}
            _ = done.changed() => {}
            () = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    }
}

/// Runs the scenario on `stores` (several instances on one database; the fault hook
/// [`abort_marked`] installed on each) and prints what it saw.
pub async fn concurrent_writers_and_a_tailing_reader(
    label: &str,
    stores: Vec<Arc<dyn EventStore>>,
) {
    let started = Instant::now();
    let (done_tx, done_rx) = watch::channel(None);
    let reading = tokio::spawn(reader(Arc::clone(&stores[0]), done_rx));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| tokio::spawn(writer(Arc::clone(&stores[w % stores.len()]), w)))
        .collect();
    let mut committed = Vec::new();
    let (mut appends, mut conflicts, mut injected, mut duplicates) = (0, 0, 0, 0);
    for handle in writers {
        let tally = handle.await.expect("writer task");
        appends += tally.appends;
        conflicts += tally.conflicts;
        injected += tally.injected;
        duplicates += tally.duplicates;
        committed.extend(tally.events);
    }
    let writing = started.elapsed();
    done_tx.send_replace(Some(committed.len()));
    let (mut seen, reads) = tokio::time::timeout(Duration::from_secs(60), reading)
        .await
        .expect("the reader caught up")
        .expect("reader task");
    let elapsed = started.elapsed();

    assert_eq!(
        seen.len(),
        committed.len(),
        "every committed event seen exactly once"
    );
    seen.sort_unstable();
    committed.sort_unstable();
    assert_eq!(
        seen, committed,
        "the reader saw exactly the committed events"
    );
    seen.dedup();
    assert_eq!(seen.len(), committed.len(), "no event delivered twice");
    let total = i64::try_from(committed.len()).unwrap();
    assert_eq!(stores[0].head().await.unwrap(), total);
    let report = stores[0].verify().await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.events_checked, u64::try_from(total).unwrap());
    assert_eq!(conflicts + injected, WRITERS * APPENDS / 5);

    let rate = committed.len() as f64 / writing.as_secs_f64();
    eprintln!(
        "[{label}] {WRITERS} writers x {APPENDS} appends on {} store instances: \
         {appends} appends committed ({} events), {} rolled back ({conflicts} stale \
         expected version, {injected} aborted by the fault hook after positions were \
         assigned), {duplicates} repeated command ids answered without writing; the reader \
         saw positions 1..={total} exactly once, in order, in {reads} non-empty reads; \
         writers took {writing:.2?} ({rate:.0} events/s), reader done at {elapsed:.2?}; \
         verify ok over {} events",
        stores.len(),
        committed.len(),
        conflicts + injected,
        report.events_checked,
    );
}
