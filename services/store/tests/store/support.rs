//! Small helpers shared by the store tests.

use chrono::{DateTime, Utc};
use duban_store::{Db, ExpectedVersion, Metadata, NewEvent, StreamAppend};
use serde_json::Value;

/// Parses an RFC 3339 instant.
pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("valid RFC 3339 time")
        .with_timezone(&Utc)
}

/// An event of schema version 1.
pub fn ev(event_type: &str, payload: Value) -> NewEvent {
    NewEvent::new(event_type, payload)
}

/// One stream's events (stream type `task`).
pub fn part(stream: &str, expected: ExpectedVersion, events: Vec<NewEvent>) -> StreamAppend {
    StreamAppend::new(stream, "task", expected, events)
}

/// An append to one stream.
pub fn one(stream: &str, expected: ExpectedVersion, events: Vec<NewEvent>) -> Vec<StreamAppend> {
    vec![part(stream, expected, events)]
}

/// Metadata of an office user.
pub fn office() -> Metadata {
    Metadata {
        role: Some("OFFICE".into()),
        ..Metadata::by("office-1")
    }
}

/// Runs raw SQL (one or more statements) against the store's database.
pub async fn exec(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
        Db::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The pool behind a concrete store, for tests that edit rows behind its back.
pub trait Raw {
    /// A handle on the store's own pool.
    fn raw(&self) -> Db;
}

impl Raw for duban_store::SqliteStore {
    fn raw(&self) -> Db {
        Db::Sqlite(self.pool().clone())
    }
}

impl Raw for duban_store::PgStore {
    fn raw(&self) -> Db {
        Db::Postgres(self.pool().clone())
    }
}
