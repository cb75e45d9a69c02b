//! Queries over the read models, the event log and the stream history.

use async_graphql::{Context, ID, Object, SimpleObject};

use duban_domain::aggregate::Aggregate;
use duban_domain::ids::{DepartmentId, PlanId};
use duban_domain::task::Task;
use duban_domain::{DomainError, Role};
use duban_projections::TaskQuery;
use duban_store::StreamBound;

use super::board::BoardObj;
use super::context::{GqlResult, app, to_gql, viewer};
use super::enums::RoleGql;
use super::inputs::TaskFilter;
use super::readmodels::DispatchObj;
use super::scalars::Instant;
use super::types::{
    DepartmentObj, EventConnection, PlanObj, TaskConnection, TaskObj, department, shown, shown_all,
    stream_history, task_connection, task_id,
};
use crate::commands::decode;
use crate::error::ServiceError;

/// The root query type.
pub struct Query;

/// Who is asking.
#[derive(SimpleObject)]
#[graphql(name = "Viewer")]
pub struct ViewerObj {
    name: String,
    role: RoleGql,
    /// Set for the DEPARTMENT role.
    department: Option<DepartmentObj>,
}

/// The result of checking the log's hash chains and positions.
#[derive(SimpleObject)]
pub struct IntegrityReport {
    ok: bool,
    events_checked: String,
    /// Global position of the first event whose hash does not match, when not ok.
    first_broken_position: Option<String>,
}

#[Object]
impl Query {
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<ViewerObj> {
        let viewer = viewer(ctx)?;
        Ok(ViewerObj {
            name: viewer.token.name.clone(),
            role: RoleGql::from_domain(viewer.token.role).unwrap_or(RoleGql::Auditor),
            department: viewer.token.department.and_then(|d| department(ctx, d)),
        })
    }

    async fn departments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DepartmentObj>> {
        viewer(ctx)?;
        let mut all: Vec<_> = app(ctx)
            .read
            .read(|m| m.departments.values().cloned().collect::<Vec<_>>());
        all.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(all.into_iter().map(DepartmentObj).collect())
    }

