//! The PostgreSQL side of group commit (see the `group` module): several appends in one
//! write.
//!
//! A group is first written optimistically, without an explicit transaction: the stream
//! heads come from the writer's [`cache`] (or, for streams it does not know, from one
//! read), and one statement, committed on its own, writes the events, the command ids and
//! the new log head, but only if `event_head` still holds the head the plan started from
//! (a compare-and-swap on the row, which every writer of events updates). So a group of
//! streams this process wrote last costs one round trip (two with command ids). When
//! another process moved the head meanwhile, nothing is written, the cache is dropped and
//! the group is planned again from the database; after a few such misses it takes the
//! `event_head` row lock in a transaction, so a busy neighbour cannot starve it.
//!
//! A stream the group creates (its first append there expects version 0) and the cache
//! does not know is taken for new without a read: the write then holds its version 1,
//! and the unique key on (stream, version) refuses the whole statement if the stream
//! existed after all. Then nothing was written, and the group is planned again with
//! every head read. So an import, which creates most of the streams it writes, costs
//! one round trip per append.
//!
//! - `cache` — [`cache::HeadCache`], the stream heads known at one log head.
//! - `sql` — the statements: stream-head reads, command-id lookup, the write.

mod cache;
mod sql;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use sqlx::{PgConnection, PgPool};
use tokio::sync::Mutex;

use crate::append::{Appended, ExpectedVersion, Heads, Planned, StreamHead};
use crate::error::StoreError;
use crate::fault::Faults;
use crate::group::{GroupPlan, GroupWriter, Member, Request, streams};
use crate::postgres::append::append;
use crate::postgres::read;

pub(crate) use cache::HeadCache;
use sql::{Head, Wrote, answered, read_heads, write};

/// Optimistic writes of a group (each after planning it again) before it takes the lock.
const OPTIMISTIC_TRIES: usize = 3;

/// Appends of one [`crate::PgStore`], written by its writer task.
pub(crate) struct PgWriter {
    pub pool: PgPool,
    pub faults: Arc<Faults>,
    /// The stream heads this writer knows (only its task uses it).
    pub cache: Mutex<HeadCache>,
}

#[async_trait]
impl GroupWriter for PgWriter {
    fn faults(&self) -> &Faults {
        &self.faults
    }

    async fn solo(&self, r: Request) -> Result<Appended, StoreError> {
        // The solo path moves the log head behind the cache's back.
        self.cache.lock().await.forget();
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
        let mut cache = self.cache.lock().await;
        group(&self.pool, &mut cache, members, OPTIMISTIC_TRIES).await
    }
}

/// Writes a group: up to `tries` optimistic writes, then under the head lock.
async fn group(
    pool: &PgPool,
    cache: &mut HeadCache,
    members: &[&Request],
    tries: usize,
) -> Result<Vec<Member>, StoreError> {
    let streams = streams(members);
    let created = created(members);
    let mut guess = true;
    {
        let mut conn = pool.acquire().await?;
        for _ in 0..tries {
            let (assumed, asked) = take_for_new(cache, &streams, &created, guess);
            let (head, heads) = known_heads(&mut conn, cache, &asked).await?;
            let answered = answered(&mut conn, members).await?;
            let plan = GroupPlan::new(members, heads, head, answered);
            if !creates_all(&plan, &assumed) {
                // A stream taken for new gets no first event, so the write could not
                // prove it new: plan again with its head read.
                guess = false;
                continue;
            }
            if plan.last == plan.head {
                // Nothing to write: the refusals stand if the heads were current.
                if read::head(&mut *conn).await? == plan.head {
                    return Ok(plan.into_members());
                }
            } else {
                match write(&mut conn, &plan).await? {
                    Wrote::Written => {
                        cache.wrote(plan.head, plan.last, written_heads(&plan));
                        return Ok(plan.into_members());
                    }
                    Wrote::StreamExisted => guess = false,
                    Wrote::HeadMoved => {}
                }
            }
            tracing::debug!(
                head = plan.head,
                "the group was planned on heads that were not current"
            );
            cache.forget();
        }
    }
    // The row lock serialises appenders across connections and processes until commit.
    cache.forget();
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
        .await?;
    let (head, heads) = read_heads(&mut tx, &streams, true).await?;
    let answered = answered(&mut tx, members).await?;
    let plan = GroupPlan::new(members, existing(heads), head, answered);
    if plan.last == plan.head {
        tx.rollback().await?;
        return Ok(plan.into_members());
    }
    if write(&mut tx, &plan).await? != Wrote::Written {
        return Err(StoreError::InvalidAppend(
            "the heads changed under the head's row lock".into(),
        ));
    }
    tx.commit().await?;
    Ok(plan.into_members())
}

