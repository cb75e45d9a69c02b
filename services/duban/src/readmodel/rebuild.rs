//! Rebuilding the read model from position zero (`duban projections rebuild`).
//!
//! A pipeline, so the database, the decoding and the fold keep both cores busy: a reader
//! task pages through the log in the lean form ([`EventStore::read_all_lean`]: no hashes
//! or ids, payload as text), hands each page to a blocking thread that decodes it
//! straight into typed envelopes ([`lean_envelope`]), and queues the pending page; the
//! rebuild folds the pages in order (on a blocking thread too), while the next ones are
//! read and decoded. The finished model (the shadow) is swapped in together with its
//! documents, put in place in one transaction that writes only those whose stored text
//! differs ([`super::persist::ReadModelStore::replace`], [`super::replace`]).

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use duban_domain::ids::DepartmentId;
use duban_domain::{Event, Role};
use duban_projections::{Envelope, Key, ReadModel};
use duban_store::{EventStore, LeanEvent, LeanPage};

use super::persist::Doc;
use super::replace::Replaced;
use super::{CORE, ReadModels, doc_of};
use crate::error::{ServiceError, ServiceResult};

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rebuilt {
    /// The read models' position afterwards (caught up past the rebuild's end).
    pub position: i64,
    /// How the stored documents were brought in line.
    pub documents: Replaced,
}

/// Events read per page (the bench times the stages with the same size).
pub const PAGE: i64 = 10_000;
/// Pages read ahead of the fold (each being decoded or waiting).
const AHEAD: usize = 3;

/// The part of the stored metadata the reducers use.
#[derive(Deserialize)]
struct Attribution<'a> {
    #[serde(default, borrow)]
    actor: Cow<'a, str>,
    #[serde(default, borrow)]
    role: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    department_id: Option<Cow<'a, str>>,
}

/// Who recorded an event, as the reducers read it from the metadata.
#[derive(Clone)]
struct Who {
    actor: String,
    role: Option<Role>,
    department: Option<DepartmentId>,
}

impl Who {
    /// Parses a lean event's metadata.
    fn of(ev: &LeanEvent<'_>) -> ServiceResult<Self> {
        let who: Attribution<'_> = serde_json::from_str(ev.metadata).map_err(|e| {
            ServiceError::Internal(format!("position {}: bad metadata: {e}", ev.position))
        })?;
        Ok(Self {
            actor: who.actor.into_owned(),
            role: who.role.as_deref().and_then(Role::parse),
            department: who
                .department_id
                .as_deref()
                .and_then(|d| DepartmentId::parse("department", d).ok()),
        })
    }
}

/// Turns a lean stored event into what the reducers read: the same envelope as
/// [`super::envelope`] gives for the full event, with the payload parsed once, straight
/// into the typed event (older schema versions are upcast).
pub fn lean_envelope(ev: LeanEvent<'_>) -> ServiceResult<Envelope> {
    let who = Who::of(&ev)?;
    envelope(ev, who)
}

fn envelope(ev: LeanEvent<'_>, who: Who) -> ServiceResult<Envelope> {
    let event = Event::from_stored_str(ev.event_type, ev.schema_version, ev.payload)
        .map_err(|e| ServiceError::Internal(format!("position {}: {e}", ev.position)))?;
    Ok(Envelope {
        position: ev.position,
        recorded_at: ev.recorded_at,
        actor: who.actor,
        role: who.role,
        department: who.department,
        stream_id: ev.stream_id.to_owned(),
        event,
    })
}

/// Decodes a page of lean events. The events of one append carry the same metadata
/// text (an import appends hundreds at once), so a run of equal metadata is parsed
/// once.
pub fn lean_envelopes(page: LeanPage) -> ServiceResult<Vec<Envelope>> {
    let mut last: Option<(&str, Who)> = None;
    let mut envelopes = Vec::with_capacity(page.len());
    for ev in page.iter() {
        let who = match &last {
            Some((text, who)) if *text == ev.metadata => who.clone(),
            _ => {
                let who = Who::of(&ev)?;
                last = Some((ev.metadata, who.clone()));
                who
            }
        };
        envelopes.push(envelope(ev, who)?);
    }
    Ok(envelopes)
}

/// Every document of a model, serialised straight to text.
pub fn documents(model: &ReadModel) -> ServiceResult<Vec<Doc>> {
    let keys = (model.plans.keys().map(|id| Key::Plan(*id)))
        .chain(model.departments.keys().map(|id| Key::Department(*id)))
        .chain(model.tasks.keys().map(|id| Key::Task(*id)));
    keys.filter_map(|key| doc_of(model, &key).transpose())
        .collect()
}

