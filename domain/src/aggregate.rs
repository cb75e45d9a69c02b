//! The shape every aggregate shares: pure `decide` and `evolve` (cqrs-es style).

use chrono::{DateTime, Utc};

use crate::actor::Actor;
use crate::error::DomainError;
use crate::event::Event;

/// An event-sourced aggregate. `None` is the state of a stream with no events yet.
pub trait Aggregate: Sized + Clone {
    /// The commands it decides on.
    type Command;

    /// The stream-type name (`plan`, `department`, `task`).
    const STREAM_TYPE: &'static str;

    /// What should happen, as events, or why not. A function of state, command, actor
    /// and time only.
    fn decide(
        state: Option<&Self>,
        command: &Self::Command,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError>;

    /// The state after one event. Events that do not concern the aggregate are ignored.
    fn evolve(state: Option<Self>, event: &Event) -> Option<Self>;

    /// The number of events folded into this state (the stream version).
    fn version(&self) -> i64;
}

/// Folds a sequence of events into a state.
pub fn replay<'a, A: Aggregate>(events: impl IntoIterator<Item = &'a Event>) -> Option<A> {
    events.into_iter().fold(None, A::evolve)
}

/// The stream version of a possibly absent state.
pub fn version_of<A: Aggregate>(state: Option<&A>) -> i64 {
    state.map_or(0, A::version)
}
