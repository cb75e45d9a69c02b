//! The optimistic write, the locked fallback and the head cache, against a real server.

use chrono::Utc;
use serde_json::json;
use sqlx::PgPool;

use super::*;
use crate::append::ExpectedVersion;
use crate::event::{Metadata, NewEvent};
use crate::testing::fresh_postgres;
use crate::{EventStore, StreamAppend};

fn request(stream: &str, command_id: Option<&str>) -> Request {
    let mut meta = Metadata::by("office");
    if let Some(id) = command_id {
        meta = meta.with_command_id(id);
    }
    Request {
        batch: vec![StreamAppend::new(
            stream,
            "task",
            ExpectedVersion::Any,
            vec![NewEvent::new("A", json!({"s": stream}))],
        )],
        meta,
        recorded_at: Utc::now(),
        total: 1,
    }
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// The optimistic write is a compare-and-swap on the head: planned before another
/// append committed, it writes nothing (no event, no command id); planned again, it
/// writes after that append.
#[tokio::test]
async fn a_plan_made_before_another_commit_writes_nothing() {
    let Some((store, _db)) = fresh_postgres().await else {
        return;
    };
    let pool = store.pool().clone();
    let mine = request("task-mine", Some("cmd-mine"));
    let mut conn = pool.acquire().await.unwrap();
    let (head, heads) = read_heads(&mut conn, &["task-mine"], false).await.unwrap();
    let stale = GroupPlan::new(&[&mine], existing(heads), head, vec![None]);
    assert_eq!((stale.head, stale.last), (0, 1));

    let other = request("task-other", None);
    store
        .append(other.batch, &other.meta, other.recorded_at)
        .await
        .unwrap();
    assert_eq!(
        write(&mut conn, &stale).await.unwrap(),
        Wrote::HeadMoved,
        "stale plan written"
    );
    let commands = count(&pool, "SELECT count(*) FROM commands").await;
    assert_eq!((store.head().await.unwrap(), commands), (1, 0));

    let mut cache = HeadCache::default();
    group(&pool, &mut cache, &[&mine], 1).await.unwrap();
    // Read with SQL: the store learns of this write only from its notification.
    let log: Vec<(i64, String)> =
        sqlx::query_as("SELECT position, stream_id FROM events ORDER BY position")
            .fetch_all(&pool)
            .await
            .unwrap();
    let expected = [(1, "task-other".to_string()), (2, "task-mine".to_string())];
    assert_eq!(log, expected);
    assert!(store.verify().await.unwrap().ok);
}

/// With no optimistic tries left a group is written under the head lock, with the
/// same answers: members in order, a repeated command id answered as a duplicate.
#[tokio::test]
async fn the_locked_path_writes_a_group_like_the_optimistic_one() {
    let Some((store, _db)) = fresh_postgres().await else {
        return;
    };
    let pool = store.pool().clone();
    let mut cache = HeadCache::default();
    let first = request("task-a", Some("cmd-a"));
    let second = request("task-b", None);
    let members = group(&pool, &mut cache, &[&first, &second], 0)
        .await
        .unwrap();
    assert!(
        matches!(&members[..], [Member::Written(a), Member::Written(b)]
        if a[0].position == 1 && b[0].position == 2)
    );

    let again = request("task-c", Some("cmd-a"));
    let members = group(&pool, &mut cache, &[&again], 0).await.unwrap();
    assert!(matches!(&members[..], [Member::Duplicate(e)] if e[0].stream_id == "task-a"));
    let head = count(&pool, "SELECT position FROM event_head WHERE id = 1").await;
    assert_eq!(head, 2);
    assert!(store.verify().await.unwrap().ok);
}

/// After a write the writer knows the heads of the streams it wrote: planning the next
/// group on them reads nothing (here the events table is renamed away, so any read
/// fails), while a stream it does not know is still read.
#[tokio::test]
async fn streams_the_writer_wrote_last_are_planned_without_a_read() {
    let Some((store, _db)) = fresh_postgres().await else {
        return;
    };
    let pool = store.pool().clone();
    let mut cache = HeadCache::default();
    let first = request("task-a", None);
    group(&pool, &mut cache, &[&first], 1).await.unwrap();

    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("ALTER TABLE events RENAME TO events_away")
        .execute(&mut *conn)
        .await
        .unwrap();
    let (head, heads) = known_heads(&mut conn, &mut cache, &["task-a"])
        .await
        .expect("known without a read");
    assert_eq!((head, heads["task-a"].version), (1, 1));
    let unknown = known_heads(&mut conn, &mut cache, &["task-a", "task-new"]).await;
    assert!(unknown.is_err(), "an unknown stream must be read");
    sqlx::query("ALTER TABLE events_away RENAME TO events")
        .execute(&mut *conn)
        .await
        .unwrap();
}

/// A request of one event on each of `parts` (stream, expected version).
fn parts(parts: &[(&str, i64)]) -> Request {
    let batch: Vec<StreamAppend> = parts
        .iter()
        .map(|(stream, expected)| {
            StreamAppend::new(
                *stream,
                "task",
                ExpectedVersion::Exact(*expected),
                vec![NewEvent::new("A", json!({"s": stream}))],
            )
        })
        .collect();
    Request {
        total: i64::try_from(batch.len()).unwrap(),
        batch,
        meta: Metadata::by("office"),
        recorded_at: Utc::now(),
    }
}

/// Writes `events` events on `stream` through the store (not through `cache`), then a
/// group through `cache`, so that the cache knows the log head but not `stream`.
async fn existing_stream_unknown_to(store: &crate::PgStore, cache: &mut HeadCache, stream: &str) {
    for version in 0..2 {
        let r = parts(&[(stream, version)]);
        store.append(r.batch, &r.meta, r.recorded_at).await.unwrap();
    }
    let other = request("task-other", None);
    group(store.pool(), cache, &[&other], 1).await.unwrap();
    assert!(cache.knows_head() && cache.missing(&[stream]) == [stream]);
}

/// A stream a group creates is taken for new without a read; when it existed after
/// all, the unique key refuses the write and the group is planned again on its head:
/// the member is refused as a version conflict and nothing is written.
#[tokio::test]
async fn a_stream_taken_for_new_that_existed_is_refused_after_a_read() {
    let Some((store, _db)) = fresh_postgres().await else {
        return;
    };
    let mut cache = HeadCache::default();
    existing_stream_unknown_to(&store, &mut cache, "task-s").await;
    let create = parts(&[("task-s", 0)]);
    let members = group(store.pool(), &mut cache, &[&create], 2)
        .await
        .unwrap();
    assert!(
        matches!(
            &members[..],
            [Member::Refused(StoreError::VersionConflict {
                expected: 0,
                actual: 2,
                ..
            })]
        ),
        "the existing stream was not seen"
    );
    assert_eq!(store.head().await.unwrap(), 3, "nothing more written");
    let created = group(store.pool(), &mut cache, &[&parts(&[("task-new", 0)])], 1)
        .await
        .unwrap();
    assert!(matches!(&created[..], [Member::Written(e)] if e[0].position == 4));
    assert!(store.verify().await.unwrap().ok);
}

/// A stream taken for new must get its first event in the write, which checks the
/// guess. Here the member creating it is refused (its other stream is stale), so the
/// stream is read before a later member is answered on it: that member, expecting the
/// stream's real version, is written.
#[tokio::test]
async fn a_stream_taken_for_new_but_not_written_is_read_before_answering() {
    let Some((store, _db)) = fresh_postgres().await else {
        return;
    };
    let mut cache = HeadCache::default();
    existing_stream_unknown_to(&store, &mut cache, "task-s").await;
    let refused = parts(&[("task-s", 0), ("task-other", 7)]);
    let appended = parts(&[("task-s", 2)]);
    let members = group(store.pool(), &mut cache, &[&refused, &appended], 1)
        .await
        .unwrap();
    assert!(
        matches!(&members[..], [Member::Refused(_), Member::Written(e)]
            if e[0].stream_version == 3 && e[0].position == 4),
        "the second member was answered on a guessed head"
    );
    assert!(store.verify().await.unwrap().ok);
}

/// A stream the group creates, unknown to a cache that knows the log head, is planned
/// without a read (the events table is renamed away, so any read fails); without the
/// guess it is read.
#[tokio::test]
async fn a_stream_the_group_creates_is_planned_without_a_read() {
    let Some((store, _db)) = fresh_postgres().await else {
        return;
    };
    let pool = store.pool().clone();
    let mut cache = HeadCache::default();
    group(&pool, &mut cache, &[&request("task-a", None)], 1)
        .await
        .unwrap();

    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("ALTER TABLE events RENAME TO events_away")
        .execute(&mut *conn)
        .await
        .unwrap();
    let members = parts(&[("task-a", 1), ("task-new", 0)]);
    let streams = streams(&[&members]);
    let created = created(&[&members]);
    let (assumed, asked) = take_for_new(&cache, &streams, &created, true);
    assert_eq!((assumed.len(), asked.as_slice()), (1, &["task-a"][..]));
    let (head, heads) = known_heads(&mut conn, &mut cache, &asked)
        .await
        .expect("planned without a read");
    let plan = GroupPlan::new(&[&members], heads, head, vec![None]);
    assert!(
        creates_all(&plan, &assumed),
        "the write proves task-new new"
    );
    let (_, asked) = take_for_new(&cache, &streams, &created, false);
    assert!(known_heads(&mut conn, &mut cache, &asked).await.is_err());
    sqlx::query("ALTER TABLE events_away RENAME TO events")
        .execute(&mut *conn)
        .await
        .unwrap();
}
