//! Group commit: concurrent appends of one process share one transaction.
//!
//! Appends are serialised (see the `store` module), so a lone writer pays a whole
//! transaction — lock, stream heads, insert, commit with its WAL flush — per command.
//! Every backend therefore hands its appends to one writer task (on a thread of its own,
//! see [`Committer::start`]). The task takes what is queued, and when more than one
//! append is waiting it writes them in one transaction: one head lock, one stream-head
//! lookup, one multi-row insert, one commit. Each member is still checked on its own, in
//! arrival order: a stale expected version or a stream
//! type mismatch refuses that member only, a command id handled before answers that
//! member with the first append's events, and positions stay contiguous because refused
//! members take none. A second append with a command id already in the group waits for
//! the next group, so it is answered as the duplicate it is. If the group's transaction
//! fails as a whole (a database error), every member is retried on its own, so one
//! member's failure never becomes another's.
//!
//! A lone append is a group of one (the group write takes fewer round trips than the
//! original one-append transaction). An append the fault hook would abort and an
//! append without events take the original path.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};

use crate::append::{Appended, StreamAppend, move_payloads};
use crate::error::StoreError;
use crate::event::{Metadata, RecordedEvent};
use crate::fault::Faults;
use crate::in_flight::Writing;
use crate::recent::Recent;

mod plan;

pub(crate) use plan::{GroupPlan, Member, streams};

/// Most appends written in one group.
const MAX_MEMBERS: usize = 256;
/// Most events written in one group (more waits for the next one).
const MAX_EVENTS: i64 = 5_000;

/// One append waiting for the writer task, and where its answer goes.
struct Pending {
    request: Request,
    reply: oneshot::Sender<Result<Appended, StoreError>>,
}

/// One append as the writer task hands it to a backend.
pub(crate) struct Request {
    /// The streams and events.
    pub batch: Vec<StreamAppend>,
    /// Who, and the command id.
    pub meta: Metadata,
    /// The append's timestamp (already normalised by the backend).
    pub recorded_at: DateTime<Utc>,
    /// Number of events in `batch`.
    pub total: i64,
}

/// What a backend does with the appends the writer task takes.
#[async_trait]
pub(crate) trait GroupWriter: Send + Sync + 'static {
    /// The store's fault hook (tests only).
    fn faults(&self) -> &Faults;
    /// True when this append must run on its own: the fault hook would abort it.
    fn solo_only(&self, request: &Request) -> bool {
        self.faults().should_abort(&request.batch)
    }
    /// One append in its own transaction (the original path).
    async fn solo(&self, request: Request) -> Result<Appended, StoreError>;
    /// Several appends in one transaction: one answer per member, in order, or an error
    /// when the transaction as a whole failed (then nothing was written).
    async fn group(&self, members: &[&Request]) -> Result<Vec<Member>, StoreError>;
}

/// The writer task's mailbox; dropping it (with the store) stops the task.
#[derive(Debug)]
pub(crate) struct Committer {
    tx: mpsc::UnboundedSender<Pending>,
    recent: Arc<Recent>,
    writing: Arc<Writing>,
}

impl Committer {
    /// Starts the writer task on a thread of its own, with the writer `make` builds
    /// there (so the connections it opens belong to that thread's runtime).
    ///
    /// Every command waits for the writer's round trips, one after another, so they must
    /// not queue behind the request handlers on the application's runtime: there a
    /// worker busy with handlers looks at its sockets only every few dozen tasks, and a
    /// woken writer waits its turn. On its own thread the writer is woken by its own
    /// sockets, and the operating system favours it since it mostly sleeps (on the shared
    /// runtime its rounds under many HTTP clients took several times longer). When the
    /// committer is dropped, its queue closes and the thread ends.
    pub(crate) fn start<W, F>(make: F) -> Result<Self, StoreError>
    where
        W: GroupWriter,
        F: FnOnce() -> W + Send + 'static,
    {
        let (tx, rx) = mpsc::unbounded_channel();
        let recent = Arc::new(Recent::default());
        let writing = Arc::new(Writing::new());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(sqlx::Error::Io)?;
        let (kept, busy) = (Arc::clone(&recent), Arc::clone(&writing));
        std::thread::Builder::new()
            .name("duban-writer".into())
            .spawn(move || runtime.block_on(async move { run(make(), rx, kept, busy).await }))
            .map_err(sqlx::Error::Io)?;
        Ok(Self {
            tx,
            recent,
            writing,
        })
    }

    /// Events this process committed, from `after + 1` on, when it still holds that
    /// position (see [`Recent`]); `None` means: ask the database.
    ///
    /// `head` is the log head the caller has been told of. A position up to it but past
    /// the newest kept, while this process is writing, is most likely its own write: the
    /// commit notification (PostgreSQL's NOTIFY, heard on another connection) can wake
    /// a reader before the writer task has the database's answer. Such a read waits for
    /// the write in flight (well under a millisecond) and looks again, instead of
    /// querying the database for what is about to be here (under many HTTP clients a large
    /// share of the commits made that query). Positions past `head` never wait:
    /// a reader following the log to its end would otherwise chase the writer for as
    /// long as commands keep coming.
    pub(crate) async fn recent(
        &self,
        after: i64,
        limit: i64,
        head: i64,
    ) -> Option<Vec<RecordedEvent>> {
        if let Some(events) = self.recent.after(after, limit) {
            return Some(events);
        }
        if after >= head || !self.recent.is_ahead(after) {
            return None;
        }
        self.writing.settle().await;
        self.recent.after(after, limit)
    }

