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
    assert!(
        !write(&mut conn, &stale).await.unwrap(),
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
