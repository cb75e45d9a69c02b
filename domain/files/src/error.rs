//! The one error type of this crate.

use crate::Format;

/// Why a file could not be read. Each message names the cause in words an office
/// can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The file holds no bytes (or only whitespace).
    #[error("the file is empty")]
    Empty,
    /// The bytes are not text in any encoding this reader knows (NUL bytes or
    /// control characters where text would have none).
    #[error("the file is binary, not text ({0})")]
    Binary(String),
    /// The format cannot hold a table (a .txt, a .docx, a PDF …).
    #[error("a {0:?} file is not a table: send a .csv, .xlsx or .xls")]
    NotATable(Format),
    /// A workbook, CSV or Word file that is damaged or not what its content claims.
    #[error("the {format:?} file cannot be read: {cause}")]
    Unreadable {
        /// The format the content was taken for.
        format: Format,
        /// What the reading library reported.
        cause: String,
    },
    /// A table file with no non-empty cell in any sheet.
    #[error("the table has no non-empty cell")]
    EmptyTable,
}
