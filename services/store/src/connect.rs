//! [`connect`]: opens the store a database URL names.

use std::sync::Arc;

use crate::error::StoreError;
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crate::store::EventStore;

/// Opens the event store at `url` and runs its migrations:
/// `postgres://…` or `postgresql://…` → PostgreSQL; `sqlite:…` or a plain file path →
/// an SQLite file (created if missing). Other schemes and in-memory SQLite are refused.
pub async fn connect(url: &str) -> Result<Arc<dyn EventStore>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else if url.contains("://") || url.is_empty() {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    } else {
        Ok(Arc::new(SqliteStore::open(url).await?))
    }
}
