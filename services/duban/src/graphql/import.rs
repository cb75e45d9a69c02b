//! `importPlan`: a plan document in, a plan with measures and departments out.

use async_graphql::{Context, SimpleObject};

use crate::ops::import_plan::ImportOptions;

use super::context::{GqlResult, app, viewer};
use super::inputs::ImportPlanInput;
use super::types::{DepartmentObj, PlanObj, TaskObj};

/// What an import created.
#[derive(SimpleObject)]
pub struct ImportPlanPayload {
    plan: PlanObj,
    measures: Vec<TaskObj>,
    departments_created: Vec<DepartmentObj>,
    /// Lines that looked like measures but could not be read.
    unrecognised: Vec<String>,
}

/// Runs the import as the viewer.
pub async fn import_plan(
    ctx: &Context<'_>,
    input: ImportPlanInput,
) -> async_graphql::Result<ImportPlanPayload> {
    let actor = viewer(ctx)?.actor();
    let options = ImportOptions {
        title: input.title,
        region: input.region,
        command_id: input.command_id,
    };
    let done = app(ctx)
        .import_plan(&actor, input.text.as_bytes(), options, &|_, _| {})
        .await
        .gql()?;
    Ok(ImportPlanPayload {
        plan: PlanObj(done.plan),
        measures: done.measures.into_iter().map(TaskObj).collect(),
        departments_created: done
            .departments_created
            .into_iter()
            .map(DepartmentObj)
            .collect(),
        unrecognised: done.unrecognised,
    })
}
