//! duban's event store: one [`EventStore`] trait, an SQLite and a PostgreSQL
//! implementation on sqlx, a per-stream hash chain and integrity verification.
//!
//! Modules:
//! - `store` — the [`EventStore`] trait, [`StreamBound`], [`Db`], and (module doc) how
//!   both backends assign global positions so readers never skip or repeat an event.
//! - `event` — [`NewEvent`] and [`Metadata`] going in, [`RecordedEvent`] coming out.
//! - `append` — [`StreamAppend`], [`ExpectedVersion`], [`Appended`]; the version checks
//!   and event planning both backends share.
//! - `hash` — canonical bytes of an event and the chain hash ([`GENESIS_HASH`]).
//! - `verify` — [`IntegrityReport`] and the chain/contiguity checker.
//! - `row` — decoded rows shared by reads and verification.
//! - `lean` — [`LeanPage`] of [`LeanEvent`]s, the log as a replay reads it (texts in one
//!   buffer); `lean_page` — such a page sent by SQLite as one separator-joined text.
//! - `error` — [`StoreError`].
//! - `log_entry` — [`LogEntry`]: the log exactly as stored, for export
//!   ([`EventStore::read_log`]).
//! - `command_ids` — the handled command ids ([`EventStore::find_command`]).
//! - `import` — [`LogImport`]: loads an exported log into an empty store, verified.
//! - `sqlite` — [`SqliteStore`] (`BEGIN IMMEDIATE`, WAL).
//! - `postgres` — [`PgStore`] (`event_head` row lock, LISTEN/NOTIFY on [`CHANNEL`]; lean
//!   pages by binary COPY).
//! - `migrations` — the log's embedded migrators ([`sqlite_migrator`],
//!   [`postgres_migrator`]), run beside the application's own ([`beside_others`]).
//! - `connect` — [`connect()`] picks the backend from a URL.
//! - `notify` — the watch channel behind [`EventStore::subscribe`].
//! - `fault` — [`FaultHook`], fault injection for tests.
//! - `group` — group commit: one writer task per store, on a thread of its own, writes
//!   concurrent appends in one transaction, each member checked on its own; `recent` —
//!   the events it committed last, which serve `read_all` right behind this process's
//!   own writes; `in_flight` — whether a round of writes is in flight, which such a read
//!   waits for when a commit notification outran the writer's answer.
//! - [`testing`] — fresh SQLite files and PostgreSQL databases for tests.

mod append;
mod command_ids;
mod connect;
mod error;
mod event;
mod fault;
mod group;
mod hash;
mod import;
mod in_flight;
mod lean;
mod lean_page;
mod log_entry;
mod migrations;
mod notify;
mod postgres;
mod recent;
mod row;
mod sqlite;
mod store;
pub mod testing;
mod verify;

pub use append::{Appended, ExpectedVersion, StreamAppend};
pub use connect::{connect, open_pool};
pub use error::StoreError;
pub use event::{Metadata, NewEvent, RecordedEvent};
pub use fault::FaultHook;
pub use hash::GENESIS_HASH;
pub use import::{ImportSummary, LogImport};
pub use lean::{LeanEvent, LeanPage};
pub use log_entry::LogEntry;
pub use migrations::{beside_others, postgres_migrator, sqlite_migrator};
pub use postgres::{CHANNEL, PgStore};
pub use sqlite::SqliteStore;
pub use store::{Db, EventStore, StreamBound};
pub use verify::IntegrityReport;

/// The longest command id, in bytes, that the service accepts and an imported log may
/// carry: room for any UUID or client key, and far below what a PostgreSQL index entry
/// can hold (about 2,700 bytes), so a log moves between backends.
pub const MAX_COMMAND_ID_BYTES: usize = 200;
