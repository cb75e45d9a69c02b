//! Every event of the domain, with its stored name and schema version.
//!
//! Events are stored as (`event_type`, `schema_version`, payload JSON). [`Event::to_stored`]
//! writes the current version; [`Event::from_stored`] reads any version, upcasting older
//! payloads first (see [`crate::upcast`]); [`Event::from_stored_str`] does the same from
//! the payload's text, parsing a current payload only once.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use crate::bulletin::{QuarterlyCircularDue, WeeklyDigestDue};
use crate::county::GuaranteeItemAnswered;
use crate::department::DepartmentKind;
use crate::endpoint::{EndpointChanged, EndpointRegistered};
use crate::ids::{DepartmentId, PlanId, TaskId};
use crate::plan::Phase;
use crate::school::{SchoolRegistered, SchoolSurveyed};
use crate::task::{RectificationDetail, Verdict};
use crate::upcast;

/// A plan was drafted (or imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDrafted {
    /// The plan.
    pub plan_id: PlanId,
    /// Its title.
    pub title: String,
    /// The county or district, e.g. 鲤城区.
    pub region: String,
    /// The issuing body.
    pub issuer: Option<String>,
    /// First day of the plan's period.
    pub period_start: NaiveDate,
    /// Last day of the plan's period.
    pub period_end: NaiveDate,
    /// 实施步骤 with their date ranges.
    pub phases: Vec<Phase>,
}

/// A department was registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRegistered {
    /// The department.
    pub department_id: DepartmentId,
    /// Its name, e.g. 教育局.
    pub name: String,
    /// Bureau, township, school or other.
    pub kind: DepartmentKind,
    /// The department it belongs to, if any.
    pub parent: Option<DepartmentId>,
}

/// A department was retired: it can no longer be assigned tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRetired {
    /// Why.
    pub reason: String,
}

/// A measure (重点任务) was defined in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureDefined {
    /// The task.
    pub task_id: TaskId,
    /// The plan it belongs to.
    pub plan_id: PlanId,
    /// The number as printed, e.g. 三(二)5.
    pub code: Option<String>,
    /// The heading.
    pub title: String,
    /// The full text.
    pub description: Option<String>,
    /// The phase it belongs to.
    pub phase: Option<String>,
}

/// A milestone (节点) was scheduled under a measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneScheduled {
    /// The task.
    pub task_id: TaskId,
    /// The measure it belongs to.
    pub measure_id: TaskId,
    /// The measure's plan.
    pub plan_id: Option<PlanId>,
    /// The title.
    pub title: String,
    /// Its due date.
    pub due: NaiveDate,
    /// The measure's lead department at scheduling, inherited.
    pub lead: Option<DepartmentId>,
    /// The measure's cooperating departments at scheduling, inherited.
    pub cooperating: Vec<DepartmentId>,
}

/// A rectification item (整改事项) was raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationRaised {
    /// The task.
    pub task_id: TaskId,
    /// The plan, when known.
    pub plan_id: Option<PlanId>,
    /// The measure, when known.
    pub measure_id: Option<TaskId>,
    /// Source, finding, standard, measured value, unit, severity.
    pub detail: RectificationDetail,
}

/// A task was assigned (or re-assigned) to a lead and cooperating departments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskAssigned {
    /// 牵头单位.
    pub lead: DepartmentId,
    /// 配合单位.
    pub cooperating: Vec<DepartmentId>,
    /// The deadline; `None` for work that goes on (长期坚持, 每年 …), which is never
    /// overdue. Events recorded before ongoing work existed always hold a date.
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

/// A department (or the office) reported progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressReported {
    /// The reporting department; None when the office reported.
    pub department: Option<DepartmentId>,
    /// 0 to 100.
    pub percent: u8,
    /// What was done.
    pub note: String,
    /// Links to evidence (added in schema version 2).
    pub evidence: Vec<String>,
    /// When it was reported (the command's time; absent in version 1).
    #[serde(default)]
    pub reported_at: Option<DateTime<Utc>>,
}

