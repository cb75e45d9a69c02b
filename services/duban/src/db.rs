//! Running the same SQL on either backend.
//!
//! The service's own tables (tokens, read models, checkpoints) use SQL that both SQLite and
//! PostgreSQL accept, with `$1`-style parameters; [`on_db!`] expands one body for each
//! pool type so the query code is written once.

/// Runs `$body` with `$pool` bound to the SQLite or the PostgreSQL pool of `$db`.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            duban_store::Db::Sqlite($pool) => $body,
            duban_store::Db::Postgres($pool) => $body,
        }
    };
}
