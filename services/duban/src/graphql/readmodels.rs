//! The leadership group's read models as GraphQL types: the board and the quarterly
//! dispatch.

use async_graphql::{Context, Object, SimpleObject};

use duban_domain::ids::{DepartmentId, PlanId};
use duban_domain::time::Quarter;
use duban_projections::{Board, BoardCounts, DispatchCounts, Light};

use super::context::{GqlResult, app};
use super::enums::LightGql;
use super::scalars::Instant;
use super::types::{DepartmentObj, TaskObj, department};
use crate::error::ServiceError;

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

/// The leadership group's scheduling board (调度台).
pub struct BoardObj {
    board: Board,
    rows: Vec<BoardRowObj>,
    agenda: Vec<TaskObj>,
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

impl BoardObj {
    /// Computes the board now.
    pub fn compute(ctx: &Context<'_>, plan_id: Option<PlanId>) -> async_graphql::Result<Self> {
        let app = app(ctx);
        let now = app.clock.now();
        let (board, agenda) = app.read.read(|m| {
            let board = duban_projections::board(m, plan_id, now);
            let agenda: Vec<TaskObj> = board
                .agenda
                .iter()
                .filter_map(|item| m.tasks.get(&item.task_id))
                .map(|v| TaskObj(v.task.clone()))
                .collect();
            (board, agenda)
        });
        let rows = board
            .rows
            .iter()
            .map(|r| {
                Ok(BoardRowObj {
                    department: known_department(ctx, r.department_id)?,
                    light: light(r.light),
                    counts: (&r.counts).into(),
                    average_progress: r.average_progress,
                })
            })
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(Self {
            board,
            rows,
            agenda,
        })
    }
}

#[Object(name = "Board")]
impl BoardObj {
    async fn as_of(&self) -> Instant {
        Instant(self.board.as_of)
    }
    async fn rows(&self) -> &[BoardRowObj] {
        &self.rows
    }
    async fn totals(&self) -> BoardCountsObj {
        (&self.board.totals).into()
    }
    /// Overdue, at risk, awaiting verification and escalated tasks, most urgent first.
    async fn agenda(&self) -> &[TaskObj] {
        &self.agenda
    }
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
#[derive(SimpleObject)]
#[graphql(name = "QuarterlyDispatch")]
pub struct DispatchObj {
    year: i32,
    quarter: i32,
    rows: Vec<DispatchRowObj>,
    totals: DispatchCountsObj,
    /// The circular (调度通报) as Markdown.
    circular: String,
}

impl DispatchObj {
    /// Computes the dispatch of a quarter from the log.
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
        let dispatch = app.dispatch(plan_id, q).await.gql()?;
        let rows = dispatch
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
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(Self {
            year,
            quarter,
            rows,
            totals: (&dispatch.totals).into(),
            circular: duban_projections::circular(&dispatch),
        })
    }
}
