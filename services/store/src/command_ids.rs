//! Handled command ids (the `commands` table, written with the events of each append):
//! the store's record of which commands it has already recorded, and where.

use crate::error::StoreError;
use crate::event::RecordedEvent;
use crate::store::{Db, EventStore};

/// The events `command_id` recorded the first time, or `None` if it was never handled.
pub(crate) async fn first_events(
    store: &dyn EventStore,
    db: &Db,
    command_id: &str,
) -> Result<Option<Vec<RecordedEvent>>, StoreError> {
    const SQL: &str = "SELECT first_position, event_count FROM commands WHERE command_id = $1";
    let found: Option<(i64, i64)> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(SQL)
                .bind(command_id)
                .fetch_optional(pool)
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(SQL)
                .bind(command_id)
                .fetch_optional(pool)
                .await?
        }
    };
    match found {
        Some((first, count)) => Ok(Some(store.read_all(first - 1, count).await?)),
        None => Ok(None),
    }
}
