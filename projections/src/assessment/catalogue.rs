//! The indicator catalogue: thresholds, limits and rules as versioned data
//! (`projections/catalogue/assessment.toml`), read and checked before use.

use serde::Deserialize;

use duban_domain::school::{Field, SchoolKind, Stage};

/// The catalogue shipped with duban.
pub const BUILTIN: &str = include_str!("../../catalogue/assessment.toml");

/// Why a catalogue cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("indicator catalogue: {0}")]
pub struct CatalogueError(pub String);

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Which edition, e.g. 2017-教督6号.
    pub version: String,
    /// The document it restates.
    pub title: String,
    /// The per-school verdict.
    pub school: SchoolRule,
    /// The county's difference coefficients.
    pub coefficient: CoefficientRule,
    /// R1-R7.
    #[serde(rename = "resource")]
    pub resources: Vec<Resource>,
    /// The government-guarantee items.
    #[serde(rename = "guarantee")]
    pub guarantees: Vec<Guarantee>,
}

/// At least `min_met` resource indicators met, every other at least `floor` of its threshold.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolRule {
    /// 6.
    pub min_met: usize,
    /// 0.85.
    pub floor: f64,
}

/// The coefficient limits and who is left out of them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoefficientRule {
    /// Primary limit (0.50).
    pub primary: f64,
    /// Junior limit (0.45).
    pub junior: f64,
    /// Kinds never counted (special-education schools).
    pub excluded_kinds: Vec<SchoolKind>,
    /// Teaching points with fewer students are not counted.
    pub teaching_point_min_students: f64,
}

impl CoefficientRule {
    /// The limit for a stage.
    pub fn limit(&self, stage: Stage) -> f64 {
        match stage {
            Stage::Primary => self.primary,
            Stage::Junior => self.junior,
        }
    }
}

/// One resource indicator: the sum of some figures per student (or per `per` students).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// R1-R7.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The unit of the value, e.g. ㎡/生.
    pub unit: String,
    /// 1 for per student, 100 for per hundred students.
    pub per: f64,
    /// The table headers summed.
    pub numerator: Vec<String>,
    /// Primary threshold.
    pub primary: f64,
    /// Junior threshold.
    pub junior: f64,
    /// The unit of what is missing, e.g. 人, ㎡.
    pub missing_unit: String,
    /// Whether what is missing comes in whole units (teachers, rooms).
    pub whole: bool,
}

impl Resource {
    /// The threshold for a stage.
    pub fn threshold(&self, stage: Stage) -> f64 {
        match stage {
            Stage::Primary => self.primary,
            Stage::Junior => self.junior,
        }
    }

    /// The figures summed (checked by [`Catalogue::parse`] to be known headers).
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.numerator.iter().filter_map(|h| Field::from_header(h))
    }
}

/// A government-guarantee item.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Guarantee {
    /// G1, G2, …
    pub code: String,
    /// Its name.
    pub name: String,
    /// The standard as the document states it.
    pub text: String,
    /// How it is computed.
    #[serde(flatten)]
    pub rule: GuaranteeRule,
}

/// How a guarantee item is decided.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum GuaranteeRule {
    /// Answered yes/no with a note; not computed.
    Evidence,
    /// One music and one art room per `classes_per_room` classes, each at least so large.
    Rooms {
        /// 12.
        classes_per_room: f64,
        /// 96 ㎡.
        music_area: f64,
        /// 90 ㎡.
        art_area: f64,
    },
    /// Students in the whole school.
    SchoolSize {
        /// 2,000.
        max: f64,
        /// 2,500 for nine- and twelve-year schools.
        max_through: f64,
    },
    /// The largest class.
    ClassSize {
        /// 45.
        primary: f64,
        /// 50.
        junior: f64,
    },
}

impl Catalogue {
    /// The catalogue shipped with duban, checked.
    pub fn builtin() -> Result<Catalogue, CatalogueError> {
        Self::parse(BUILTIN)
    }

    /// Reads and checks a catalogue.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let catalogue: Catalogue =
            toml::from_str(text).map_err(|e| CatalogueError(e.message().to_string()))?;
        catalogue.check()?;
        Ok(catalogue)
    }

    fn check(&self) -> Result<(), CatalogueError> {
        let fail = |m: String| Err(CatalogueError(m));
        let codes: Vec<&str> = self.resources.iter().map(|r| r.code.as_str()).collect();
        let expected: Vec<String> = (1..=7).map(|i| format!("R{i}")).collect();
        if codes != expected {
            return fail(format!(
                "resources must be R1 to R7 in order, found {codes:?}"
            ));
        }
        for r in &self.resources {
            if !(r.per > 0.0 && r.primary > 0.0 && r.junior > 0.0) {
                return fail(format!("{}: per and thresholds must be above 0", r.code));
            }
            if r.numerator.is_empty() {
                return fail(format!("{}: numerator names no figure", r.code));
            }
            if let Some(h) = r.numerator.iter().find(|h| Field::from_header(h).is_none()) {
                return fail(format!("{}: '{h}' is not a survey table header", r.code));
            }
        }
        let school = &self.school;
        if school.min_met == 0 || school.min_met > self.resources.len() {
            return fail(format!("school.min_met {} is not 1 to 7", school.min_met));
        }
        if !(school.floor > 0.0 && school.floor <= 1.0) {
            return fail(format!("school.floor {} is not in (0, 1]", school.floor));
        }
        let c = &self.coefficient;
        if !(c.primary > 0.0 && c.junior > 0.0 && c.teaching_point_min_students >= 0.0) {
            return fail("coefficient limits must be above 0".into());
        }
        let mut seen = std::collections::HashSet::new();
        for g in &self.guarantees {
            if !g.code.starts_with('G') || !seen.insert(g.code.as_str()) {
                return fail(format!("guarantee code '{}' is not a new G-code", g.code));
            }
            let positive = match &g.rule {
                GuaranteeRule::Evidence => true,
                GuaranteeRule::Rooms {
                    classes_per_room,
                    music_area,
                    art_area,
                } => *classes_per_room > 0.0 && *music_area > 0.0 && *art_area > 0.0,
                GuaranteeRule::SchoolSize { max, max_through } => *max > 0.0 && *max_through > 0.0,
                GuaranteeRule::ClassSize { primary, junior } => *primary > 0.0 && *junior > 0.0,
            };
            if !positive {
                return fail(format!(
                    "{}: every figure of its rule must be above 0",
                    g.code
                ));
            }
        }
        Ok(())
    }

    /// A resource indicator by code.
    pub fn resource(&self, code: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.code == code)
    }
}
