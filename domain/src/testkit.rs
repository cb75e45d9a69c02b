//! Given/when/then for aggregates (after cqrs-es's test framework).
//!
//! ```
//! # use duban_domain::{testkit::Given, plan::*, Actor, Event};
//! # use chrono::{NaiveDate, Utc};
//! let id = duban_domain::ids::PlanId::new();
//! let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
//! Given::<Plan>::no_events()
//!     .when(
//!         PlanCommand::Draft { id, title: "规划".into(), region: "鲤城区".into(), issuer: None,
//!             period_start: day, period_end: day, phases: vec![] },
//!         &Actor::auditor("a"),
//!         Utc::now(),
//!     )
//!     .then_forbidden();
//! ```

use chrono::{DateTime, Utc};

use crate::actor::Actor;
use crate::aggregate::{Aggregate, replay};
use crate::error::DomainError;
use crate::event::Event;

/// The events already in the stream.
pub struct Given<A: Aggregate> {
    state: Option<A>,
}

/// The outcome of a command, ready to be checked.
pub struct Then<A: Aggregate> {
    state: Option<A>,
    result: Result<Vec<Event>, DomainError>,
}

impl<A: Aggregate> Given<A> {
    /// An empty stream.
    pub fn no_events() -> Self {
        Self { state: None }
    }

    /// A stream holding these events.
    pub fn events(events: &[Event]) -> Self {
        Self {
            state: replay(events),
        }
    }

    /// Decides `command`.
    pub fn when(self, command: A::Command, actor: &Actor, now: DateTime<Utc>) -> Then<A> {
        let result = A::decide(self.state.as_ref(), &command, actor, now);
        Then {
            state: self.state,
            result,
        }
    }
}

impl<A: Aggregate + std::fmt::Debug> Then<A> {
    /// Asserts exactly these events; returns the state after them.
    #[track_caller]
    pub fn then_events(self, expected: &[Event]) -> Option<A> {
        let events = self.result.expect("the command should have been accepted");
        assert_eq!(events, expected);
        events.iter().fold(self.state, A::evolve)
    }

    /// Asserts acceptance; returns the produced events and the state after them.
    #[track_caller]
    pub fn then_ok(self) -> (Vec<Event>, Option<A>) {
        let events = self.result.expect("the command should have been accepted");
        let state = events.iter().fold(self.state, A::evolve);
        (events, state)
    }

    /// Asserts this exact error.
    #[track_caller]
    pub fn then_error(self, expected: DomainError) {
        assert_eq!(
            self.result
                .expect_err("the command should have been refused"),
            expected
        );
    }

    /// Asserts a [`DomainError::Forbidden`].
    #[track_caller]
    pub fn then_forbidden(self) {
        let err = self
            .result
            .expect_err("the command should have been refused");
        assert!(matches!(err, DomainError::Forbidden { .. }), "got {err:?}");
    }

    /// Asserts a [`DomainError::InvalidInput`] on `field`.
    #[track_caller]
    pub fn then_invalid(self, field: &str) {
        let err = self
            .result
            .expect_err("the command should have been refused");
        assert!(
            matches!(&err, DomainError::InvalidInput { field: f, .. } if *f == field),
            "expected invalid {field}, got {err:?}"
        );
    }

    /// Asserts a [`DomainError::InvalidTransition`] from `status`.
    #[track_caller]
    pub fn then_invalid_transition(self, status: &str) {
        let err = self
            .result
            .expect_err("the command should have been refused");
        assert!(
            matches!(&err, DomainError::InvalidTransition { from, .. } if from == status),
            "expected invalid transition from {status}, got {err:?}"
        );
    }
}
