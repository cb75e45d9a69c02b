//! Why a document could not be read as a plan.

/// Why a document could not be read as a plan. Each message says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The document holds no text at all (or only white space).
    #[error(
        "the document is empty: expected the plain text of a plan, with its title and numbered measures"
    )]
    Empty,
    /// The bytes are not valid UTF-8.
    #[error(
        "the document is not UTF-8 text: save it as UTF-8 plain text (for example from Word: \
         Save As → Plain Text → Unicode (UTF-8)) and import it again"
    )]
    NotUtf8,
    /// The bytes hold NUL or other control characters: this is a binary file.
    #[error(
        "the document looks like a binary file (it contains NUL or control characters): expected \
         plain text; convert a .doc/.docx/.pdf to plain UTF-8 text first"
    )]
    Binary,
    /// The text holds no numbered measure.
    #[error(
        "no numbered measures were found: expected measures numbered like 一、 / (一) / 1. under \
         a tasks or measures chapter (重点任务, 工作措施, 保障措施 …)"
    )]
    NoMeasures,
    /// A table (.xlsx, .xls, .csv or a Word table) with no column of tasks.
    #[error(
        "the table has no task column: expected a header row naming the tasks (任务, 重点任务, \
         工作任务, 具体措施, 目标任务 …) and, beside it, 牵头单位 / 责任单位 / 配合单位 / 完成时限"
    )]
    NoTaskColumn,
    /// A file that cannot be read: damaged, or a format this importer does not read.
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
}