/// The log head and the heads of `streams` that exist: from the cache when it knows
/// them all, else read (only the unknown streams when the cache is still current).
async fn known_heads(
    conn: &mut PgConnection,
    cache: &mut HeadCache,
    streams: &[&str],
) -> Result<(i64, Heads), StoreError> {
    let missing = cache.missing(streams);
    if missing.is_empty()
        && let Some(found) = cache.lookup(streams)
    {
        return Ok(found);
    }
    let all = missing.len() == streams.len();
    let (seen, heads) = read_heads(conn, if all { streams } else { &missing }, false).await?;
    let kept = cache.learn(seen, heads.iter().cloned());
    if all {
        return Ok((seen, existing(heads)));
    }
    if kept && let Some(found) = cache.lookup(streams) {
        return Ok(found);
    }
    // What the cache knew was stale (or it overflowed): read every stream.
    let (seen, heads) = read_heads(conn, streams, false).await?;
    cache.learn(seen, heads.iter().cloned());
    Ok((seen, existing(heads)))
}

/// The streams a group creates: those whose first append in the group expects
/// version 0.
fn created<'a>(members: &[&'a Request]) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    members
        .iter()
        .flat_map(|m| &m.batch)
        .filter(|part| seen.insert(part.stream_id.as_str()))
        .filter(|part| part.expected == ExpectedVersion::Exact(0))
        .map(|part| part.stream_id.as_str())
        .collect()
}

/// Splits a group's streams into those taken for new without a read (when `guess` and
/// the cache knows the log head: the `created` streams it does not know) and the rest,
/// whose heads are looked up.
fn take_for_new<'a>(
    cache: &HeadCache,
    streams: &[&'a str],
    created: &[&'a str],
    guess: bool,
) -> (HashSet<&'a str>, Vec<&'a str>) {
    let assumed: HashSet<&str> = if guess && cache.knows_head() {
        cache.missing(created).into_iter().collect()
    } else {
        HashSet::new()
    };
    let asked = streams
        .iter()
        .copied()
        .filter(|s| !assumed.contains(s))
        .collect();
    (assumed, asked)
}

/// True when the plan writes version 1 of every stream in `assumed` (so the write
/// itself checks that they did not exist).
fn creates_all(plan: &GroupPlan, assumed: &HashSet<&str>) -> bool {
    if assumed.is_empty() {
        return true;
    }
    let first: HashSet<&str> = plan
        .rows()
        .filter(|(e, ..)| e.stream_version == 1)
        .map(|(e, ..)| e.stream_id.as_str())
        .collect();
    assumed.iter().all(|s| first.contains(s))
}

/// The heads of the streams that exist.
fn existing(heads: Vec<Head>) -> Heads {
    heads
        .into_iter()
        .filter_map(|(id, head)| Some((id, head?)))
        .collect()
}

/// The head of every stream a planned group writes, once written.
fn written_heads(plan: &GroupPlan) -> impl Iterator<Item = (String, StreamHead)> + '_ {
    plan.written().flat_map(Planned::heads)
}
