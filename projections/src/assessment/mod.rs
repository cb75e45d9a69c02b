//! The 优质均衡 assessment as a pure projection of school surveys.
//!
//! - [`catalogue`]: the indicator catalogue (versioned data, checked at load).
//! - [`compute`]: one school stage: R1-R7, the 6-of-7 + 85 % verdict, G3-G5.
//! - [`coefficient`]: the student-weighted difference coefficient.
//! - here: [`assess`], a county's year: every school stage, the coefficients per stage
//!   and indicator with the excluded schools named, and [`Shortfall`]s.
//! - [`book`]: what the assessment reads (surveys, answers to the guarantee items) and
//!   how an answer becomes a shortfall.
//! - [`policy`]: the process manager that turns shortfalls into rectification items once.

pub mod book;
pub mod catalogue;
pub mod coefficient;
pub mod compute;
pub mod policy;

use duban_domain::ids::SchoolId;
use duban_domain::school::{Field, Figures, SchoolKind, Stage};

pub use catalogue::{Catalogue, CatalogueError};
pub use compute::IndicatorResult;

/// Who a school is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolInfo {
    /// Its id.
    pub id: SchoolId,
    /// 学校名称.
    pub name: String,
    /// 学校类型.
    pub kind: SchoolKind,
    /// 所属乡镇.
    pub township: Option<String>,
}

/// One survey row: a school stage's figures for the year assessed.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The school.
    pub school: SchoolInfo,
    /// The stage.
    pub stage: Stage,
    /// The figures.
    pub figures: Figures,
}

/// A school stage's assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolAssessment {
    /// The school.
    pub school: SchoolInfo,
    /// The stage.
    pub stage: Stage,
    /// 在校学生数.
    pub students: f64,
    /// R1-R7, then the computed G-items.
    pub indicators: Vec<IndicatorResult>,
    /// Of R1-R7.
    pub meets_count: usize,
    /// 6 of 7 and the rest at least 85 %.
    pub passes: bool,
    /// Why it is left out of the coefficients (and raises no item), if it is.
    pub excluded: Option<String>,
}

/// One coefficient of the county.
#[derive(Debug, Clone, PartialEq)]
pub struct CoefficientResult {
    /// R1-R7.
    pub code: String,
    /// The indicator's name.
    pub name: String,
    /// The stage.
    pub stage: Stage,
    /// Student-weighted; 0 when undefined (no students or nothing of the quantity).
    pub cv: f64,
    /// The unweighted σ/μ, for comparison only.
    pub unweighted: f64,
    /// 0.50 / 0.45.
    pub limit: f64,
    /// cv ≤ limit.
    pub meets: bool,
    /// How many schools were counted.
    pub schools: usize,
}

/// A county's year.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The school year.
    pub year: i32,
    /// Every school stage surveyed, in name then stage order.
    pub schools: Vec<SchoolAssessment>,
    /// Per stage and indicator.
    pub coefficients: Vec<CoefficientResult>,
    /// Every counted school stage passes and every coefficient meets its limit.
    pub passes: bool,
}

/// A failing indicator or item that should be a rectification item.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    /// What identifies the item across years: `school:<id>:<stage>:<code>`,
    /// `school:<id>:<code>` for school-wide items, `county:<stage>:<code>`.
    pub key: String,
    /// The finding.
    pub finding: String,
    /// The standard.
    pub standard: String,
    /// The measured value.
    pub measured: String,
    /// The school, or 县域 for a coefficient.
    pub unit: String,
}

/// What a key means for a county item.
pub const COUNTY: &str = "县域";

/// Why a school stage is not counted in the coefficients, if it is not.
pub fn exclusion(catalogue: &Catalogue, kind: SchoolKind, students: f64) -> Option<String> {
    let rule = &catalogue.coefficient;
    if rule.excluded_kinds.contains(&kind) {
        return Some("特殊教育学校不计入差异系数".into());
    }
    if kind == SchoolKind::TeachingPoint && students < rule.teaching_point_min_students {
        return Some(format!(
            "教学点在校学生 {students} 人, 少于 {} 人, 不计入差异系数",
            rule.teaching_point_min_students
        ));
    }
    if students <= 0.0 {
        return Some("无在校学生".into());
    }
    None
}

