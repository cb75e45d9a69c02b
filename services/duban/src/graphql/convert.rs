//! GraphQL inputs into the service's inputs (`ops`), by `From`: the mutations take the
//! command id (and the task and expected version) out first and convert the rest.

use crate::ops::LifecycleInput;
use crate::ops::define_measure::MeasureInput;
use crate::ops::draft_plan::DraftPlan;
use crate::ops::raise_rectification::RectificationInput;

use super::inputs::{
    AssignTaskInput, DefineMeasureInput, DraftPlanInput, ExtendDeadlineInput,
    RaiseRectificationInput, ReportProgressInput, SubmitTaskInput, VerifyTaskInput,
};

impl From<DraftPlanInput> for DraftPlan {
    fn from(input: DraftPlanInput) -> Self {
        DraftPlan {
            title: input.title,
            region: input.region,
            issuer: input.issuer,
            period_start: input.period_start.0,
            period_end: input.period_end.0,
            phases: input
                .phases
                .unwrap_or_default()
                .into_iter()
                .map(|p| duban_domain::plan::Phase {
                    name: p.name,
                    starts: p.starts.0,
                    ends: p.ends.0,
                })
                .collect(),
        }
    }
}

impl From<DefineMeasureInput> for MeasureInput {
    fn from(input: DefineMeasureInput) -> Self {
        MeasureInput {
            plan_id: input.plan_id.0,
            code: input.code,
            title: input.title,
            description: input.description,
            phase: input.phase,
        }
    }
}

impl From<RaiseRectificationInput> for RectificationInput {
    fn from(input: RaiseRectificationInput) -> Self {
        RectificationInput {
            source: input.source.into(),
            finding: input.finding,
            standard: input.standard,
            measured: input.measured,
            unit: input.unit,
            severity: input.severity.map(i64::from),
            plan_id: input.plan_id.map(|i| i.0),
            measure_id: input.measure_id.map(|i| i.0),
        }
    }
}

impl From<AssignTaskInput> for LifecycleInput {
    fn from(input: AssignTaskInput) -> Self {
        LifecycleInput::Assign {
            lead_id: input.lead_id.0,
            cooperating_ids: input
                .cooperating_ids
                .unwrap_or_default()
                .into_iter()
                .map(|i| i.0)
                .collect(),
            due: input.due.0,
        }
    }
}

impl From<ReportProgressInput> for LifecycleInput {
    fn from(input: ReportProgressInput) -> Self {
        LifecycleInput::ReportProgress {
            percent: i64::from(input.percent),
            note: input.note,
            evidence: input.evidence.unwrap_or_default(),
        }
    }
}

impl From<SubmitTaskInput> for LifecycleInput {
    fn from(input: SubmitTaskInput) -> Self {
        LifecycleInput::Submit {
            summary: input.summary,
            evidence: input.evidence.unwrap_or_default(),
        }
    }
}

impl From<VerifyTaskInput> for LifecycleInput {
    fn from(input: VerifyTaskInput) -> Self {
        LifecycleInput::Verify {
            verdict: input.verdict.into(),
            remarks: input.remarks,
        }
    }
}

impl From<ExtendDeadlineInput> for LifecycleInput {
    fn from(input: ExtendDeadlineInput) -> Self {
        LifecycleInput::Extend {
            due: input.due.0,
            reason: input.reason,
        }
    }
}
