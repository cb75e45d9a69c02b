//! The preview of a plan import: what the document reads as — measures with their
//! lead, cooperating departments, due date and warnings, the lines it could not place —
//! and a digest of exactly that, which `importPlan(previewDigest:)` insists on.
//! Pure: reads the document, records nothing.

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use duban_import::{Format, ImportError, ParsedPlan};

use crate::error::{ServiceError, ServiceResult};
use crate::ops::import_plan::ImportOptions;

/// One measure as the importer read it (the contract's `ImportedMeasure`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportedMeasure {
    /// Number as printed (`三(一)1`, or a table's 序号).
    pub code: Option<String>,
    /// Title.
    pub title: String,
    /// Lead department as printed.
    pub lead: Option<String>,
    /// Cooperating departments as printed.
    pub cooperating: Vec<String>,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// No due date because the work goes on.
    pub ongoing: bool,
    /// The 1-based line (or table row) where the measure starts.
    pub line: i32,
    /// What to check.
    pub warnings: Vec<String>,
}

/// What a document reads as (the contract's `PlanImportPreview`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanImportPreview {
    /// txt, docx, xlsx, xls, csv or pdf.
    pub format: String,
    /// The text encoding, for txt and csv.
    pub encoding: Option<String>,
    /// The title the import will give the plan.
    pub title: Option<String>,
    /// The measures.
    pub measures: Vec<ImportedMeasure>,
    /// Every department named, as printed, once each.
    pub departments: Vec<String>,
    /// Lines that looked like measures but could not be read.
    pub unrecognised: Vec<String>,
    /// SHA-256 of everything above and the region, hex.
    pub digest: String,
    /// The plan as parsed, for the import.
    #[serde(skip)]
    pub parsed: ParsedPlan,
    /// The title the import records (never empty).
    #[serde(skip)]
    pub title_used: String,
}

impl PlanImportPreview {
    /// The title the plan will be recorded with.
    pub fn title(&self) -> &str {
        &self.title_used
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Txt => "txt",
        Format::Csv => "csv",
        Format::Docx => "docx",
        Format::Xlsx => "xlsx",
        Format::Xls => "xls",
        Format::Pdf => "pdf",
        Format::Unknown => "unknown",
    }
}

/// The title of last resort: the file name without its extension.
fn title_from_name(name: &str) -> Option<String> {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s).trim();
    (!stem.is_empty()).then(|| stem.to_owned())
}

/// Reads a document as the import would, records nothing.
///
/// # Errors
///
/// BAD_USER_INPUT with the cause for an empty, binary, damaged or unreadable file, a
/// table without a task column, or a document with no measures.
pub fn preview(bytes: &[u8], options: &ImportOptions) -> ServiceResult<PlanImportPreview> {
    let field = if options.file_name.is_empty() {
        "text"
    } else {
        "file"
    };
    let document = duban_import::read_document(bytes, &options.file_name)
        .map_err(|e: ImportError| ServiceError::invalid(field, e.to_string()))?;
    let parsed = document.plan;
    let title_used = options
        .title
        .clone()
        .or_else(|| parsed.title.clone())
        .or_else(|| title_from_name(&options.file_name))
        .unwrap_or_else(|| "导入的规划".to_owned());
    let measures: Vec<ImportedMeasure> = parsed
        .measures
        .iter()
        .map(|m| ImportedMeasure {
            code: Some(m.code.clone()),
            title: m.title.clone(),
            lead: m.lead_printed.clone(),
            cooperating: m.cooperating_printed.clone(),
            due: m.due,
            ongoing: m.ongoing,
            line: i32::try_from(m.line).unwrap_or(i32::MAX),
            warnings: m.warnings.clone(),
        })
        .collect();
    let mut departments: Vec<String> = Vec::new();
    for name in measures
        .iter()
        .flat_map(|m| m.lead.iter().chain(&m.cooperating))
    {
        if !departments.contains(name) {
            departments.push(name.clone());
        }
    }
    let mut preview = PlanImportPreview {
        format: format_name(document.format).to_owned(),
        encoding: document.encoding.map(str::to_owned),
        title: Some(title_used.clone()),
        measures,
        departments,
        unrecognised: parsed.unrecognised.clone(),
        digest: String::new(),
        title_used,
        parsed,
    };
    preview.digest = digest(&preview, options.region.as_deref());
    Ok(preview)
}

/// SHA-256 over the preview's JSON (without the digest) and the region override.
fn digest(preview: &PlanImportPreview, region: Option<&str>) -> String {
    let json = serde_json::to_vec(&(preview, region)).unwrap_or_default();
    hex::encode(Sha256::digest(&json))
}

/// The preview as a table for a terminal: one line per measure (code, title, lead,
/// cooperating, due, warnings), then the lines that could not be placed.
pub fn render(preview: &PlanImportPreview) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let encoding = preview
        .encoding
        .as_deref()
        .map_or(String::new(), |e| format!(", {e}"));
    let _ = writeln!(
        out,
        "{} ({}{encoding}): {} measures, {} departments — nothing recorded (dry run)",
        preview.title_used,
        preview.format,
        preview.measures.len(),
        preview.departments.len()
    );
    let _ = writeln!(out, "code\ttitle\tlead\tcooperating\tdue\twarnings");
    for m in &preview.measures {
        let due = match (m.due, m.ongoing) {
            (Some(d), _) => d.to_string(),
            (None, true) => "ongoing".to_owned(),
            (None, false) => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{due}\t{}",
            m.code.as_deref().unwrap_or("-"),
            m.title,
            m.lead.as_deref().unwrap_or("-"),
            if m.cooperating.is_empty() {
                "-".to_owned()
            } else {
                m.cooperating.join("、")
            },
            m.warnings.join("; ")
        );
    }
    for line in &preview.unrecognised {
        let _ = writeln!(out, "unplaced: {line}");
    }
    let _ = writeln!(out, "digest: {}", preview.digest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(name: &str) -> ImportOptions {
        ImportOptions {
            file_name: name.into(),
            ..ImportOptions::default()
        }
    }

    #[test]
    fn a_document_without_title_takes_the_file_name() {
        let p = preview(
            "一、重点任务\n1.新建学校。（牵头单位：县教育局）".as_bytes(),
            &options("dir/县规划.txt"),
        )
        .unwrap();
        assert_eq!(p.title.as_deref(), Some("县规划"));
        assert_eq!(p.measures[0].lead.as_deref(), Some("县教育局"));
        assert_eq!(p.departments, ["县教育局"]);
    }

    #[test]
    fn the_digest_changes_with_what_the_document_reads_as() {
        let text = "某县方案\n一、重点任务\n1.新建学校。（牵头单位：县教育局）";
        let a = preview(text.as_bytes(), &options("")).unwrap();
        assert_eq!(
            a.digest,
            preview(text.as_bytes(), &options("")).unwrap().digest
        );
        let b = preview(text.replace("教育局", "财政局").as_bytes(), &options("")).unwrap();
        assert_ne!(a.digest, b.digest);
        let titled = ImportOptions {
            title: Some("别的".into()),
            ..options("")
        };
        assert_ne!(a.digest, preview(text.as_bytes(), &titled).unwrap().digest);
    }

    #[test]
    fn bad_input_is_bad_user_input() {
        for bytes in [
            &b""[..],
            b"\x89PNG\r\n\x1a\n\0\0\0\0",
            b"PK\x03\x04broken zip",
            b"%PDF-1.4 x",
        ] {
            let e = preview(bytes, &options("a.docx")).unwrap_err();
            assert_eq!(e.code(), "BAD_USER_INPUT", "{e}");
        }
    }
}
