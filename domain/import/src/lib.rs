//! duban-import: reads a county education plan — plain Chinese text, as published
//! (real ones are under `tests/fixtures/`) — into a plan, its phases, its measures and the departments
//! they name. Pure: no IO; text in, structure out.
//!
//! ```
//! let plan = duban_import::parse_plan(
//!     "某某县教育发展实施方案\n三、重点任务\n(一)优化布局\n1.新建学校。确保2025年8月投入使用。(牵头单位:县教育局;配合单位:县财政局)",
//! )?;
//! assert_eq!(plan.measures[0].code, "三(一)1");
//! assert_eq!(plan.measures[0].lead.as_deref(), Some("教育局"));
//! # Ok::<(), duban_import::ImportError>(())
//! ```
//!
//! **What counts as a measure** (details in `plan` and `chapter`): a numbered leaf
//! (nothing numbered under it) below chapter level, in a chapter that is not about
//! guiding ideas, goals, principles, background or problems (指导思想, 总体目标,
//! 基本原则, 存在问题 … hold none) — so 重点任务, 工作措施, 保障措施 and the like — or an
//! item under a phase of the 实施步骤 chapter, or any numbered leaf that names a
//! responsible department. Phases themselves are not measures.
//!
//! Modules, in the order the text passes through them:
//!
//! | module | what it does |
//! |---|---|
//! | `document` | [`read_document`]: a file (.txt, .csv, .xlsx, .xls, .docx) → a plan, format from the content |
//! | `table` | [`parse_table`]: a task table's rows → measures, columns found by their header |
//! | `flat` | a table flattened to text with `|` between cells → its rows |
//! | `input` | text → checked text: empty, binary ([`ImportError`]) |
//! | `script` | Traditional → Simplified folding, byte offsets kept |
//! | `text` | a line kept as printed and folded; joining wrapped lines |
//! | `numbering` | the numbers 一、 (一) 1. (1) at the start of a line |
//! | `outline` | lines → numbered nodes with their text; compilations, footers, run-together measures |
//! | `header` | title, region, issuer |
//! | `chapter` | which chapters hold measures, phases or neither (**the rule for measures is in `plan`**) |
//! | `phase` | phases and their date ranges |
//! | `dates` | deadlines and date ranges |
//! | `responsibility` | 牵头 / 责任 / 配合 clauses → lead and cooperating departments |
//! | `department` | department names: splitting, [`normalise_department`], kinds |
//! | `measure` | one measure: title, description, departments, due date |
//! | `plan` | what counts as a measure; the plan put together |
//! | `model` | the result types |
//! | `error` | [`ImportError`] |

mod chapter;
mod dates;
mod department;
mod document;
mod error;
mod flat;
mod header;
mod input;
mod measure;
mod model;
mod numbering;
mod outline;
mod phase;
mod plan;
mod responsibility;
mod script;
mod table;
mod text;

pub use department::normalise_department;
pub use document::{Document, read_document};
pub use duban_files::Format;
pub use error::ImportError;
pub use model::{DepartmentKind, ParsedDepartment, ParsedMeasure, ParsedPhase, ParsedPlan};
pub use table::parse_table;

/// Reads a plan from its text.
///
/// # Errors
///
/// [`ImportError::Empty`] for empty text, [`ImportError::Binary`] for text holding
/// NUL or other control characters, [`ImportError::NoMeasures`] when no numbered
/// measure is found.
pub fn parse_plan(text: &str) -> Result<ParsedPlan, ImportError> {
    let text = input::clean(text)?;
    if let Some(plan) = document::flat_table(&text) {
        return Ok(plan);
    }
    plan::parse(&text)
}

/// Reads a plan from the bytes of a plain-text file in UTF-8 (with or without a BOM),
/// UTF-16, GB18030/GBK or Big5.
///
/// # Errors
///
/// [`ImportError::Empty`] for an empty file, [`ImportError::Binary`] for binary data
/// (NUL or control characters), [`ImportError::NoMeasures`] when no numbered measure
/// is found.
pub fn parse_plan_bytes(bytes: &[u8]) -> Result<ParsedPlan, ImportError> {
    let decoded = duban_files::decode_text(bytes).map_err(|e| match e {
        duban_files::FileError::Empty => ImportError::Empty,
        _ => ImportError::Binary,
    })?;
    parse_plan(&decoded.text)
}
