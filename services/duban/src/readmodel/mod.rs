//! The read models at run time: an in-memory [`ReadModel`] that queries read, mirrored in
//! the database with its checkpoint so a restart catches up from where it stopped.
//!
//! - [`feed`]: the folded events, broadcast to live subscriptions with their task's
//!   scope right after each.
//! - [`persist`]: the documents-and-checkpoint store behind a small trait.
//! - [`rebuild`]: rebuilding from zero into a new model, pipelined, and putting it in
//!   place (memory and database) in one step.
//! - [`replace`]: bringing a projection's stored documents in line with a rebuilt model,
//!   writing only those that differ.
//! - this module: catching up from the global log, waiting for a position (read your
//!   writes).

pub mod feed;
pub mod persist;
pub mod rebuild;
pub mod replace;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, RwLock};

use duban_domain::Role;
use duban_domain::ids::DepartmentId;
use duban_projections::{Envelope, Key, ReadModel};
use duban_store::{EventStore, RecordedEvent};

use crate::commands::decode;
use crate::error::{ServiceError, ServiceResult};
use persist::{Doc, ReadModelStore};

/// The one projection's name in the database.
pub const CORE: &str = "core";
/// How many events are read per catch-up batch.
const BATCH: i64 = 2000;
/// Events folded between saves while a starting server catches up.
const OPEN_STEP: i64 = 20_000;

/// The live read models.
///
/// Folding and saving are separate steps. A command waits only until the in-memory model
/// has folded its events ([`Self::wait_for`]: read your writes); the documents those
/// events changed are marked dirty and saved with the checkpoint by [`Self::flush`],
/// which the follower runs after every catch-up, so one save covers every command that
/// arrived meanwhile. A crash between fold and save loses nothing: the stored checkpoint
/// is behind, and the next start folds those events again.
pub struct ReadModels {
    model: RwLock<ReadModel>,
    /// Documents changed since the last save. Lock order: `model`, then `dirty`.
    dirty: Mutex<BTreeSet<Key>>,
    store: Arc<dyn EventStore>,
    persist: Arc<dyn ReadModelStore>,
    /// Serialises folding.
    runner: tokio::sync::Mutex<()>,
    /// Serialises saving; holds the checkpoint saved last.
    saver: tokio::sync::Mutex<i64>,
    /// Every folded batch, for live subscriptions.
    feed: tokio::sync::broadcast::Sender<feed::FoldedBatch>,
}

/// Turns a stored event into what the reducers read.
pub fn envelope(rec: &RecordedEvent) -> ServiceResult<Envelope> {
    Ok(Envelope {
        position: rec.position,
        stream_id: rec.stream_id.clone(),
        recorded_at: rec.recorded_at,
        actor: rec.metadata.actor.clone(),
        role: rec.metadata.role.as_deref().and_then(Role::parse),
        department: rec
            .metadata
            .department_id
            .as_deref()
            .and_then(|d| DepartmentId::parse("department", d).ok()),
        event: decode(rec)?,
    })
}

/// The stored document of `key`, if the model holds it ([`ReadModel::document`]: the
/// follower's saves and a rebuild write the same text for the same state).
pub(crate) fn doc_of(model: &ReadModel, key: &Key) -> ServiceResult<Option<Doc>> {
    let Some(json) = model.document(key) else {
        return Ok(None);
    };
    let stream = key.stream();
    let json = json.map_err(|e| ServiceError::Internal(format!("read model {stream}: {e}")))?;
    Ok(Some(Doc {
        key: stream,
        position: model.position,
        json,
    }))
}

fn restore(model: &mut ReadModel, doc: &Doc) -> ServiceResult<()> {
    let Some(key) = Key::of_stream(&doc.key) else {
        return Ok(());
    };
    model
        .restore_document(&key, &doc.json)
        .map_err(|e| ServiceError::Internal(format!("read model {}: {e}", doc.key)))
}

impl ReadModels {
    /// Loads the persisted read model and catches up with the log.
    pub async fn open(
        store: Arc<dyn EventStore>,
        persist: Arc<dyn ReadModelStore>,
    ) -> ServiceResult<Arc<Self>> {
        let mut model = ReadModel::default();
        let checkpoint = persist
            .load(CORE, &mut |doc| restore(&mut model, &doc))
            .await?;
        model.position = checkpoint;
        let this = Arc::new(Self {
            model: RwLock::new(model),
            dirty: Mutex::new(BTreeSet::new()),
            store,
            persist,
            runner: tokio::sync::Mutex::new(()),
            saver: tokio::sync::Mutex::new(checkpoint),
            feed: tokio::sync::broadcast::channel(feed::FEED_CAPACITY).0,
        });
        // Catch up in steps, saving after each, so a long catch-up (a new server over a
        // large log) neither redoes everything after a crash nor serialises every
        // document at once (which held ~50 MiB more at 1M events).
        loop {
            let before = this.position();
            this.fold_to(before + OPEN_STEP).await?;
            this.flush().await?;
            if this.position() < before + OPEN_STEP {
                break;
            }
        }
        // The pages read and decoded on the way are gone.
        crate::memory::release_freed_async().await;
        Ok(this)
    }

