//! What a plan document was read into.

use chrono::NaiveDate;
use serde::Serialize;

/// A plan document read into a structure: the plan, its phases, its measures and the
/// departments they name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedPlan {
    /// The plan's title (e.g. 鲤城区推进义务教育优质均衡发展工作规划), when the document has one.
    pub title: Option<String>,
    /// The county, district or city the title starts with (e.g. 鲤城区).
    pub region: Option<String>,
    /// The issuing body, when the document names one (e.g. a 发布机构 line).
    pub issuer: Option<String>,
    /// First day of the first phase to the last day of the last phase.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// The phases of the 实施步骤 chapter, in document order.
    pub phases: Vec<ParsedPhase>,
    /// The measures, in document order.
    pub measures: Vec<ParsedMeasure>,
    /// Every department any measure names, normalised, deduplicated, in first-seen order.
    pub departments: Vec<ParsedDepartment>,
    /// Lines that look like a numbered measure but could not be read.
    pub unrecognised: Vec<String>,
}

/// One phase of the plan (启动准备阶段 …) with its date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedPhase {
    /// The phase's name as printed, e.g. 启动准备阶段.
    pub name: String,
    /// The first day of the start month.
    pub starts: NaiveDate,
    /// The last day of the end month.
    pub ends: NaiveDate,
}

/// One measure (重点任务 / 工作措施) of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedMeasure {
    /// Chapter, section and item numbers as printed, with ASCII parentheses: `三(二)4`.
    pub code: String,
    /// The heading, or the first sentence of the text.
    pub title: String,
    /// The measure's full text.
    pub description: String,
    /// The lead department (牵头单位, or the first one named), normalised.
    pub lead: Option<String>,
    /// The other departments named, normalised, in the order printed.
    pub cooperating: Vec<String>,
    /// The latest deadline the text states (end of that month or year).
    pub due: Option<NaiveDate>,
    /// The name of the phase the measure sits under, if any.
    pub phase: Option<String>,
    /// The lead department as printed (folded to Simplified characters), e.g. 县教育局.
    pub lead_printed: Option<String>,
    /// The cooperating departments as printed, in the order of `cooperating`.
    pub cooperating_printed: Vec<String>,
    /// No due date because the text says the work goes on (长期坚持, 持续推进, 每年 …).
    pub ongoing: bool,
    /// The 1-based line of the text (or row of the table) where the measure starts.
    pub line: usize,
    /// What the reader should check: several leads printed, a deadline it could not read ….
    pub warnings: Vec<String>,
}

/// A department named by a measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedDepartment {
    /// The canonical name (see [`crate::normalise_department`]).
    pub name: String,
    /// What sort of unit it is.
    pub kind: DepartmentKind,
}

/// What sort of unit a department is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DepartmentKind {
    /// A bureau or office: 局, 委, 办, 部, 院, 中心 ….
    Bureau,
    /// A township, town, street or regiment town, or all of them (各团镇, 各街道办).
    Township,
    /// A school or kindergarten.
    School,
    /// Anything else (妇联, 残联 …).
    Other,
}