    /// Waits until no round of writes is in flight (the writer thread ends a round a
    /// moment after sending its answers).
    #[cfg(test)]
    pub(crate) async fn settled(&self) {
        self.writing.settle().await;
    }

    /// Queues an append and waits for its answer.
    pub(crate) async fn append(
        &self,
        batch: Vec<StreamAppend>,
        meta: &Metadata,
        recorded_at: DateTime<Utc>,
        total: i64,
    ) -> Result<Appended, StoreError> {
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            request: Request {
                batch,
                meta: meta.clone(),
                recorded_at,
                total,
            },
            reply,
        };
        self.tx
            .send(pending)
            .map_err(|_| StoreError::InvalidAppend("the store is closed".into()))?;
        answer
            .await
            .map_err(|_| StoreError::InvalidAppend("the store closed during the append".into()))?
    }
}

async fn run(
    writer: impl GroupWriter,
    mut rx: mpsc::UnboundedReceiver<Pending>,
    recent: Arc<Recent>,
    writing: Arc<Writing>,
) {
    let mut waiting: VecDeque<Pending> = VecDeque::new();
    loop {
        if waiting.is_empty() {
            match rx.recv().await {
                Some(p) => waiting.push_back(p),
                None => return,
            }
        }
        while let Ok(p) = rx.try_recv() {
            waiting.push_back(p);
        }
        let (grouped, solo) = take_group(&writer, &mut waiting);
        let round = writing.begin();
        if !grouped.is_empty() {
            write_group(&writer, &recent, grouped).await;
        }
        for p in solo {
            answer_solo(&writer, &recent, p).await;
        }
        drop(round);
    }
}

/// Takes the next group off the queue (and the appends that must run alone); leaves
/// repeated command ids and the overflow for the next round.
fn take_group(
    writer: &impl GroupWriter,
    waiting: &mut VecDeque<Pending>,
) -> (Vec<Pending>, Vec<Pending>) {
    let mut grouped = Vec::new();
    let mut solo = Vec::new();
    let mut later = VecDeque::new();
    let mut ids = HashSet::new();
    let mut events = 0;
    while let Some(p) = waiting.pop_front() {
        let r = &p.request;
        if r.total == 0 || writer.solo_only(r) {
            solo.push(p);
            continue;
        }
        let full = grouped.len() >= MAX_MEMBERS || (events > 0 && events + r.total > MAX_EVENTS);
        let repeated = r
            .meta
            .command_id
            .as_ref()
            .is_some_and(|id| ids.contains(id));
        if full || repeated {
            later.push_back(p);
            continue;
        }
        if let Some(id) = &r.meta.command_id {
            ids.insert(id.clone());
        }
        events += r.total;
        grouped.push(p);
    }
    *waiting = later;
    (grouped, solo)
}

/// Appends the recent memory let go of; dropped only after the answers went out.
type Evicted = Vec<Arc<[RecordedEvent]>>;

/// Sends an answer, first remembering what it committed (what that pushes out of the
/// recent memory goes to `evicted`).
fn reply(
    recent: &Recent,
    to: oneshot::Sender<Result<Appended, StoreError>>,
    answer: Result<Appended, StoreError>,
    evicted: &mut Evicted,
) {
    if let Ok(appended) = &answer
        && !appended.duplicate
    {
        evicted.extend(recent.push(&appended.events));
    }
    let _ = to.send(answer);
}

async fn answer_solo(writer: &impl GroupWriter, recent: &Recent, p: Pending) {
    let answer = writer.solo(p.request).await;
    let mut evicted = Evicted::new();
    reply(recent, p.reply, answer, &mut evicted);
    // Freed after the answer, while its caller goes on.
    drop(evicted);
}

async fn write_group(writer: &impl GroupWriter, recent: &Recent, members: Vec<Pending>) {
    let refs: Vec<&Request> = members.iter().map(|p| &p.request).collect();
    match writer.group(&refs).await {
        Ok(answers) => {
            let mut evicted = Evicted::new();
            for (p, mut member) in members.into_iter().zip(answers) {
                if let Member::Written(events) = &mut member {
                    move_payloads(events, p.request.batch);
                }
                reply(recent, p.reply, member.into_answer(), &mut evicted);
            }
            // Freed after every answer went out, while the callers go on.
            drop(evicted);
        }
        Err(error) => {
            tracing::warn!(%error, members = members.len(), "group append failed; retrying each alone");
            for p in members {
                answer_solo(writer, recent, p).await;
            }
        }
    }
}
