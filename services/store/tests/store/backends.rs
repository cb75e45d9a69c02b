//! Backend-specific tests: concurrency over several store instances, races between
//! instances, notifications between instances, `connect` by URL, re-running migrations.

use std::sync::Arc;
use std::time::Duration;

use duban_store::ExpectedVersion::{Any, Exact};
use duban_store::testing::{TempDbFile, fresh_postgres_db};
use duban_store::{Db, EventStore, PgStore, SqliteStore, StoreError, connect, open_pool};
use serde_json::json;

use crate::concurrency::{abort_marked, concurrent_writers_and_a_tailing_reader};
use crate::support::{at, ev, office, one};

/// Instances opened on one database, as if in separate processes.
type Instances = Vec<Arc<dyn EventStore>>;

/// Two SQLite stores on `file`.
async fn sqlite_pair(file: &TempDbFile) -> Instances {
    let mut stores: Instances = Vec::new();
    for _ in 0..2 {
        stores.push(Arc::new(SqliteStore::open(file.path()).await.unwrap()));
    }
    stores
}

/// Two PostgreSQL stores on the database at `url`.
async fn postgres_pair(url: &str) -> Instances {
    let mut stores: Instances = Vec::new();
    for _ in 0..2 {
        stores.push(Arc::new(PgStore::connect(url).await.unwrap()));
    }
    stores
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_concurrent_writers_and_a_tailing_reader() {
    let file = TempDbFile::new();
    let mut stores: Instances = Vec::new();
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
    let mut stores: Instances = Vec::new();
    for _ in 0..2 {
        let store = PgStore::connect(db.url()).await.unwrap();
        store.set_fault_hook(Some(abort_marked()));
        stores.push(Arc::new(store));
    }
    concurrent_writers_and_a_tailing_reader("postgres", stores).await;
}

/// Tasks spread over `stores` (instances on one database) race: first all with one
/// command id, then all with one expected version. In each race exactly one append wins.
async fn races_across_instances(stores: Instances) {
    let t = at("2024-01-01T00:00:00Z");
    let meta = office().with_command_id("cmd-race");
    let attempts: Vec<_> = (0..8)
        .map(|i| {
            let (store, meta) = (Arc::clone(&stores[i % stores.len()]), meta.clone());
            tokio::spawn(async move {
                let batch = one(
                    &format!("task-{i}"),
                    Exact(0),
                    vec![ev("A", json!({"i": i}))],
                );
                store.append(batch, &meta, t).await.unwrap()
            })
        })
        .collect();
    let mut results = Vec::new();
    for attempt in attempts {
        results.push(attempt.await.unwrap());
    }
    assert_eq!(results.iter().filter(|r| !r.duplicate).count(), 1);
    assert!(results.iter().all(|r| r.events == results[0].events));
    assert_eq!(stores[1].head().await.unwrap(), 1);

    let stream = results[0].events[0].stream_id.clone();
    let attempts: Vec<_> = (0..8)
        .map(|i| {
            let (store, stream) = (Arc::clone(&stores[i % stores.len()]), stream.clone());
            tokio::spawn(async move {
                let batch = one(&stream, Exact(1), vec![ev("B", json!({"i": i}))]);
                store.append(batch, &office(), t).await
            })
        })
        .collect();
    let (mut won, mut lost) = (0, 0);
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => won += 1,
            Err(StoreError::VersionConflict { actual: 2, .. }) => lost += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((won, lost), (1, 7));
    assert_eq!(stores[0].head().await.unwrap(), 2);
    assert!(stores[1].verify().await.unwrap().ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_races_across_instances() {
    let file = TempDbFile::new();
    races_across_instances(sqlite_pair(&file).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_races_across_instances() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    races_across_instances(postgres_pair(db.url()).await).await;
}

/// Two instances take turns on one stream, so each one's last write is followed by the
/// other's: every append with the right expected version succeeds and one with the
/// version an instance itself wrote last is refused with the true current version.
async fn instances_take_turns_on_one_stream(stores: Instances) {
    let t = at("2024-01-01T00:00:00Z");
    for version in 0..6 {
        let store = &stores[version as usize % 2];
        let batch = one(
            "task-turns",
            Exact(version),
            vec![ev("A", json!({"v": version}))],
        );
        let appended = store.append(batch, &office(), t).await.unwrap();
        assert_eq!(appended.events[0].stream_version, version + 1);
    }
    // stores[1] wrote version 6 last; stores[0] last wrote version 5.
    let stale = one("task-turns", Exact(5), vec![ev("A", json!({}))]);
    match stores[0].append(stale, &office(), t).await {
        Err(StoreError::VersionConflict { actual: 6, .. }) => {}
        other => panic!("expected a conflict at version 6, got {other:?}"),
    }
    let both = vec![
        duban_store::StreamAppend::new("task-turns", "task", Exact(6), vec![ev("B", json!({}))]),
        duban_store::StreamAppend::new("task-other", "task", Exact(0), vec![ev("B", json!({}))]),
    ];
    let appended = stores[0].append(both, &office(), t).await.unwrap();
    assert_eq!(appended.events[0].position, 7);
    assert!(stores[1].verify().await.unwrap().ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_instances_take_turns_on_one_stream() {
    let file = TempDbFile::new();
    instances_take_turns_on_one_stream(sqlite_pair(&file).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_instances_take_turns_on_one_stream() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    instances_take_turns_on_one_stream(postgres_pair(db.url()).await).await;
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
    assert!(file.path().exists(), "a plain path is an SQLite file");
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
    // The file is in WAL mode; connections to it keep foreign keys on.
    let Db::Sqlite(pool) = open_pool(&file.url(), 1).await.unwrap() else {
        unreachable!("an SQLite file")
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
