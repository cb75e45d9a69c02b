//! The [`EventStore`] trait both backends implement, and how they order the global log.
//!
//! # Ordering: why a reader never skips or repeats an event
//!
//! Projectors and subscriptions tail the log with `read_all(after_position, limit)` and
//! remember the last position they processed. That is only safe if an event can never
//! become visible *after* an event with a higher position: with sequence- or
//! autoincrement-assigned positions, transaction A can take position 10, transaction B
//! position 11, B commit first, a reader see 11 and move its checkpoint past 10, and A's
//! event is then skipped for ever. (A rolled-back A also leaves a gap at 10.)
//!
//! Both backends therefore assign positions *serially*, inside the appending
//! transaction, under a lock held until commit:
//!
//! - **PostgreSQL**: the first statement of every append is
//!   `UPDATE event_head SET position = position + n WHERE id = 1 RETURNING position`
//!   on a one-row table. The row lock is held until the transaction ends. The next
//!   appender blocks on it and reads the new value only after the previous transaction
//!   has committed (PostgreSQL makes a commit visible before releasing its locks) or
//!   rolled back (then the old value stands again: no gap). So positions are handed out
//!   in commit order, every snapshot that sees position `p` also sees `1..p`, and this
//!   holds for any number of connections and processes. Stream versions, command ids and
//!   the `NOTIFY` of the new head all happen under the same lock. A group of appends
//!   (see `group`) first tries without a transaction: it reads the head, plans, and
//!   writes in one statement that sets `position = last WHERE id = 1 AND position =
//!   head`. That UPDATE takes the same row lock until the statement commits, and a
//!   writer that waited for it sees the new value and writes nothing (then plans again),
//!   so positions are still handed out under the lock, in commit order.
//! - **SQLite**: every append runs in a `BEGIN IMMEDIATE` transaction, which takes the
//!   database write lock at `BEGIN` (waiting up to `busy_timeout` for other connections
//!   and processes), and numbers its events from the head (`event_head.position + 1`,
//!   equal to `max(position) + 1`). Only one writer exists at a time, and in WAL mode a
//!   reader sees a committed prefix of the log. Within one process the writers also queue
//!   on an async mutex, so they wait in tokio rather than in SQLite's sleep-and-retry
//!   busy handler.
//!
//! The price is that appends are serialised. An append holds the lock for a few round
//! trips (head update, stream heads, multi-row inserts, commit — including the commit's
//! WAL flush), so throughput comes from putting many events into one append, not from
//! parallel writers.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{PgPool, SqlitePool};
use tokio::sync::watch;

use crate::append::{Appended, StreamAppend};
use crate::error::StoreError;
use crate::event::{Metadata, RecordedEvent};
use crate::import::LogImport;
use crate::lean::LeanPage;
use crate::log_entry::LogEntry;
use crate::verify::IntegrityReport;

/// How much of a stream to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamBound {
    /// The whole stream.
    All,
    /// Events up to and including this stream version.
    Version(i64),
    /// Events recorded at or before this instant (state as of a moment).
    Time(DateTime<Utc>),
}

/// The database behind a store, so the service can keep tokens and read models in the
/// same database.
#[derive(Clone, Debug)]
pub enum Db {
    /// An SQLite file (WAL, foreign keys on).
    Sqlite(SqlitePool),
    /// A PostgreSQL database.
    Postgres(PgPool),
}

/// An append-only, hash-chained event log with optimistic concurrency and idempotent
/// commands.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Appends events to one or more streams atomically, all under one metadata and one
    /// timestamp. A stale [`crate::ExpectedVersion`] anywhere fails the whole append with
    /// [`StoreError::VersionConflict`] and writes nothing. If `meta.command_id` was
    /// handled before, nothing is written and the first append's events are returned with
    /// `duplicate = true`.
    async fn append(
        &self,
        batch: Vec<StreamAppend>,
        meta: &Metadata,
        recorded_at: DateTime<Utc>,
    ) -> Result<Appended, StoreError>;

    /// The events of one stream in version order, up to a version or a moment.
    async fn read_stream(
        &self,
        stream_id: &str,
        up_to: StreamBound,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Up to `limit` events with positions greater than `after_position`, in order.
    async fn read_all(
        &self,
        after_position: i64,
        limit: i64,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The same events as [`EventStore::read_all`], in the lean form a projection
    /// replaying the log needs ([`LeanPage`]): fewer columns, no JSON parsing here, and
    /// the texts of the whole page in one buffer.
    async fn read_all_lean(&self, after_position: i64, limit: i64) -> Result<LeanPage, StoreError>;

    /// The last committed position (0 for an empty log).
    async fn head(&self) -> Result<i64, StoreError>;

    /// A receiver holding the latest committed position known to this process; it
    /// changes when events are committed (by this process, or — via LISTEN/NOTIFY on
    /// PostgreSQL and polling on SQLite — by others). Pair it with `read_all`.
    fn subscribe(&self) -> watch::Receiver<i64>;

    /// Recomputes every stream's hash chain and checks positions run 1..=head.
    async fn verify(&self) -> Result<IntegrityReport, StoreError>;

    /// The events a command id recorded the first time it was handled, or `None` when
    /// it was never handled: what makes a repeated command idempotent.
    async fn find_command(
        &self,
        command_id: &str,
    ) -> Result<Option<Vec<RecordedEvent>>, StoreError>;

    /// Up to `limit` entries with `after < position <= up_to`, in position order, exactly
    /// as stored (with their hashes), for an export. Fails on the first row that cannot
    /// be decoded.
    async fn read_log(
        &self,
        after: i64,
        up_to: i64,
        limit: i64,
    ) -> Result<Vec<LogEntry>, StoreError>;

    /// Opens an import of an exported log; the store must hold no events and no handled
    /// commands ([`StoreError::NotEmpty`] otherwise).
    async fn begin_import(&self) -> Result<LogImport, StoreError>;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// The token epoch, where this backend is told of every change to a stored token:
    /// a token looked up under epoch `n` is still as it was while this returns `Some(n)`.
    /// `None` (SQLite, which cannot tell a server of another process's writes, or a
    /// PostgreSQL listener that is not connected or has not confirmed lately that
    /// notifications reach it) means tokens must be looked up anew. Epochs never repeat.
    fn token_epoch(&self) -> Option<u64> {
        None
    }

    /// [`EventStore::token_epoch`], provided every token change committed before the
    /// event at `position` is known to have been told: what a subscription asks before
    /// it delivers that event.
    fn token_epoch_through(&self, position: i64) -> Option<u64> {
        let _ = position;
        None
    }
}
