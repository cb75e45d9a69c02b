//! The leadership group's read models as GraphQL types: the board's rows and counts
//! (the board itself and its cache: [`super::board`]) and the quarterly dispatch.

use async_graphql::{Context, Object, SimpleObject};

use duban_domain::ids::{DepartmentId, PlanId};
use duban_domain::time::Quarter;
use duban_projections::{BoardCounts, BoardRow, DispatchCounts, Light};

use super::context::{GqlResult, app};
use super::enums::LightGql;
use super::types::{DepartmentObj, department};
use crate::error::ServiceError;
use crate::ops::dispatch::DispatchAnswer;

/// Counts of one board row.
#[derive(SimpleObject, Clone)]
#[graphql(name = "BoardCounts")]
pub struct BoardCountsObj {
    open: i32,
    overdue: i32,
    due_soon: i32,
    pending_verification: i32,
    closed: i32,
    closed_late: i32,
    escalated: i32,
}

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<&BoardCounts> for BoardCountsObj {
    fn from(c: &BoardCounts) -> Self {
        Self {
            open: int(c.open),
            overdue: int(c.overdue),
            due_soon: int(c.due_soon),
            pending_verification: int(c.pending_verification),
            closed: int(c.closed),
            closed_late: int(c.closed_late),
            escalated: int(c.escalated),
        }
    }
}

/// One lead department's row.
#[derive(SimpleObject, Clone)]
#[graphql(name = "BoardRow")]
pub struct BoardRowObj {
    department: DepartmentObj,
    light: LightGql,
    counts: BoardCountsObj,
    average_progress: f64,
}

impl BoardRowObj {
    /// A board row with its department as the read model has it now.
    pub fn new(ctx: &Context<'_>, r: &BoardRow) -> async_graphql::Result<Self> {
        Ok(Self {
            department: known_department(ctx, r.department_id)?,
            light: light(r.light),
            counts: (&r.counts).into(),
            average_progress: r.average_progress,
        })
    }
}

fn light(l: Light) -> LightGql {
    match l {
        Light::Green => LightGql::Green,
        Light::Yellow => LightGql::Yellow,
        Light::Red => LightGql::Red,
    }
}

fn known_department(ctx: &Context<'_>, id: DepartmentId) -> async_graphql::Result<DepartmentObj> {
    department(ctx, id).ok_or_else(|| {
        super::context::to_gql(ServiceError::Internal(format!(
            "department {id} is in a read model but not registered"
        )))
    })
}

/// Counts of one dispatch row.
#[derive(SimpleObject, Clone)]
#[graphql(name = "DispatchCounts")]
pub struct DispatchCountsObj {
    open_at_start: i32,
    assigned: i32,
    progress_reports: i32,
    submitted: i32,
    closed: i32,
    closed_late: i32,
    went_overdue: i32,
    overdue_at_end: i32,
}

impl From<&DispatchCounts> for DispatchCountsObj {
    fn from(c: &DispatchCounts) -> Self {
        Self {
            open_at_start: int(c.open_at_start),
            assigned: int(c.assigned),
            progress_reports: int(c.progress_reports),
            submitted: int(c.submitted),
            closed: int(c.closed),
            closed_late: int(c.closed_late),
            went_overdue: int(c.went_overdue),
            overdue_at_end: int(c.overdue_at_end),
        }
    }
}

/// One department's row of the dispatch.
#[derive(SimpleObject, Clone)]
#[graphql(name = "DispatchRow")]
pub struct DispatchRowObj {
    department: DepartmentObj,
    rank: i32,
    counts: DispatchCountsObj,
    /// Of the tasks due within the quarter, the share closed on or before their due
    /// date; null when none were due.
    on_time_rate: Option<f64>,
}

/// Quarterly dispatch (季度调度), computed from the events up to the end of the quarter.
pub struct DispatchObj {
    year: i32,
    quarter: i32,
    answer: DispatchAnswer,
}

impl DispatchObj {
    /// The dispatch of a quarter from the log (cached by the app, see
    /// [`crate::ops::dispatch`]).
    pub async fn compute(
        ctx: &Context<'_>,
        plan_id: Option<PlanId>,
        year: i32,
        quarter: i32,
    ) -> async_graphql::Result<Self> {
        let q = u32::try_from(quarter)
            .ok()
            .and_then(|n| Quarter::new(year, n))
            .ok_or_else(|| {
                super::context::to_gql(ServiceError::invalid(
                    "quarter",
                    format!("{year} Q{quarter} is not a quarter (quarter is 1 to 4)"),
                ))
            })?;
        let app = app(ctx);
        if q.start() > app.clock.now() {
            return Err(super::context::to_gql(ServiceError::invalid(
                "quarter",
                format!(
                    "{year} Q{quarter} has not started yet; ask for a past or the current quarter"
                ),
            )));
        }
        let answer = app.dispatch_answer(plan_id, q).await.gql()?;
        Ok(Self {
            year,
            quarter,
            answer,
        })
    }
}

/// Quarterly dispatch (季度调度), computed from the events up to the end of the quarter.
#[Object(name = "QuarterlyDispatch")]
impl DispatchObj {
    async fn year(&self) -> i32 {
        self.year
    }
    async fn quarter(&self) -> i32 {
        self.quarter
    }
    async fn rows(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DispatchRowObj>> {
        self.answer
            .dispatch
            .rows
            .iter()
            .map(|r| {
                Ok(DispatchRowObj {
                    department: known_department(ctx, r.department_id)?,
                    rank: int(r.rank),
                    counts: (&r.counts).into(),
                    on_time_rate: r.on_time_rate,
                })
            })
            .collect()
    }
    async fn totals(&self) -> DispatchCountsObj {
        (&self.answer.dispatch.totals).into()
    }
    /// The circular (调度通报) as Markdown; a department reads its own version.
    async fn circular(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let viewer = super::context::viewer(ctx)?;
        Ok(self.answer.circular_seen_by(&viewer.token).to_string())
    }
}
