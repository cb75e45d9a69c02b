//! What the assessment reads: the schools, their latest surveys per year, and the
//! county's answers to the guarantee items that need evidence, per year.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use duban_domain::ids::SchoolId;
use duban_domain::school::{Figures, Stage};

use super::catalogue::GuaranteeRule;
use super::{COUNTY, Catalogue, Row, SchoolInfo, Shortfall};

/// The county's latest answer to one guarantee item of a year, and who gave it when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRecord {
    /// Whether the county meets the item.
    pub met: bool,
    /// The office's note.
    pub note: Option<String>,
    /// Who answered (the actor of the event).
    pub by: String,
    /// When the answer was recorded.
    pub at: DateTime<Utc>,
}

/// The schools and their latest surveys per year, and the answers per year.
#[derive(Debug, Clone, Default)]
pub struct SurveyBook {
    /// Every school registered.
    pub schools: BTreeMap<SchoolId, SchoolInfo>,
    /// Per year, the latest figures per school stage.
    pub years: BTreeMap<i32, BTreeMap<(SchoolId, Stage), Figures>>,
    /// Per year, the latest answer per guarantee item code.
    pub answers: BTreeMap<i32, BTreeMap<String, AnswerRecord>>,
}

impl SurveyBook {
    /// The survey rows of a year.
    pub fn rows(&self, year: i32) -> Vec<Row> {
        let Some(surveys) = self.years.get(&year) else {
            return vec![];
        };
        surveys
            .iter()
            .filter_map(|((id, stage), figures)| {
                Some(Row {
                    school: self.schools.get(id)?.clone(),
                    stage: *stage,
                    figures: figures.clone(),
                })
            })
            .collect()
    }

    /// The answer to an item for a year, if the office gave one.
    pub fn answer(&self, year: i32, code: &str) -> Option<&AnswerRecord> {
        self.answers.get(&year)?.get(code)
    }
}

/// The key of a guarantee item answered with evidence: county-wide, across years.
pub fn evidence_key(code: &str) -> String {
    format!("county:{code}")
}

/// Whether `code` is an item the catalogue has answered with evidence.
pub fn is_evidence_item(catalogue: &Catalogue, code: &str) -> bool {
    catalogue
        .guarantees
        .iter()
        .any(|g| g.code == code && g.rule == GuaranteeRule::Evidence)
}

/// An answer as the policy reads it: `None` when met, the shortfall of the county when
/// not. Codes the catalogue does not answer with evidence give `None` as well.
pub fn evidence_shortfall(
    catalogue: &Catalogue,
    year: i32,
    code: &str,
    met: bool,
    note: Option<&str>,
) -> Option<Shortfall> {
    let item = catalogue
        .guarantees
        .iter()
        .find(|g| g.code == code && g.rule == GuaranteeRule::Evidence)?;
    if met {
        return None;
    }
    let measured = match note {
        Some(note) => format!("答复: 未达到 ({note})"),
        None => "答复: 未达到".to_string(),
    };
    Some(Shortfall {
        key: evidence_key(code),
        finding: format!(
            "{COUNTY} {} {} 未达到 ({}学年答复){}",
            item.code,
            item.name,
            year,
            note.map(|n| format!(": {n}")).unwrap_or_default()
        ),
        standard: item.text.clone(),
        measured,
        unit: COUNTY.into(),
    })
}
