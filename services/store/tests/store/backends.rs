//! Backend-specific tests: concurrency over several store instances, notifications
//! between instances, `connect` by URL, re-running migrations, bulk throughput.

use std::sync::Arc;
use std::time::{Duration, Instant};

use duban_store::ExpectedVersion::{Any, Exact};
use duban_store::testing::{TempDbFile, fresh_postgres_db};
use duban_store::{Db, EventStore, PgStore, SqliteStore, StoreError, connect};
use serde_json::json;

use crate::concurrency::{abort_marked, concurrent_writers_and_a_tailing_reader};
use crate::support::{at, ev, office, one};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_concurrent_writers_and_a_tailing_reader() {
    let file = TempDbFile::new();
    let mut stores: Vec<Arc<dyn EventStore>> = Vec::new();
    for _ in 0..2 {
        let store = SqliteStore::open(file.path()).await.unwrap();
        store.set_fault_hook(Some(abort_marked()));
        stores.push(Arc::new(store));
    }
    concurrent_writers_and_a_tailing_reader("sqlite", stores).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_concurrent_writers_and_a_tailing_reader() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    let mut stores: Vec<Arc<dyn EventStore>> = Vec::new();
    for _ in 0..2 {
        let store = PgStore::connect(db.url()).await.unwrap();
        store.set_fault_hook(Some(abort_marked()));
        stores.push(Arc::new(store));
    }
    concurrent_writers_and_a_tailing_reader("postgres", stores).await;
}

/// Appends through `a` and expects `b` (another instance on the same database, as if in
/// another process) to be notified.
async fn other_instance_is_notified(a: &dyn EventStore, b: &dyn EventStore) {
    let mut rx = b.subscribe();
    let t = at("2024-01-01T00:00:00Z");
    a.append(
        one(
            "task-a",
            Exact(0),
            vec![ev("A", json!({})), ev("B", json!({}))],
        ),
        &office(),
        t,
    )
    .await
    .unwrap();
    tokio::time::timeout(Duration::from_secs(5), rx.wait_for(|p| *p == 2))
        .await
        .expect("the other instance notices within 5 s")
        .expect("store alive");
}

#[tokio::test]
async fn sqlite_other_instance_is_notified() {
    let file = TempDbFile::new();
    let a = SqliteStore::open(file.path()).await.unwrap();
    let b = SqliteStore::open(file.path()).await.unwrap();
    other_instance_is_notified(&a, &b).await;
}

#[tokio::test]
async fn postgres_other_instance_is_notified() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    let a = PgStore::connect(db.url()).await.unwrap();
    let b = PgStore::connect(db.url()).await.unwrap();
    other_instance_is_notified(&a, &b).await;
}

#[tokio::test]
async fn sqlite_connect_picks_the_backend_and_reopens() {
    let file = TempDbFile::new();
    let by_path = connect(file.path().to_str().unwrap()).await.unwrap();
    assert!(matches!(by_path.db(), Db::Sqlite(_)));
    by_path
        .append(
            one("task-a", Any, vec![ev("A", json!({}))]),
            &office(),
            at("2024-01-01T00:00:00Z"),
        )
        .await
        .unwrap();
    drop(by_path);
    // Reopening runs the migrations again (a no-op) and finds the events.
    let by_url = connect(&file.url()).await.unwrap();
    assert_eq!(by_url.head().await.unwrap(), 1);
    assert!(by_url.verify().await.unwrap().ok);
    let Db::Sqlite(pool) = by_url.db() else {
        unreachable!()
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    for bad in ["sqlite::memory:", "mysql://localhost/x", ""] {
        assert!(
            matches!(connect(bad).await, Err(StoreError::UnsupportedUrl(_))),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn postgres_connect_picks_the_backend_and_reopens() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    let store = connect(db.url()).await.unwrap();
    assert!(matches!(store.db(), Db::Postgres(_)));
    store
        .append(
            one("task-a", Any, vec![ev("A", json!({}))]),
            &office(),
            at("2024-01-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let alias = db.url().replacen("postgres://", "postgresql://", 1);
    let again = connect(&alias).await.unwrap();
    assert_eq!(again.head().await.unwrap(), 1);
    assert!(again.verify().await.unwrap().ok);
}

/// Appends `batches` appends of 100 events each (one new stream per append) and prints
/// the rate. Run with `cargo test --release -p duban-store -- --ignored bulk`.
async fn bulk_append(label: &str, store: &dyn EventStore, batches: usize) {
    let t = at("2024-01-01T00:00:00Z");
    let started = Instant::now();
    for b in 0..batches {
        let events = (0..100)
            .map(|i| {
                ev(
                    "ProgressReported",
                    json!({"batch": b, "i": i, "note": "进展顺利", "percent": i}),
                )
            })
            .collect();
        store
            .append(one(&format!("task-{b}"), Exact(0), events), &office(), t)
            .await
            .unwrap();
    }
    let elapsed = started.elapsed();
    let events = batches * 100;
    eprintln!(
        "[{label}] bulk: {events} events in {batches} appends of 100: {elapsed:.2?} ({:.0} events/s)",
        events as f64 / elapsed.as_secs_f64()
    );
    // Large appends: 100 streams x 100 events = 10 000 events per append.
    let started = Instant::now();
    for b in 0..10 {
        let batch = (0..100)
            .map(|s| {
                let events = (0..100)
                    .map(|i| {
                        ev(
                            "ProgressReported",
                            json!({"batch": b, "i": i, "note": "进展顺利", "percent": i}),
                        )
                    })
                    .collect();
                duban_store::StreamAppend::new(format!("big-{b}-{s}"), "task", Exact(0), events)
            })
            .collect();
        store.append(batch, &office(), t).await.unwrap();
    }
    let elapsed = started.elapsed();
    eprintln!(
        "[{label}] bulk: 100000 events in 10 appends of 10 000: {elapsed:.2?} ({:.0} events/s)",
        100_000.0 / elapsed.as_secs_f64()
    );
    let started = Instant::now();
    let report = store.verify().await.unwrap();
    assert!(report.ok);
    eprintln!(
        "[{label}] verify of {} events: {:.2?}",
        report.events_checked,
        started.elapsed()
    );
}

#[tokio::test]
#[ignore = "benchmark"]
async fn sqlite_bulk_append_throughput() {
    let (store, _file) = duban_store::testing::fresh_sqlite().await;
    bulk_append("sqlite", &store, 1_000).await;
}

#[tokio::test]
#[ignore = "benchmark"]
async fn postgres_bulk_append_throughput() {
    let Some((store, _db)) = duban_store::testing::fresh_postgres().await else {
        return;
    };
    bulk_append("postgres", &store, 1_000).await;
}
