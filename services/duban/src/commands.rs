//! The command path: load a stream, decide, append with the expected version.
//!
//! When the client names no expected version, a conflict (another writer got there
//! first) is retried on fresh state a few times. A command id that was already handled
//! returns the first answer and writes nothing: the store checks it atomically with the
//! append, and we also look it up before deciding, because deciding again on the state
//! the first run produced could refuse what was already accepted.

use chrono::{DateTime, Utc};
use std::sync::Arc;

use duban_domain::aggregate::{Aggregate, replay, version_of};
use duban_domain::error::check_expected_version;
use duban_domain::{Actor, DomainError, Event, Role};
use duban_store::{
    EventStore, ExpectedVersion, MAX_COMMAND_ID_BYTES, Metadata, NewEvent, RecordedEvent,
    StoreError, StreamAppend, StreamBound,
};

use crate::clock::Clock;
use crate::error::{ServiceError, ServiceResult};
use crate::snapshots::Snapshots;

/// How many times a conflict is retried when the client gave no expected version. Appends
/// are serialised, so with ten writers on a dozen streams (across servers) a command can
/// lose several times in a row; five attempts were not enough.
const RETRIES: usize = 20;

/// Per-command options from the client.
#[derive(Debug, Clone, Default)]
pub struct CommandOptions {
    /// Optimistic concurrency: the version the client saw.
    pub expected_version: Option<i64>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// What a command did.
#[derive(Debug, Clone)]
pub struct Executed<A> {
    /// The aggregate after the command.
    pub state: Option<A>,
    /// The events recorded (the first run's, for a repeated command id), as the store
    /// answered them (shared, not copied).
    pub events: Arc<[RecordedEvent]>,
    /// True when the command id had been handled before.
    pub duplicate: bool,
}

impl<A> Executed<A> {
    /// The global position of the last event recorded, if any.
    pub fn last_position(&self) -> Option<i64> {
        self.events.last().map(|e| e.position)
    }
}

/// Reads a stored event into a domain event, upcasting older versions.
pub fn decode(rec: &RecordedEvent) -> ServiceResult<Event> {
    Event::from_stored(&rec.event_type, rec.schema_version, &rec.payload)
        .map_err(|e| ServiceError::Internal(format!("position {}: {e}", rec.position)))
}

/// Writes a domain event as a store event.
pub fn encode(event: &Event) -> NewEvent {
    NewEvent {
        event_type: event.event_type().to_string(),
        schema_version: event.schema_version(),
        payload: event.payload(),
    }
}

/// The metadata every event of a command carries.
pub fn metadata(actor: &Actor, command_id: Option<&str>) -> Metadata {
    Metadata {
        actor: actor.name.clone(),
        role: (actor.role != Role::System).then(|| actor.role.as_str().to_string()),
        department_id: actor.department.map(|d| d.to_string()),
        command_id: command_id.map(str::to_string),
        correlation_id: Some(uuid::Uuid::now_v7()),
        causation_id: None,
    }
}

/// Refuses a command id that is empty, too long, or holds NUL (which PostgreSQL text
/// cannot hold), the same on every backend.
pub fn check_command_id(command_id: &str) -> ServiceResult<()> {
    let problem = if command_id.is_empty() {
        "must not be empty".to_string()
    } else if command_id.len() > MAX_COMMAND_ID_BYTES {
        format!(
            "at most {MAX_COMMAND_ID_BYTES} bytes (got {})",
            command_id.len()
        )
    } else if command_id.contains('\0') {
        "must not contain the NUL character".to_string()
    } else {
        return Ok(());
    };
    Err(ServiceError::invalid("commandId", problem))
}

/// Refuses to replay a command id for a sender of another role or department: the first
/// answer belongs to whoever sent the command (an auditor or another department must not
/// obtain it, nor a success, by repeating someone else's command id).
fn check_sender(events: &[RecordedEvent], actor: &Actor) -> ServiceResult<()> {
    let sender = metadata(actor, None);
    match events.first() {
        Some(first)
            if first.metadata.role != sender.role
                || first.metadata.department_id != sender.department_id =>
        {
            Err(duban_domain::DomainError::forbidden(
                "this commandId was already used by another role or department; send a new one",
            )
            .into())
        }
        _ => Ok(()),
    }
}

/// Runs commands against the event store.
#[derive(Clone)]
pub struct CommandService {
    store: Arc<dyn EventStore>,
    clock: Clock,
    snapshots: Arc<Snapshots>,
}

impl CommandService {
    /// A command service over `store`, reading time from `clock`.
    pub fn new(store: Arc<dyn EventStore>, clock: Clock) -> Self {
        Self {
            store,
            clock,
            snapshots: Arc::default(),
        }
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    /// Loads an aggregate from its stream, optionally only up to a bound.
    pub async fn load<A: Aggregate>(
        &self,
        stream_id: &str,
        up_to: StreamBound,
    ) -> ServiceResult<Option<A>> {
        let records = self.store.read_stream(stream_id, up_to).await?;
        let events = records
            .iter()
            .map(decode)
            .collect::<ServiceResult<Vec<_>>>()?;
        Ok(replay(&events))
    }

    /// Decides `command` on the stream's current state and appends the result.
    ///
    /// The state comes from this process's snapshot of the stream when it has one (see
    /// [`crate::snapshots`]), else from the store; the append expects that state's
    /// version, so a stale snapshot costs a retry, never a wrong write.
    pub async fn execute<A>(
        &self,
        stream_id: &str,
        actor: &Actor,
        options: &CommandOptions,
        command: A::Command,
    ) -> ServiceResult<Executed<A>>
    where
        A: Aggregate + Send + Sync + 'static,
        A::Command: Send + Sync,
    {
        if let Some(first) = self.already_handled::<A>(stream_id, actor, options).await? {
            return Ok(first);
        }
        let mut attempt = 0;
        let mut snapshot = self.snapshots.get::<A>(stream_id);
        loop {
            attempt += 1;
            let cached = snapshot.is_some();
            let state: Option<A> = match snapshot.take() {
                Some(state) => Some(state),
                None => self.load(stream_id, StreamBound::All).await?,
            };
            let version = version_of(state.as_ref());
            let now = self.clock.now();
            // Who may act is decided before the version is compared: a sender who may
            // not touch this stream learns nothing of it, its version included.
            let decided = match A::decide(state.as_ref(), &command, actor, now) {
                Err(forbidden @ DomainError::Forbidden { .. }) => Err(forbidden),
                decided => check_expected_version(options.expected_version, version).and(decided),
            };
            let events = match decided {
                // A refusal or a no-op on a snapshot is only believed on stored state.
                Ok(events) if cached && events.is_empty() => continue,
                Err(_) if cached => continue,
                Ok(events) => events,
                // The same command id may have won while this one loaded: its answer.
                Err(e @ DomainError::VersionConflict { .. }) => {
                    return match self.already_handled::<A>(stream_id, actor, options).await? {
                        Some(first) => Ok(first),
                        None => Err(e.into()),
                    };
                }
                Err(e) => return Err(e.into()),
            };
            if events.is_empty() {
                return Ok(Executed {
                    state,
                    events: Arc::from([]),
                    duplicate: false,
                });
            }
            let batch = vec![StreamAppend {
                stream_id: stream_id.to_string(),
                stream_type: A::STREAM_TYPE.to_string(),
                expected: ExpectedVersion::Exact(version),
                events: events.iter().map(encode).collect(),
            }];
            let meta = metadata(actor, options.command_id.as_deref());
            let appended = self.store.append(batch, &meta, now).await;
            // Another request with the same command id may have won the race: the answer
            // is then its answer, whatever our expected version was.
            if let Err(StoreError::VersionConflict { .. }) = &appended
                && let Some(first) = self.already_handled::<A>(stream_id, actor, options).await?
            {
                return Ok(first);
            }
            match appended {
                // The same command id was recorded between our check and our append.
                Ok(appended) if appended.duplicate => {
                    self.snapshots.forget(stream_id);
                    return self
                        .answer_again(stream_id, actor, appended.events.to_vec())
                        .await;
                }
                Ok(appended) => {
                    let state = events.iter().fold(state, A::evolve);
                    if let Some(s) = &state {
                        self.snapshots.put(stream_id, s.clone());
                    }
                    return Ok(Executed {
                        state,
                        events: appended.events,
                        duplicate: false,
                    });
                }
                // A stale snapshot: decide again on the stored state, at once.
                Err(StoreError::VersionConflict { .. }) if cached => {
                    self.snapshots.forget(stream_id);
                }
                Err(StoreError::VersionConflict { .. })
                    if options.expected_version.is_none() && attempt < RETRIES =>
                {
                    tracing::debug!(stream_id, attempt, "conflict; retrying on fresh state");
                    // A short random pause, so the writers that collided do not collide again.
                    let pause = rand::random_range(0..=2 * attempt as u64);
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                }
                Err(StoreError::VersionConflict { actual, .. }) => {
                    return Err(duban_domain::DomainError::VersionConflict {
                        expected: options.expected_version.unwrap_or(version),
                        actual,
                    }
                    .into());
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Appends events to several streams atomically (plan import, demo set-up).
    pub async fn append_batch(
        &self,
        batch: Vec<StreamAppend>,
        actor: &Actor,
        command_id: Option<&str>,
        at: DateTime<Utc>,
    ) -> ServiceResult<(Arc<[RecordedEvent]>, bool)> {
        if let Some(id) = command_id {
            check_command_id(id)?;
        }
        let meta = metadata(actor, command_id);
        let appended = self.store.append(batch, &meta, at).await?;
        Ok((appended.events, appended.duplicate))
    }

    /// The events `command_id` recorded the first time it was handled, when it was and
    /// `actor` may have that answer (FORBIDDEN for another role or department): the one
    /// place a repeated command is recognised. Every command path asks it before
    /// deciding, and again when its append finds the id taken meanwhile.
    pub async fn first_answer(
        &self,
        actor: &Actor,
        command_id: Option<&str>,
    ) -> ServiceResult<Option<Vec<RecordedEvent>>> {
        let Some(command_id) = command_id else {
            return Ok(None);
        };
        check_command_id(command_id)?;
        let Some(events) = self.store.find_command(command_id).await? else {
            return Ok(None);
        };
        check_sender(&events, actor)?;
        Ok(Some(events))
    }

    /// The first answer to the command id of `options`, when it was handled before.
    async fn already_handled<A: Aggregate>(
        &self,
        stream_id: &str,
        actor: &Actor,
        options: &CommandOptions,
    ) -> ServiceResult<Option<Executed<A>>> {
        match self
            .first_answer(actor, options.command_id.as_deref())
            .await?
        {
            Some(events) => Ok(Some(self.answer_again(stream_id, actor, events).await?)),
            None => Ok(None),
        }
    }

    /// A command's first answer (`events`), given again to a repeat on `stream_id`.
    async fn answer_again<A: Aggregate>(
        &self,
        stream_id: &str,
        actor: &Actor,
        events: Vec<RecordedEvent>,
    ) -> ServiceResult<Executed<A>> {
        check_sender(&events, actor)?;
        if events.iter().any(|e| e.stream_id != stream_id) {
            return Err(ServiceError::invalid(
                "commandId",
                "this commandId was already used for a command on another task",
            ));
        }
        let state = self.load(stream_id, StreamBound::All).await?;
        Ok(Executed {
            state,
            events: events.into(),
            duplicate: true,
        })
    }
}
