//! Who issues a command: the role and, for a department, which one.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::DepartmentId;

/// The roles of docs/domain.md, plus the system clock that records overdue tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// 领导小组办公室: defines, assigns, verifies; sees everything.
    Office,
    /// 责任单位: reports on and submits its own tasks.
    Department,
    /// 督导/审计: reads everything, never writes.
    Auditor,
    /// The overdue clock.
    System,
}

impl Role {
    /// The name used in event metadata and the API (`OFFICE`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Office => "OFFICE",
            Role::Department => "DEPARTMENT",
            Role::Auditor => "AUDITOR",
            Role::System => "SYSTEM",
        }
    }

    /// Reads a role name, case-insensitively.
    pub fn parse(raw: &str) -> Option<Role> {
        match raw.to_ascii_uppercase().as_str() {
            "OFFICE" => Some(Role::Office),
            "DEPARTMENT" => Some(Role::Department),
            "AUDITOR" => Some(Role::Auditor),
            "SYSTEM" => Some(Role::System),
            _ => None,
        }
    }
}

/// The author of a command; recorded in every event's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// A person-readable name (the token's name; `system` for the clock).
    pub name: String,
    /// The role the actor acts in.
    pub role: Role,
    /// The department a DEPARTMENT actor speaks for.
    pub department: Option<DepartmentId>,
}

impl Actor {
    /// An office actor.
    pub fn office(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            role: Role::Office,
            department: None,
        }
    }

    /// A department actor.
    pub fn department(name: impl Into<String>, department: DepartmentId) -> Self {
        Self {
            name: name.into(),
            role: Role::Department,
            department: Some(department),
        }
    }

    /// An auditor.
    pub fn auditor(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            role: Role::Auditor,
            department: None,
        }
    }

    /// The system clock.
    pub fn system() -> Self {
        Self {
            name: "system".into(),
            role: Role::System,
            department: None,
        }
    }

    /// Refuses anyone but the office.
    pub fn require_office(&self, action: &str) -> Result<(), DomainError> {
        if self.role == Role::Office {
            Ok(())
        } else {
            Err(DomainError::forbidden(format!(
                "only the leadership group's office may {action}; you act as {}",
                self.role.as_str()
            )))
        }
    }

    /// Refuses auditors and the clock: those never write through commands.
    pub fn require_writer(&self) -> Result<(), DomainError> {
        match self.role {
            Role::Office | Role::Department => Ok(()),
            Role::Auditor => Err(DomainError::forbidden("auditors read; they never write")),
            Role::System => Err(DomainError::forbidden(
                "the system clock only records overdue tasks",
            )),
        }
    }
}
