//! The server's own tables beside the log, on a pool of their own: tokens, read models
//! with their checkpoints, and the delivery of notifications (`migrations/`, run by
//! [`open`] beside the store's migrations of the log).
//!
//! Their SQL is one text both SQLite and PostgreSQL accept, with `$1`-style parameters;
//! [`on_db!`] expands one body for each pool type so the query code is written once.

use duban_store::{Db, beside_others};

use crate::error::ServiceResult;

/// Connections of the server's pool (the store has its own for the log).
const CONNECTIONS: u32 = 4;

/// Opens a pool to the database at `url` (the store's URL) and runs the server's
/// migrations on it.
pub async fn open(url: &str) -> ServiceResult<Db> {
    let db = duban_store::open_pool(url, CONNECTIONS).await?;
    match &db {
        Db::Sqlite(pool) => {
            beside_others(sqlx::migrate!("./migrations/sqlite"))
                .run(pool)
                .await
        }
        Db::Postgres(pool) => {
            beside_others(sqlx::migrate!("./migrations/postgres"))
                .run(pool)
                .await
        }
    }
    .map_err(duban_store::StoreError::from)?;
    Ok(db)
}

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