/// The assessment of one year over these rows (at most one per school and stage).
pub fn assess(catalogue: &Catalogue, year: i32, rows: &[Row]) -> Assessment {
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by(|a, b| (&a.school.name, a.stage).cmp(&(&b.school.name, b.stage)));
    let mut schools = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let same_school = |r: &&&Row| r.school.id == row.school.id;
        let school_students: f64 = rows
            .iter()
            .filter(same_school)
            .map(|r| r.figures.get(Field::Students))
            .sum();
        let first_stage = rows.iter().position(|r| same_school(&r)) == Some(i);
        let result = compute::stage(
            catalogue,
            row.school.kind,
            row.stage,
            &row.figures,
            school_students,
            first_stage,
        );
        let students = row.figures.get(Field::Students);
        schools.push(SchoolAssessment {
            school: row.school.clone(),
            stage: row.stage,
            students,
            indicators: result.indicators,
            meets_count: result.meets_count,
            passes: result.passes,
            excluded: exclusion(catalogue, row.school.kind, students),
        });
    }
    let coefficients = coefficients(catalogue, &rows);
    let passes = schools
        .iter()
        .filter(|s| s.excluded.is_none())
        .all(|s| s.passes)
        && coefficients.iter().all(|c| c.meets);
    Assessment {
        year,
        schools,
        coefficients,
        passes,
    }
}

fn coefficients(catalogue: &Catalogue, rows: &[&Row]) -> Vec<CoefficientResult> {
    let mut out = Vec::new();
    for stage in [Stage::Primary, Stage::Junior] {
        let counted: Vec<&Row> = rows
            .iter()
            .copied()
            .filter(|r| r.stage == stage)
            .filter(|r| {
                exclusion(catalogue, r.school.kind, r.figures.get(Field::Students)).is_none()
            })
            .collect();
        if counted.is_empty() {
            continue;
        }
        for r in &catalogue.resources {
            let shares: Vec<coefficient::Share> = counted
                .iter()
                .map(|row| coefficient::Share {
                    students: row.figures.get(Field::Students),
                    total: r.fields().map(|f| row.figures.get(f)).sum::<f64>() * r.per,
                })
                .collect();
            let cv = coefficient::weighted(&shares).unwrap_or(0.0);
            let limit = catalogue.coefficient.limit(stage);
            out.push(CoefficientResult {
                code: r.code.clone(),
                name: r.name.clone(),
                stage,
                cv,
                unweighted: coefficient::unweighted(&shares).unwrap_or(0.0),
                limit,
                meets: cv <= limit,
                schools: counted.len(),
            });
        }
    }
    out
}

/// The key of a school stage's item: school-wide items (G4) leave the stage out.
pub fn school_key(school: SchoolId, stage: Stage, code: &str) -> String {
    if code == "G4" {
        format!("school:{}:{code}", school.0)
    } else {
        format!("school:{}:{stage:?}:{code}", school.0)
    }
}

/// Every failing indicator of a counted school stage, as a shortfall.
pub fn school_shortfalls(year: i32, s: &SchoolAssessment) -> Vec<(String, Option<Shortfall>)> {
    if s.excluded.is_some() {
        return vec![];
    }
    s.indicators
        .iter()
        .map(|i| {
            let key = school_key(s.school.id, s.stage, &i.code);
            let shortfall = (!i.meets).then(|| Shortfall {
                key: key.clone(),
                finding: format!(
                    "{}({}) {} {} 未达标: {}, 缺 {} {} ({}学年调查)",
                    s.school.name,
                    s.stage.label(),
                    i.code,
                    i.name,
                    i.measured,
                    i.missing,
                    i.missing_unit,
                    year
                ),
                standard: i.standard.clone(),
                measured: i.measured.clone(),
                unit: s.school.name.clone(),
            });
            (key, shortfall)
        })
        .collect()
}

/// Every coefficient, failing ones as shortfalls of the county.
pub fn county_shortfalls(year: i32, a: &Assessment) -> Vec<(String, Option<Shortfall>)> {
    a.coefficients
        .iter()
        .map(|c| {
            let key = format!("county:{:?}:{}", c.stage, c.code);
            let shortfall = (!c.meets).then(|| Shortfall {
                key: key.clone(),
                finding: format!(
                    "{}{} {} 校际差异系数 {:.3} 超过 {} ({}学年调查, {} 所学校)",
                    COUNTY,
                    c.stage.label(),
                    c.code,
                    c.cv,
                    c.limit,
                    year,
                    c.schools
                ),
                standard: format!("差异系数 ≤ {}", c.limit),
                measured: format!("差异系数 {:.3}", c.cv),
                unit: COUNTY.into(),
            });
            (key, shortfall)
        })
        .collect()
}

#[cfg(test)]
mod tests;
