//! What every resolver reads from the request context: the app and the viewer, and how
//! service errors become GraphQL errors with the contract's codes.

use std::sync::Arc;

use async_graphql::{Context, ErrorExtensions};

use duban_domain::task::Task;
use duban_domain::{Actor, DomainError, Role};

use crate::app::App;
use crate::auth::TokenInfo;
use crate::error::ServiceError;

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The token it presented.
    pub token: TokenInfo,
}

impl Viewer {
    /// The actor its commands are recorded as.
    pub fn actor(&self) -> Actor {
        self.token.actor()
    }

    /// Whether it may read this task: everyone but a department that is not involved.
    pub fn can_see(&self, task: &Task) -> bool {
        match self.token.role {
            Role::Department => self.token.department.is_some_and(|d| task.involves(d)),
            _ => true,
        }
    }

    /// Refuses departments (history, the global log, integrity are for office and auditor).
    pub fn require_office_or_auditor(&self, what: &str) -> async_graphql::Result<()> {
        match self.token.role {
            Role::Office | Role::Auditor => Ok(()),
            _ => Err(to_gql(
                DomainError::forbidden(format!("{what} is open to the office and auditors only"))
                    .into(),
            )),
        }
    }
}

/// The app of this request.
pub fn app<'a>(ctx: &Context<'a>) -> &'a Arc<App> {
    ctx.data_unchecked::<Arc<App>>()
}

/// The viewer of this request (every request is authenticated before it runs).
pub fn viewer<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Viewer> {
    ctx.data::<Viewer>().map_err(|_| {
        to_gql(ServiceError::Unauthenticated(
            "send Authorization: Bearer <token>".into(),
        ))
    })
}

/// A service error as a GraphQL error with `extensions.code`; internal causes are
/// logged here and hidden from the client.
pub fn to_gql(error: ServiceError) -> async_graphql::Error {
    let code = error.code();
    if error.is_internal() {
        tracing::error!(error = %error, "internal error");
    }
    async_graphql::Error::new(error.public_message()).extend_with(|_, e| {
        e.set("code", code.as_str());
        if let ServiceError::Domain(domain) = &error {
            match domain {
                DomainError::InvalidInput { field, .. } => e.set("field", *field),
                DomainError::InvalidTransition { from, .. } => e.set("from", from.as_str()),
                DomainError::VersionConflict { expected, actual } => {
                    e.set("expected", *expected);
                    e.set("actual", *actual);
                }
                _ => {}
            }
        }
    })
}

/// Shorthand: `result.gql()?` in resolvers.
pub trait GqlResult<T> {
    /// Converts the error with [`to_gql`].
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T, E: Into<ServiceError>> GqlResult<T> for Result<T, E> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| to_gql(e.into()))
    }
}
