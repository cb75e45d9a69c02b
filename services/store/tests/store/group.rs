//! Group commit: many appends sent at once to one store are written in shared
//! transactions, and each is still checked and answered on its own.

use std::sync::Arc;

use duban_store::ExpectedVersion::Exact;
use duban_store::testing::{fresh_postgres, fresh_sqlite};
use duban_store::{Appended, EventStore, StoreError};
use serde_json::json;
use tokio::sync::Barrier;

use crate::support::{at, ev, office, one};

/// Appends sent at once: (stream, expected version, command id).
fn appends() -> Vec<(String, i64, Option<&'static str>)> {
    let mut all = Vec::new();
    // 32 new streams: all written.
    all.extend((0..32).map(|i| (format!("task-g{i}"), 0, None)));
    // 8 stale expectations on new streams: all refused.
    all.extend((0..8).map(|i| (format!("task-s{i}"), 5, None)));
    // 8 appends with one command id: one written, seven answered as its duplicate.
    all.extend((0..8).map(|i| (format!("task-c{i}"), 0, Some("cmd-same"))));
    // 8 appends creating one stream: exactly one wins.
    all.extend((0..8).map(|_| ("task-race".to_string(), 0, None)));
    all
}

async fn send_at_once(store: Arc<dyn EventStore>) -> Vec<(String, Result<Appended, StoreError>)> {
    let list = appends();
    let barrier = Arc::new(Barrier::new(list.len()));
    let handles: Vec<_> = list
        .into_iter()
        .map(|(stream, expected, command)| {
            let (store, barrier) = (Arc::clone(&store), Arc::clone(&barrier));
            tokio::spawn(async move {
                let meta = match command {
                    Some(id) => office().with_command_id(id),
                    None => office(),
                };
                let batch = one(
                    &stream,
                    Exact(expected),
                    vec![ev("A", json!({"s": stream}))],
                );
                barrier.wait().await;
                let result = store.append(batch, &meta, at("2024-01-01T00:00:00Z")).await;
                (stream, result)
            })
        })
        .collect();
    let mut results = Vec::new();
    for h in handles {
        results.push(h.await.expect("append task"));
    }
    results
}

async fn each_member_is_answered_on_its_own(store: Arc<dyn EventStore>) {
    let results = send_at_once(Arc::clone(&store)).await;
    let ok = |prefix: &str| {
        results
            .iter()
            .filter(|(s, r)| s.starts_with(prefix) && r.as_ref().is_ok_and(|a| !a.duplicate))
            .count()
    };
    assert_eq!(ok("task-g"), 32, "every new stream written");
    assert_eq!(ok("task-c"), 1, "one command id, one write");
    assert_eq!(ok("task-race"), 1, "one stream created once");
    assert_eq!(ok("task-s"), 0, "stale expectations refused");
    for (stream, result) in &results {
        if stream.starts_with("task-s") {
            assert!(
                matches!(result, Err(StoreError::VersionConflict { actual: 0, .. })),
                "{stream}: {result:?}"
            );
        }
        if stream == "task-race" && !result.as_ref().is_ok_and(|a| !a.duplicate) {
            assert!(
                matches!(result, Err(StoreError::VersionConflict { actual: 1, .. })),
                "{stream}: {result:?}"
            );
        }
    }
    let first = results
        .iter()
        .find_map(|(s, r)| match r {
            Ok(a) if s.starts_with("task-c") && !a.duplicate => Some(a.events.clone()),
            _ => None,
        })
        .expect("the command id's write");
    let duplicates: Vec<_> = results
        .iter()
        .filter_map(|(s, r)| match r {
            Ok(a) if s.starts_with("task-c") && a.duplicate => Some(a.events.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(duplicates.len(), 7);
    assert!(
        duplicates.iter().all(|d| *d == first),
        "duplicates get the first answer"
    );

    // 34 events, positions 1..=34 without gaps, every chain intact.
    assert_eq!(store.head().await.unwrap(), 34);
    let log = store.read_all(0, 100).await.unwrap();
    let positions: Vec<i64> = log.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=34).collect::<Vec<_>>());
    assert!(store.verify().await.unwrap().ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_group_commit_answers_each_member() {
    let (store, _file) = fresh_sqlite().await;
    each_member_is_answered_on_its_own(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_group_commit_answers_each_member_and_shares_transactions() {
    let Some((store, _db)) = fresh_postgres().await else {
        return;
    };
    let pool = store.pool().clone();
    let store: Arc<dyn EventStore> = Arc::new(store);
    each_member_is_answered_on_its_own(Arc::clone(&store)).await;
    // PostgreSQL records the writing transaction of every row (xmin): 34 appends that
    // arrived together were written by fewer transactions than appends.
    let transactions: i64 = sqlx::query_scalar("SELECT count(DISTINCT xmin::text) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        transactions < 34,
        "34 appends in {transactions} transactions: not grouped"
    );
}
