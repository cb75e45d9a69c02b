//! One school stage against the catalogue: R1-R7 with the 6-of-7 + 85 % verdict, and
//! the guarantee items that are numbers (G3 rooms, G4 school size, G5 class size).

use serde::Serialize;

use duban_domain::school::{Field, Figures, SchoolKind, Stage};

use super::catalogue::{Catalogue, GuaranteeRule, Resource};

/// One indicator of one school stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorResult {
    /// R1-R7 or a G-code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The value; `None` when it cannot be computed (no students).
    pub value: Option<f64>,
    /// The threshold (for G3, 100: the value is the worst room's percentage of standard).
    pub threshold: f64,
    /// The unit of value and threshold.
    pub unit: String,
    /// Whether the threshold is met.
    pub meets: bool,
    /// threshold − value (for a maximum, value − threshold) when not met, else 0.
    pub shortfall: f64,
    /// What is missing in whole units (teachers, ㎡, 元, rooms); 0 when met.
    pub missing: f64,
    /// The unit of `missing`.
    pub missing_unit: String,
    /// The standard as a sentence, for a rectification item.
    pub standard: String,
    /// The measured value as a sentence.
    pub measured: String,
}

/// A school stage's results.
#[derive(Debug, Clone, PartialEq)]
pub struct StageResult {
    /// R1-R7 then the computed G-items.
    pub indicators: Vec<IndicatorResult>,
    /// How many of R1-R7 are met.
    pub meets_count: usize,
    /// 6 of 7 met and the rest at least 85 % of threshold.
    pub passes: bool,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One resource indicator of one stage.
pub fn resource(r: &Resource, stage: Stage, figures: &Figures) -> IndicatorResult {
    let students = figures.get(Field::Students);
    let have: f64 = r.fields().map(|f| figures.get(f)).sum();
    let threshold = r.threshold(stage);
    let value = (students > 0.0).then(|| have * r.per / students);
    let meets = value.is_some_and(|v| v >= threshold - 1e-9);
    let (shortfall, missing) = match value {
        Some(v) if !meets => {
            let need = threshold * students / r.per;
            let missing = if r.whole {
                (need - 1e-9).ceil() - have
            } else {
                round2(need - have)
            };
            (threshold - v, missing.max(0.0))
        }
        _ => (0.0, 0.0),
    };
    IndicatorResult {
        code: r.code.clone(),
        name: r.name.clone(),
        value,
        threshold,
        unit: r.unit.clone(),
        meets,
        shortfall,
        missing,
        missing_unit: r.missing_unit.clone(),
        standard: format!("≥ {threshold} {}", r.unit),
        measured: match value {
            Some(v) => format!(
                "{v:.2} {} ({have} {} / {students} 人)",
                r.unit, r.missing_unit
            ),
            None => "无在校学生".into(),
        },
    }
}

/// Every indicator of one stage; `school_students` is the whole school's (for G4),
/// `size_item` whether this stage row carries the school-wide G4.
pub fn stage(
    catalogue: &Catalogue,
    kind: SchoolKind,
    stage: Stage,
    figures: &Figures,
    school_students: f64,
    size_item: bool,
) -> StageResult {
    let mut indicators: Vec<IndicatorResult> = catalogue
        .resources
        .iter()
        .map(|r| resource(r, stage, figures))
        .collect();
    let meets_count = indicators.iter().filter(|i| i.meets).count();
    let floor = catalogue.school.floor;
    let passes = meets_count >= catalogue.school.min_met
        && indicators
            .iter()
            .all(|i| i.meets || i.value.is_some_and(|v| v >= floor * i.threshold - 1e-9));
    for g in &catalogue.guarantees {
        let item = match &g.rule {
            GuaranteeRule::Evidence => None,
            GuaranteeRule::Rooms {
                classes_per_room,
                music_area,
                art_area,
            } => Some(rooms(figures, *classes_per_room, *music_area, *art_area)),
            GuaranteeRule::SchoolSize { max, max_through } if size_item => {
                let through = matches!(kind, SchoolKind::NineYear | SchoolKind::TwelveYear);
                let limit = if through { *max_through } else { *max };
                Some(at_most(school_students, limit, "人", "全校在校学生"))
            }
            GuaranteeRule::SchoolSize { .. } => None,
            GuaranteeRule::ClassSize { primary, junior } => {
                let limit = match stage {
                    Stage::Primary => *primary,
                    Stage::Junior => *junior,
                };
                Some(at_most(
                    figures.get(Field::MaxClassSize),
                    limit,
                    "人",
                    "最大班额",
                ))
            }
        };
        if let Some(item) = item {
            indicators.push(IndicatorResult {
                code: g.code.clone(),
                name: g.name.clone(),
                ..item
            });
        }
    }
    StageResult {
        indicators,
        meets_count,
        passes,
    }
}

fn at_most(value: f64, limit: f64, unit: &str, what: &str) -> IndicatorResult {
    let meets = value <= limit;
    let over = if meets { 0.0 } else { value - limit };
    IndicatorResult {
        code: String::new(),
        name: String::new(),
        value: Some(value),
        threshold: limit,
        unit: unit.into(),
        meets,
        shortfall: over,
        missing: over,
        missing_unit: unit.into(),
        standard: format!("{what} ≤ {limit} {unit}"),
        measured: format!("{what} {value} {unit}"),
    }
}

/// G3: one music and one art room per `per` classes (at least one each), each room at
/// least `music` / `art` ㎡. The value is the worst of the four ratios (rooms against
/// rooms needed, smallest area against standard) in per cent; what is missing is the
/// area short, counting a missing room as a whole standard room.
fn rooms(figures: &Figures, per: f64, music: f64, art: f64) -> IndicatorResult {
    let classes = figures.get(Field::Classes);
    let needed = (classes / per).ceil().max(1.0);
    let kinds = [
        ("音乐", Field::MusicRooms, Field::MusicRoomArea, music),
        ("美术", Field::ArtRooms, Field::ArtRoomArea, art),
    ];
    let mut worst: f64 = 1.0;
    let mut missing = 0.0;
    let mut measured = Vec::new();
    for (label, count, area, standard) in kinds {
        let (count, area) = (figures.get(count), figures.get(area));
        let rooms_ratio = count / needed;
        let area_ratio = if count > 0.0 { area / standard } else { 0.0 };
        worst = worst.min(rooms_ratio).min(area_ratio);
        let short_rooms = (needed - count).max(0.0);
        let short_area = if count > 0.0 {
            (standard - area).max(0.0) * count
        } else {
            0.0
        };
        missing += short_rooms * standard + short_area;
        measured.push(format!("{label}专用教室 {count} 间, 最小 {area} ㎡"));
    }
    let value = round2(worst * 100.0);
    let meets = worst >= 1.0 - 1e-9;
    IndicatorResult {
        code: String::new(),
        name: String::new(),
        value: Some(value),
        threshold: 100.0,
        unit: "%".into(),
        meets,
        shortfall: if meets { 0.0 } else { 100.0 - value },
        missing: if meets { 0.0 } else { round2(missing) },
        missing_unit: "㎡".into(),
        standard: format!(
            "每{per}个班音乐、美术专用教室各1间(本学段需各{needed}间), 音乐 ≥ {music} ㎡, 美术 ≥ {art} ㎡"
        ),
        measured: measured.join("; "),
    }
}
