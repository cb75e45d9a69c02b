//! [`LogEntry`]: one stored event exactly as it is stored (metadata as raw JSON, so an
//! entry re-hashes to the stored hash), and [`read_log`], which pages through the log in
//! that form. This is the unit `duban export-events` writes and `import-events` loads.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::StoreError;
use crate::store::Db;
use crate::{postgres, sqlite};

/// One event of the log with everything the store assigned, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// Global position.
    pub position: i64,
    /// The stream (`<type>-<uuid>`).
    pub stream_id: String,
    /// The aggregate type of the stream.
    pub stream_type: String,
    /// Version of the stream after this event.
    pub stream_version: i64,
    /// The event's id.
    pub event_id: Uuid,
    /// Event type.
    pub event_type: String,
    /// Payload schema version.
    pub schema_version: i32,
    /// The event's data.
    pub payload: Value,
    /// The stored metadata object, verbatim (it is hashed as stored).
    pub metadata: Value,
    /// When the store took it, `2024-05-01T08:00:00.000000Z` (microseconds, UTC).
    #[serde(with = "micros")]
    pub recorded_at: DateTime<Utc>,
    /// Hash of the previous event of the stream (64 zeros for the first).
    pub prev_hash: String,
    /// This event's chain hash.
    pub hash: String,
}

/// `recorded_at` in the store's fixed-precision form.
mod micros {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::event::format_time(*at))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        crate::event::parse_time(&text).map_err(serde::de::Error::custom)
    }
}

/// Up to `limit` entries with `after < position <= up_to`, in position order, exactly as
/// stored. Fails on the first row that cannot be decoded.
pub(crate) async fn read_log(
    db: &Db,
    after: i64,
    up_to: i64,
    limit: i64,
) -> Result<Vec<LogEntry>, StoreError> {
    let rows = match db {
        Db::Sqlite(pool) => sqlite::read::page(pool, after, up_to, limit).await?,
        Db::Postgres(pool) => postgres::read::page(pool, after, up_to, limit).await?,
    };
    rows.into_iter()
        .map(|(position, row)| row.map_err(|detail| StoreError::Corrupt { position, detail }))
        .collect()
}
