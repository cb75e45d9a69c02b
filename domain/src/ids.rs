//! Identifiers of aggregates and the names of their event streams.
//!
//! Streams are named `<type>-<uuid>` (docs/domain.md); the id newtypes parse either the bare
//! UUID or the full stream name, so a client may pass whichever it holds.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

use crate::error::DomainError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// The stream-type prefix of this aggregate.
            pub const PREFIX: &'static str = $prefix;

            /// A fresh, time-ordered id (UUID v7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Reads a bare UUID or a stream name `<prefix>-<uuid>`.
            pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
                let raw = raw.trim();
                let bare = raw
                    .strip_prefix(concat!($prefix, "-"))
                    .unwrap_or(raw);
                Uuid::parse_str(bare).map(Self).map_err(|_| DomainError::InvalidInput {
                    field,
                    reason: format!("'{raw}' is not a {} id", $prefix),
                })
            }

            /// The event stream that holds this aggregate.
            pub fn stream(&self) -> String {
                format!("{}-{}", $prefix, self.0)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A plan (规划 / 实施方案).
    PlanId,
    "plan"
);
id_type!(
    /// A department (责任单位).
    DepartmentId,
    "department"
);
id_type!(
    /// A task: a measure, a milestone or a rectification item.
    TaskId,
    "task"
);
id_type!(
    /// A notification endpoint.
    EndpointId,
    "endpoint"
);

id_type!(
    /// A bulletin (定期通报): a weekly digest or a quarterly circular, recorded once.
    BulletinId,
    "bulletin"
);

id_type!(
    /// A school in the 优质均衡 assessment.
    SchoolId,
    "school"
);
id_type!(
    /// A school year of the county in the 优质均衡 assessment (its guarantee answers).
    CountyYearId,
    "county"
);

/// A UUID derived from a key: the same key gives the same id on every server and every
/// replay, which is what lets a policy write each of its decisions exactly once (the
/// store refuses a second creation of the stream).
pub fn derived_uuid(key: &str) -> Uuid {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Splits a stream name into its type prefix and UUID.
pub fn split_stream(stream: &str) -> Option<(&str, Uuid)> {
    let (prefix, rest) = stream.split_once('-')?;
    Uuid::parse_str(rest).ok().map(|u| (prefix, u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bare_uuid_and_stream_name() {
        let id = TaskId::new();
        assert_eq!(TaskId::parse("taskId", &id.0.to_string()).unwrap(), id);
        assert_eq!(TaskId::parse("taskId", &id.stream()).unwrap(), id);
        assert!(matches!(
            TaskId::parse("taskId", "nope"),
            Err(DomainError::InvalidInput {
                field: "taskId",
                ..
            })
        ));
    }
}
