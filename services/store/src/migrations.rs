//! The embedded migrations of the log's tables (`events`, `event_head`, `commands`),
//! one migrator per backend, run at connect.
//!
//! Files live in `migrations/sqlite/` and `migrations/postgres/`. The application keeps
//! its own tables beside the log, with migrators of its own, in the same database (the
//! server's are in `services/duban/migrations/`): all of them record themselves in
//! sqlx's one migrations table, so each ignores the versions it does not know
//! ([`beside_others`]) and their version numbers never overlap.

use sqlx::migrate::Migrator;

/// The log's migrations for SQLite databases.
pub fn sqlite_migrator() -> Migrator {
    beside_others(sqlx::migrate!("./migrations/sqlite"))
}

/// The log's migrations for PostgreSQL databases.
pub fn postgres_migrator() -> Migrator {
    beside_others(sqlx::migrate!("./migrations/postgres"))
}

/// `migrator`, made to leave alone the migrations other migrators applied to the same
/// database (instead of failing on versions it does not know).
pub fn beside_others(mut migrator: Migrator) -> Migrator {
    migrator.set_ignore_missing(true);
    migrator
}