    async fn plans(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PlanObj>> {
        viewer(ctx)?;
        let all = app(ctx)
            .read
            .read(|m| m.plans.values().cloned().collect::<Vec<_>>());
        Ok(all.into_iter().map(PlanObj).collect())
    }

    /// Reads a plan document as `importPlan` would, and records nothing.
    async fn preview_plan_import(
        &self,
        ctx: &Context<'_>,
        input: super::inputs::ImportPlanInput,
    ) -> async_graphql::Result<super::import::PlanImportPreviewObj> {
        super::import::preview_plan_import(ctx, input).await
    }

    async fn plan(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<PlanObj>> {
        viewer(ctx)?;
        let id = PlanId::parse("id", &id).gql()?;
        Ok(super::types::plan(ctx, id))
    }

    async fn task(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<TaskObj>> {
        let id = task_id(&id)?;
        let task = app(ctx)
            .read
            .read(|m| m.tasks.get(&id).map(|v| v.task.clone()));
        task.map(|task| shown(ctx, task)).transpose()
    }

    async fn tasks(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<TaskConnection> {
        let query = filter.unwrap_or_default().into_query()?;
        task_connection(ctx, query, first, after, false)
    }

    /// A department's tasks as lead or cooperating; defaults to the viewer's department.
    async fn worklist(
        &self,
        ctx: &Context<'_>,
        department_id: Option<ID>,
    ) -> async_graphql::Result<Vec<TaskObj>> {
        let viewer = viewer(ctx)?;
        let asked = department_id
            .map(|d| DepartmentId::parse("departmentId", &d))
            .transpose()
            .gql()?;
        let dept = match (viewer.token.role, asked, viewer.token.department) {
            (Role::Department, Some(asked), Some(own)) if asked != own => {
                return Err(to_gql(
                    DomainError::forbidden("a department sees only its own worklist").into(),
                ));
            }
            (_, Some(asked), _) => asked,
            (_, None, Some(own)) => own,
            (_, None, None) => {
                return Err(to_gql(ServiceError::invalid(
                    "departmentId",
                    "name the department whose worklist you want",
                )));
            }
        };
        let tasks: Vec<_> = app(ctx).read.read(|m| {
            duban_projections::worklist(m, dept)
                .into_iter()
                .map(|v| v.task.clone())
                .collect()
        });
        shown_all(ctx, tasks)
    }

    /// The leadership group's scheduling board.
    async fn board(
        &self,
        ctx: &Context<'_>,
        plan_id: Option<ID>,
    ) -> async_graphql::Result<BoardObj> {
        viewer(ctx)?;
        let plan_id = plan_id
            .map(|p| PlanId::parse("planId", &p))
            .transpose()
            .gql()?;
        BoardObj::compute(ctx, plan_id)
    }

    /// Quarterly dispatch, computed from the events up to the end of the quarter.
    async fn quarterly_dispatch(
        &self,
        ctx: &Context<'_>,
        plan_id: Option<ID>,
        year: i32,
        quarter: i32,
    ) -> async_graphql::Result<DispatchObj> {
        viewer(ctx)?;
        let plan_id = plan_id
            .map(|p| PlanId::parse("planId", &p))
            .transpose()
            .gql()?;
        DispatchObj::compute(ctx, plan_id, year, quarter).await
    }

    /// The rectification ledger (整改台账).
    async fn rectification_ledger(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<TaskConnection> {
        let query: TaskQuery = filter.unwrap_or_default().into_query()?;
        task_connection(ctx, query, first, after, true)
    }

    /// Every event of one stream, oldest first. OFFICE and AUDITOR.
    async fn history(
        &self,
        ctx: &Context<'_>,
        stream_id: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        viewer(ctx)?.require_office_or_auditor("the history of a stream")?;
        stream_history(ctx, &stream_id, first, after).await
    }

    /// The global log, oldest first. OFFICE and AUDITOR.
    async fn events(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        first: Option<i32>,
    ) -> async_graphql::Result<EventConnection> {
        viewer(ctx)?.require_office_or_auditor("the global event log")?;
        let size = super::page::page_size(first).gql()?;
        let after_position: i64 = match after.as_deref() {
            None => 0,
            Some(c) => c.parse().ok().filter(|p: &i64| *p >= 0).ok_or_else(|| {
                to_gql(ServiceError::invalid(
                    "after",
                    format!("'{c}' is not a log position"),
                ))
            })?,
        };
        let mut events = app(ctx)
            .store
            .read_all(after_position, size as i64 + 1)
            .await
            .gql()?;
        let has_next = events.len() > size;
        events.truncate(size);
        Ok(EventConnection::new(
            events,
            |e| e.position.to_string(),
            has_next,
        ))
    }

    /// A task as it stood at a moment in the past.
    async fn task_as_of(
        &self,
        ctx: &Context<'_>,
        id: ID,
        at: Instant,
    ) -> async_graphql::Result<Option<TaskObj>> {
        let id = task_id(&id)?;
        let records = app(ctx)
            .store
            .read_stream(&id.stream(), StreamBound::Time(at.0))
            .await
            .gql()?;
        let mut state: Option<Task> = None;
        for rec in &records {
            state = Task::evolve(state, &decode(rec).gql()?);
        }
        state.map(|task| shown(ctx, task)).transpose()
    }

    /// Every school of the 优质均衡 assessment (a SCHOOL department: its own).
    async fn schools(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::assessment::SchoolObj>> {
        super::assessment::schools(ctx)
    }

    /// The assessment of a school year (2024 = the 2024-2025 school year) from the latest surveys; with overrides, a what-if that records nothing.
    async fn assessment(
        &self,
        ctx: &Context<'_>,
        year: i32,
        overrides: Option<Vec<super::assessment::SurveyOverride>>,
    ) -> async_graphql::Result<super::assessment::AssessmentObj> {
        super::assessment::assessment(ctx, year, overrides)
    }

    /// Checks every stream's hash chain and the global positions. OFFICE and AUDITOR.
    async fn verify_integrity(&self, ctx: &Context<'_>) -> async_graphql::Result<IntegrityReport> {
        viewer(ctx)?.require_office_or_auditor("verifying the log")?;
        let report = app(ctx).store.verify().await.gql()?;
        Ok(IntegrityReport {
            ok: report.ok,
            events_checked: report.events_checked.to_string(),
            first_broken_position: report.first_broken_position.map(|p| p.to_string()),
        })
    }

    /// Notification endpoints (removed ones are not listed). OFFICE.
    async fn endpoints(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::endpoints::EndpointObj>> {
        super::endpoints::endpoints(ctx).await
    }

    /// Deliveries of notifications in log order. OFFICE and AUDITOR.
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        endpoint_id: Option<ID>,
        status: Option<super::endpoints::DeliveryStatusGql>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<super::endpoints::DeliveryConnection> {
        super::endpoints::deliveries(ctx, endpoint_id, status, first, after).await
    }
}
