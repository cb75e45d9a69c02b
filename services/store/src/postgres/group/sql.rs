//! The statements of a group write: the stream-head reads (with or without the head
//! lock), the command-id lookup, and the one-statement write.

use std::collections::HashMap;

use sqlx::PgConnection;

use crate::append::StreamHead;
use crate::error::StoreError;
use crate::group::{GroupPlan, Member, Request};
use crate::postgres::append::column;
use crate::postgres::listen::CHANNEL;
use crate::postgres::read;
use crate::row::into_events;

/// The whole write of a group in one statement: the events, the command ids, the new
/// head and its notification (delivered at commit), all only if the head is still `$19`
/// (else no row comes back and nothing is written). The event arrays are unnested in the
/// select list, as in the solo path's insert (`postgres/append.rs`), which says why.
const WRITE: &str = "WITH h AS (\
       UPDATE event_head SET position = $17 WHERE id = 1 AND position = $19 \
       RETURNING position), \
     ins AS (\
       INSERT INTO events (position, stream_id, stream_type, stream_version, event_id, \
         event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash) \
       SELECT u.position, u.stream_id, u.stream_type, u.stream_version, u.event_id, \
         u.event_type, u.schema_version, u.payload::json, u.metadata::json, u.recorded_at, \
         u.prev_hash, u.hash \
       FROM (SELECT unnest($1::bigint[]) AS position, unnest($2::text[]) AS stream_id, \
         unnest($3::text[]) AS stream_type, unnest($4::bigint[]) AS stream_version, \
         unnest($5::uuid[]) AS event_id, unnest($6::text[]) AS event_type, \
         unnest($7::int4[]) AS schema_version, unnest($8::text[]) AS payload, \
         unnest($9::text[]) AS metadata, unnest($10::timestamptz[]) AS recorded_at, \
         unnest($11::text[]) AS prev_hash, unnest($12::text[]) AS hash) AS u \
       WHERE EXISTS (SELECT 1 FROM h)), \
     cmd AS (\
       INSERT INTO commands (command_id, first_position, event_count, recorded_at) \
       SELECT * FROM UNNEST($13::text[], $14::bigint[], $15::bigint[], $16::timestamptz[]) \
       WHERE EXISTS (SELECT 1 FROM h)) \
     SELECT pg_notify($18, h.position::text)::text FROM h";

/// Takes the head lock and reads the heads of the group's streams in one statement.
/// The reads see the statement's snapshot, taken before any wait for the lock: `seen`
/// is the head in that snapshot and `locked` the head once locked. When they differ,
/// another process committed meanwhile and the stream heads are read again.
const LOCK_AND_HEADS: &str = "WITH h AS (\
       UPDATE event_head SET position = position WHERE id = 1 RETURNING position) \
     SELECT h.position AS locked, (SELECT position FROM event_head WHERE id = 1) AS seen, \
       s.stream_id, e.stream_type, e.stream_version, e.hash \
     FROM h CROSS JOIN UNNEST($1::text[]) AS s(stream_id) \
     LEFT JOIN LATERAL (SELECT stream_type, stream_version, hash FROM events \
                        WHERE events.stream_id = s.stream_id \
                        ORDER BY stream_version DESC LIMIT 1) AS e ON true";

/// Reads the head and the heads of the group's streams in one statement, without a
/// lock (the optimistic path): the rows of [`LOCK_AND_HEADS`], `locked` = `seen`.
const HEADS: &str = "SELECT h.position AS locked, h.position AS seen, \
       s.stream_id, e.stream_type, e.stream_version, e.hash \
     FROM (SELECT position FROM event_head WHERE id = 1) AS h \
     CROSS JOIN UNNEST($1::text[]) AS s(stream_id) \
     LEFT JOIN LATERAL (SELECT stream_type, stream_version, hash FROM events \
                        WHERE events.stream_id = s.stream_id \
                        ORDER BY stream_version DESC LIMIT 1) AS e ON true";

/// A row of [`LOCK_AND_HEADS`] and [`HEADS`].
type HeadRow = (
    i64,
    i64,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
);

/// A stream and its head (`None`: the stream does not exist).
pub(super) type Head = (String, Option<StreamHead>);

