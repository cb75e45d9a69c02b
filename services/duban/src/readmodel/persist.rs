//! Where read-model documents and their checkpoint are kept: one table of documents
//! keyed by (projection name, stream id), and one checkpoint row per projection, written
//! in the same transaction.

use async_trait::async_trait;
use futures::TryStreamExt;
use sqlx::Row;
use std::collections::BTreeMap;

use duban_store::Db;

use crate::error::ServiceResult;
use crate::on_db;

use super::replace::Replaced;

/// One changed document: the stream it mirrors, the last position folded into it, JSON.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The stream id, e.g. `task-…`.
    pub key: String,
    /// The global position of the last event folded in.
    pub position: i64,
    /// The serialised state.
    pub json: String,
}

/// Persistence of read models, behind a small trait so projections stay pure.
#[async_trait]
pub trait ReadModelStore: Send + Sync {
    /// Hands every document of a projection to `each` as it is read, and returns the
    /// checkpoint they are consistent with. One at a time: at 1M events the documents
    /// are ~37 MB of text, and holding them all (with the driver's copies of the rows)
    /// was a restart's peak memory.
    async fn load(
        &self,
        name: &str,
        each: &mut (dyn FnMut(Doc) -> ServiceResult<()> + Send),
    ) -> ServiceResult<i64>;
    /// Upserts documents and moves the checkpoint, atomically. A document is only
    /// replaced by a newer one (higher position), so two servers projecting the same
    /// log cannot move a document backwards.
    async fn save(&self, name: &str, docs: &[Doc], checkpoint: i64) -> ServiceResult<()>;
    /// Makes projection `name` hold exactly `docs` (at most one per key), atomically,
    /// with checkpoint `checkpoint`: stored documents of the same text stay, others are
    /// written in bulk (COPY on PostgreSQL), keys not in `docs` are deleted. How a
    /// completed rebuild puts its documents in place ([`super::replace`]).
    async fn replace(&self, name: &str, docs: &[Doc], checkpoint: i64) -> ServiceResult<Replaced>;
    /// Deletes a projection's documents and checkpoint.
    async fn clear(&self, name: &str) -> ServiceResult<()>;
}

/// [`ReadModelStore`] in the event store's database (SQLite or PostgreSQL).
pub struct SqlReadModelStore {
    db: Db,
}

impl SqlReadModelStore {
    /// Over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

/// The documents of a projection and (with NULL key and doc) its checkpoint.
const LOAD: &str = "SELECT key, position, doc FROM read_models WHERE name = $1 \
     UNION ALL SELECT NULL, position, NULL FROM projection_checkpoints WHERE name = $1";
/// Documents go in multi-row statements of this many rows (4 binds each: well under
/// SQLite's 32,766 and PostgreSQL's 65,535 bind limits). One statement per document made
/// saving a rebuilt projection many times slower on PostgreSQL (a round trip each).
const DOCS_PER_STATEMENT: usize = 500;
const INSERT_DOCS: &str = "INSERT INTO read_models (name, key, position, doc) ";
const ON_CONFLICT_DOCS: &str = " ON CONFLICT (name, key) DO UPDATE SET position = excluded.position, \
     doc = excluded.doc WHERE excluded.position > read_models.position";
const UPSERT_CHECKPOINT: &str = "INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2) \
     ON CONFLICT (name) DO UPDATE SET position = excluded.position \
     WHERE excluded.position > projection_checkpoints.position";

/// A multi-row INSERT of `docs` into projection `name` (4 binds a row).
pub(super) fn insert_docs<'a, DB>(
    name: &'a str,
    docs: impl IntoIterator<Item = &'a Doc>,
) -> sqlx::QueryBuilder<'a, DB>
where
    DB: sqlx::Database,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut insert = sqlx::QueryBuilder::new(INSERT_DOCS);
    insert.push_values(docs, |mut row, doc| {
        row.push_bind(name)
            .push_bind(doc.key.as_str())
            .push_bind(doc.position)
            .push_bind(doc.json.as_str());
    });
    insert
}

/// Sets a projection's checkpoint inside `tx`.
pub(super) async fn set_checkpoint<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    name: &str,
    checkpoint: i64,
) -> ServiceResult<()>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
{
    sqlx::query(UPSERT_CHECKPOINT)
        .bind(name)
        .bind(checkpoint)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait]
impl ReadModelStore for SqlReadModelStore {
    async fn load(
        &self,
        name: &str,
        each: &mut (dyn FnMut(Doc) -> ServiceResult<()> + Send),
    ) -> ServiceResult<i64> {
        on_db!(&self.db, |pool| {
            // One statement, so the checkpoint and the documents come from one snapshot:
            // read apart, a save committing in between gave documents ahead of the
            // checkpoint, and catching up folded those events in twice. Streamed: the
            // drivers hold a few dozen rows at a time.
            let mut rows = sqlx::query(LOAD).bind(name).fetch(pool);
            let mut checkpoint = 0;
            while let Some(r) = rows.try_next().await? {
                match (r.try_get::<Option<String>, _>("key")?, r.try_get("doc")?) {
                    (Some(key), Some(json)) => each(Doc {
                        key,
                        position: r.try_get("position")?,
                        json,
                    })?,
                    _ => checkpoint = r.try_get("position")?,
                }
            }
            Ok(checkpoint)
        })
    }

    async fn save(&self, name: &str, docs: &[Doc], checkpoint: i64) -> ServiceResult<()> {
        on_db!(&self.db, |pool| {
            let mut tx = pool.begin().await?;
            // One statement may not touch a key twice (PostgreSQL refuses), so keep each
            // key's newest document only.
            let mut newest: BTreeMap<&str, &Doc> = BTreeMap::new();
            for doc in docs {
                let slot = newest.entry(doc.key.as_str()).or_insert(doc);
                if doc.position > slot.position {
                    *slot = doc;
                }
            }
            let unique: Vec<&Doc> = newest.into_values().collect();
            for chunk in unique.chunks(DOCS_PER_STATEMENT) {
                let mut insert = insert_docs(name, chunk.iter().copied());
                insert.push(ON_CONFLICT_DOCS);
                insert.build().execute(&mut *tx).await?;
            }
            sqlx::query(UPSERT_CHECKPOINT)
                .bind(name)
                .bind(checkpoint)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    async fn replace(&self, name: &str, docs: &[Doc], checkpoint: i64) -> ServiceResult<Replaced> {
        super::replace::replace(&self.db, name, docs, checkpoint).await
    }

    async fn clear(&self, name: &str) -> ServiceResult<()> {
        on_db!(&self.db, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM read_models WHERE name = $1")
                .bind(name)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM projection_checkpoints WHERE name = $1")
                .bind(name)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