/// The lead department submitted the task for verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionSubmitted {
    /// What was achieved.
    pub summary: String,
    /// Links to evidence.
    pub evidence: Vec<String>,
}

/// The office verified a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskVerified {
    /// Accepted closes the task (销号); rejected returns it to IN_PROGRESS.
    pub verdict: Verdict,
    /// The office's remarks.
    pub remarks: Option<String>,
    /// For an accepted verdict: whether the task closed after it went overdue (逾期办结).
    pub late: bool,
}

/// The system clock found the task past its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskOverdue {
    /// The due date that passed.
    pub due: NaiveDate,
    /// When the clock noticed.
    pub detected_at: DateTime<Utc>,
}

/// The clock found a reminder due: `days_before` days before the due date (临期提醒).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskReminderDue {
    /// The due date reminded of.
    pub due: NaiveDate,
    /// How many days before it.
    pub days_before: u32,
    /// When the clock noticed.
    pub detected_at: DateTime<Utc>,
}

/// The office moved the deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineExtended {
    /// The deadline before.
    pub previous_due: Option<NaiveDate>,
    /// The new deadline.
    pub due: NaiveDate,
    /// Why.
    pub reason: String,
}

/// A note from the office: a reminder (催办), an escalation (挂牌督办), or a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The text.
    pub note: String,
}

/// Every event of the domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum Event {
    /// See [`PlanDrafted`].
    PlanDrafted(PlanDrafted),
    /// See [`DepartmentRegistered`].
    DepartmentRegistered(DepartmentRegistered),
    /// See [`DepartmentRetired`].
    DepartmentRetired(DepartmentRetired),
    /// See [`MeasureDefined`].
    MeasureDefined(MeasureDefined),
    /// See [`MilestoneScheduled`].
    MilestoneScheduled(MilestoneScheduled),
    /// See [`RectificationRaised`].
    RectificationRaised(RectificationRaised),
    /// See [`TaskAssigned`].
    TaskAssigned(TaskAssigned),
    /// See [`ProgressReported`].
    ProgressReported(ProgressReported),
    /// See [`CompletionSubmitted`].
    CompletionSubmitted(CompletionSubmitted),
    /// See [`TaskVerified`].
    TaskVerified(TaskVerified),
    /// See [`TaskOverdue`].
    TaskOverdue(TaskOverdue),
    /// See [`DeadlineExtended`].
    DeadlineExtended(DeadlineExtended),
    /// 催办.
    TaskUrged(Note),
    /// 挂牌督办.
    TaskEscalated(Note),
    /// The note is the reason.
    TaskCancelled(Note),
    /// The note is the reason.
    RectificationReopened(Note),
    /// See [`SchoolRegistered`].
    SchoolRegistered(SchoolRegistered),
    /// See [`SchoolSurveyed`].
    SchoolSurveyed(SchoolSurveyed),
    /// On an open rectification item: a later survey (or a later answer to a
    /// guarantee item) meets the standard, for the office to verify (it never closes
    /// the item by itself).
    SurveyMeetsStandard(Note),
    /// See [`GuaranteeItemAnswered`].
    GuaranteeItemAnswered(GuaranteeItemAnswered),
    /// See [`TaskReminderDue`].
    TaskReminderDue(TaskReminderDue),
    /// See [`EndpointRegistered`].
    EndpointRegistered(EndpointRegistered),
    /// A notification endpoint was paused.
    EndpointPaused(EndpointChanged),
    /// A paused notification endpoint was resumed.
    EndpointResumed(EndpointChanged),
    /// A notification endpoint was removed.
    EndpointRemoved(EndpointChanged),
    /// See [`WeeklyDigestDue`].
    WeeklyDigestDue(WeeklyDigestDue),
    /// See [`QuarterlyCircularDue`].
    QuarterlyCircularDue(QuarterlyCircularDue),
}

/// A stored event that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read stored event {event_type} v{schema_version}: {reason}")]
pub struct DecodeError {
    /// The stored type.
    pub event_type: String,
    /// The stored schema version.
    pub schema_version: i32,
    /// What went wrong.
    pub reason: String,
}

