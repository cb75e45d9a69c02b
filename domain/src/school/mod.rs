//! School (学校) in the 优质均衡 assessment: registered once, surveyed each school year.
//!
//! - [`figures`]: the raw figures of one stage's survey, named by the table's headers.
//! - here: [`SchoolKind`], [`Stage`], the events [`SchoolRegistered`] and
//!   [`SchoolSurveyed`], and the [`School`] aggregate.
//!
//! A school's id is derived from its name ([`School::id_for`]), so two importers that
//! meet the same name create one school. A survey of a year and stage that was surveyed
//! before supersedes it (both stay in the stream); the same figures again record nothing.

pub mod figures;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::aggregate::Aggregate;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{SchoolId, derived_uuid};
use crate::validate::{optional_text, required_text};

pub use figures::{Field, Figures, Num};

/// Kinds of school (学校类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SchoolKind {
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

impl SchoolKind {
    /// Reads the table's name for a kind (小学, 初中, 九年一贯制, …).
    pub fn from_label(label: &str) -> Option<SchoolKind> {
        Some(match label.trim() {
            "小学" => SchoolKind::Primary,
            "初中" | "初级中学" => SchoolKind::Junior,
            "九年一贯制" | "九年一贯制学校" => SchoolKind::NineYear,
            "十二年一贯制" | "十二年一贯制学校" => SchoolKind::TwelveYear,
            "教学点" => SchoolKind::TeachingPoint,
            "特殊教育学校" | "特殊教育" => SchoolKind::Special,
            _ => return None,
        })
    }

    /// The stages a school of this kind may report.
    pub fn stages(self) -> &'static [Stage] {
        match self {
            SchoolKind::Primary | SchoolKind::TeachingPoint => &[Stage::Primary],
            SchoolKind::Junior => &[Stage::Junior],
            SchoolKind::NineYear | SchoolKind::TwelveYear | SchoolKind::Special => {
                &[Stage::Primary, Stage::Junior]
            }
        }
    }
}

/// 学段: the compulsory-education stages assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Stage {
    /// 小学.
    Primary,
    /// 初中.
    Junior,
}

impl Stage {
    /// Reads 小学 / 初中.
    pub fn from_label(label: &str) -> Option<Stage> {
        match label.trim() {
            "小学" => Some(Stage::Primary),
            "初中" => Some(Stage::Junior),
            _ => None,
        }
    }

    /// 小学 / 初中.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Primary => "小学",
            Stage::Junior => "初中",
        }
    }
}

/// A school was registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolRegistered {
    /// The school.
    pub school_id: SchoolId,
    /// 学校名称.
    pub name: String,
    /// 学校类型.
    pub kind: SchoolKind,
    /// 所属乡镇.
    pub township: Option<String>,
}

/// Where a survey's figures were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySource {
    /// The file's name.
    pub file: String,
    /// The row in the file, 1-based, counting the header row.
    pub row: u32,
}

/// One stage of a school was surveyed for a school year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolSurveyed {
    /// The school.
    pub school_id: SchoolId,
    /// The school year by its first calendar year (2024 = 2024-2025).
    pub year: i32,
    /// The stage.
    pub stage: Stage,
    /// The raw figures.
    pub figures: Figures,
    /// Where they came from.
    pub source: SurveySource,
    /// True when it supersedes an earlier survey of the same year and stage.
    pub corrects: bool,
}

/// The state of a school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    /// Its id.
    pub id: SchoolId,
    /// 学校名称.
    pub name: String,
    /// 学校类型.
    pub kind: SchoolKind,
    /// 所属乡镇.
    pub township: Option<String>,
    /// The latest figures per (year, stage).
    pub surveys: BTreeMap<(i32, Stage), Figures>,
    /// Stream version.
    pub version: i64,
}

impl School {
    /// The id a school of this name has: the same on every server and in every import.
    pub fn id_for(name: &str) -> SchoolId {
        SchoolId(derived_uuid(&format!("school:{}", name.trim())))
    }
}

/// Commands on a school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchoolCommand {
    /// Register a school (its id is [`School::id_for`] its name).
    Register {
        /// 学校名称.
        name: String,
        /// 学校类型.
        kind: SchoolKind,
        /// 所属乡镇.
        township: Option<String>,
    },
    /// Record one stage's survey for a year.
    Survey {
        /// The school year.
        year: i32,
        /// The stage.
        stage: Stage,
        /// The figures.
        figures: Figures,
        /// Where they came from.
        source: SurveySource,
    },
}

/// The school years a survey may be for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

impl Aggregate for School {
    type Command = SchoolCommand;
    const STREAM_TYPE: &'static str = "school";

    fn decide(
        state: Option<&Self>,
        command: &SchoolCommand,
        actor: &Actor,
        _now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError> {
        match command {
            SchoolCommand::Register {
                name,
                kind,
                township,
            } => {
                actor.require_office("register a school")?;
                if let Some(existing) = state {
                    return Err(DomainError::VersionConflict {
                        expected: 0,
                        actual: existing.version,
                    });
                }
                let name = required_text("name", name, 100)?;
                Ok(vec![Event::SchoolRegistered(SchoolRegistered {
                    school_id: School::id_for(&name),
                    name,
                    kind: *kind,
                    township: optional_text("township", township.as_deref(), 100)?,
                })])
            }
            SchoolCommand::Survey {
                year,
                stage,
                figures,
                source,
            } => {
                actor.require_office("record a school survey")?;
                let Some(school) = state else {
                    return Err(DomainError::NotFound {
                        what: "school",
                        id: "?".into(),
                    });
                };
                if !YEARS.contains(year) {
                    return Err(DomainError::invalid(
                        "year",
                        format!("{year} is not a school year between 2000 and 2100"),
                    ));
                }
                if !school.kind.stages().contains(stage) {
                    return Err(DomainError::invalid(
                        "stage",
                        format!("{} has no {} stage", school.name, stage.label()),
                    ));
                }
                figures.check().map_err(|(field, reason)| {
                    DomainError::invalid("figures", format!("{}: {reason}", field.header()))
                })?;
                let previous = school.surveys.get(&(*year, *stage));
                if previous == Some(figures) {
                    return Ok(vec![]);
                }
                Ok(vec![Event::SchoolSurveyed(SchoolSurveyed {
                    school_id: school.id,
                    year: *year,
                    stage: *stage,
                    figures: figures.clone(),
                    source: source.clone(),
                    corrects: previous.is_some(),
                })])
            }
        }
    }

    fn evolve(state: Option<Self>, event: &Event) -> Option<Self> {
        match (state, event) {
            (None, Event::SchoolRegistered(e)) => Some(School {
                id: e.school_id,
                name: e.name.clone(),
                kind: e.kind,
                township: e.township.clone(),
                surveys: BTreeMap::new(),
                version: 1,
            }),
            (Some(mut school), event) => {
                if let Event::SchoolSurveyed(e) = event {
                    school.surveys.insert((e.year, e.stage), e.figures.clone());
                }
                school.version += 1;
                Some(school)
            }
            (None, _) => None,
        }
    }

    fn version(&self) -> i64 {
        self.version
    }
}

#[cfg(test)]
mod tests;
