//! The 优质均衡 assessment in the API: `schools`, `assessment(year, overrides)` (a
//! what-if with overrides, recording nothing) and `importSurvey`; the items answered
//! with evidence are in [`super::guarantee`].
//!
//! Who sees what: the office and auditors everything; a department of kind SCHOOL its
//! own school's rows (matched by name) and no county coefficients; other departments
//! nothing (FORBIDDEN).

use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, InputObject, Json, Object, SimpleObject};

use duban_domain::department::DepartmentKind;
use duban_domain::ids::SchoolId;
use duban_domain::school::{Field, SchoolKind, Stage};
use duban_projections::assessment::{self as model, Row, SchoolInfo, assess};

use super::context::{GqlResult, app, to_gql, viewer};
use super::file::FileInput;
use super::types::{DepartmentObj, TaskObj};
use crate::error::ServiceError;
use crate::ops::survey::SurveyImport;

/// Kinds of school.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "SchoolKind", remote = "SchoolKind")]
pub enum SchoolKindGql {
    /// 小学.
    Primary,
    /// 初中.
    Junior,
    /// 九年一贯制.
    NineYear,
    /// 十二年一贯制.
    TwelveYear,
    /// 教学点.
    TeachingPoint,
    /// 特殊教育学校.
    Special,
}

/// 学段.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Stage", remote = "Stage")]
pub enum StageGql {
    /// 小学.
    Primary,
    /// 初中.
    Junior,
}

/// A school (`School`).
#[derive(Clone)]
pub struct SchoolObj(pub SchoolInfo);

#[Object(name = "School")]
impl SchoolObj {
    async fn id(&self) -> ID {
        ID(self.0.id.stream())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> SchoolKindGql {
        self.0.kind.into()
    }
    async fn township(&self) -> Option<&str> {
        self.0.township.as_deref()
    }
    /// The department that reports for the school, when registered: the SCHOOL
    /// department of the same name.
    async fn department(&self, ctx: &Context<'_>) -> Option<DepartmentObj> {
        app(ctx).read.read(|m| {
            m.departments
                .values()
                .find(|d| d.kind == DepartmentKind::School && d.name == self.0.name)
                .cloned()
                .map(DepartmentObj)
        })
    }
}

/// One indicator of a school stage.
#[derive(SimpleObject)]
#[graphql(name = "IndicatorResult")]
pub struct IndicatorResultObj {
    code: String,
    name: String,
    value: Option<f64>,
    threshold: f64,
    unit: String,
    meets: bool,
    /// How much is missing, in the indicator's unit (per student or per 100 where the value is); 0 when met.
    shortfall: f64,
    /// How much is missing in whole units: teachers, ㎡, 元, rooms; 0 when met.
    missing: f64,
    /// The unit of `missing`.
    missing_unit: String,
    /// The standard, in words.
    standard: String,
    /// The measured figures, in words.
    measured: String,
}

impl From<model::IndicatorResult> for IndicatorResultObj {
    fn from(i: model::IndicatorResult) -> Self {
        Self {
            code: i.code,
            name: i.name,
            value: i.value,
            threshold: i.threshold,
            unit: i.unit,
            meets: i.meets,
            shortfall: i.shortfall,
            missing: i.missing,
            missing_unit: i.missing_unit,
            standard: i.standard,
            measured: i.measured,
        }
    }
}

/// A school stage's assessment.
#[derive(SimpleObject)]
#[graphql(name = "SchoolAssessment")]
pub struct SchoolAssessmentObj {
    school: SchoolObj,
    stage: StageGql,
    students: i32,
    indicators: Vec<IndicatorResultObj>,
    /// Of R1-R7.
    meets_count: i32,
    /// At least 6 of R1-R7 met and the remaining one at least 85 % of its threshold.
    passes: bool,
    excluded: bool,
    excluded_reason: Option<String>,
}

/// One coefficient of the county.
#[derive(SimpleObject)]
#[graphql(name = "CoefficientResult")]
pub struct CoefficientResultObj {
    code: String,
    stage: StageGql,
    /// The student-weighted difference coefficient.
    cv: f64,
    limit: f64,
    meets: bool,
    /// The indicator's name.
    name: String,
    /// The unweighted σ/μ over the schools' ratios, for comparison only (never a verdict).
    unweighted: f64,
    /// How many schools were counted.
    schools: i32,
}

/// A county's year.
#[derive(SimpleObject)]
#[graphql(name = "Assessment")]
pub struct AssessmentObj {
    year: i32,
    schools: Vec<SchoolAssessmentObj>,
    coefficients: Vec<CoefficientResultObj>,
    /// Every school passes and every coefficient meets its limit.
    passes: bool,
    /// The items answered with evidence (yes/no and a note), listed with their text.
    evidence_items: Vec<super::guarantee::GuaranteeItem>,
    /// The indicator catalogue's edition.
    catalogue_version: String,
}

/// Replaces some figures of one school's survey in a what-if.
#[derive(InputObject)]
pub struct SurveyOverride {
    school_id: ID,
    stage: Option<StageGql>,
    figures: Json<serde_json::Value>,
}

/// `importSurvey`'s input.
#[derive(InputObject)]
pub struct ImportSurveyInput {
    file: FileInput,
    year: i32,
    dry_run: Option<bool>,
    command_id: Option<String>,
}

/// What `importSurvey` did.
#[derive(SimpleObject)]
pub struct ImportSurveyPayload {
    schools_created: Vec<SchoolObj>,
    surveys_recorded: i32,
    /// Rectification items raised for shortfalls by this import.
    rectifications_raised: Vec<TaskObj>,
    /// Row, column and value of each cell that could not be read; nothing is recorded when any.
    problems: Vec<String>,
}

/// Which schools the viewer may see: `None` for all.
fn visible_school(ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
    app(ctx).assessment_scope(&viewer(ctx)?.token).gql()
}

/// `schools`.
pub fn schools(ctx: &Context<'_>) -> async_graphql::Result<Vec<SchoolObj>> {
    let only = visible_school(ctx)?;
    let book = app(ctx).assessment.book();
    let mut all: Vec<SchoolInfo> = book
        .schools
        .values()
        .filter(|s| only.as_ref().is_none_or(|n| *n == s.name))
        .cloned()
        .collect();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all.into_iter().map(SchoolObj).collect())
}

