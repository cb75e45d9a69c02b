//! The service boundary's error: a domain refusal, or something internal.
//!
//! Every error maps to one of the contract's codes; internal causes are logged where
//! they are turned into `INTERNAL` and never shown to clients.

use duban_domain::DomainError;
use duban_store::StoreError;

/// Why a service call failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The domain refused the command.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The caller is not authenticated.
    #[error("{0}")]
    Unauthenticated(String),
    /// The event store failed.
    #[error("event store: {0}")]
    Store(#[from] StoreError),
    /// A database query outside the event store failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Anything else that is our fault.
    #[error("internal: {0}")]
    Internal(String),
}

impl ServiceError {
    /// The contract's error code.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Domain(DomainError::Forbidden { .. }) => "FORBIDDEN",
            ServiceError::Domain(DomainError::NotFound { .. }) => "NOT_FOUND",
            ServiceError::Domain(DomainError::InvalidInput { .. }) => "BAD_USER_INPUT",
            ServiceError::Domain(DomainError::InvalidTransition { .. }) => "INVALID_TRANSITION",
            ServiceError::Domain(DomainError::VersionConflict { .. }) => "VERSION_CONFLICT",
            ServiceError::Store(StoreError::VersionConflict { .. }) => "VERSION_CONFLICT",
            ServiceError::Store(StoreError::NotEmpty { .. } | StoreError::ImportRefused { .. }) => {
                "BAD_USER_INPUT"
            }
            ServiceError::Unauthenticated(_) => "UNAUTHENTICATED",
            ServiceError::Store(_) | ServiceError::Database(_) | ServiceError::Internal(_) => {
                "INTERNAL"
            }
        }
    }

    /// Whether the cause is ours (and must be logged, not shown).
    pub fn is_internal(&self) -> bool {
        self.code() == "INTERNAL"
    }

    /// Shorthand for a not-found error.
    pub fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Self::Domain(DomainError::NotFound {
            what,
            id: id.into(),
        })
    }

    /// Shorthand for an invalid-input error.
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Domain(DomainError::invalid(field, reason))
    }
}

/// Result of a service call.
pub type ServiceResult<T> = Result<T, ServiceError>;