/// A pending page: decoded on a blocking thread, awaited by the fold in order.
pub(crate) type Pending = JoinHandle<ServiceResult<Vec<Envelope>>>;

/// Aborts the reader task when the rebuild ends early (an error, or its future dropped).
pub(crate) struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Reads the log from the start until a page comes back empty, queueing each page's
/// decoding; stops early when the receiver is gone.
pub(crate) fn spawn_reader(
    store: Arc<dyn EventStore>,
    (page_size, ahead): (i64, usize),
) -> (mpsc::Receiver<ServiceResult<Pending>>, AbortOnDrop) {
    let (tx, rx) = mpsc::channel(ahead);
    let reader = tokio::spawn(async move {
        let mut after = 0;
        loop {
            let page = match store.read_all_lean(after, page_size).await {
                Ok(page) => page,
                Err(e) => {
                    let _ = tx.send(Err(e.into())).await;
                    return;
                }
            };
            let Some(last) = page.last_position() else {
                return;
            };
            after = last;
            let decoding = tokio::task::spawn_blocking(move || lean_envelopes(page));
            if tx.send(Ok(decoding)).await.is_err() {
                return;
            }
        }
    });
    (rx, AbortOnDrop(reader))
}

pub(crate) fn joined(e: tokio::task::JoinError) -> ServiceError {
    ServiceError::Internal(format!("rebuild worker failed: {e}"))
}

impl ReadModels {
    /// Rebuilds from position zero into a shadow copy (in memory) and swaps it in when
    /// complete, with its stored documents replaced atomically (only those whose text
    /// changed are written). Queries keep answering from the old model meanwhile.
    /// `progress(done, total)` is called after each batch.
    pub async fn rebuild(&self, progress: &(dyn Fn(i64, i64) + Sync)) -> ServiceResult<Rebuilt> {
        let started = Instant::now();
        // Left behind by a rebuild of an older version that stopped half-way.
        self.persist.clear(&format!("{CORE}.rebuild")).await?;
        let total = self.store.head().await?;
        let (mut pages, _reader) = spawn_reader(Arc::clone(&self.store), (PAGE, AHEAD));
        let mut model = ReadModel::default();
        let (mut waited, mut folded) = (Duration::ZERO, Duration::ZERO);
        loop {
            let t = Instant::now();
            let Some(pending) = pages.recv().await else {
                break;
            };
            let envelopes = pending?.await.map_err(joined)??;
            let t = {
                waited += t.elapsed();
                Instant::now()
            };
            model = tokio::task::spawn_blocking(move || {
                for envelope in &envelopes {
                    model.apply(envelope);
                }
                model
            })
            .await
            .map_err(joined)?;
            folded += t.elapsed();
            progress(model.position, total.max(model.position));
        }
        let position = model.position;
        let t = Instant::now();
        let (model, docs) = tokio::task::spawn_blocking(move || {
            let docs = documents(&model);
            (model, docs)
        })
        .await
        .map_err(joined)?;
        let docs = docs?;
        let serialised = t.elapsed();
        // The documents replace the projection's in one transaction, under the runner
        // lock together with the model: readers of the database see the old projection or
        // the new one, and the model and its stored form change together. (Written to a
        // separate shadow projection first and renamed, the rename cost as much again.)
        let t = Instant::now();
        // Live subscriptions hear of events through the live model's folds: let it fold
        // what the rebuild read past it first (what it folds again after the swap, they
        // have seen and skip).
        self.wait_for(position).await?;
        let running = self.runner.lock().await;
        let mut saved = self.saver.lock().await;
        let replaced = self.persist.replace(CORE, &docs, position).await?;
        *saved = position;
        {
            let mut live = self.model.write().unwrap_or_else(|e| e.into_inner());
            *live = model;
            // Everything the new model holds is stored; what the old one had not saved
            // yet is gone with it.
            self.dirty().clear();
        }
        drop(saved);
        drop(running);
        let written = t.elapsed();
        tracing::info!(
            position,
            documents = docs.len(),
            written = replaced.written,
            removed = replaced.removed,
            total_s = started.elapsed().as_secs_f64(),
            waiting_for_pages_s = waited.as_secs_f64(),
            folding_s = folded.as_secs_f64(),
            serialising_s = serialised.as_secs_f64(),
            writing_s = written.as_secs_f64(),
            "read model rebuilt"
        );
        let position = self.catch_up().await?;
        // The old model, the pages and the documents are gone.
        crate::memory::release_freed_async().await;
        Ok(Rebuilt {
            position,
            documents: replaced,
        })
    }
}
