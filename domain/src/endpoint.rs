//! Endpoint (通知端点): where the office has notifications delivered — a webhook, a
//! 企业微信 / 钉钉 / 飞书 group robot, or the server's log — for the whole county or for
//! one department's tasks only. Registering, pausing, resuming and removing one are
//! events like any other; its signing secret is not (it stays out of the log, which
//! auditors read and exports copy).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::aggregate::Aggregate;
use crate::department::DepartmentRef;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{DepartmentId, EndpointId};
use crate::validate::required_text;

/// How an endpoint is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EndpointKind {
    /// A generic webhook: JSON with a signature header.
    Webhook,
    /// 企业微信 group robot (Markdown).
    Wecom,
    /// 钉钉 group robot (Markdown, signed URL).
    Dingtalk,
    /// 飞书 group robot (interactive card with Markdown).
    Feishu,
    /// The server's own log.
    Log,
}

impl EndpointKind {
    /// The name used in the API and in metrics labels.
    pub fn as_str(&self) -> &'static str {
        match self {
            EndpointKind::Webhook => "WEBHOOK",
            EndpointKind::Wecom => "WECOM",
            EndpointKind::Dingtalk => "DINGTALK",
            EndpointKind::Feishu => "FEISHU",
            EndpointKind::Log => "LOG",
        }
    }
}

/// The events an endpoint's filter may name: task events and the bulletins.
pub const TASK_EVENT_TYPES: &[&str] = &[
    "MeasureDefined",
    "MilestoneScheduled",
    "RectificationRaised",
    "TaskAssigned",
    "ProgressReported",
    "CompletionSubmitted",
    "TaskVerified",
    "TaskOverdue",
    "DeadlineExtended",
    "TaskUrged",
    "TaskEscalated",
    "TaskCancelled",
    "RectificationReopened",
    "TaskReminderDue",
    "WeeklyDigestDue",
    "QuarterlyCircularDue",
];

/// What an endpoint with an empty filter receives: the notices someone must act on, and
/// the bulletins (a county-wide endpoint gets the departments' weekly digests only when
/// its filter names `WeeklyDigestDue`: see [`Endpoint::wants_digest_of`]).
pub const NOTICE_EVENT_TYPES: &[&str] = &[
    "TaskAssigned",
    "TaskUrged",
    "TaskEscalated",
    "TaskVerified",
    "DeadlineExtended",
    "TaskOverdue",
    "TaskReminderDue",
    "WeeklyDigestDue",
    "QuarterlyCircularDue",
];

/// An endpoint was registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointRegistered {
    /// The endpoint.
    pub endpoint_id: EndpointId,
    /// A name for people, e.g. 教育局工作群.
    pub name: String,
    /// How it is called.
    pub kind: EndpointKind,
    /// Where (absent for LOG).
    pub url: Option<String>,
    /// Set when it receives one department's tasks only.
    pub department: Option<DepartmentId>,
    /// Event types sent; empty means the notices ([`NOTICE_EVENT_TYPES`]).
    pub event_types: Vec<String>,
}

/// An endpoint was paused, resumed or removed (the event's type says which).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointChanged {}

/// The state of an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// Its id.
    pub id: EndpointId,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: EndpointKind,
    /// URL.
    pub url: Option<String>,
    /// The department it is scoped to.
    pub department: Option<DepartmentId>,
    /// The filter.
    pub event_types: Vec<String>,
    /// Paused endpoints keep their place in the log and resume from it.
    pub paused: bool,
    /// Removed endpoints receive nothing more.
    pub removed: bool,
    /// Stream version.
    pub version: i64,
}

impl Endpoint {
    /// Whether `department`'s weekly digest is for this endpoint: a department's
    /// endpoint gets its own digest only (when its filter lets digests through); a
    /// county-wide one every department's, but only when its filter names
    /// `WeeklyDigestDue` (an empty filter would flood the office's group every Monday).
    pub fn wants_digest_of(&self, department: DepartmentId) -> bool {
        match self.department {
            Some(own) => own == department && self.wants("WeeklyDigestDue"),
            None => self.event_types.iter().any(|t| t == "WeeklyDigestDue"),
        }
    }

    /// Whether an event of `event_type` passes the filter.
    pub fn wants(&self, event_type: &str) -> bool {
        if self.event_types.is_empty() {
            NOTICE_EVENT_TYPES.contains(&event_type)
        } else {
            self.event_types.iter().any(|t| t == event_type)
        }
    }
}

/// Commands on an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointCommand {
    /// Register a new endpoint.
    Register {
        /// The new id.
        id: EndpointId,
        /// Name.
        name: String,
        /// Kind.
        kind: EndpointKind,
        /// URL, already checked for address rules by the caller (which resolves it).
        url: Option<String>,
        /// The department, resolved by the caller.
        department: Option<DepartmentRef>,
        /// Filter.
        event_types: Vec<String>,
    },
    /// Stop sending (the place in the log is kept).
    Pause,
    /// Send again from where it stopped.
    Resume,
    /// Stop for good.
    Remove,
}

