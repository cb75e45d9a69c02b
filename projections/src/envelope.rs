//! What the service layer feeds the reducers: one stored event with its metadata, and
//! the read-model document ([`Key`]) that a stream's events change.

use chrono::{DateTime, Utc};
use duban_domain::Event;
use duban_domain::Role;
use duban_domain::ids::{DepartmentId, PlanId, TaskId, split_stream};
use serde::{Deserialize, Serialize};

/// One stored event as read from the global log, in global position order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// Position in the global log; strictly increasing, gaps allowed.
    pub position: i64,
    /// The stream, `<type>-<uuid>`: tells which aggregate the event belongs to.
    pub stream_id: String,
    /// When the store took the event; every time rule of the read models uses it.
    pub recorded_at: DateTime<Utc>,
    /// Who caused it (`system` for the clock).
    pub actor: String,
    /// The actor's role, when recorded.
    pub role: Option<Role>,
    /// The actor's department, for a DEPARTMENT actor.
    pub department: Option<DepartmentId>,
    /// The event itself.
    pub event: Event,
}

/// One document of the read model: the state of one aggregate. The service persists
/// the documents an envelope batch changed, together with the checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Key {
    /// A plan document.
    Plan(PlanId),
    /// A department document.
    Department(DepartmentId),
    /// A task document ([`crate::TaskView`]).
    Task(TaskId),
}

impl Key {
    /// The document a stream's events change; `None` for a stream type the read model
    /// does not keep or a malformed name.
    pub fn of_stream(stream_id: &str) -> Option<Key> {
        let (prefix, uuid) = split_stream(stream_id)?;
        match prefix {
            PlanId::PREFIX => Some(Key::Plan(PlanId(uuid))),
            DepartmentId::PREFIX => Some(Key::Department(DepartmentId(uuid))),
            TaskId::PREFIX => Some(Key::Task(TaskId(uuid))),
            _ => None,
        }
    }

    /// The stream name, `<type>-<uuid>`: a natural primary key for the stored document.
    pub fn stream(&self) -> String {
        match self {
            Key::Plan(id) => id.stream(),
            Key::Department(id) => id.stream(),
            Key::Task(id) => id.stream(),
        }
    }
}