impl Event {
    /// The stored name, e.g. `TaskAssigned`.
    pub fn event_type(&self) -> &'static str {
        match self {
            Event::PlanDrafted(_) => "PlanDrafted",
            Event::DepartmentRegistered(_) => "DepartmentRegistered",
            Event::DepartmentRetired(_) => "DepartmentRetired",
            Event::MeasureDefined(_) => "MeasureDefined",
            Event::MilestoneScheduled(_) => "MilestoneScheduled",
            Event::RectificationRaised(_) => "RectificationRaised",
            Event::TaskAssigned(_) => "TaskAssigned",
            Event::ProgressReported(_) => "ProgressReported",
            Event::CompletionSubmitted(_) => "CompletionSubmitted",
            Event::TaskVerified(_) => "TaskVerified",
            Event::TaskOverdue(_) => "TaskOverdue",
            Event::DeadlineExtended(_) => "DeadlineExtended",
            Event::TaskUrged(_) => "TaskUrged",
            Event::TaskEscalated(_) => "TaskEscalated",
            Event::TaskCancelled(_) => "TaskCancelled",
            Event::RectificationReopened(_) => "RectificationReopened",
            Event::SchoolRegistered(_) => "SchoolRegistered",
            Event::SchoolSurveyed(_) => "SchoolSurveyed",
            Event::SurveyMeetsStandard(_) => "SurveyMeetsStandard",
            Event::GuaranteeItemAnswered(_) => "GuaranteeItemAnswered",
            Event::TaskReminderDue(_) => "TaskReminderDue",
            Event::EndpointRegistered(_) => "EndpointRegistered",
            Event::EndpointPaused(_) => "EndpointPaused",
            Event::EndpointResumed(_) => "EndpointResumed",
            Event::EndpointRemoved(_) => "EndpointRemoved",
            Event::WeeklyDigestDue(_) => "WeeklyDigestDue",
            Event::QuarterlyCircularDue(_) => "QuarterlyCircularDue",
        }
    }

    /// The schema version this code writes for the event's type.
    pub fn schema_version(&self) -> i32 {
        upcast::current_version(self.event_type())
    }

    /// The payload as stored: the event's data without its type tag.
    pub fn payload(&self) -> serde_json::Value {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut map)) => {
                map.remove("data").unwrap_or(serde_json::Value::Null)
            }
            _ => serde_json::Value::Null,
        }
    }

    /// Reads a stored event of any known schema version.
    pub fn from_stored(
        event_type: &str,
        schema_version: i32,
        payload: &serde_json::Value,
    ) -> Result<Event, DecodeError> {
        let fail = |reason: String| DecodeError {
            event_type: event_type.to_string(),
            schema_version,
            reason,
        };
        let data = upcast::upcast(event_type, schema_version, payload.clone()).map_err(fail)?;
        serde_json::from_value(serde_json::json!({ "type": event_type, "data": data }))
            .map_err(|e| fail(e.to_string()))
    }

    /// Reads a stored event from its payload's JSON text: the same event as
    /// [`Event::from_stored`] over the parsed payload, but a payload at the current schema
    /// version is parsed once, straight into the typed event (no intermediate
    /// `serde_json::Value`), which is what makes replaying a long log cheap. Older
    /// versions go through the upcasters as before.
    pub fn from_stored_str(
        event_type: &str,
        schema_version: i32,
        payload: &str,
    ) -> Result<Event, DecodeError> {
        let fail = |reason: String| DecodeError {
            event_type: event_type.to_string(),
            schema_version,
            reason,
        };
        if schema_version != upcast::current_version(event_type) {
            let value = serde_json::from_str(payload).map_err(|e| fail(e.to_string()))?;
            return Self::from_stored(event_type, schema_version, &value);
        }
        // The enum is adjacently tagged: its own `Deserialize` reads the tag, then `data`
        // straight from the payload text into the variant the tag names.
        crate::tagged::from_tag_and_data(event_type, payload).map_err(|e| fail(e.to_string()))
    }
}
