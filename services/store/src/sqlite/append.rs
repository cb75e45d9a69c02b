//! The SQLite append transaction: `BEGIN IMMEDIATE`, head update, command and version
//! checks, multi-row inserts, commit.

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::append::{Appended, Heads, StreamAppend, StreamHead, move_payloads, plan};
use crate::error::StoreError;
use crate::event::{Metadata, RecordedEvent, format_time};
use crate::fault::Faults;
use crate::row::into_events;
use crate::sqlite::group::insert_events;
use crate::sqlite::read;

enum Outcome {
    Written(Vec<RecordedEvent>),
    Duplicate(Vec<RecordedEvent>),
}

/// Runs one append in its own `BEGIN IMMEDIATE` transaction. The caller serialises
/// in-process writers; `BEGIN IMMEDIATE` serialises them with other processes.
pub(crate) async fn append(
    pool: &SqlitePool,
    faults: &Faults,
    batch: Vec<StreamAppend>,
    meta: &Metadata,
    recorded_at: DateTime<Utc>,
    total: i64,
) -> Result<Appended, StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    match write(&mut tx, faults, batch, meta, recorded_at, total).await {
        Ok(Outcome::Written(events)) => {
            tx.commit().await?;
            Ok(Appended {
                events: events.into(),
                duplicate: false,
            })
        }
        Ok(Outcome::Duplicate(events)) => {
            tx.rollback().await?;
            Ok(Appended {
                events: events.into(),
                duplicate: true,
            })
        }
        Err(error) => {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(%rollback, "rollback after a failed append failed");
            }
            Err(error)
        }
    }
}

async fn write(
    conn: &mut SqliteConnection,
    faults: &Faults,
    batch: Vec<StreamAppend>,
    meta: &Metadata,
    recorded_at: DateTime<Utc>,
    total: i64,
) -> Result<Outcome, StoreError> {
    let last: i64 = sqlx::query_scalar(
        "UPDATE event_head SET position = position + ? WHERE id = 1 RETURNING position",
    )
    .bind(total)
    .fetch_one(&mut *conn)
    .await?;
    let first = last - total + 1;

    if let Some(command_id) = &meta.command_id {
        let seen: Option<(i64, i64)> =
            sqlx::query_as("SELECT first_position, event_count FROM commands WHERE command_id = ?")
                .bind(command_id)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some((first, count)) = seen {
            let rows = read::range(conn, first, count).await?;
            return Ok(Outcome::Duplicate(into_events(rows)?));
        }
    }

    let mut heads = Heads::default();
    for part in &batch {
        let head: Option<(String, i64, String)> = sqlx::query_as(
            "SELECT stream_type, stream_version, hash FROM events WHERE stream_id = ? \
             ORDER BY stream_version DESC LIMIT 1",
        )
        .bind(&part.stream_id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((stream_type, version, hash)) = head {
            heads.insert(
                part.stream_id.clone(),
                StreamHead {
                    stream_type,
                    version,
                    hash,
                },
            );
        }
    }

    let abort = faults.should_abort(&batch);
    let mut planned = plan(&batch, &heads, first, meta, recorded_at)?;
    let rows = planned.events.iter().zip(&planned.payloads);
    insert_events(
        conn,
        rows.map(|(e, payload)| (e, payload.as_str(), planned.metadata.as_str())),
    )
    .await?;
    let at = format_time(recorded_at);

    if let Some(command_id) = &meta.command_id {
        sqlx::query(
            "INSERT INTO commands (command_id, first_position, event_count, recorded_at) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(command_id)
        .bind(first)
        .bind(total)
        .bind(&at)
        .execute(&mut *conn)
        .await?;
    }

    if abort {
        return Err(StoreError::InjectedFault);
    }
    move_payloads(&mut planned.events, batch);
    Ok(Outcome::Written(planned.events))
}
