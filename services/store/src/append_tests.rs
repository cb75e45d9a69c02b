//! The lone-append path of both backends (taken when a group fails as a whole and its
//! members are retried one by one) answers with the payloads it was given.

use std::sync::Arc;

use chrono::Utc;
use serde_json::json;

use crate::append::{ExpectedVersion, StreamAppend};
use crate::event::{Metadata, NewEvent};
use crate::group::{GroupWriter, Request};
use crate::postgres::group::{HeadCache, PgWriter};
use crate::sqlite::group::SqliteWriter;
use crate::testing::{fresh_postgres, fresh_sqlite};

fn request() -> Request {
    let part = |stream: &str, n: i64| {
        let events = (1..=n)
            .map(|i| NewEvent::new("ProgressReported", json!({"percent": i * 10, "s": stream})))
            .collect();
        StreamAppend::new(stream, "task", ExpectedVersion::Exact(0), events)
    };
    Request {
        batch: vec![part("task-a", 2), part("task-b", 1)],
        meta: Metadata::by("office"),
        recorded_at: crate::event::normalize_time(Utc::now()),
        total: 3,
    }
}

/// The payloads of `request()`, in order.
fn sent() -> Vec<serde_json::Value> {
    request()
        .batch
        .into_iter()
        .flat_map(|part| part.events)
        .map(|e| e.payload)
        .collect()
}

async fn answers_with_payloads(writer: &impl GroupWriter) {
    let appended = writer.solo(request()).await.expect("the append");
    let payloads: Vec<_> = appended.events.iter().map(|e| e.payload.clone()).collect();
    assert_eq!(payloads, sent());
}

#[tokio::test]
async fn sqlite_lone_append_answers_with_its_payloads() {
    let (store, _file) = fresh_sqlite().await;
    let writer = SqliteWriter {
        pool: store.pool().clone(),
        faults: Arc::default(),
    };
    answers_with_payloads(&writer).await;
}

#[tokio::test]
async fn postgres_lone_append_answers_with_its_payloads() {
    let Some((store, _db)) = fresh_postgres().await else {
        return;
    };
    let writer = PgWriter {
        pool: store.pool().clone(),
        faults: Arc::default(),
        cache: tokio::sync::Mutex::new(HeadCache::default()),
    };
    answers_with_payloads(&writer).await;
}
