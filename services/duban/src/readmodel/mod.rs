//! The read models at run time: an in-memory [`ReadModel`] that queries read, mirrored in
//! the database with its checkpoint so a restart catches up from where it stopped.
//!
//! - [`persist`]: the documents-and-checkpoint store behind a small trait.
//! - [`rebuild`]: rebuilding from zero into a shadow projection, pipelined.
//! - this module: catching up from the global log, waiting for a position (read your
//!   writes).

pub mod persist;
pub mod rebuild;

use std::sync::{Arc, RwLock};

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

/// The live read models.
pub struct ReadModels {
    model: RwLock<ReadModel>,
    store: Arc<dyn EventStore>,
    persist: Arc<dyn ReadModelStore>,
    runner: tokio::sync::Mutex<()>,
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

fn doc_of(model: &ReadModel, key: &Key) -> ServiceResult<Option<Doc>> {
    Ok(model.document(key).map(|value| Doc {
        key: key.stream(),
        position: model.position,
        json: value.to_string(),
    }))
}

fn restore(model: &mut ReadModel, doc: &Doc) -> ServiceResult<()> {
    let Some(key) = Key::of_stream(&doc.key) else {
        return Ok(());
    };
    let value: serde_json::Value = serde_json::from_str(&doc.json)
        .map_err(|e| ServiceError::Internal(format!("read model {}: {e}", doc.key)))?;
    model
        .restore_document(&key, value)
        .map_err(|e| ServiceError::Internal(format!("read model {}: {e}", doc.key)))
}

impl ReadModels {
    /// Loads the persisted read model and catches up with the log.
    pub async fn open(
        store: Arc<dyn EventStore>,
        persist: Arc<dyn ReadModelStore>,
    ) -> ServiceResult<Arc<Self>> {
        let (checkpoint, docs) = persist.load(CORE).await?;
        let mut model = ReadModel::default();
        for doc in &docs {
            restore(&mut model, doc)?;
        }
        model.position = checkpoint;
        let this = Arc::new(Self {
            model: RwLock::new(model),
            store,
            persist,
            runner: tokio::sync::Mutex::new(()),
        });
        this.catch_up().await?;
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

    /// Folds in everything committed since the checkpoint; returns the new position.
    pub async fn catch_up(&self) -> ServiceResult<i64> {
        let _running = self.runner.lock().await;
        loop {
            let records = self.store.read_all(self.position(), BATCH).await?;
            if records.is_empty() {
                return Ok(self.position());
            }
            let envelopes = records
                .iter()
                .map(envelope)
                .collect::<ServiceResult<Vec<_>>>()?;
            let (position, docs) = {
                let mut model = self.model.write().unwrap_or_else(|e| e.into_inner());
                let touched = model.apply_all(&envelopes);
                let docs = touched
                    .iter()
                    .filter_map(|key| doc_of(&model, key).transpose())
                    .collect::<ServiceResult<Vec<_>>>()?;
                (model.position, docs)
            };
            // The memory may run ahead of the database if this fails: a restart folds the
            // same events in again from the checkpoint, and documents only move forward.
            self.persist.save(CORE, &docs, position).await?;
        }
    }

    /// Returns once everything up to `position` is folded in (read your writes).
    pub async fn wait_for(&self, position: i64) -> ServiceResult<()> {
        if self.position() < position {
            self.catch_up().await?;
        }
        Ok(())
    }

    /// Follows the log in the background: catches up on every commit notification, and
    /// at least once a second in case a notification was missed.
    pub fn spawn_follower(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let mut rx = this.store.subscribe();
            loop {
                if let Ok(Err(_closed)) =
                    tokio::time::timeout(std::time::Duration::from_secs(1), rx.changed()).await
                {
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
                if let Err(e) = this.catch_up().await {
                    tracing::error!(error = %e, "read model catch-up failed; will retry");
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        })
    }
}
