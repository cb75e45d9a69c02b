//! A file as sent — .txt, .csv, .xlsx, .xls or .docx — → a plan, the format taken
//! from the content (see `duban_files::sniff`).
//!
//! * **Text** (.txt in UTF-8, UTF-16, GB18030/GBK or Big5): read as a text plan.
//! * **Tables** (.csv, .xlsx, .xls): every sheet with a task column is read as a task
//!   table (see [`crate::table`]); their measures are joined in sheet order.
//! * **Word** (.docx): the paragraphs, with Word's automatic numbers printed, are the
//!   text; a table with a task column gives the measures (the text then gives only the
//!   title), any other table is read as text lines.
//! * **PDF** is refused with a message saying to send the Word or text file: no
//!   well-kept pure-Rust crate reads the text layer of Chinese PDFs (CID fonts and
//!   their CMaps) reliably enough to trust its output.

use duban_files::{DocxBlock, FileError, Format};

use crate::error::ImportError;
use crate::model::ParsedPlan;

/// A plan read from a file, with what the file was found to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The plan.
    pub plan: ParsedPlan,
    /// The format found from the content.
    pub format: Format,
    /// The text encoding, for .txt and .csv.
    pub encoding: Option<&'static str>,
}

fn file_error(e: FileError) -> ImportError {
    match e {
        FileError::Empty | FileError::EmptyTable => ImportError::Empty,
        FileError::Binary(_) => ImportError::Binary,
        other => ImportError::Unreadable(other.to_string()),
    }
}

/// Reads a plan from a file's bytes; `name` (may be empty) only tells a CSV from text.
///
/// # Errors
///
/// [`ImportError::Empty`], [`ImportError::Binary`], [`ImportError::Unreadable`] for a
/// damaged file, a PDF or an unknown format, [`ImportError::NoTaskColumn`] for a table
/// without one, [`ImportError::NoMeasures`] when nothing is found.
pub fn read_document(bytes: &[u8], name: &str) -> Result<Document, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let format = duban_files::sniff(bytes, name);
    let (plan, encoding) = match format {
        Format::Txt => {
            let decoded = duban_files::decode_text(bytes).map_err(file_error)?;
            (crate::parse_plan(&decoded.text)?, Some(decoded.encoding))
        }
        Format::Csv => {
            let encoding = duban_files::decode_text(bytes)
                .map_err(file_error)?
                .encoding;
            let rows = duban_files::read_table(bytes, format).map_err(file_error)?;
            (crate::table::parse_table(&rows)?, Some(encoding))
        }
        Format::Xlsx | Format::Xls => {
            let sheets = duban_files::read_sheets(bytes, format).map_err(file_error)?;
            (
                tables(sheets.iter().map(|s| s.rows.as_slice()), None, None)?,
                None,
            )
        }
        Format::Docx => (docx(bytes)?, None),
        Format::Pdf => {
            return Err(ImportError::Unreadable(
                "PDF files are not read: send the Word (.docx) or text (.txt) version of the plan"
                    .into(),
            ));
        }
        Format::Unknown if bytes.starts_with(b"PK\x03\x04") => {
            return Err(ImportError::Unreadable(
                "a zip file that is not a readable Word document or workbook (damaged, or another kind)".into(),
            ));
        }
        Format::Unknown => {
            duban_files::decode_text(bytes).map_err(file_error)?;
            return Err(ImportError::Unreadable(
                "the format is not one of .txt, .csv, .xlsx, .xls or .docx (an old .doc must be saved as .docx)"
                    .into(),
            ));
        }
    };
    Ok(Document {
        plan,
        format,
        encoding,
    })
}

/// The measures of every table with a task column, joined; the title from `title`.
fn tables<'a>(
    tables: impl Iterator<Item = &'a [Vec<String>]>,
    title: Option<String>,
    year: Option<i32>,
) -> Result<ParsedPlan, ImportError> {
    let mut joined: Option<ParsedPlan> = None;
    let mut first_error = ImportError::NoTaskColumn;
    for rows in tables {
        match crate::table::parse_table_in(rows, year) {
            Ok(plan) => match &mut joined {
                None => joined = Some(plan),
                Some(all) => all.measures.extend(plan.measures),
            },
            Err(ImportError::NoTaskColumn) => {}
            Err(e) => first_error = e,
        }
    }
    let mut plan = joined.ok_or(first_error)?;
    if title.is_some() {
        plan.region = title.as_deref().and_then(crate::header::region_of);
        plan.title = title;
    }
    plan.departments = crate::plan::departments(&plan.measures);
    Ok(plan)
}

/// The measures of a task table flattened into text (see [`crate::flat`]), when the
/// text holds one with a task column.
pub(crate) fn flat_table(text: &str) -> Option<ParsedPlan> {
    let rows = crate::flat::rows(text)?;
    let header = crate::header::read(&crate::outline::read(text).preamble);
    let year = header.title.as_deref().and_then(crate::plan::year_in);
    tables(std::iter::once(rows.as_slice()), header.title, year).ok()
}

/// A Word document: its task tables when it has any, else its text.
fn docx(bytes: &[u8]) -> Result<ParsedPlan, ImportError> {
    let blocks = duban_files::read_docx(bytes).map_err(file_error)?;
    let mut text = String::new();
    for block in &blocks {
        match block {
            DocxBlock::Paragraph(p) => {
                text.push_str(p);
                text.push('\n');
            }
            DocxBlock::Table(rows) => {
                for row in rows {
                    let mut cells: Vec<&str> = Vec::new();
                    for c in row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
                        if cells.last() != Some(&c) {
                            cells.push(c);
                        }
                    }
                    text.push_str(&cells.join(" "));
                    text.push('\n');
                }
            }
        }
    }
    let table_rows = blocks.iter().filter_map(|b| match b {
        DocxBlock::Table(rows) => Some(rows.as_slice()),
        DocxBlock::Paragraph(_) => None,
    });
    let header = crate::header::read(&crate::outline::read(&crate::input::clean(&text)?).preamble);
    let year = header.title.as_deref().and_then(crate::plan::year_in);
    match tables(table_rows, header.title.clone(), year) {
        Ok(plan) => Ok(plan),
        Err(ImportError::NoTaskColumn) => crate::parse_plan(&text),
        Err(e) => Err(e),
    }
}