fn check_register(
    name: &str,
    kind: EndpointKind,
    url: Option<&str>,
    department: Option<&DepartmentRef>,
    event_types: &[String],
) -> Result<String, DomainError> {
    let name = required_text("name", name, 100)?;
    match (kind, url.map(str::trim)) {
        (EndpointKind::Log, Some(u)) if !u.is_empty() => {
            return Err(DomainError::invalid("url", "a LOG endpoint has no URL"));
        }
        (EndpointKind::Log, _) => {}
        (_, None) => return Err(DomainError::invalid("url", "required for this kind")),
        (_, Some(u)) => {
            let lower = u.to_ascii_lowercase();
            if u.len() > 2000 || !(lower.starts_with("http://") || lower.starts_with("https://")) {
                return Err(DomainError::invalid(
                    "url",
                    "must be an http:// or https:// URL of at most 2000 characters",
                ));
            }
        }
    }
    if let Some(d) = department.filter(|d| d.retired) {
        return Err(DomainError::invalid(
            "departmentId",
            format!("{} is retired", d.name),
        ));
    }
    if event_types.len() > TASK_EVENT_TYPES.len() {
        return Err(DomainError::invalid("eventTypes", "too many event types"));
    }
    if let Some(t) = event_types
        .iter()
        .find(|t| !TASK_EVENT_TYPES.contains(&t.as_str()))
    {
        return Err(DomainError::invalid(
            "eventTypes",
            format!(
                "'{}' is not a task event type (known: {})",
                t.chars().take(60).collect::<String>(),
                TASK_EVENT_TYPES.join(", ")
            ),
        ));
    }
    Ok(name)
}

impl Aggregate for Endpoint {
    type Command = EndpointCommand;
    const STREAM_TYPE: &'static str = "endpoint";

    fn decide(
        state: Option<&Self>,
        command: &EndpointCommand,
        actor: &Actor,
        _now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError> {
        actor.require_office("manage notification endpoints")?;
        let EndpointCommand::Register {
            id,
            name,
            kind,
            url,
            department,
            event_types,
        } = command
        else {
            let endpoint = state.ok_or_else(|| DomainError::NotFound {
                what: "endpoint",
                id: "?".into(),
            })?;
            let from = if endpoint.removed {
                "REMOVED"
            } else if endpoint.paused {
                "PAUSED"
            } else {
                "ACTIVE"
            };
            let refuse = |action| DomainError::InvalidTransition {
                from: from.into(),
                action,
            };
            let change = EndpointChanged {};
            return match command {
                EndpointCommand::Pause if from == "ACTIVE" => {
                    Ok(vec![Event::EndpointPaused(change)])
                }
                EndpointCommand::Pause => Err(refuse("pause")),
                EndpointCommand::Resume if from == "PAUSED" => {
                    Ok(vec![Event::EndpointResumed(change)])
                }
                EndpointCommand::Resume => Err(refuse("resume")),
                _ if endpoint.removed => Err(refuse("remove")),
                _ => Ok(vec![Event::EndpointRemoved(change)]),
            };
        };
        if let Some(existing) = state {
            return Err(DomainError::VersionConflict {
                expected: 0,
                actual: existing.version,
            });
        }
        let name = check_register(
            name,
            *kind,
            url.as_deref(),
            department.as_ref(),
            event_types,
        )?;
        let mut types: Vec<String> = Vec::new();
        for t in event_types {
            if !types.contains(t) {
                types.push(t.clone());
            }
        }
        Ok(vec![Event::EndpointRegistered(EndpointRegistered {
            endpoint_id: *id,
            name,
            kind: *kind,
            url: url
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(String::from),
            department: department.as_ref().map(|d| d.id),
            event_types: types,
        })])
    }

    fn evolve(state: Option<Self>, event: &Event) -> Option<Self> {
        match (state, event) {
            (None, Event::EndpointRegistered(e)) => Some(Endpoint {
                id: e.endpoint_id,
                name: e.name.clone(),
                kind: e.kind,
                url: e.url.clone(),
                department: e.department,
                event_types: e.event_types.clone(),
                paused: false,
                removed: false,
                version: 1,
            }),
            (Some(mut ep), event) => {
                match event {
                    Event::EndpointPaused(_) => ep.paused = true,
                    Event::EndpointResumed(_) => ep.paused = false,
                    Event::EndpointRemoved(_) => ep.removed = true,
                    _ => {}
                }
                ep.version += 1;
                Some(ep)
            }
            (None, _) => None,
        }
    }

    fn version(&self) -> i64 {
        self.version
    }
}
