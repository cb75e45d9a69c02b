//! Which stored documents a rebuild must rewrite: the stored rows of the projection are
//! compared, one at a time as they are read, with the rebuilt documents.
//!
//! A rebuild over a projection that was current (the usual case: a check, or a repair
//! of a few documents) produces the documents already stored. Writing all of them again
//! (tens of thousands of documents at 1M events) was a large share of a rebuild's time,
//! and on PostgreSQL it left as many dead rows behind; reading them back to compare
//! costs a fraction of that. The comparison is of the full JSON text, so a
//! document whose stored text differs in any byte (edited by hand, written by an older
//! version) is rewritten.
//!
//! Within one transaction: the stored rows are read and compared ([`Differ`]), the
//! changed and vanished keys deleted, the new and changed documents written in bulk
//! (multi-row INSERTs on SQLite, COPY on PostgreSQL), the checkpoint set.

use std::collections::HashMap;

use futures::TryStreamExt;
use sqlx::Row;

use duban_store::Db;

use super::persist::{Doc, insert_docs, set_checkpoint};
use crate::error::{ServiceError, ServiceResult};

/// Rows per multi-row INSERT when SQLite writes documents in bulk (4 binds each, under
/// SQLite's 32,766).
const SQLITE_DOCS_PER_INSERT: usize = 2000;
/// Bytes of COPY data sent to PostgreSQL at a time.
const COPY_CHUNK: usize = 1 << 20;
/// A projection's stored documents, for the comparison.
const STORED: &str = "SELECT key, doc FROM read_models WHERE name = $1";

/// What putting a projection in place did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replaced {
    /// Documents written (new, or stored with other text).
    pub written: usize,
    /// Documents stored with the same text, left as they were.
    pub unchanged: usize,
    /// Stored documents of keys the projection no longer has, deleted.
    pub removed: usize,
}

/// Compares the stored rows of a projection with the documents replacing them.
pub(crate) struct Differ<'a> {
    docs: &'a [Doc],
    /// Key → index in `docs`.
    index: HashMap<&'a str, usize>,
    /// Per document of `docs`: stored with the same text.
    same: Vec<bool>,
    /// Keys of stored rows to delete: changed, or no longer in the projection.
    stale: Vec<String>,
    removed: usize,
}

/// The outcome of a comparison: what to delete, what to write.
pub(crate) struct Diff<'a> {
    /// Stored keys to delete before writing (changed documents and removed keys).
    pub stale: Vec<String>,
    /// Documents to write (after `stale` is deleted, none of their keys is stored).
    pub write: Vec<&'a Doc>,
    /// The counts.
    pub replaced: Replaced,
}

impl<'a> Differ<'a> {
    /// A comparison against `docs` (at most one per key).
    pub fn new(docs: &'a [Doc]) -> Self {
        Self {
            docs,
            index: docs
                .iter()
                .enumerate()
                .map(|(i, d)| (d.key.as_str(), i))
                .collect(),
            same: vec![false; docs.len()],
            stale: Vec::new(),
            removed: 0,
        }
    }

    /// Takes in one stored row.
    pub fn stored(&mut self, key: &str, json: &str) {
        match self.index.get(key) {
            Some(&i) if self.docs[i].json == json => self.same[i] = true,
            Some(_) => self.stale.push(key.to_owned()),
            None => {
                self.stale.push(key.to_owned());
                self.removed += 1;
            }
        }
    }

    /// What to delete and what to write.
    pub fn finish(self) -> Diff<'a> {
        let write: Vec<&Doc> = self
            .docs
            .iter()
            .zip(&self.same)
            .filter(|(_, same)| !**same)
            .map(|(doc, _)| doc)
            .collect();
        Diff {
            replaced: Replaced {
                written: write.len(),
                unchanged: self.docs.len() - write.len(),
                removed: self.removed,
            },
            stale: self.stale,
            write,
        }
    }
}

