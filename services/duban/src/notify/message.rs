//! What an endpoint is sent for one event of the log, if anything: the event must pass
//! the endpoint's filter, be a task's event, and — for a department's endpoint — be of
//! a task where that department is lead or cooperating as the task stands once the
//! event is folded in (the scoping of the `taskEvents` subscription, so the assignment
//! that makes a department lead reaches it). Bulletins (weekly digests, quarterly
//! circulars) are scoped in [`super::bulletin`].

use std::sync::Arc;

use serde_json::Value;

use duban_domain::endpoint::Endpoint;
use duban_domain::ids::{BulletinId, TaskId, split_stream};
use duban_domain::task::Task;
use duban_domain::{Aggregate, Event};
use duban_store::{RecordedEvent, StreamBound};

use super::format::{self, Notice};
use crate::app::App;
use crate::commands::decode;
use crate::error::ServiceResult;

/// One message for one endpoint.
#[derive(Debug, Clone)]
pub struct Message {
    /// The idempotency id (`X-Duban-Delivery`).
    pub id: String,
    /// The title for people.
    pub title: String,
    /// The Markdown for people (what a LOG endpoint writes).
    pub markdown: String,
    /// The body to POST (none for LOG).
    pub body: Option<Value>,
}

impl Message {
    /// The message of `notice` about `event` (recorded as `rec`, with `task` as it
    /// stood after it, if the event is a task's) for `endpoint`.
    pub fn new(
        endpoint: &Endpoint,
        rec: &RecordedEvent,
        event: &Event,
        task: Option<&Task>,
        notice: Notice,
    ) -> Self {
        let id = format::delivery_id(endpoint.id.0, rec.position);
        let body = format::body(endpoint.kind, &id, rec, event, task, &notice);
        Message {
            id,
            title: notice.title,
            markdown: notice.markdown,
            body,
        }
    }
}

/// Tasks as they stood after an event, by task and stream version: the endpoints of a
/// server read the same events, so each past state is folded once.
pub struct TaskStates {
    cache: quick_cache::sync::Cache<(uuid::Uuid, i64), Arc<Task>>,
}

impl TaskStates {
    /// A cache of up to `capacity` states.
    pub fn new(capacity: usize) -> Self {
        TaskStates {
            cache: quick_cache::sync::Cache::new(capacity),
        }
    }

    /// The task `id` as it stood right after `rec`, one of its events.
    ///
    /// Workers read the log in order, so the state just before `rec` is usually cached
    /// already and `rec` is folded onto it; only a task first met (or evicted) is read
    /// from its stream. The endpoints of a server read the same events at about the
    /// same time: the first to miss computes the state, the others wait for it.
    pub async fn at(
        &self,
        app: &App,
        id: TaskId,
        rec: &RecordedEvent,
    ) -> ServiceResult<Option<Arc<Task>>> {
        let version = rec.stream_version;
        let current = app.read.read(|m| {
            m.tasks
                .get(&id)
                .filter(|v| v.task.version == version)
                .map(|v| Arc::new(v.task.clone()))
        });
        if let Some(task) = current {
            // Kept, so the task's next event folds onto it.
            self.cache.insert((id.0, version), Arc::clone(&task));
            return Ok(Some(task));
        }
        let folded = self
            .cache
            .get_or_insert_async(&(id.0, version), async {
                if let Some(before) = self.cache.get(&(id.0, version - 1)) {
                    let event = decode(rec).map_err(Some)?;
                    return Task::evolve(Some((*before).clone()), &event)
                        .map(Arc::new)
                        .ok_or(None);
                }
                let task: Option<Task> = app
                    .commands
                    .load(&id.stream(), StreamBound::Version(version))
                    .await
                    .map_err(Some)?;
                task.map(Arc::new).ok_or(None)
            })
            .await;
        match folded {
            Ok(task) => Ok(Some(task)),
            Err(None) => Ok(None),
            Err(Some(e)) => Err(e),
        }
    }
}

/// The message `endpoint` gets for `rec`, or `None` when the event is not for it.
pub async fn for_endpoint(
    app: &App,
    states: &TaskStates,
    endpoint: &Endpoint,
    rec: &RecordedEvent,
) -> ServiceResult<Option<Message>> {
    if !endpoint.wants(&rec.event_type) {
        return Ok(None);
    }
    let uuid = match split_stream(&rec.stream_id) {
        Some((TaskId::PREFIX, uuid)) => uuid,
        Some((BulletinId::PREFIX, _)) => {
            return super::bulletin::for_endpoint(app, endpoint, rec).await;
        }
        _ => return Ok(None),
    };
    let task = states.at(app, TaskId(uuid), rec).await?;
    if let Some(department) = endpoint.department
        && !task.as_ref().is_some_and(|t| t.involves(department))
    {
        return Ok(None);
    }
    let event = decode(rec)?;
    let task = task.as_deref();
    let notice = app
        .read
        .read(|m| format::notice(&event, task, &|d| m.department_name(d)));
    Ok(Some(Message::new(endpoint, rec, &event, task, notice)))
}
