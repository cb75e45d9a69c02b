//! The embedded migrations, one migrator per backend, run at connect.
//!
//! Files live in `migrations/sqlite/` and `migrations/postgres/` (`0001_events.sql`, ...);
//! later files for tokens and read models go into the same folders.

use sqlx::migrate::Migrator;

/// Migrations for SQLite databases.
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Migrations for PostgreSQL databases.
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");
