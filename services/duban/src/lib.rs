//! The duban service: the only layer with IO. The `duban` binary is a thin `main` over
//! [`cli`].
//!
//! Layout:
//! - [`app`]: the application (store, command path, read models, clock, metrics).
//! - [`commands`]: load, decide, append; idempotency and conflict retries;
//!   [`snapshots`]: the last known state per stream, checked by the append's version.
//! - [`ops`]: one file per command family, shared by the API, the CLI and the demo;
//!   [`ops::tick`] is the overdue clock; [`ops::import_plan`] the plan importer.
//! - [`readmodel`]: the read models at run time, persisted with their checkpoint.
//! - [`graphql`]: the schema; [`http`]: the server and the web console; [`ledger`]: the ledger
//!   exports; [`circular_docx`]: the circular as a 公文 .docx.
//! - [`bounded`]: the one bounded cache type (quick_cache) behind every cache below.
//! - [`auth`]: bearer tokens; [`tokens`]: the tokens a server has looked up; [`clock`]: the injected clock; [`metrics`]: Prometheus.
//! - [`cli`], [`progress`], [`telemetry`]: the command line; [`demo`]: the demo data set.
//! - [`transfer`]: export/import of the whole log (JSON Lines) and SQLite backups.
//! - [`notify`]: notifications from the log: signatures, endpoint address rules, messages.
//! - [`error`]: [`error::ServiceError`], one per boundary; [`db`]: the server's own tables
//!   beside the log (its pool, its migrations in `migrations/`) and SQL on either backend.
//! - [`memory`]: malloc arenas per core, and freed memory given back after the big folds.

pub mod app;
pub mod auth;
pub mod bounded;
pub mod circular_docx;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod db;
pub mod demo;
pub mod error;
pub mod graphql;
pub mod http;
pub mod ledger;
pub mod memory;
pub mod metrics;
pub mod notify;
pub mod ops;
pub mod progress;
pub mod readmodel;
pub mod snapshots;
pub mod telemetry;
pub mod tokens;
pub mod transfer;

pub use app::App;
pub use clock::Clock;