/// `assessment(year, overrides)`.
pub fn assessment(
    ctx: &Context<'_>,
    year: i32,
    overrides: Option<Vec<SurveyOverride>>,
) -> async_graphql::Result<AssessmentObj> {
    let only = visible_school(ctx)?;
    let assessments = &app(ctx).assessment;
    let catalogue = assessments.catalogue();
    let mut rows = assessments.book().rows(year);
    for o in overrides.unwrap_or_default() {
        apply_override(&mut rows, &o).gql()?;
    }
    let a = assess(catalogue, year, &rows);
    let coefficients = if only.is_some() {
        vec![]
    } else {
        a.coefficients
            .into_iter()
            .map(|c| CoefficientResultObj {
                code: c.code,
                stage: c.stage.into(),
                cv: c.cv,
                limit: c.limit,
                meets: c.meets,
                name: c.name,
                unweighted: c.unweighted,
                schools: c.schools as i32,
            })
            .collect()
    };
    let schools = a
        .schools
        .into_iter()
        .filter(|s| only.as_ref().is_none_or(|n| *n == s.school.name))
        .map(|s| SchoolAssessmentObj {
            school: SchoolObj(s.school),
            stage: s.stage.into(),
            students: s.students as i32,
            indicators: s.indicators.into_iter().map(Into::into).collect(),
            meets_count: s.meets_count as i32,
            passes: s.passes,
            excluded: s.excluded.is_some(),
            excluded_reason: s.excluded,
        })
        .collect();
    let evidence_items =
        super::guarantee::evidence_items(catalogue, &assessments.book(), year, only.is_none());
    Ok(AssessmentObj {
        year,
        schools,
        coefficients,
        passes: a.passes,
        evidence_items,
        catalogue_version: catalogue.version.clone(),
    })
}

fn apply_override(rows: &mut [Row], o: &SurveyOverride) -> Result<(), ServiceError> {
    let id = SchoolId::parse("schoolId", &o.school_id)?;
    let stage: Option<Stage> = o.stage.map(Into::into);
    let serde_json::Value::Object(figures) = &o.figures.0 else {
        return Err(ServiceError::invalid(
            "figures",
            "must be an object keyed by survey table headers, e.g. {\"音乐专用教室最小面积\": 96}",
        ));
    };
    let mut parsed: HashMap<Field, f64> = HashMap::new();
    for (header, value) in figures {
        let field = Field::from_header(header).ok_or_else(|| {
            ServiceError::invalid(
                "figures",
                format!("'{header}' is not a survey table header"),
            )
        })?;
        let number = value
            .as_f64()
            .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
            .filter(|n: &f64| n.is_finite() && *n >= 0.0)
            .ok_or_else(|| {
                ServiceError::invalid(
                    "figures",
                    format!("{header}: {value} is not a number of 0 or more"),
                )
            })?;
        parsed.insert(field, number);
    }
    let mut hit = false;
    for row in rows
        .iter_mut()
        .filter(|r| r.school.id == id && stage.is_none_or(|s| s == r.stage))
    {
        hit = true;
        for (field, value) in &parsed {
            row.figures.set(*field, *value);
        }
    }
    if hit {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "schoolId",
            format!(
                "{} has no survey of that year and stage",
                o.school_id.as_str()
            ),
        ))
    }
}

/// `importSurvey`.
pub async fn import_survey(
    ctx: &Context<'_>,
    input: ImportSurveyInput,
) -> async_graphql::Result<ImportSurveyPayload> {
    let actor = viewer(ctx)?.actor();
    // Checked again by the import; here first on purpose, so a sender who may not
    // import does not make the server decode the file.
    actor
        .require_office("import a school survey")
        .map_err(|e| to_gql(e.into()))?;
    let bytes = input.file.decode().gql()?;
    let import = SurveyImport {
        file_name: input.file.name.clone(),
        year: input.year,
        dry_run: input.dry_run.unwrap_or(false),
        columns: Default::default(),
        command_id: input.command_id,
    };
    let done = app(ctx)
        .import_survey(&actor, &bytes, &import)
        .await
        .gql()?;
    Ok(ImportSurveyPayload {
        schools_created: done
            .schools_created
            .into_iter()
            .map(|s| {
                SchoolObj(SchoolInfo {
                    id: s.id,
                    name: s.name,
                    kind: s.kind,
                    township: s.township,
                })
            })
            .collect(),
        surveys_recorded: done.surveys_recorded as i32,
        rectifications_raised: super::types::shown_all(ctx, done.rectifications_raised)?,
        problems: done.problems,
    })
}
