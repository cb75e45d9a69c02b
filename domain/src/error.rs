//! The one error type of domain decisions.

use thiserror::Error;

/// Why a command was refused. Each variant maps to one error code of the API.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// The actor's role or department may not do this.
    #[error("forbidden: {reason}")]
    Forbidden {
        /// What rule refused it, for a person to read.
        reason: String,
    },
    /// The aggregate the command names does not exist.
    #[error("{what} {id} does not exist")]
    NotFound {
        /// The kind of thing looked for ("task", "department", "plan").
        what: &'static str,
        /// The id as given.
        id: String,
    },
    /// A field of the command is not acceptable.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The input field, as the API names it.
        field: &'static str,
        /// What is wrong and what is expected.
        reason: String,
    },
    /// The command is not allowed in the aggregate's current state.
    #[error("cannot {action} a task that is {from}")]
    InvalidTransition {
        /// The state the aggregate is in.
        from: String,
        /// The action that was attempted.
        action: &'static str,
    },
    /// The client's expected version is not the aggregate's version.
    #[error("version conflict: expected version {expected}, but it is at version {actual}")]
    VersionConflict {
        /// The version the client expected.
        expected: i64,
        /// The version the aggregate is at.
        actual: i64,
    },
}

impl DomainError {
    /// Shorthand for [`DomainError::Forbidden`].
    pub fn forbidden(reason: impl Into<String>) -> Self {
        Self::Forbidden {
            reason: reason.into(),
        }
    }

    /// Shorthand for [`DomainError::InvalidInput`].
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            reason: reason.into(),
        }
    }
}

/// Checks a client's optimistic-concurrency expectation against the current version.
pub fn check_expected_version(expected: Option<i64>, actual: i64) -> Result<(), DomainError> {
    match expected {
        Some(expected) if expected != actual => {
            Err(DomainError::VersionConflict { expected, actual })
        }
        _ => Ok(()),
    }
}
