//! The contract's object types over domain states and stored events.

use async_graphql::{Context, ID, Json, Object, SimpleObject};

use duban_domain::Role;
use duban_domain::department::Department;
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::plan::Plan;
use duban_domain::task::Task;
use duban_projections::TaskQuery;
use duban_store::{RecordedEvent, StreamBound};

use super::context::{GqlResult, Viewer, app, viewer};
use super::enums::{DepartmentKindGql, RoleGql, SourceGql, TaskKindGql, TaskStatusGql};
use super::inputs::TaskFilter;
use super::page::{PageInfo, slice};
use super::scalars::{Date, Instant};
use crate::commands::decode;

/// A department (`Department`).
#[derive(Clone)]
pub struct DepartmentObj(pub Department);

#[Object(name = "Department")]
impl DepartmentObj {
    async fn id(&self) -> ID {
        ID(self.0.id.stream())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> DepartmentKindGql {
        self.0.kind.into()
    }
    async fn parent(&self, ctx: &Context<'_>) -> Option<DepartmentObj> {
        self.0.parent.and_then(|p| department(ctx, p))
    }
    async fn retired(&self) -> bool {
        self.0.retired
    }
    async fn version(&self) -> i32 {
        self.0.version as i32
    }
}

/// A department from the read model.
pub fn department(ctx: &Context<'_>, id: DepartmentId) -> Option<DepartmentObj> {
    app(ctx)
        .read
        .read(|m| m.departments.get(&id).cloned())
        .map(DepartmentObj)
}

/// A phase of a plan.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Phase")]
pub struct PhaseObj {
    name: String,
    starts: Date,
    ends: Date,
}

/// A plan (`Plan`).
#[derive(Clone)]
pub struct PlanObj(pub Plan);

#[Object(name = "Plan")]
impl PlanObj {
    async fn id(&self) -> ID {
        ID(self.0.id.stream())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn region(&self) -> &str {
        &self.0.region
    }
    async fn issuer(&self) -> Option<&str> {
        self.0.issuer.as_deref()
    }
    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }
    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }
    async fn phases(&self) -> Vec<PhaseObj> {
        self.0
            .phases
            .iter()
            .map(|p| PhaseObj {
                name: p.name.clone(),
                starts: Date(p.starts),
                ends: Date(p.ends),
            })
            .collect()
    }
    async fn version(&self) -> i32 {
        self.0.version as i32
    }
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<TaskConnection> {
        let mut query = filter.unwrap_or_default().into_query()?;
        query.plan_id = Some(self.0.id);
        task_connection(ctx, query, first, after, false)
    }
}

/// A plan from the read model.
pub fn plan(ctx: &Context<'_>, id: PlanId) -> Option<PlanObj> {
    app(ctx)
        .read
        .read(|m| m.plans.get(&id).cloned())
        .map(PlanObj)
}

/// What a rectification item is about.
#[derive(SimpleObject, Clone)]
#[graphql(name = "RectificationDetail")]
pub struct RectificationDetailObj {
    source: SourceGql,
    finding: String,
    standard: Option<String>,
    measured: Option<String>,
    unit: Option<String>,
    severity: i32,
}

/// A task (`Task`): a measure, a milestone or a rectification item.
///
/// The one gate on the way from a task to a client: a `TaskObj` is made only by
/// [`TaskObj::seen_by`] (and [`shown`], [`shown_all`] over it), which applies
/// [`super::context::Viewer::can_see`]. So every path a department can reach a task by
/// (a query, a nested field such as `parent`, the board's agenda, a mutation's answer,
/// an import's result) shows it only the tasks it is lead or cooperating on.
#[derive(Clone)]
pub struct TaskObj(Task);

impl TaskObj {
    /// `task` if `viewer` may see it.
    pub fn seen_by(viewer: &Viewer, task: Task) -> Option<Self> {
        viewer.can_see(&task).then_some(Self(task))
    }

    /// The task.
    pub fn task(&self) -> &Task {
        &self.0
    }
}

/// `task` for this request's viewer, or FORBIDDEN.
pub fn shown(ctx: &Context<'_>, task: Task) -> async_graphql::Result<TaskObj> {
    TaskObj::seen_by(viewer(ctx)?, task).ok_or_else(forbidden_task)
}

