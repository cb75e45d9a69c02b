//! [`LogImport`]: loads a whole exported log ([`LogEntry`]s in position order) into an
//! empty store as raw rows, keeping positions, event ids, timestamps and hashes.
//!
//! Everything happens in one transaction, opened by [`LogImport::begin`] (SQLite:
//! `BEGIN IMMEDIATE`; PostgreSQL: the `event_head` row lock, which every append takes
//! first, so no append can interleave). Each pushed entry is checked like
//! [`crate::EventStore::verify`] checks stored rows — positions 1, 2, 3, … without gaps,
//! stream versions 1, 2, 3, …, `prev_hash` links and the recomputed hash — plus a stream
//! type that never changes, decodable metadata and microsecond timestamps. The first
//! problem fails the push; dropping the import then rolls everything back, so a refused
//! file writes nothing. [`LogImport::commit`] rebuilds the `commands` table from the
//! events' command ids (every command's events are one contiguous append), sets
//! `event_head` to the last position, so later appends continue the chains, and on
//! PostgreSQL notifies listeners of the new head.

use std::collections::HashMap;

use crate::error::StoreError;
use crate::event::{Metadata, normalize_time};
use crate::hash::canonical_json;
use crate::log_entry::LogEntry;
use crate::store::{Db, EventStore};
use crate::verify::Verifier;

mod write;

use write::{CommandSpan, Row, Tx};

/// What an import loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    /// Events written (the new head).
    pub events: i64,
    /// Distinct streams.
    pub streams: usize,
    /// Rows written to the handled-commands table.
    pub commands: usize,
}

/// An import in progress: an open transaction on an empty store.
pub struct LogImport {
    tx: Tx,
    verifier: Verifier,
    stream_types: HashMap<String, String>,
    commands: HashMap<String, CommandSpan>,
    last_position: i64,
}

impl LogImport {
    /// Opens the import transaction on `store`, which must hold no events and no handled
    /// commands ([`StoreError::NotEmpty`] otherwise).
    pub async fn begin(store: &dyn EventStore) -> Result<Self, StoreError> {
        store.begin_import().await
    }

    /// [`LogImport::begin`] on the database of `db`.
    pub(crate) async fn begin_on(db: &Db) -> Result<Self, StoreError> {
        const HEAD: &str = "SELECT position FROM event_head WHERE id = 1";
        const COUNTS: &str =
            "SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM commands)";
        let (tx, head, (events, commands)): (Tx, i64, (i64, i64)) = match db {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let head = sqlx::query_scalar(HEAD).fetch_one(&mut *tx).await?;
                let counts = sqlx::query_as(COUNTS).fetch_one(&mut *tx).await?;
                (Tx::Sqlite(tx), head, counts)
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let head = sqlx::query_scalar(&format!("{HEAD} FOR UPDATE"))
                    .fetch_one(&mut *tx)
                    .await?;
                let counts = sqlx::query_as(COUNTS).fetch_one(&mut *tx).await?;
                (Tx::Postgres(tx), head, counts)
            }
        };
        if head != 0 || events != 0 || commands != 0 {
            return Err(StoreError::NotEmpty {
                head: head.max(events),
                commands,
            });
        }
        Ok(Self {
            tx,
            verifier: Verifier::default(),
            stream_types: HashMap::new(),
            commands: HashMap::new(),
            last_position: 0,
        })
    }

    /// Checks the next entries (in position order) and inserts them. On an error nothing
    /// is committed: drop the import.
    pub async fn push(&mut self, entries: &[LogEntry]) -> Result<(), StoreError> {
        let mut rows = Vec::with_capacity(entries.len());
        for entry in entries {
            self.check(entry)?;
            rows.push(Row {
                entry,
                payload: canonical_json(&entry.payload),
                metadata: canonical_json(&entry.metadata),
            });
        }
        self.tx.insert_events(&rows).await
    }

    /// Everything the store itself would have guaranteed for this entry.
    fn check(&mut self, entry: &LogEntry) -> Result<(), StoreError> {
        let refuse = |detail: String| StoreError::ImportRefused {
            position: entry.position,
            detail,
        };
        self.verifier.check((entry.position, Ok(entry.clone())));
        if self.verifier.is_broken() {
            let report = std::mem::take(&mut self.verifier).finish(entry.position);
            return Err(StoreError::ImportRefused {
                position: report.first_broken_position.unwrap_or(entry.position),
                detail: report.detail.unwrap_or_default(),
            });
        }
        self.last_position = entry.position;
        if normalize_time(entry.recorded_at) != entry.recorded_at {
            return Err(refuse(
                "recorded_at has more than microsecond precision".into(),
            ));
        }
        let meta: Metadata = serde_json::from_value(entry.metadata.clone())
            .map_err(|e| refuse(format!("bad metadata: {e}")))?;
        match self.stream_types.get(&entry.stream_id) {
            Some(known) if *known != entry.stream_type => {
                return Err(refuse(format!(
                    "stream {} changes type from {known} to {}",
                    entry.stream_id, entry.stream_type
                )));
            }
            Some(_) => {}
            None => {
                self.stream_types
                    .insert(entry.stream_id.clone(), entry.stream_type.clone());
            }
        }
        if let Some(command_id) = meta.command_id {
            if command_id.len() > crate::MAX_COMMAND_ID_BYTES {
                return Err(refuse(format!(
                    "command id of {} bytes is longer than the {} bytes a command id may have",
                    command_id.len(),
                    crate::MAX_COMMAND_ID_BYTES
                )));
            }
            match self.commands.get_mut(&command_id) {
                Some(span)
                    if span.first + span.count == entry.position
                        && span.recorded_at == entry.recorded_at =>
                {
                    span.count += 1;
                }
                Some(_) => {
                    return Err(refuse(format!(
                        "command id {command_id:?} is spread over more than one append"
                    )));
                }
                None => {
                    self.commands.insert(
                        command_id,
                        CommandSpan {
                            first: entry.position,
                            count: 1,
                            recorded_at: entry.recorded_at,
                        },
                    );
                }
            }
        }
        Ok(())
    }

    /// Writes the handled commands and the head, and commits.
    pub async fn commit(self) -> Result<ImportSummary, StoreError> {
        let head = self.last_position;
        let mut commands: Vec<_> = self.commands.into_iter().collect();
        commands.sort_by_key(|(_, span)| span.first);
        let summary = ImportSummary {
            events: head,
            streams: self.stream_types.len(),
            commands: commands.len(),
        };
        self.tx.finish(&commands, head).await?;
        Ok(summary)
    }
}
