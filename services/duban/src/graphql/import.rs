//! `importPlan` and `previewPlanImport`: a plan document (text or a file of any format
//! the importer reads) in; a preview, or a plan with measures and departments, out.

use async_graphql::{Context, SimpleObject};

use crate::error::ServiceError;
use crate::ops::import_plan::{ImportOptions, ImportedMeasure, PlanImportPreview, preview};

use super::context::{GqlResult, app, viewer};
use super::inputs::ImportPlanInput;
use super::scalars::Date;
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

/// One measure as the importer read it, before anything is recorded.
#[derive(SimpleObject)]
#[graphql(name = "ImportedMeasure")]
pub struct ImportedMeasureObj {
    code: Option<String>,
    title: String,
    /// As printed.
    lead: Option<String>,
    cooperating: Vec<String>,
    due: Option<Date>,
    /// No due date because the text says 长期坚持, 持续推进, 每年 or the like.
    ongoing: bool,
    /// The 1-based line of a text document, or the row of a table, where the measure starts.
    line: i32,
    warnings: Vec<String>,
}

/// What a document reads as, before anything is recorded.
#[derive(SimpleObject)]
#[graphql(name = "PlanImportPreview")]
pub struct PlanImportPreviewObj {
    /// txt, docx, xlsx, xls, csv or pdf.
    format: String,
    /// The text encoding found, for txt and csv (e.g. UTF-8, GB18030, UTF-16LE).
    encoding: Option<String>,
    title: Option<String>,
    measures: Vec<ImportedMeasureObj>,
    /// Every department named, as printed, once each.
    departments: Vec<String>,
    /// Lines that looked like measures but could not be read.
    unrecognised: Vec<String>,
    /// Pass back as ImportPlanInput.previewDigest to record exactly this preview.
    digest: String,
}

impl From<ImportedMeasure> for ImportedMeasureObj {
    fn from(m: ImportedMeasure) -> Self {
        Self {
            code: m.code,
            title: m.title,
            lead: m.lead,
            cooperating: m.cooperating,
            due: m.due.map(Date),
            ongoing: m.ongoing,
            line: m.line,
            warnings: m.warnings,
        }
    }
}

impl From<PlanImportPreview> for PlanImportPreviewObj {
    fn from(p: PlanImportPreview) -> Self {
        Self {
            format: p.format,
            encoding: p.encoding,
            title: p.title,
            measures: p.measures.into_iter().map(Into::into).collect(),
            departments: p.departments,
            unrecognised: p.unrecognised,
            digest: p.digest,
        }
    }
}

/// The document's bytes and the options, from `text` or `file` (exactly one).
fn document(input: ImportPlanInput) -> Result<(Vec<u8>, ImportOptions), ServiceError> {
    let (bytes, file_name) = match (input.text, input.file) {
        (Some(text), None) => (text.into_bytes(), String::new()),
        (None, Some(file)) => (file.decode()?, file.name),
        _ => {
            return Err(ServiceError::invalid(
                "input",
                "give exactly one of `text` and `file`",
            ));
        }
    };
    let options = ImportOptions {
        title: input.title,
        region: input.region,
        command_id: input.command_id,
        file_name,
        preview_digest: input.preview_digest,
    };
    Ok((bytes, options))
}

/// Reads the document as the viewer would import it; records nothing.
pub async fn preview_plan_import(
    ctx: &Context<'_>,
    input: ImportPlanInput,
) -> async_graphql::Result<PlanImportPreviewObj> {
    viewer(ctx)?
        .actor()
        .require_office("preview a plan import")
        .gql()?;
    let (bytes, options) = document(input).gql()?;
    let read = tokio::task::spawn_blocking(move || preview(&bytes, &options))
        .await
        .map_err(|e| ServiceError::Internal(format!("the preview stopped: {e}")))
        .gql()?
        .gql()?;
    Ok(read.into())
}

/// Runs the import as the viewer.
pub async fn import_plan(
    ctx: &Context<'_>,
    input: ImportPlanInput,
) -> async_graphql::Result<ImportPlanPayload> {
    let actor = viewer(ctx)?.actor();
    let (bytes, options) = document(input).gql()?;
    let done = app(ctx)
        .import_plan(&actor, &bytes, options, &|_, _| {})
        .await
        .gql()?;
    Ok(ImportPlanPayload {
        plan: PlanObj(done.plan),
        measures: super::types::shown_all(ctx, done.measures)?,
        departments_created: done
            .departments_created
            .into_iter()
            .map(DepartmentObj)
            .collect(),
        unrecognised: done.unrecognised,
    })
}
