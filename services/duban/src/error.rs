//! The service boundary's error: a domain refusal, or something internal.
//!
//! Every error maps to one of the contract's codes ([`ErrorCode`], the one list every
//! boundary answers with: GraphQL, the HTTP exports, the WebSocket and the CLI);
//! internal causes are logged where they are turned into `INTERNAL` and never shown to
//! clients.

use duban_domain::DomainError;
use duban_store::StoreError;

/// The contract's error codes (`extensions.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// No valid bearer token.
    Unauthenticated,
    /// The viewer's role or department may not do or see this.
    Forbidden,
    /// No such plan, task, department or endpoint.
    NotFound,
    /// The request itself is wrong: a field, a document, a file.
    BadUserInput,
    /// The task's state does not allow the command.
    InvalidTransition,
    /// `expectedVersion` is not the current version.
    VersionConflict,
    /// Our fault; the cause is logged, not shown.
    Internal,
}

impl ErrorCode {
    /// The code as clients read it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::InvalidTransition => "INVALID_TRANSITION",
            ErrorCode::VersionConflict => "VERSION_CONFLICT",
            ErrorCode::Internal => "INTERNAL",
        }
    }

    /// The HTTP status of a refusal with this code outside GraphQL (the exports);
    /// GraphQL over HTTP answers 200 with the code in the body, as its spec says.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::InvalidTransition | ErrorCode::VersionConflict => 409,
            ErrorCode::BadUserInput => 400,
            ErrorCode::Internal => 500,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

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
    pub fn code(&self) -> ErrorCode {
        match self {
            ServiceError::Domain(DomainError::Forbidden { .. }) => ErrorCode::Forbidden,
            ServiceError::Domain(DomainError::NotFound { .. }) => ErrorCode::NotFound,
            ServiceError::Domain(DomainError::InvalidInput { .. }) => ErrorCode::BadUserInput,
            ServiceError::Domain(DomainError::InvalidTransition { .. }) => {
                ErrorCode::InvalidTransition
            }
            ServiceError::Domain(DomainError::VersionConflict { .. })
            | ServiceError::Store(StoreError::VersionConflict { .. }) => ErrorCode::VersionConflict,
            ServiceError::Store(StoreError::NotEmpty { .. } | StoreError::ImportRefused { .. }) => {
                ErrorCode::BadUserInput
            }
            ServiceError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            ServiceError::Store(_) | ServiceError::Database(_) | ServiceError::Internal(_) => {
                ErrorCode::Internal
            }
        }
    }

    /// Whether the cause is ours (and must be logged, not shown).
    pub fn is_internal(&self) -> bool {
        self.code() == ErrorCode::Internal
    }

    /// What a client may read: the message, or for an internal error a sentence that
    /// says the cause was logged (the cause itself is for the operators).
    pub fn public_message(&self) -> String {
        if self.is_internal() {
            "internal error; the cause has been logged for the operators".to_owned()
        } else {
            self.to_string()
        }
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