/// Makes projection `name` hold exactly `docs`, with checkpoint `checkpoint` (see
/// [`super::persist::ReadModelStore::replace`]).
pub(crate) async fn replace(
    db: &Db,
    name: &str,
    docs: &[Doc],
    checkpoint: i64,
) -> ServiceResult<Replaced> {
    match db {
        Db::Sqlite(pool) => {
            // The write lock from the start: a deferred transaction that reads first
            // cannot take it once another connection (the event writer) has committed.
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            let diff = compare(&mut tx, name, docs).await?;
            if !diff.stale.is_empty() {
                // One bind for any number of keys.
                sqlx::query(
                    "DELETE FROM read_models WHERE name = $1 \
                     AND key IN (SELECT value FROM json_each($2))",
                )
                .bind(name)
                .bind(
                    serde_json::to_string(&diff.stale)
                        .map_err(|e| ServiceError::Internal(format!("stale keys: {e}")))?,
                )
                .execute(&mut *tx)
                .await?;
            }
            for chunk in diff.write.chunks(SQLITE_DOCS_PER_INSERT) {
                let mut insert = insert_docs(name, chunk.iter().copied());
                insert.build().execute(&mut *tx).await?;
            }
            set_checkpoint(&mut tx, name, checkpoint).await?;
            tx.commit().await?;
            Ok(diff.replaced)
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            let diff = compare(&mut tx, name, docs).await?;
            if !diff.stale.is_empty() {
                sqlx::query("DELETE FROM read_models WHERE name = $1 AND key = ANY($2)")
                    .bind(name)
                    .bind(&diff.stale)
                    .execute(&mut *tx)
                    .await?;
            }
            if !diff.write.is_empty() {
                let mut copy = tx
                    .copy_in_raw("COPY read_models (name, key, position, doc) FROM STDIN")
                    .await?;
                let mut buf = Vec::with_capacity(COPY_CHUNK + 64 * 1024);
                for doc in &diff.write {
                    copy_row(&mut buf, name, doc);
                    if buf.len() >= COPY_CHUNK {
                        copy.send(std::mem::take(&mut buf)).await?;
                        buf.reserve(COPY_CHUNK + 64 * 1024);
                    }
                }
                copy.send(buf).await?;
                copy.finish().await?;
            }
            set_checkpoint(&mut tx, name, checkpoint).await?;
            tx.commit().await?;
            Ok(diff.replaced)
        }
    }
}

/// Reads the stored documents of `name` inside `tx`, one row at a time, against `docs`.
async fn compare<'d, DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    name: &str,
    docs: &'d [Doc],
) -> ServiceResult<Diff<'d>>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let mut differ = Differ::new(docs);
    let mut rows = sqlx::query(STORED).bind(name).fetch(&mut **tx);
    while let Some(row) = rows.try_next().await? {
        differ.stored(row.try_get(0)?, row.try_get(1)?);
    }
    Ok(differ.finish())
}

/// Appends one document as a line of COPY text format: tab-separated, with backslash,
/// tab, newline and carriage return escaped.
fn copy_row(buf: &mut Vec<u8>, name: &str, doc: &Doc) {
    fn field(buf: &mut Vec<u8>, text: &str) {
        for &b in text.as_bytes() {
            match b {
                b'\\' => buf.extend_from_slice(b"\\\\"),
                b'\t' => buf.extend_from_slice(b"\\t"),
                b'\n' => buf.extend_from_slice(b"\\n"),
                b'\r' => buf.extend_from_slice(b"\\r"),
                _ => buf.push(b),
            }
        }
    }
    field(buf, name);
    buf.push(b'\t');
    field(buf, &doc.key);
    buf.push(b'\t');
    buf.extend_from_slice(doc.position.to_string().as_bytes());
    buf.push(b'\t');
    field(buf, &doc.json);
    buf.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(key: &str, json: &str) -> Doc {
        Doc {
            key: key.into(),
            position: 9,
            json: json.into(),
        }
    }

    fn keys(docs: &[&Doc]) -> Vec<String> {
        docs.iter().map(|d| d.key.clone()).collect()
    }

    #[test]
    fn a_projection_stored_as_rebuilt_writes_nothing() {
        let docs = [doc("a", "{\"v\":1}"), doc("b", "{\"v\":2}")];
        let mut differ = Differ::new(&docs);
        differ.stored("b", "{\"v\":2}");
        differ.stored("a", "{\"v\":1}");
        let diff = differ.finish();
        assert!(diff.stale.is_empty() && diff.write.is_empty());
        let expected = Replaced {
            written: 0,
            unchanged: 2,
            removed: 0,
        };
        assert_eq!(diff.replaced, expected);
    }

    #[test]
    fn changed_new_and_vanished_documents_are_told_apart() {
        let docs = [doc("a", "{\"v\":1}"), doc("b", "{\"v\":2}"), doc("c", "{}")];
        let mut differ = Differ::new(&docs);
        differ.stored("a", "{\"v\":1}");
        // One byte differs: rewritten.
        differ.stored("b", "{\"v\":3}");
        // No longer in the projection: deleted.
        differ.stored("z", "{}");
        let diff = differ.finish();
        assert_eq!(diff.stale, ["b", "z"]);
        assert_eq!(keys(&diff.write), ["b", "c"]);
        let expected = Replaced {
            written: 2,
            unchanged: 1,
            removed: 1,
        };
        assert_eq!(diff.replaced, expected);
    }

    #[test]
    fn nothing_stored_writes_everything() {
        let docs = [doc("a", "1"), doc("b", "2")];
        let diff = Differ::new(&docs).finish();
        assert!(diff.stale.is_empty());
        assert_eq!(keys(&diff.write), ["a", "b"]);
        assert_eq!(diff.replaced.written, 2);
    }
}
