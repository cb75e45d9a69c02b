//! What the policy decides and from what: the actions, the decisions with their ids,
//! where an event sits in the log, and what a decision follows from.

use chrono::{DateTime, Utc};
use duban_domain::ids::TaskId;
use uuid::Uuid;

use crate::assessment::Shortfall;

/// What the policy asks the command side to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Raise a new item.
    Raise(Shortfall),
    /// Add a note to the open item.
    Note(String),
    /// Reopen the closed item, the note being the reason.
    Reopen(String),
}

/// One decision, with what identifies it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The item (derived from its key).
    pub task_id: TaskId,
    /// What to do.
    pub action: Action,
    /// The log position of the survey that caused it.
    pub cause: i64,
    /// The idempotency key of the command.
    pub command_id: String,
}

/// Where an event sits in the log, as far as the policy needs it.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// Global position.
    pub position: i64,
    /// The event's stream.
    pub stream_id: &'a str,
    /// The correlation id of the append that recorded it.
    pub correlation: Option<Uuid>,
    /// Who recorded it (the metadata's actor).
    pub actor: &'a str,
    /// When the store took it.
    pub recorded_at: DateTime<Utc>,
}

/// What a decision follows from, as its notes name it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Source {
    /// The survey of a school year.
    Survey(i32),
    /// The office's answer to a guarantee item for a school year.
    Answer(i32),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Survey(year) => write!(f, "survey of {year}"),
            Source::Answer(year) => write!(f, "answer for {year}"),
        }
    }
}
