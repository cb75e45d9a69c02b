//! duban-files: reads the files an office sends — a text file saved in any Chinese
//! encoding, a CSV, an Excel workbook — into text or a table of strings. Pure: bytes
//! in, text or cells out; no file system, no network.
//!
//! ```
//! let gbk = [0xbd, 0xcc, 0xd3, 0xfd, 0xbe, 0xd6, 0xc7, 0xa3, 0xcd, 0xb7, 0xa1, 0xa3]; // 教育局牵头。
//! let decoded = duban_files::decode_text(&gbk)?;
//! assert_eq!(decoded.text, "教育局牵头。");
//! assert_eq!(decoded.encoding, "GBK");
//! assert_eq!(duban_files::sniff(b"a,b\n1,2\n", "tasks.csv"), duban_files::Format::Csv);
//! # Ok::<(), duban_files::FileError>(())
//! ```
//!
//! | module | what it does |
//! |---|---|
//! | `text` | [`decode_text`]: BOM, UTF-8, UTF-16 without BOM, GB18030/GBK/Big5 by detection; binary refused |
//! | `sniff` | [`sniff`]: the [`Format`] from magic bytes, the file name only as a tie-breaker |
//! | `table` | [`read_table`] / [`read_sheets`]: CSV, XLSX and XLS as rows of trimmed strings, merged cells carried into every cell they cover |
//! | `cell` | one spreadsheet cell as the string a reader sees (`3` not `3.0`, dates as `2024-06-30`) |
//! | `docx` | [`read_docx`]: a Word document's paragraphs (automatic numbering printed) and tables |
//! | `error` | [`FileError`] |

mod cell;
mod docx;
mod error;
mod sniff;
mod table;
mod text;

pub use docx::{DocxBlock, read_docx};
pub use error::FileError;
pub use sniff::{Format, sniff};
pub use table::{Sheet, read_sheets, read_table};
pub use text::{Decoded, decode_text};
