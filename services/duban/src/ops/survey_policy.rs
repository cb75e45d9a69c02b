//! The assessment policy at run time: follows the log, feeds the pure
//! [`Policy`](duban_projections::assessment::policy::Policy) and carries out its decisions
//! (raise, note, reopen) as appends caused by the survey event (or by the office's
//! answer to a guarantee item).
//!
//! Decisions whose effect the log already holds (their command id appears later in the
//! log) are dropped while reading, so a replay from zero writes nothing; what remains at
//! the end of the log is written with the decision's command id and an exact expected
//! version, so a second server writing the same decision changes nothing.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use duban_domain::aggregate::Aggregate;
use duban_domain::event::Note;
use duban_domain::rectification::RaiseRectification;
use duban_domain::task::{LifecycleCommand, RectificationSource, Task, TaskCommand};
use duban_domain::{Actor, Event};
use duban_projections::assessment::policy::{Action, At, Decision, Policy, SurveyBook};
use duban_projections::assessment::{Catalogue, assess};
use duban_store::{EventStore, ExpectedVersion, Metadata, StoreError, StreamAppend, StreamBound};

use crate::commands::{decode, encode, metadata};
use crate::error::{ServiceError, ServiceResult};

/// The name the policy's appends are recorded under (role OFFICE).
pub const POLICY_ACTOR: &str = "优质均衡评估";

/// Events read per page.
const PAGE: i64 = 2000;

/// The policy, its position in the log and the decisions not yet seen carried out.
struct Runner {
    policy: Policy,
    position: i64,
    pending: Vec<Decision>,
}

/// The assessment's state in a server: the policy and the survey book queries read.
pub struct Assessments {
    store: Arc<dyn EventStore>,
    clock: crate::clock::Clock,
    catalogue: Arc<Catalogue>,
    runner: tokio::sync::Mutex<Runner>,
    book: RwLock<Arc<SurveyBook>>,
}

#[derive(serde::Deserialize, Default)]
struct Meta {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    command_id: Option<String>,
    #[serde(default)]
    correlation_id: Option<uuid::Uuid>,
}

impl Assessments {
    /// The assessment over a store with a checked catalogue; nothing is read yet.
    pub fn new(
        store: Arc<dyn EventStore>,
        clock: crate::clock::Clock,
        catalogue: Catalogue,
    ) -> Self {
        Self {
            store,
            clock,
            catalogue: Arc::new(catalogue.clone()),
            runner: tokio::sync::Mutex::new(Runner {
                policy: Policy::new(catalogue),
                position: 0,
                pending: Vec::new(),
            }),
            book: RwLock::new(Arc::default()),
        }
    }