/// The tasks of `tasks` this request's viewer may see, in order.
pub fn shown_all(
    ctx: &Context<'_>,
    tasks: impl IntoIterator<Item = Task>,
) -> async_graphql::Result<Vec<TaskObj>> {
    let viewer = viewer(ctx)?;
    Ok(tasks
        .into_iter()
        .filter_map(|task| TaskObj::seen_by(viewer, task))
        .collect())
}

/// The refusal of a task the viewer may not see.
pub fn forbidden_task() -> async_graphql::Error {
    super::context::to_gql(
        duban_domain::DomainError::forbidden(
            "your department is neither lead nor cooperating on this task",
        )
        .into(),
    )
}

#[Object(name = "Task")]
impl TaskObj {
    async fn id(&self) -> ID {
        ID(self.0.id.stream())
    }
    async fn kind(&self) -> TaskKindGql {
        self.0.kind.into()
    }
    async fn plan(&self, ctx: &Context<'_>) -> Option<PlanObj> {
        self.0.plan_id.and_then(|p| plan(ctx, p))
    }
    /// The measure a milestone belongs to; FORBIDDEN to a department not on it.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TaskObj>> {
        let Some(id) = self.0.parent else {
            return Ok(None);
        };
        app(ctx)
            .read
            .read(|m| m.tasks.get(&id).map(|v| v.task.clone()))
            .map(|task| shown(ctx, task))
            .transpose()
    }
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn status(&self) -> TaskStatusGql {
        self.0.status.into()
    }
    async fn lead(&self, ctx: &Context<'_>) -> Option<DepartmentObj> {
        self.0.lead.and_then(|d| department(ctx, d))
    }
    async fn cooperating(&self, ctx: &Context<'_>) -> Vec<DepartmentObj> {
        self.0
            .cooperating
            .iter()
            .filter_map(|d| department(ctx, *d))
            .collect()
    }
    async fn due(&self) -> Option<Date> {
        self.0.due.map(Date)
    }
    async fn overdue(&self) -> bool {
        self.0.overdue()
    }
    async fn closed_late(&self) -> bool {
        self.0.closed_late
    }
    async fn escalated(&self) -> bool {
        self.0.escalated
    }
    async fn progress(&self) -> i32 {
        i32::from(self.0.progress)
    }
    async fn last_progress_at(&self) -> Option<Instant> {
        self.0.last_progress_at.map(Instant)
    }
    async fn rectification(&self) -> Option<RectificationDetailObj> {
        self.0
            .rectification
            .as_ref()
            .map(|r| RectificationDetailObj {
                source: r.source.into(),
                finding: r.finding.clone(),
                standard: r.standard.clone(),
                measured: r.measured.clone(),
                unit: r.unit.clone(),
                severity: i32::from(r.severity),
            })
    }
    async fn version(&self) -> i32 {
        self.0.version as i32
    }
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        // The same rule as the root `history`: departments never read the event log.
        viewer(ctx)?.require_office_or_auditor("the history of a task")?;
        stream_history(ctx, &self.0.id.stream(), first, after).await
    }
}

/// One stored event (`DomainEvent`).
#[derive(Clone)]
pub struct EventObj(pub RecordedEvent);

#[Object(name = "DomainEvent")]
impl EventObj {
    async fn position(&self) -> String {
        self.0.position.to_string()
    }
    async fn stream_id(&self) -> &str {
        &self.0.stream_id
    }
    async fn version(&self) -> i32 {
        self.0.stream_version as i32
    }
    #[graphql(name = "type")]
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }
    async fn recorded_at(&self) -> Instant {
        Instant(self.0.recorded_at)
    }
    async fn actor(&self) -> &str {
        &self.0.metadata.actor
    }
    async fn role(&self) -> Option<RoleGql> {
        self.0
            .metadata
            .role
            .as_deref()
            .and_then(Role::parse)
            .and_then(RoleGql::from_domain)
    }
    async fn department(&self, ctx: &Context<'_>) -> Option<DepartmentObj> {
        let raw = self.0.metadata.department_id.as_deref()?;
        department(ctx, DepartmentId::parse("department", raw).ok()?)
    }
    /// The event's data at the current schema version.
    async fn data(&self) -> Json<serde_json::Value> {
        Json(match decode(&self.0) {
            Ok(event) => event.payload(),
            Err(_) => self.0.payload.clone(),
        })
    }
}

