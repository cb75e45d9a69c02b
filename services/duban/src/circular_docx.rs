//! The circular (调度通报) as a Word document in the layout of Party and government
//! documents (公文, GB/T 9704-2012): A4 with the standard margins, the title in 小标宋
//! 二号 (22 pt) centred, first-level headings in 黑体 三号, the body in 仿宋_GB2312 三号
//! (16 pt) at a fixed 28.95 pt line pitch (22 lines a page) with a two-character first
//! line indent, and the circular's tables as Word tables.
//!
//! The input is the circular's Markdown (`# ` title, `## ` numbered headings such as
//! `## 一、总体情况`, paragraphs, pipe tables), the same text the API serves; this module
//! only lays it out. Written with `docx-rs`, a maintained pure-Rust DOCX writer.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, Table,
    TableCell, TableRow, WidthType,
};

/// 方正小标宋简体, the title face of 公文 (小标宋).
pub const TITLE_FONT: &str = "方正小标宋简体";
/// The body face of 公文.
pub const BODY_FONT: &str = "仿宋_GB2312";
/// The face of first-level headings.
pub const HEADING_FONT: &str = "黑体";

/// Half-points: 二号 = 22 pt, 三号 = 16 pt, 四号 = 14 pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 24;
/// A4 in twentieths of a point, and the margins of GB/T 9704 (top 37 mm, bottom 35 mm,
/// left 28 mm, right 26 mm).
const A4: (u32, u32) = (11_906, 16_838);
const MARGINS: (i32, i32, i32, i32) = (2_098, 1_984, 1_588, 1_474);
/// 28.95 pt in twentieths: 22 lines on a type area of 225 mm.
const LINE_PITCH: i32 = 579;
/// The width of the type area (156 mm), for tables.
const TYPE_WIDTH: usize = 8_844;

/// Failure to write the archive.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the .docx: {0}")]
pub struct DocxError(String);

fn fonts(face: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(face)
        .ascii(face)
        .hi_ansi(face)
        .cs(face)
}

fn run(text: &str, face: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(face)).size(size)
}

fn pitch() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE_PITCH)
}

fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, TITLE_FONT, TITLE_SIZE))
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .after(LINE_PITCH as u32),
        )
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, HEADING_FONT, BODY_SIZE))
        .first_line_chars(200)
        .outline_lvl(0)
        .keep_next(true)
        .line_spacing(pitch())
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, BODY_SIZE))
        .first_line_chars(200)
        .align(AlignmentType::Both)
        .line_spacing(pitch())
}

/// The cells of a pipe-table line, with `\|` read back as `|`.
fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push(String::new()),
            c => {
                // `\|` is a bar inside a cell.
                let c = if c == '\\' && chars.peek() == Some(&'|') {
                    chars.next().unwrap_or(c)
                } else {
                    c
                };
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

fn is_rule(line: &str) -> bool {
    cells(line)
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
}

fn table(lines: &[&str]) -> Table {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .filter(|l| !is_rule(l))
        .map(|l| cells(l))
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let width = TYPE_WIDTH / columns;
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let face = if i == 0 { HEADING_FONT } else { BODY_FONT };
            TableRow::new(
                (0..columns)
                    .map(|c| {
                        let text = row.get(c).map(String::as_str).unwrap_or_default();
                        TableCell::new().width(width, WidthType::Dxa).add_paragraph(
                            Paragraph::new()
                                .add_run(run(text, face, TABLE_SIZE))
                                .align(AlignmentType::Center),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    Table::new(rows)
        .set_grid(vec![width; columns])
        .width(TYPE_WIDTH, WidthType::Dxa)
}

/// Lays out the circular's Markdown as a 公文 .docx and returns the archive's bytes.
pub fn circular_docx(markdown: &str) -> Result<Vec<u8>, DocxError> {
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGINS.0)
                .bottom(MARGINS.1)
                .left(MARGINS.2)
                .right(MARGINS.3),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE);
    let lines: Vec<&str> = markdown.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.trim_start().starts_with('|') {
            let start = i;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                i += 1;
            }
            doc = doc.add_table(table(&lines[start..i]));
            continue;
        }
        i += 1;
        if let Some(text) = line.strip_prefix("# ") {
            doc = doc.add_paragraph(title(text.trim()));
        } else if let Some(text) = line.strip_prefix("## ").or(line.strip_prefix("### ")) {
            doc = doc.add_paragraph(heading(text.trim()));
        } else if !line.trim().is_empty() {
            doc = doc.add_paragraph(body(line.trim()));
        }
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| DocxError(e.to_string()))?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("word/document.xml").expect("document"),
            &mut xml,
        )
        .expect("utf-8");
        xml
    }

    #[test]
    fn lays_out_title_headings_body_and_tables_in_the_official_faces() {
        let md = "# 某县2025年第二季度工作调度通报\n\n统计期间：2025年4月1日至6月30日。\n\n## 一、总体情况\n\n| 排名 | 单位 |\n|---:|---|\n| 1 | 教育局 \\| 县 |\n";
        let xml = document_xml(&circular_docx(md).expect("docx"));
        assert!(xml.contains("某县2025年第二季度工作调度通报"));
        assert!(xml.contains(TITLE_FONT) && xml.contains(BODY_FONT) && xml.contains(HEADING_FONT));
        assert!(
            xml.contains(r#"<w:sz w:val="44" />"#) || xml.contains(r#"<w:sz w:val="44"/>"#),
            "{xml}"
        );
        assert!(xml.contains("一、总体情况"));
        assert!(xml.contains("<w:tbl>"), "a Word table");
        assert!(xml.contains("教育局 | 县"), "escaped bars read back");
        assert!(!xml.contains("---:"), "the rule line is not a row");
        assert!(
            xml.contains(r#"w:w="11906""#) && xml.contains(r#"w:h="16838""#),
            "A4"
        );
    }

    #[test]
    fn any_text_gives_a_document() {
        for md in ["", "|", "||\n|-|", "# ", "## \n|a|b|\n|c", "\\|\\"] {
            assert!(circular_docx(md).is_ok(), "{md:?}");
        }
    }
}
