//! PostgreSQL queries that read events, and decoding of PostgreSQL rows.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Postgres, Row};
use uuid::Uuid;

use crate::error::StoreError;
use crate::row::{RawRow, StoredEvent, parse_json};
use crate::store::StreamBound;

const COLUMNS: &str = "position, stream_id, stream_type, stream_version, event_id, event_type, \
     schema_version, payload::text, metadata::text, recorded_at, prev_hash, hash";

fn col<'r, T>(row: &'r PgRow, index: usize) -> Result<T, String>
where
    T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    row.try_get(index)
        .map_err(|e| format!("column {index}: {e}"))
}

fn decode(row: &PgRow) -> RawRow {
    let position: i64 = row.try_get(0).unwrap_or(-1);
    let decoded = (|| {
        Ok(StoredEvent {
            position,
            stream_id: col(row, 1)?,
            stream_type: col(row, 2)?,
            stream_version: col(row, 3)?,
            event_id: col::<Uuid>(row, 4)?,
            event_type: col(row, 5)?,
            schema_version: col(row, 6)?,
            payload: parse_json("payload", col(row, 7)?)?,
            metadata: parse_json("metadata", col(row, 8)?)?,
            recorded_at: col::<DateTime<Utc>>(row, 9)?,
            prev_hash: col(row, 10)?,
            hash: col(row, 11)?,
        })
    })();
    (position, decoded)
}

/// Rows with `after < position <= up_to`, in position order, at most `limit`.
pub(crate) async fn page(
    pool: &PgPool,
    after: i64,
    up_to: i64,
    limit: i64,
) -> Result<Vec<RawRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events WHERE position > $1 AND position <= $2 \
         ORDER BY position LIMIT $3"
    );
    let rows = sqlx::query(&sql)
        .bind(after)
        .bind(up_to)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(decode).collect())
}

/// Rows `first..first + count`, read inside an open transaction.
pub(crate) async fn range(
    conn: &mut PgConnection,
    first: i64,
    count: i64,
) -> Result<Vec<RawRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events WHERE position >= $1 AND position < $2 ORDER BY position"
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
    pool: &PgPool,
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
                "SELECT {COLUMNS} FROM events WHERE stream_id = $1 AND stream_version <= $2 \
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
                "SELECT {COLUMNS} FROM events WHERE stream_id = $1 AND recorded_at <= $2 \
                 ORDER BY stream_version"
            );
            sqlx::query(&sql)
                .bind(stream_id)
                .bind(at)
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows.iter().map(decode).collect())
}

/// The last committed position, read over a pool or one connection.
pub(crate) async fn head<'e>(db: impl sqlx::PgExecutor<'e>) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT position FROM event_head WHERE id = 1")
            .fetch_one(db)
            .await?,
    )
}
