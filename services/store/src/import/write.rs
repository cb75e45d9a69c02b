//! The import's SQL: raw event rows, the rebuilt handled-commands table and the head,
//! written inside the import transaction on either backend.

use chrono::{DateTime, Utc};
use sqlx::{Postgres, QueryBuilder, Sqlite, Transaction};

use crate::error::StoreError;
use crate::event::format_time;
use crate::log_entry::LogEntry;
use crate::postgres::CHANNEL;

/// Rows per SQLite INSERT (12 parameters each, under SQLite's 32 766 limit).
const SQLITE_CHUNK: usize = 500;

const PG_INSERT: &str = "INSERT INTO events (position, stream_id, stream_type, stream_version, \
     event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash) \
     SELECT u.position, u.stream_id, u.stream_type, u.stream_version, u.event_id, u.event_type, \
            u.schema_version, u.payload::json, u.metadata::json, u.recorded_at, u.prev_hash, u.hash \
     FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::uuid[], $6::text[], \
                 $7::int4[], $8::text[], $9::text[], $10::timestamptz[], $11::text[], $12::text[]) \
          AS u(position, stream_id, stream_type, stream_version, event_id, event_type, \
               schema_version, payload, metadata, recorded_at, prev_hash, hash)";

/// The open import transaction.
pub(super) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// One handled command, rebuilt from the events that carry its id.
pub(super) struct CommandSpan {
    pub first: i64,
    pub count: i64,
    pub recorded_at: DateTime<Utc>,
}

/// Canonical texts of one entry, as they are stored.
pub(super) struct Row<'a> {
    pub entry: &'a LogEntry,
    pub payload: String,
    pub metadata: String,
}

impl Tx {
    /// Inserts checked rows as they are.
    pub(super) async fn insert_events(&mut self, rows: &[Row<'_>]) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => {
                for chunk in rows.chunks(SQLITE_CHUNK) {
                    let mut insert = QueryBuilder::<Sqlite>::new(
                        "INSERT INTO events (position, stream_id, stream_type, stream_version, \
                         event_id, event_type, schema_version, payload, metadata, recorded_at, \
                         prev_hash, hash) ",
                    );
                    insert.push_values(chunk, |mut b, row| {
                        let e = row.entry;
                        b.push_bind(e.position)
                            .push_bind(e.stream_id.as_str())
                            .push_bind(e.stream_type.as_str())
                            .push_bind(e.stream_version)
                            .push_bind(e.event_id.to_string())
                            .push_bind(e.event_type.as_str())
                            .push_bind(e.schema_version)
                            .push_bind(row.payload.as_str())
                            .push_bind(row.metadata.as_str())
                            .push_bind(format_time(e.recorded_at))
                            .push_bind(e.prev_hash.as_str())
                            .push_bind(e.hash.as_str());
                    });
                    insert.build().execute(&mut **tx).await?;
                }
            }
            Tx::Postgres(tx) => {
                if rows.is_empty() {
                    return Ok(());
                }
                fn col<'r, 'e, T>(rows: &'r [Row<'e>], f: impl Fn(&'r Row<'e>) -> T) -> Vec<T> {
                    rows.iter().map(f).collect()
                }
                sqlx::query(PG_INSERT)
                    .bind(col(rows, |r| r.entry.position))
                    .bind(col(rows, |r| r.entry.stream_id.as_str()))
                    .bind(col(rows, |r| r.entry.stream_type.as_str()))
                    .bind(col(rows, |r| r.entry.stream_version))
                    .bind(col(rows, |r| r.entry.event_id))
                    .bind(col(rows, |r| r.entry.event_type.as_str()))
                    .bind(col(rows, |r| r.entry.schema_version))
                    .bind(col(rows, |r| r.payload.as_str()))
                    .bind(col(rows, |r| r.metadata.as_str()))
                    .bind(col(rows, |r| r.entry.recorded_at))
                    .bind(col(rows, |r| r.entry.prev_hash.as_str()))
                    .bind(col(rows, |r| r.entry.hash.as_str()))
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Ok(())
    }

    /// Writes the handled commands and the head, and commits.
    pub(super) async fn finish(
        self,
        commands: &[(String, CommandSpan)],
        head: i64,
    ) -> Result<(), StoreError> {
        const HEAD: &str = "UPDATE event_head SET position = $1 WHERE id = 1";
        match self {
            Tx::Sqlite(mut tx) => {
                for chunk in commands.chunks(SQLITE_CHUNK) {
                    let mut insert = QueryBuilder::<Sqlite>::new(
                        "INSERT INTO commands (command_id, first_position, event_count, \
                         recorded_at) ",
                    );
                    insert.push_values(chunk, |mut b, (id, span)| {
                        b.push_bind(id.as_str())
                            .push_bind(span.first)
                            .push_bind(span.count)
                            .push_bind(format_time(span.recorded_at));
                    });
                    insert.build().execute(&mut *tx).await?;
                }
                sqlx::query(HEAD).bind(head).execute(&mut *tx).await?;
                tx.commit().await?;
            }
            Tx::Postgres(mut tx) => {
                sqlx::query(
                    "INSERT INTO commands (command_id, first_position, event_count, recorded_at) \
                     SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], \
                                          $4::timestamptz[])",
                )
                .bind(
                    commands
                        .iter()
                        .map(|(id, _)| id.as_str())
                        .collect::<Vec<_>>(),
                )
                .bind(commands.iter().map(|(_, s)| s.first).collect::<Vec<_>>())
                .bind(commands.iter().map(|(_, s)| s.count).collect::<Vec<_>>())
                .bind(
                    commands
                        .iter()
                        .map(|(_, s)| s.recorded_at)
                        .collect::<Vec<_>>(),
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query(HEAD).bind(head).execute(&mut *tx).await?;
                sqlx::query("SELECT pg_notify($1, $2::text)")
                    .bind(CHANNEL)
                    .bind(head.to_string())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }
}