/// An edge of a task list.
#[derive(SimpleObject, Clone)]
pub struct TaskEdge {
    cursor: String,
    node: TaskObj,
}

/// A page of tasks.
#[derive(SimpleObject, Clone)]
pub struct TaskConnection {
    edges: Vec<TaskEdge>,
    nodes: Vec<TaskObj>,
    page_info: PageInfo,
    total_count: i32,
}

/// An edge of an event list.
#[derive(SimpleObject, Clone)]
pub struct EventEdge {
    cursor: String,
    node: EventObj,
}

/// A page of events.
#[derive(SimpleObject, Clone)]
pub struct EventConnection {
    edges: Vec<EventEdge>,
    nodes: Vec<EventObj>,
    page_info: PageInfo,
}

impl EventConnection {
    /// A page from events already sliced, with whether more follow.
    pub fn new(
        events: Vec<RecordedEvent>,
        cursor: impl Fn(&RecordedEvent) -> String,
        has_next_page: bool,
    ) -> Self {
        let edges: Vec<EventEdge> = events
            .into_iter()
            .map(|e| EventEdge {
                cursor: cursor(&e),
                node: EventObj(e),
            })
            .collect();
        Self {
            nodes: edges.iter().map(|e| e.node.clone()).collect(),
            page_info: PageInfo {
                has_next_page,
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
        }
    }
}

/// A page of the tasks matching `query` that the viewer may see. With `ledger`, only
/// rectification items (the 整改台账 order).
pub fn task_connection(
    ctx: &Context<'_>,
    mut query: TaskQuery,
    first: Option<i32>,
    after: Option<String>,
    ledger: bool,
) -> async_graphql::Result<TaskConnection> {
    let viewer = viewer(ctx)?;
    if viewer.token.role == Role::Department {
        let own = viewer.token.department;
        if query.department_id.is_some() && query.department_id != own {
            return Err(super::context::to_gql(
                duban_domain::DomainError::forbidden(
                    "a department sees only its own tasks; leave departmentId out or give your own",
                )
                .into(),
            ));
        }
        query.department_id = own;
    }
    let tasks: Vec<(String, Task)> = app(ctx).read.read(|m| {
        let views = if ledger {
            duban_projections::rectification_ledger(m, &query)
        } else {
            duban_projections::filter_tasks(m, &query)
        };
        views
            .into_iter()
            .filter(|v| viewer.can_see(&v.task))
            .map(|v| (v.task.id.stream(), v.task.clone()))
            .collect()
    });
    let total = tasks.len();
    let (page, page_info) = slice(tasks, first, after.as_deref()).gql()?;
    let edges: Vec<TaskEdge> = page
        .into_iter()
        .map(|(cursor, task)| TaskEdge {
            cursor,
            node: TaskObj(task),
        })
        .collect();
    Ok(TaskConnection {
        nodes: edges.iter().map(|e| e.node.clone()).collect(),
        edges,
        page_info,
        total_count: total as i32,
    })
}

/// Every event of one stream, oldest first, paged by stream version.
pub async fn stream_history(
    ctx: &Context<'_>,
    stream_id: &str,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<EventConnection> {
    let size = super::page::page_size(first).gql()?;
    // PostgreSQL text cannot hold NUL (and no stream name does).
    if stream_id.contains('\0') {
        return Err(super::context::to_gql(crate::error::ServiceError::invalid(
            "streamId",
            "must not contain the NUL character",
        )));
    }
    let after_version: i64 = match after.as_deref() {
        None => 0,
        Some(c) => c.parse().map_err(|_| {
            super::context::to_gql(crate::error::ServiceError::invalid(
                "after",
                format!("'{c}' is not a cursor of this history"),
            ))
        })?,
    };
    let events = app(ctx)
        .store
        .read_stream(stream_id, StreamBound::All)
        .await
        .gql()?;
    let mut rest: Vec<RecordedEvent> = events
        .into_iter()
        .filter(|e| e.stream_version > after_version)
        .collect();
    let has_next = rest.len() > size;
    rest.truncate(size);
    Ok(EventConnection::new(
        rest,
        |e| e.stream_version.to_string(),
        has_next,
    ))
}

/// A task id from the API.
pub fn task_id(raw: &str) -> async_graphql::Result<TaskId> {
    TaskId::parse("id", raw).map_err(|e| super::context::to_gql(e.into()))
}
