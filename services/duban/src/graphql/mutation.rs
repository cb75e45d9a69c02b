//! Mutations: each runs one command through the command path, as the viewer.

use async_graphql::{Context, ID, Object};

use duban_domain::endpoint::EndpointCommand;

use crate::ops::LifecycleInput;

use super::context::{GqlResult, app, viewer};
use super::endpoints::EndpointObj;
use super::import::ImportPlanPayload;
use super::inputs::*;
use super::lifecycle::on_task;
use super::types::{DepartmentObj, PlanObj, TaskObj, shown};

/// The root mutation type.
pub struct Mutation;

#[Object]
impl Mutation {
    async fn register_department(
        &self,
        ctx: &Context<'_>,
        input: RegisterDepartmentInput,
    ) -> async_graphql::Result<DepartmentObj> {
        let actor = viewer(ctx)?.actor();
        app(ctx)
            .register_department(
                &actor,
                &input.name,
                input.kind.into(),
                input.parent_id.as_ref().map(|p| p.as_str()),
                input.command_id,
            )
            .await
            .gql()
            .map(DepartmentObj)
    }

    async fn draft_plan(
        &self,
        ctx: &Context<'_>,
        input: DraftPlanInput,
    ) -> async_graphql::Result<PlanObj> {
        let actor = viewer(ctx)?.actor();
        let mut input = input;
        let command_id = input.command_id.take();
        app(ctx)
            .draft_plan(&actor, input.into(), command_id)
            .await
            .gql()
            .map(PlanObj)
    }

    /// Reads a plan document (plain text, as in the seeds) into a plan, its measures and
    /// their departments.
    async fn import_plan(
        &self,
        ctx: &Context<'_>,
        input: ImportPlanInput,
    ) -> async_graphql::Result<ImportPlanPayload> {
        super::import::import_plan(ctx, input).await
    }

    /// School statistics (.xlsx or .csv) in; surveys recorded; shortfalls raised as rectification items once. OFFICE.
    async fn import_survey(
        &self,
        ctx: &Context<'_>,
        input: super::assessment::ImportSurveyInput,
    ) -> async_graphql::Result<super::assessment::ImportSurveyPayload> {
        super::assessment::import_survey(ctx, input).await
    }

    /// A government-guarantee item that needs evidence (G1, G2, G6, G7) answered yes or no with a note for a school year; a "no" is raised as one rectification item of the county, a later "yes" noted on it. OFFICE.
    async fn answer_guarantee_item(
        &self,
        ctx: &Context<'_>,
        input: super::guarantee::AnswerGuaranteeItemInput,
    ) -> async_graphql::Result<super::guarantee::AnswerGuaranteeItemPayload> {
        super::guarantee::answer_guarantee_item(ctx, input).await
    }

    async fn define_measure(
        &self,
        ctx: &Context<'_>,
        input: DefineMeasureInput,
    ) -> async_graphql::Result<TaskObj> {
        let actor = viewer(ctx)?.actor();
        let mut input = input;
        let command_id = input.command_id.take();
        app(ctx)
            .define_measure(&actor, input.into(), command_id)
            .await
            .gql()
            .and_then(|task| shown(ctx, task))
    }

    async fn schedule_milestone(
        &self,
        ctx: &Context<'_>,
        input: ScheduleMilestoneInput,
    ) -> async_graphql::Result<TaskObj> {
        let actor = viewer(ctx)?.actor();
        app(ctx)
            .schedule_milestone(
                &actor,
                &input.measure_id,
                input.title,
                input.due.0,
                input.command_id,
            )
            .await
            .gql()
            .and_then(|task| shown(ctx, task))
    }

    async fn raise_rectification(
        &self,
        ctx: &Context<'_>,
        input: RaiseRectificationInput,
    ) -> async_graphql::Result<TaskObj> {
        let actor = viewer(ctx)?.actor();
        let mut input = input;
        let command_id = input.command_id.take();
        app(ctx)
            .raise_rectification(&actor, input.into(), command_id)
            .await
            .gql()
            .and_then(|task| shown(ctx, task))
    }

    async fn assign_task(
        &self,
        ctx: &Context<'_>,
        input: AssignTaskInput,
    ) -> async_graphql::Result<TaskObj> {
        on_task(ctx, input, LifecycleInput::from).await
    }

    async fn report_progress(
        &self,
        ctx: &Context<'_>,
        input: ReportProgressInput,
    ) -> async_graphql::Result<TaskObj> {
        on_task(ctx, input, LifecycleInput::from).await
    }

    async fn submit_for_verification(
        &self,
        ctx: &Context<'_>,
        input: SubmitTaskInput,
    ) -> async_graphql::Result<TaskObj> {
        on_task(ctx, input, LifecycleInput::from).await
    }

    async fn verify_task(
        &self,
        ctx: &Context<'_>,
        input: VerifyTaskInput,
    ) -> async_graphql::Result<TaskObj> {
        on_task(ctx, input, LifecycleInput::from).await
    }

    async fn extend_deadline(
        &self,
        ctx: &Context<'_>,
        input: ExtendDeadlineInput,
    ) -> async_graphql::Result<TaskObj> {
        on_task(ctx, input, LifecycleInput::from).await
    }

    async fn urge_task(
        &self,
        ctx: &Context<'_>,
        input: TaskNoteInput,
    ) -> async_graphql::Result<TaskObj> {
        on_task(ctx, input, |i| LifecycleInput::Urge(i.note)).await
    }

    async fn escalate_task(
        &self,
        ctx: &Context<'_>,
        input: TaskNoteInput,
    ) -> async_graphql::Result<TaskObj> {
        on_task(ctx, input, |i| LifecycleInput::Escalate(i.note)).await
    }

    /// The note is the reason.
    async fn cancel_task(
        &self,
        ctx: &Context<'_>,
        input: TaskNoteInput,
    ) -> async_graphql::Result<TaskObj> {
        on_task(ctx, input, |i| LifecycleInput::Cancel(i.note)).await
    }

    /// The note is the reason.
    async fn reopen_rectification(
        &self,
        ctx: &Context<'_>,
        input: TaskNoteInput,
    ) -> async_graphql::Result<TaskObj> {
        on_task(ctx, input, |i| LifecycleInput::Reopen(i.note)).await
    }

    /// Registers a notification endpoint; a WEBHOOK's secret is shown this once. OFFICE.
    async fn add_endpoint(
        &self,
        ctx: &Context<'_>,
        input: super::endpoints::AddEndpointInput,
    ) -> async_graphql::Result<super::endpoints::AddEndpointPayload> {
        super::endpoints::add_endpoint(ctx, input).await
    }

    /// Stops deliveries to an endpoint; it keeps its place in the log. OFFICE.
    async fn pause_endpoint(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<EndpointObj> {
        super::endpoints::change_endpoint(ctx, &id, EndpointCommand::Pause).await
    }

    /// Delivers again from where the endpoint stopped. OFFICE.
    async fn resume_endpoint(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<EndpointObj> {
        super::endpoints::change_endpoint(ctx, &id, EndpointCommand::Resume).await
    }

    /// Stops deliveries to an endpoint for good. OFFICE.
    async fn remove_endpoint(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<EndpointObj> {
        super::endpoints::change_endpoint(ctx, &id, EndpointCommand::Remove).await
    }
}
