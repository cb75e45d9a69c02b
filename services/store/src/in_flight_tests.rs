use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use async_trait::async_trait;
use chrono::Utc;
use futures::FutureExt;
use tokio::sync::{Notify, Semaphore};

use super::*;
use crate::append::{Appended, ExpectedVersion, StreamAppend};
use crate::error::StoreError;
use crate::event::{Metadata, NewEvent};
use crate::fault::Faults;
use crate::group::{Committer, GroupPlan, GroupWriter, Member, Request};

#[test]
fn settle_returns_at_once_when_no_round_is_in_flight() {
    let writing = Writing::new();
    assert_eq!(writing.settle().now_or_never(), Some(()));
    drop(writing.begin());
    assert_eq!(writing.settle().now_or_never(), Some(()));
}

#[tokio::test]
async fn settle_waits_until_the_round_in_flight_ends() {
    let writing = Writing::new();
    let round = writing.begin();
    let mut settled = std::pin::pin!(writing.settle());
    assert!(futures::poll!(settled.as_mut()).is_pending());
    drop(round);
    settled.await;
}

/// A writer that plans a group as on an empty store of its own and holds it until the
/// test lets it go, so a read can be made while the write is in flight.
struct Gated {
    faults: Faults,
    head: AtomicI64,
    entered: Arc<Notify>,
    gate: Arc<Semaphore>,
}

#[async_trait]
impl GroupWriter for Gated {
    fn faults(&self) -> &Faults {
        &self.faults
    }

    async fn solo(&self, _: Request) -> Result<Appended, StoreError> {
        Err(StoreError::InvalidAppend("not used here".into()))
    }

    async fn group(&self, members: &[&Request]) -> Result<Vec<Member>, StoreError> {
        self.entered.notify_one();
        self.gate.acquire().await.expect("gate open").forget();
        let plan = GroupPlan::new(
            members,
            Default::default(),
            self.head.load(Ordering::SeqCst),
            Vec::new(),
        );
        self.head.store(plan.last, Ordering::SeqCst);
        Ok(plan.into_members())
    }
}

fn one_event(stream: &str) -> Vec<StreamAppend> {
    vec![StreamAppend::new(
        stream,
        "task",
        ExpectedVersion::Exact(0),
        vec![NewEvent::new("TaskCreated", serde_json::json!({"n": 1}))],
    )]
}

#[tokio::test]
async fn a_read_of_announced_positions_waits_for_the_write_in_flight() {
    let entered = Arc::new(Notify::new());
    let gate = Arc::new(Semaphore::new(0));
    let (entering, opening) = (Arc::clone(&entered), Arc::clone(&gate));
    let committer = Arc::new(
        Committer::start(move || Gated {
            faults: Faults::default(),
            head: AtomicI64::new(0),
            entered: entering,
            gate: opening,
        })
        .expect("writer thread"),
    );
    let appender = Arc::clone(&committer);
    let append = tokio::spawn(async move {
        appender
            .append(one_event("task-1"), &Metadata::by("t"), Utc::now(), 1)
            .await
    });
    entered.notified().await;

    // Position 1 is not announced yet: no wait, the database is asked.
    assert!(matches!(
        committer.recent(0, 10, 0).now_or_never(),
        Some(None)
    ));
    // Announced (as a commit notification would) while the write is in flight: the read
    // waits for it and is then served from memory.
    let mut read = std::pin::pin!(committer.recent(0, 10, 1));
    assert!(futures::poll!(read.as_mut()).is_pending());
    gate.add_permits(1);
    let served = read.await.expect("served from memory after the write");
    let appended = append.await.expect("append task").expect("append");
    assert_eq!(served.len(), 1);
    assert_eq!(served[0].position, 1);
    assert_eq!(served[0].event_id, appended.events[0].event_id);
}

#[tokio::test]
async fn a_read_past_the_kept_events_with_no_write_in_flight_does_not_wait() {
    let gate = Arc::new(Semaphore::new(1));
    let committer = Committer::start(move || Gated {
        faults: Faults::default(),
        head: AtomicI64::new(0),
        entered: Arc::new(Notify::new()),
        gate,
    })
    .expect("writer thread");
    committer
        .append(one_event("task-1"), &Metadata::by("t"), Utc::now(), 1)
        .await
        .expect("append");
    committer.settled().await;
    // Position 2 was written by someone else (the head says so) and nothing is being
    // written here: straight to the database.
    assert!(matches!(
        committer.recent(1, 10, 2).now_or_never(),
        Some(None)
    ));
    // What was written here is served from memory.
    let kept = committer.recent(0, 10, 2).now_or_never();
    assert_eq!(kept.map(|k| k.map(|k| k.len())), Some(Some(1)));
}