    /// The catalogue in force.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The schools and surveys as of the last catch-up.
    pub fn book(&self) -> Arc<SurveyBook> {
        Arc::clone(&self.book.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The assessment of a year from the latest surveys (read after [`Self::catch_up`]).
    pub fn assess(&self, year: i32) -> duban_projections::assessment::Assessment {
        assess(&self.catalogue, year, &self.book().rows(year))
    }

    /// The items the policy raised because of the survey recorded at `position`
    /// (whichever server wrote them).
    pub async fn raised_by(&self, position: i64) -> Vec<duban_domain::ids::TaskId> {
        self.runner.lock().await.policy.raised_by(position).to_vec()
    }

    /// Reads the log to its end, carries out the decisions not yet carried out and
    /// returns the position of the last event this wrote (0 when none).
    pub async fn catch_up(&self) -> ServiceResult<i64> {
        let mut runner = self.runner.lock().await;
        let mut changed = false;
        loop {
            let page = self.store.read_all_lean(runner.position, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for lean in page.iter() {
                runner.position = lean.position;
                let relevant = matches!(
                    lean.event_type,
                    "SchoolRegistered"
                        | "SchoolSurveyed"
                        | "TaskVerified"
                        | "RectificationReopened"
                        | "TaskCancelled"
                        | "RectificationRaised"
                        | "SurveyMeetsStandard"
                        | "GuaranteeItemAnswered"
                );
                if !relevant {
                    continue;
                }
                let meta: Meta = serde_json::from_str(lean.metadata).unwrap_or_default();
                if let Some(command_id) = &meta.command_id {
                    runner.pending.retain(|d| &d.command_id != command_id);
                }
                let event =
                    Event::from_stored_str(lean.event_type, lean.schema_version, lean.payload)
                        .map_err(|e| ServiceError::Internal(e.to_string()))?;
                changed |= matches!(
                    event,
                    Event::SchoolRegistered(_)
                        | Event::SchoolSurveyed(_)
                        | Event::GuaranteeItemAnswered(_)
                );
                let at = At {
                    position: lean.position,
                    stream_id: lean.stream_id,
                    correlation: meta.correlation_id,
                    actor: &meta.actor,
                    recorded_at: lean.recorded_at,
                };
                let decisions = runner.policy.apply(&event, at);
                runner.pending.extend(decisions);
            }
        }
        let flushed = runner.policy.flush();
        runner.pending.extend(flushed);
        if changed {
            *self.book.write().unwrap_or_else(|e| e.into_inner()) =
                Arc::new(runner.policy.book.clone());
        }
        let pending = std::mem::take(&mut runner.pending);
        let mut last = 0;
        let mut causes: HashMap<i64, Option<uuid::Uuid>> = HashMap::new();
        for decision in pending {
            let cause = match causes.get(&decision.cause) {
                Some(id) => *id,
                None => {
                    let id = self
                        .store
                        .read_all(decision.cause - 1, 1)
                        .await?
                        .first()
                        .map(|e| e.event_id);
                    causes.insert(decision.cause, id);
                    id
                }
            };
            if let Some(position) = self.carry_out(&decision, cause).await? {
                last = last.max(position);
            }
        }
        Ok(last)
    }

    /// Writes one decision; returns the position of what it wrote, if anything.
    async fn carry_out(
        &self,
        decision: &Decision,
        cause: Option<uuid::Uuid>,
    ) -> ServiceResult<Option<i64>> {
        let actor = Actor::office(POLICY_ACTOR);
        let stream = decision.task_id.stream();
        let records = self.store.read_stream(&stream, StreamBound::All).await?;
        let events = records
            .iter()
            .map(decode)
            .collect::<ServiceResult<Vec<_>>>()?;
        let state: Option<Task> = duban_domain::aggregate::replay(&events);
        let version = state.as_ref().map_or(0, |t| t.version);
        let now = self.clock.now();
        let decided = match (&decision.action, &state) {
            (Action::Raise(s), None) => Task::decide(
                None,
                &TaskCommand::RaiseRectification(RaiseRectification {
                    id: decision.task_id,
                    source: RectificationSource::SelfInspection,
                    finding: s.finding.clone(),
                    standard: Some(s.standard.clone()),
                    measured: Some(s.measured.clone()),
                    unit: Some(s.unit.clone()),
                    severity: Some(2),
                    plan_id: None,
                    measure: None,
                }),
                &actor,
                now,
            ),
            (Action::Note(note), Some(task)) if task.status.is_open() => {
                Ok(vec![Event::SurveyMeetsStandard(Note {
                    note: note.clone(),
                })])
            }
            (Action::Reopen(reason), Some(task)) => Task::decide(
                Some(task),
                &TaskCommand::Lifecycle(LifecycleCommand::Reopen {
                    reason: reason.clone(),
                }),
                &actor,
                now,
            ),
            // Raised already, or nothing to note on: the decision is moot.
            _ => return Ok(None),
        };
        let events = match decided {
            Ok(events) if !events.is_empty() => events,
            Ok(_) => return Ok(None),
            Err(e) => {
                tracing::info!(task = %decision.task_id, error = %e, "assessment decision not applicable");
                return Ok(None);
            }
        };
        let meta = Metadata {
            causation_id: cause,
            ..metadata(&actor, Some(&decision.command_id))
        };
        let append = StreamAppend::new(
            stream,
            Task::STREAM_TYPE,
            ExpectedVersion::Exact(version),
            events.iter().map(encode).collect(),
        );
        match self.store.append(vec![append], &meta, now).await {
            Ok(appended) => Ok(appended.last_position()),
            // Another server wrote to the item first: it decided the same.
            Err(StoreError::VersionConflict { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Follows the log in the background: catches up on every commit notification and
    /// at least once a second.
    pub fn spawn_follower(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let mut rx = this.store.subscribe();
            loop {
                let second = std::time::Duration::from_secs(1);
                if let Ok(Err(_closed)) = tokio::time::timeout(second, rx.changed()).await {
                    tokio::time::sleep(second).await;
                }
                if let Err(e) = this.catch_up().await {
                    tracing::error!(error = %e, "assessment policy catch-up failed; will retry");
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        })
    }
}
