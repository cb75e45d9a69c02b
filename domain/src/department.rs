//! Department (责任单位): a bureau, a township or street, a school, or another unit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::aggregate::Aggregate;
use crate::error::DomainError;
use crate::event::{DepartmentRegistered, DepartmentRetired, Event};
use crate::ids::DepartmentId;
use crate::validate::required_text;

/// What sort of unit a department is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DepartmentKind {
    /// A bureau (局, 委, 办 …).
    Bureau,
    /// A township, town or street (镇, 街道, 团镇).
    Township,
    /// A school.
    School,
    /// Anything else.
    Other,
}

/// The state of a department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// Its id.
    pub id: DepartmentId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: DepartmentKind,
    /// The unit it belongs to.
    pub parent: Option<DepartmentId>,
    /// Retired departments cannot be assigned.
    pub retired: bool,
    /// Stream version.
    pub version: i64,
}

/// A department as a task command refers to it, resolved by the caller from its stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentRef {
    /// Its id.
    pub id: DepartmentId,
    /// Its name, for messages.
    pub name: String,
    /// Whether it is retired.
    pub retired: bool,
}

impl From<&Department> for DepartmentRef {
    fn from(d: &Department) -> Self {
        Self {
            id: d.id,
            name: d.name.clone(),
            retired: d.retired,
        }
    }
}

/// Commands on a department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepartmentCommand {
    /// Register a new department.
    Register {
        /// The new id.
        id: DepartmentId,
        /// Name.
        name: String,
        /// Kind.
        kind: DepartmentKind,
        /// Parent, resolved by the caller.
        parent: Option<DepartmentRef>,
    },
    /// Retire it.
    Retire {
        /// Why.
        reason: String,
    },
}

impl Aggregate for Department {
    type Command = DepartmentCommand;
    const STREAM_TYPE: &'static str = "department";

    fn decide(
        state: Option<&Self>,
        command: &DepartmentCommand,
        actor: &Actor,
        _now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError> {
        match command {
            DepartmentCommand::Register {
                id,
                name,
                kind,
                parent,
            } => {
                actor.require_office("register a department")?;
                if let Some(existing) = state {
                    return Err(DomainError::VersionConflict {
                        expected: 0,
                        actual: existing.version,
                    });
                }
                let name = required_text("name", name, 100)?;
                Ok(vec![Event::DepartmentRegistered(DepartmentRegistered {
                    department_id: *id,
                    name,
                    kind: *kind,
                    parent: parent.as_ref().map(|p| p.id),
                })])
            }
            DepartmentCommand::Retire { reason } => {
                actor.require_office("retire a department")?;
                let Some(department) = state else {
                    return Err(DomainError::NotFound {
                        what: "department",
                        id: "?".into(),
                    });
                };
                if department.retired {
                    return Err(DomainError::InvalidTransition {
                        from: "RETIRED".into(),
                        action: "retire",
                    });
                }
                let reason = required_text("reason", reason, 2000)?;
                Ok(vec![Event::DepartmentRetired(DepartmentRetired { reason })])
            }
        }
    }

    fn evolve(state: Option<Self>, event: &Event) -> Option<Self> {
        match (state, event) {
            (None, Event::DepartmentRegistered(e)) => Some(Department {
                id: e.department_id,
                name: e.name.clone(),
                kind: e.kind,
                parent: e.parent,
                retired: false,
                version: 1,
            }),
            (Some(mut d), event) => {
                if let Event::DepartmentRetired(_) = event {
                    d.retired = true;
                }
                d.version += 1;
                Some(d)
            }
            (None, _) => None,
        }
    }

    fn version(&self) -> i64 {
        self.version
    }
}
