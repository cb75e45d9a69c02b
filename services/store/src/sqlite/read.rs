//! SQLite queries that read events, and decoding of SQLite rows.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, SqliteConnection, SqlitePool};
use uuid::Uuid;

use crate::error::StoreError;
use crate::event::{format_time, parse_time};
use crate::lean::LeanPage;
use crate::lean_page;
use crate::row::{RawRow, StoredEvent, parse_json};
use crate::store::StreamBound;

const COLUMNS: &str = "position, stream_id, stream_type, stream_version, event_id, event_type, \
     schema_version, payload, metadata, recorded_at, prev_hash, hash";

fn col<'r, T>(row: &'r SqliteRow, index: usize) -> Result<T, String>
where
    T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(index)
        .map_err(|e| format!("column {index}: {e}"))
}

fn decode(row: &SqliteRow) -> RawRow {
    let position: i64 = row.try_get(0).unwrap_or(-1);
    let decoded = (|| {
        let event_id: &str = col(row, 4)?;
        Ok(StoredEvent {
            position,
            stream_id: col(row, 1)?,
            stream_type: col(row, 2)?,
            stream_version: col(row, 3)?,
            event_id: Uuid::parse_str(event_id)
                .map_err(|e| format!("bad event id {event_id:?}: {e}"))?,
            event_type: col(row, 5)?,
            schema_version: col(row, 6)?,
            payload: parse_json("payload", col(row, 7)?)?,
            metadata: parse_json("metadata", col(row, 8)?)?,
            recorded_at: parse_time(col(row, 9)?)?,
            prev_hash: col(row, 10)?,
            hash: col(row, 11)?,
        })
    })();
    (position, decoded)
}

/// Rows with `after < position <= up_to`, in position order, at most `limit`.
pub(crate) async fn page(
    pool: &SqlitePool,
    after: i64,
    up_to: i64,
    limit: i64,
) -> Result<Vec<RawRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events WHERE position > ? AND position <= ? \
         ORDER BY position LIMIT ?"
    );
    let rows = sqlx::query(&sql)
        .bind(after)
        .bind(up_to)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(decode).collect())
}

/// A page of lean events as one text (see [`crate::lean_page`]). A JSON array of the
/// fields, tried before, quoted and escaped every payload once more and took twice as
/// long to read back. The records follow the subquery's order; `split` sorts a page
/// that does not (an `ORDER BY` inside `group_concat` made SQLite sort every page).
/// `concat_ws` (SQLite 3.44; the bundled one is 3.46) builds a record as one string;
/// twelve `||` built twelve growing ones, and the pages' SQL took a tenth longer.
const LEAN_PAGE: &str = "SELECT group_concat(concat_ws(char(31), position, stream_id, \
     event_type, schema_version, payload, metadata, recorded_at), char(30)) FROM \
     (SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?)";

/// Up to `limit` events after `after`, in position order, in the lean form.
pub(crate) async fn lean_page(
    pool: &SqlitePool,
    after: i64,
    limit: i64,
) -> Result<LeanPage, StoreError> {
    let text: Option<String> = sqlx::query_scalar(LEAN_PAGE)
        .bind(after)
        .bind(limit)
        .fetch_one(pool)
        .await?;
    match text {
        Some(text) => lean_page::split(text, after),
        None => Ok(LeanPage::default()),
    }
}

/// Rows `first..first + count`, read inside an open transaction.
pub(crate) async fn range(
    conn: &mut SqliteConnection,
    first: i64,
    count: i64,
) -> Result<Vec<RawRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events WHERE position >= ? AND position < ? ORDER BY position"
    );
    let rows = sqlx::query(&sql)
        .bind(first)
        .bind(first + count)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(decode).collect())
}

/// One stream in version order, up to a bound.
pub(crate) async fn stream(
    pool: &SqlitePool,
    stream_id: &str,
    up_to: StreamBound,
) -> Result<Vec<RawRow>, StoreError> {
    let rows = match up_to {
        StreamBound::All | StreamBound::Version(_) => {
            let version = match up_to {
                StreamBound::Version(v) => v,
                _ => i64::MAX,
            };
            let sql = format!(
                "SELECT {COLUMNS} FROM events WHERE stream_id = ? AND stream_version <= ? \
                 ORDER BY stream_version"
            );
            sqlx::query(&sql)
                .bind(stream_id)
                .bind(version)
                .fetch_all(pool)
                .await?
        }
        StreamBound::Time(at) => {
            let sql = format!(
                "SELECT {COLUMNS} FROM events WHERE stream_id = ? AND recorded_at <= ? \
                 ORDER BY stream_version"
            );
            sqlx::query(&sql)
                .bind(stream_id)
                .bind(format_time(crate::event::normalize_time(at)))
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows.iter().map(decode).collect())
}

/// The last assigned (and, outside a write transaction, committed) position.
pub(crate) async fn head(pool: &SqlitePool) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT position FROM event_head WHERE id = 1")
            .fetch_one(pool)
            .await?,
    )
}
