//! The SQLite side of group commit (see the `group` module): several appends in one
//! `BEGIN IMMEDIATE` transaction, so they share one commit and its WAL sync.

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use crate::append::{Appended, Heads, StreamHead};
use crate::error::StoreError;
use crate::event::{RecordedEvent, format_time};
use crate::fault::Faults;
use crate::group::{GroupPlan, GroupWriter, Member, Request, streams};
use crate::row::into_events;
use crate::sqlite::append::append;
use crate::sqlite::read;

/// Rows per INSERT statement (12 parameters each, well under SQLite's 32 766).
const CHUNK: usize = 500;

/// Appends of one [`crate::SqliteStore`], written by its writer task (which is also what
/// serialises the process's writers; `BEGIN IMMEDIATE` serialises processes).
pub(crate) struct SqliteWriter {
    pub pool: SqlitePool,
    pub faults: Arc<Faults>,
}

#[async_trait]
impl GroupWriter for SqliteWriter {
    fn faults(&self) -> &Faults {
        &self.faults
    }

    async fn solo(&self, r: Request) -> Result<Appended, StoreError> {
        append(
            &self.pool,
            &self.faults,
            r.batch,
            &r.meta,
            r.recorded_at,
            r.total,
        )
        .await
    }

    async fn group(&self, members: &[&Request]) -> Result<Vec<Member>, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let plan = plan(&mut tx, members).await?;
        if plan.last == plan.head {
            tx.rollback().await?;
            return Ok(plan.into_members());
        }
        insert(&mut tx, &plan).await?;
        sqlx::query("UPDATE event_head SET position = ? WHERE id = 1")
            .bind(plan.last)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(plan.into_members())
    }
}

/// Reads the head, handled command ids and stream heads, and plans every member.
async fn plan(conn: &mut SqliteConnection, members: &[&Request]) -> Result<GroupPlan, StoreError> {
    let head: i64 = sqlx::query_scalar("SELECT position FROM event_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let mut answered: Vec<Option<Member>> = Vec::with_capacity(members.len());
    for m in members {
        let Some(id) = &m.meta.command_id else {
            answered.push(None);
            continue;
        };
        let seen: Option<(i64, i64)> =
            sqlx::query_as("SELECT first_position, event_count FROM commands WHERE command_id = ?")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        answered.push(match seen {
            Some((first, count)) => {
                Some(match into_events(read::range(conn, first, count).await?) {
                    Ok(events) => Member::Duplicate(events),
                    Err(error) => Member::Refused(error),
                })
            }
            None => None,
        });
    }
    let mut heads = Heads::default();
    for chunk in streams(members).chunks(CHUNK) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT stream_id, stream_type, stream_version, hash FROM events \
             WHERE (stream_id, stream_version) IN (SELECT stream_id, MAX(stream_version) \
             FROM events WHERE stream_id IN (",
        );
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        query.push(") GROUP BY stream_id)");
        let rows: Vec<(String, String, i64, String)> =
            query.build_query_as().fetch_all(&mut *conn).await?;
        for (id, stream_type, version, hash) in rows {
            let head = StreamHead {
                stream_type,
                version,
                hash,
            };
            heads.insert(id, head);
        }
    }
    Ok(GroupPlan::new(members, heads, head, answered))
}

/// Inserts the planned rows and command ids.
async fn insert(conn: &mut SqliteConnection, plan: &GroupPlan) -> Result<(), StoreError> {
    insert_events(conn, plan.rows()).await?;
    for (id, first, count, at) in plan.commands() {
        sqlx::query(
            "INSERT INTO commands (command_id, first_position, event_count, recorded_at) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(id)
        .bind(first)
        .bind(count)
        .bind(format_time(at))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Inserts events with their canonical payload and metadata, in multi-row statements
/// (shared with the one-append path).
pub(super) async fn insert_events<'a>(
    conn: &mut SqliteConnection,
    rows: impl Iterator<Item = (&'a RecordedEvent, &'a str, &'a str)>,
) -> Result<(), StoreError> {
    let rows: Vec<_> = rows
        .map(|(e, payload, meta)| (e, payload, meta, format_time(e.recorded_at)))
        .collect();
    for chunk in rows.chunks(CHUNK) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO events (position, stream_id, stream_type, stream_version, event_id, \
             event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash) ",
        );
        insert.push_values(chunk, |mut row, (e, payload, meta, at)| {
            row.push_bind(e.position)
                .push_bind(e.stream_id.as_str())
                .push_bind(e.stream_type.as_str())
                .push_bind(e.stream_version)
                .push_bind(e.event_id.to_string())
                .push_bind(e.event_type.as_str())
                .push_bind(e.schema_version)
                .push_bind(*payload)
                .push_bind(*meta)
                .push_bind(at.as_str())
                .push_bind(e.prev_hash.as_str())
                .push_bind(e.hash.as_str());
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}