    /// Runs a query on a consistent state. Keep `f` short: writers wait for it.
    pub fn read<R>(&self, f: impl FnOnce(&ReadModel) -> R) -> R {
        f(&self.model.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The last position folded in.
    pub fn position(&self) -> i64 {
        self.read(|m| m.position)
    }

    /// Folds in everything committed since the checkpoint and saves what changed;
    /// returns the new position.
    pub async fn catch_up(&self) -> ServiceResult<i64> {
        let position = self.fold().await?;
        self.flush().await?;
        Ok(position)
    }

    /// Folds in everything committed since the last fold, in memory only (the changed
    /// documents are marked for the next [`Self::flush`]); returns the new position.
    pub async fn fold(&self) -> ServiceResult<i64> {
        self.fold_to(i64::MAX).await
    }

    /// Folds until the model reaches `target` or the log ends. Waiters queue on the
    /// runner, and one fold usually covers everyone behind it: they find the work done.
    async fn fold_to(&self, target: i64) -> ServiceResult<i64> {
        let _running = self.runner.lock().await;
        loop {
            if self.position() >= target {
                return Ok(self.position());
            }
            let records = self.store.read_all(self.position(), BATCH).await?;
            if records.is_empty() {
                return Ok(self.position());
            }
            let envelopes = records
                .iter()
                .map(envelope)
                .collect::<ServiceResult<Vec<_>>>()?;
            let mut model = self.model.write().unwrap_or_else(|e| e.into_inner());
            if self.feed.receiver_count() == 0 {
                let touched = model.apply_all(&envelopes);
                self.dirty().extend(touched);
                continue;
            }
            // Someone listens: fold one at a time to note each task's scope right after
            // its event, and hand the batch on once the model holds it.
            let mut folded = Vec::with_capacity(records.len());
            {
                let mut dirty = self.dirty();
                for (record, envelope) in records.into_iter().zip(&envelopes) {
                    dirty.extend(model.apply(envelope));
                    let scope = feed::scope_of(&model, &record);
                    folded.push(feed::FoldedEvent { record, scope });
                }
            }
            drop(model);
            // No receiver left is not an error: nobody needs the batch.
            let _ = self.feed.send(Arc::new(folded));
        }
    }

    /// A receiver of every batch folded from now on, and the position the model had
    /// reached when it was made: batches at or below it were folded before.
    pub fn follow(&self) -> (tokio::sync::broadcast::Receiver<feed::FoldedBatch>, i64) {
        let receiver = self.feed.subscribe();
        (receiver, self.position())
    }

    fn dirty(&self) -> std::sync::MutexGuard<'_, BTreeSet<Key>> {
        self.dirty.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Saves the documents changed since the last save, with the checkpoint they are
    /// consistent with, in one transaction. On failure they stay marked for the next try.
    pub async fn flush(&self) -> ServiceResult<()> {
        let mut saved = self.saver.lock().await;
        let (keys, docs, position) = {
            let model = self.model.read().unwrap_or_else(|e| e.into_inner());
            let keys = std::mem::take(&mut *self.dirty());
            let docs = keys
                .iter()
                .filter_map(|key| doc_of(&model, key).transpose())
                .collect::<ServiceResult<Vec<_>>>()?;
            (keys, docs, model.position)
        };
        if let Err(e) = self.persist.save(CORE, &docs, position).await {
            self.dirty().extend(keys);
            return Err(e);
        }
        *saved = position;
        Ok(())
    }

    /// Returns once everything up to `position` is folded in (read your writes). Saving
    /// is left to the follower.
    pub async fn wait_for(&self, position: i64) -> ServiceResult<()> {
        if self.position() < position {
            self.fold_to(position).await?;
        }
        Ok(())
    }

    /// Follows the log in the background: folds up to the announced head on every commit
    /// notification (and to the end of the log at least once a second in case one was
    /// missed), and saves what changed at most every [`SAVE_INTERVAL`], so saving adds
    /// one transaction per interval, not one per commit.
    pub fn spawn_follower(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let saver = Arc::clone(&this);
            let _saver = AbortOnDrop(tokio::spawn(async move { saver.save_every().await }));
            let mut rx = this.store.subscribe();
            loop {
                let second = std::time::Duration::from_secs(1);
                // Up to the announced head only: a fold to the end of the log would ask
                // the store once more and find nothing, a query per commit when the
                // command that committed has already folded its own events.
                let target = match tokio::time::timeout(second, rx.changed()).await {
                    Ok(Ok(())) => *rx.borrow_and_update(),
                    Ok(Err(_closed)) => {
                        tokio::time::sleep(second).await;
                        i64::MAX
                    }
                    Err(_quiet) => i64::MAX,
                };
                if let Err(e) = this.fold_to(target).await {
                    tracing::error!(error = %e, "read model catch-up failed; will retry");
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        })
    }

    /// Saves the changed documents every [`SAVE_INTERVAL`] while there are any.
    async fn save_every(&self) {
        loop {
            tokio::time::sleep(SAVE_INTERVAL).await;
            let unsaved = self.position() > *self.saver.lock().await;
            if !unsaved && self.dirty().is_empty() {
                continue;
            }
            if let Err(e) = self.flush().await {
                tracing::error!(error = %e, "saving the read model failed; will retry");
            }
        }
    }
}

/// How often the follower saves changed documents with the checkpoint. A task reported
/// on several times a second is written once per interval; a crash costs at most one
/// interval of events folded again at the next start.
pub const SAVE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// Stops a background task when dropped (the saver goes with its follower).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
