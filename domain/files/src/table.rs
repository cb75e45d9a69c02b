//! CSV, XLSX and XLS files → rows of trimmed cell strings.
//!
//! **Which sheet.** [`read_table`] returns the first sheet that has a non-empty cell
//! (a task breakdown is one table; later sheets are usually notes or pivots);
//! [`read_sheets`] returns every non-empty sheet with its name for callers that want
//! them all. Rows with no non-empty cell are dropped; rows are not padded.
//!
//! **Merged cells** carry their value into every cell they cover, so a 牵头单位 merged
//! over five task rows reads as five rows that each name it.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, Dimensions, Range, Reader, Xls, Xlsx};

use crate::cell::cell_text;
use crate::{FileError, Format};

/// One non-empty sheet of a workbook (a CSV is one sheet named after nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The sheet's name as in the workbook; empty for a CSV.
    pub name: String,
    /// Its rows, each a list of trimmed cell strings, empty rows dropped.
    pub rows: Vec<Vec<String>>,
}

/// Reads the first non-empty sheet of a CSV, XLSX or XLS file.
///
/// # Errors
///
/// [`FileError::NotATable`] for another format, [`FileError::Unreadable`] for a damaged
/// file, [`FileError::EmptyTable`] when no cell holds anything, and the errors of
/// [`crate::decode_text`] for a CSV.
pub fn read_table(bytes: &[u8], format: Format) -> Result<Vec<Vec<String>>, FileError> {
    let mut sheets = read_sheets(bytes, format)?;
    Ok(sheets.swap_remove(0).rows)
}

/// Reads every non-empty sheet of a CSV, XLSX or XLS file (a CSV gives one).
///
/// # Errors
///
/// As [`read_table`].
pub fn read_sheets(bytes: &[u8], format: Format) -> Result<Vec<Sheet>, FileError> {
    let sheets = match format {
        Format::Csv => vec![Sheet {
            name: String::new(),
            rows: read_csv(bytes)?,
        }],
        Format::Xlsx | Format::Xls => guarded(format, || read_workbook(bytes, format))?,
        other => return Err(FileError::NotATable(other)),
    };
    let sheets: Vec<Sheet> = sheets.into_iter().filter(|s| !s.rows.is_empty()).collect();
    if sheets.is_empty() {
        return Err(FileError::EmptyTable);
    }
    Ok(sheets)
}

/// Runs a third-party reader so that a panic inside it on a malformed file becomes
/// an [`FileError::Unreadable`] instead of taking the server down.
fn guarded<T>(format: Format, read: impl FnOnce() -> Result<T, FileError>) -> Result<T, FileError> {
    catch_unwind(AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(FileError::Unreadable {
            format,
            cause: "the reader gave up on a malformed file".into(),
        })
    })
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, FileError> {
    let text = crate::decode_text(bytes)?.text;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|&d| first.matches(d as char).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| FileError::Unreadable {
            format: Format::Csv,
            cause: e.to_string(),
        })?;
        let row: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if row.iter().any(|c| !c.is_empty()) {
            rows.push(row);
        }
    }
    Ok(rows)
}

fn read_workbook(bytes: &[u8], format: Format) -> Result<Vec<Sheet>, FileError> {
    let unreadable = |e: &dyn std::fmt::Display| FileError::Unreadable {
        format,
        cause: e.to_string(),
    };
    let mut sheets = Vec::new();
    if format == Format::Xlsx {
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).map_err(|e| unreadable(&e))?;
            let merged = book
                .worksheet_merge_cells(&name)
                .transpose()
                .map_err(|e| unreadable(&e))?;
            sheets.push(Sheet {
                rows: grid(&range, &merged.unwrap_or_default()),
                name,
            });
        }
    } else {
        let mut book: Xls<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).map_err(|e| unreadable(&e))?;
            let merged = book.worksheet_merge_cells(&name).unwrap_or_default();
            sheets.push(Sheet {
                rows: grid(&range, &merged),
                name,
            });
        }
    }
    Ok(sheets)
}

/// A sheet's cells as strings in absolute positions, each merged region's first
/// cell copied into the rest of it, empty rows dropped.
fn grid(range: &Range<Data>, merged: &[Dimensions]) -> Vec<Vec<String>> {
    let Some((row0, col0)) = range.start() else {
        return Vec::new();
    };
    let (height, width) = range.get_size();
    let mut rows: Vec<Vec<String>> = (0..height)
        .map(|r| {
            (0..width)
                .map(|c| range.get((r, c)).map(cell_text).unwrap_or_default())
                .collect()
        })
        .collect();
    for region in merged {
        let (top, left) = (
            region.start.0 as i64 - row0 as i64,
            region.start.1 as i64 - col0 as i64,
        );
        let (bottom, right) = (
            region.end.0 as i64 - row0 as i64,
            region.end.1 as i64 - col0 as i64,
        );
        if top < 0 || left < 0 || bottom < top || right < left || top as usize >= rows.len() {
            continue;
        }
        let value = rows[top as usize]
            .get(left as usize)
            .cloned()
            .unwrap_or_default();
        // Covered cells lie within the used range: an empty cell beyond it holds nothing to show.
        for row in rows.iter_mut().take(bottom as usize + 1).skip(top as usize) {
            for cell in row.iter_mut().take(right as usize + 1).skip(left as usize) {
                if cell.is_empty() {
                    cell.clone_from(&value);
                }
            }
        }
    }
    rows.retain(|r| r.iter().any(|c| !c.is_empty()));
    for row in &mut rows {
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
    }
    rows
}
