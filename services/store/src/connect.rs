//! [`connect`]: opens the store a database URL names; [`open_pool`]: a pool of the
//! application's own to the same database.

use std::str::FromStr;
use std::sync::Arc;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::error::StoreError;
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crate::store::{Db, EventStore};

/// The database a URL names.
enum Target<'a> {
    Postgres(&'a str),
    SqliteUrl(&'a str),
    SqlitePath(&'a str),
}

/// `postgres://…` or `postgresql://…` → PostgreSQL; `sqlite:…` or a plain file path →
/// an SQLite file. Other schemes and in-memory SQLite are refused.
fn target(url: &str) -> Result<Target<'_>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Target::Postgres(url))
    } else if url.contains(":memory:") || url.contains("mode=memory") {
        Err(StoreError::UnsupportedUrl(format!(
            "{url}: in-memory SQLite is not supported, use a file"
        )))
    } else if url.starts_with("sqlite:") {
        Ok(Target::SqliteUrl(url))
    } else if url.contains("://") || url.is_empty() {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    } else {
        Ok(Target::SqlitePath(url))
    }
}

/// Opens the event store at `url` and runs its migrations (see [`target`] for the
/// URLs; an SQLite file is created if missing).
pub async fn connect(url: &str) -> Result<Arc<dyn EventStore>, StoreError> {
    Ok(match target(url)? {
        Target::Postgres(url) => Arc::new(PgStore::connect(url).await?),
        Target::SqliteUrl(url) => Arc::new(SqliteStore::connect(url).await?),
        Target::SqlitePath(path) => Arc::new(SqliteStore::open(path).await?),
    })
}

/// A pool of up to `connections` to the database at `url`, with the settings the store
/// uses for its own (SQLite: WAL, busy timeout, foreign keys, full synchronous
/// commits), for an application's own tables beside the log. Runs no migrations: the
/// application runs its own (see [`crate::beside_others`]).
pub async fn open_pool(url: &str, connections: u32) -> Result<Db, StoreError> {
    let sqlite = |options: SqliteConnectOptions| {
        SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(crate::sqlite::settings(options))
    };
    Ok(match target(url)? {
        Target::Postgres(url) => Db::Postgres(crate::postgres::pool(url, connections).await?),
        Target::SqliteUrl(url) => Db::Sqlite(sqlite(SqliteConnectOptions::from_str(url)?).await?),
        Target::SqlitePath(path) => {
            Db::Sqlite(sqlite(SqliteConnectOptions::new().filename(path)).await?)
        }
    })
}