/// The log head and the heads of `streams`: read without a lock, or (`locked`) under the
/// `event_head` row lock, which the caller's transaction then holds until it ends.
pub(super) async fn read_heads(
    conn: &mut PgConnection,
    streams: &[&str],
    locked: bool,
) -> Result<(i64, Vec<Head>), StoreError> {
    let sql = if locked { LOCK_AND_HEADS } else { HEADS };
    let mut rows: Vec<HeadRow> = sqlx::query_as(sql)
        .bind(streams)
        .fetch_all(&mut *conn)
        .await?;
    let Some(&(head, seen, ..)) = rows.first() else {
        return Err(StoreError::InvalidAppend("a group without streams".into()));
    };
    if seen != head {
        // Another process committed while we waited for the lock: read again, now.
        rows = sqlx::query_as(sql)
            .bind(streams)
            .fetch_all(&mut *conn)
            .await?;
    }
    let heads = rows
        .into_iter()
        .map(|(_, _, id, stream_type, version, hash)| {
            let head = match (stream_type, version, hash) {
                (Some(stream_type), Some(version), Some(hash)) => Some(StreamHead {
                    stream_type,
                    version,
                    hash,
                }),
                _ => None,
            };
            (id, head)
        })
        .collect();
    Ok((head, heads))
}

/// Per member, the answer already given to its command id, if it was handled before.
pub(super) async fn answered(
    conn: &mut PgConnection,
    members: &[&Request],
) -> Result<Vec<Option<Member>>, StoreError> {
    let ids: Vec<&str> = members
        .iter()
        .filter_map(|m| m.meta.command_id.as_deref())
        .collect();
    let mut answered: Vec<Option<Member>> = members.iter().map(|_| None).collect();
    if ids.is_empty() {
        return Ok(answered);
    }
    let seen: HashMap<String, (i64, i64)> = sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT command_id, first_position, event_count FROM commands \
         WHERE command_id = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(id, first, count)| (id, (first, count)))
    .collect();
    for (slot, m) in answered.iter_mut().zip(members) {
        let Some(&(first, count)) = m.meta.command_id.as_ref().and_then(|id| seen.get(id)) else {
            continue;
        };
        let rows = read::range(conn, first, count).await?;
        *slot = Some(match into_events(rows) {
            Ok(events) => Member::Duplicate(events),
            Err(error) => Member::Refused(error),
        });
    }
    Ok(answered)
}

/// What became of a group's one-statement write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wrote {
    /// Written and committed.
    Written,
    /// The head was no longer the plan's: nothing was written.
    HeadMoved,
    /// A stream the plan took for new already had a first event: nothing was written.
    StreamExisted,
}

/// The constraint a first event of an existing stream breaks.
const STREAM_VERSION_KEY: &str = "events_stream_id_stream_version_key";

/// Writes the planned rows, the command ids and the new head in one statement, if the
/// head is still the one the plan started from.
pub(super) async fn write(conn: &mut PgConnection, plan: &GroupPlan) -> Result<Wrote, StoreError> {
    let rows: Vec<_> = plan.rows().collect();
    let commands: Vec<_> = plan.commands().collect();
    let written = sqlx::query_scalar::<_, String>(WRITE)
        .bind(column(&rows, |(e, ..)| e.position))
        .bind(column(&rows, |(e, ..)| e.stream_id.as_str()))
        .bind(column(&rows, |(e, ..)| e.stream_type.as_str()))
        .bind(column(&rows, |(e, ..)| e.stream_version))
        .bind(column(&rows, |(e, ..)| e.event_id))
        .bind(column(&rows, |(e, ..)| e.event_type.as_str()))
        .bind(column(&rows, |(e, ..)| e.schema_version))
        .bind(column(&rows, |(_, payload, _)| *payload))
        .bind(column(&rows, |(.., metadata)| *metadata))
        .bind(column(&rows, |(e, ..)| e.recorded_at))
        .bind(column(&rows, |(e, ..)| e.prev_hash.as_str()))
        .bind(column(&rows, |(e, ..)| e.hash.as_str()))
        .bind(column(&commands, |c| c.0))
        .bind(column(&commands, |c| c.1))
        .bind(column(&commands, |c| c.2))
        .bind(column(&commands, |c| c.3))
        .bind(plan.last)
        .bind(CHANNEL)
        .bind(plan.head)
        .fetch_optional(&mut *conn)
        .await;
    match written {
        Ok(Some(_)) => Ok(Wrote::Written),
        Ok(None) => Ok(Wrote::HeadMoved),
        Err(sqlx::Error::Database(e))
            if e.is_unique_violation() && e.constraint() == Some(STREAM_VERSION_KEY) =>
        {
            Ok(Wrote::StreamExisted)
        }
        Err(e) => Err(e.into()),
    }
}
