//! A Word document (.docx) → its body as paragraphs and tables, in order.
//!
//! * **Automatic numbering** is printed: a paragraph numbered by Word (directly or
//!   through its style) gets the number Word would show — `一、`, `（一）`, `1.`,
//!   `(1)`, `①` … — from `numbering.xml`'s level formats and a counter per list,
//!   reset when a shallower level advances.
//! * **Tables** are rows of cell texts; a cell spanning columns (`gridSpan`) is
//!   repeated over them and a vertically merged cell (`vMerge`) carries the value of
//!   the cell above, like merged cells of a workbook.
//! * Line breaks and tabs in a paragraph become a space; a table inside a cell is
//!   read as that cell's text.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::{FileError, Format};

/// One block of a Word document's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocxBlock {
    /// A paragraph's text, with its automatic number printed in front.
    Paragraph(String),
    /// A table's rows of trimmed cell texts, merged cells carried into each cell.
    Table(Vec<Vec<String>>),
}

/// The largest XML part read (the document itself is at most 10 MB zipped; this
/// stops a zip bomb, not a real document).
const MAX_PART: u64 = 64 << 20;

/// Reads the body of a .docx file.
///
/// # Errors
///
/// [`FileError::Unreadable`] when the zip or its XML is damaged or there is no
/// `word/document.xml`.
pub fn read_docx(bytes: &[u8]) -> Result<Vec<DocxBlock>, FileError> {
    let unreadable = |cause: String| FileError::Unreadable {
        format: Format::Docx,
        cause,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let mut part = |name: &str| -> Result<Option<String>, FileError> {
        let Ok(entry) = archive.by_name(name) else {
            return Ok(None);
        };
        let mut text = String::new();
        entry
            .take(MAX_PART)
            .read_to_string(&mut text)
            .map_err(|e| unreadable(format!("{name}: {e}")))?;
        Ok(Some(text))
    };
    let document =
        part("word/document.xml")?.ok_or_else(|| unreadable("no word/document.xml".into()))?;
    let numbering = part("word/numbering.xml")?
        .map(|x| Numbering::read(&x))
        .unwrap_or_default();
    let styles = part("word/styles.xml")?
        .map(|x| style_numbers(&x))
        .unwrap_or_default();
    Body::read(&document, numbering, &styles).map_err(unreadable)
}

/// The value of a `w:val`-like attribute, by local name.
fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// One level of a list: its number format, the text around the number, its start.
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// The list definitions of `numbering.xml`: `numId` → abstract list → levels.
#[derive(Debug, Clone, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    nums: HashMap<String, String>,
}

impl Numbering {
    fn read(xml: &str) -> Self {
        let mut numbering = Self::default();
        let mut reader = Reader::from_str(xml);
        let (mut abstract_id, mut num_id, mut level): (
            Option<String>,
            Option<String>,
            Option<(u8, Level)>,
        ) = (None, None, None);
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                    b"abstractNum" => abstract_id = attr(&e, b"abstractNumId"),
                    b"num" => num_id = attr(&e, b"numId"),
                    b"abstractNumId" => {
                        if let (Some(num), Some(val)) = (&num_id, attr(&e, b"val")) {
                            numbering.nums.insert(num.clone(), val);
                        }
                    }
                    b"lvl" => {
                        let ilvl = attr(&e, b"ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        level = Some((
                            ilvl,
                            Level {
                                start: 1,
                                ..Level::default()
                            },
                        ));
                    }
                    b"start" => {
                        if let Some((_, l)) = &mut level {
                            l.start = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        }
                    }
                    b"numFmt" => {
                        if let Some((_, l)) = &mut level {
                            l.format = attr(&e, b"val").unwrap_or_default();
                        }
                    }
                    b"lvlText" => {
                        if let Some((_, l)) = &mut level {
                            l.text = attr(&e, b"val").unwrap_or_default();
                        }
                    }
                    _ => {}
                },
                Ok(Event::End(e)) if e.local_name().as_ref() == b"lvl" => {
                    if let (Some(id), Some((ilvl, l))) = (&abstract_id, level.take()) {
                        numbering
                            .abstracts
                            .entry(id.clone())
                            .or_default()
                            .insert(ilvl, l);
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        numbering
    }

    fn level(&self, num_id: &str, ilvl: u8) -> Option<&Level> {
        self.abstracts.get(self.nums.get(num_id)?)?.get(&ilvl)
    }
}

/// Paragraph styles that carry a list number: style id → (numId, ilvl).
fn style_numbers(xml: &str) -> HashMap<String, (String, u8)> {
    let mut styles = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let (mut style, mut num, mut ilvl): (Option<String>, Option<String>, u8) = (None, None, 0);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"style" => (style, num, ilvl) = (attr(&e, b"styleId"), None, 0),
                b"numId" => num = attr(&e, b"val"),
                b"ilvl" => ilvl = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"style" => {
                if let (Some(s), Some(n)) = (style.take(), num.take()) {
                    styles.insert(s, (n, ilvl));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

/// The running state of reading `document.xml`.
struct Body<'a> {
    numbering: Numbering,
    styles: &'a HashMap<String, (String, u8)>,
    counters: HashMap<String, [u32; 9]>,
    blocks: Vec<DocxBlock>,
}

impl<'a> Body<'a> {
    fn read(
        xml: &str,
        numbering: Numbering,
        styles: &'a HashMap<String, (String, u8)>,
    ) -> Result<Vec<DocxBlock>, String> {
        let mut body = Body {
            numbering,
            styles,
            counters: HashMap::new(),
            blocks: Vec::new(),
        };
        let mut reader = Reader::from_str(xml);
        // Paragraph state.
        let mut text = String::new();
        let (mut num_id, mut ilvl, mut style): (Option<String>, u8, Option<String>) =
            (None, 0, None);
        // Table state: nesting depth, rows of the outer table, the current row and cell.
        let mut depth = 0usize;
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut row: Vec<String> = Vec::new();
        let mut row_merges: Vec<(usize, bool)> = Vec::new();
        let mut cell = String::new();
        let (mut span, mut vmerge): (usize, Option<bool>) = (1, None);
        let mut in_text = false;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| format!("word/document.xml: {e}"))?;
            match event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"p" => (text, num_id, ilvl, style) = (String::new(), None, 0, None),
                    b"pStyle" => style = attr(&e, b"val"),
                    b"numId" => num_id = attr(&e, b"val"),
                    b"ilvl" => {
                        ilvl = attr(&e, b"val")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0)
                            .min(8)
                    }
                    b"t" => in_text = true,
                    b"tab" | b"br" | b"cr" => text.push(' '),
                    b"tbl" => {
                        depth += 1;
                        if depth == 1 {
                            rows.clear();
                        }
                    }
                    b"tr" if depth == 1 => (row, row_merges) = (Vec::new(), Vec::new()),
                    b"tc" if depth == 1 => (cell, span, vmerge) = (String::new(), 1, None),
                    b"gridSpan" if depth == 1 => {
                        span = attr(&e, b"val")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1)
                            .clamp(1, 64);
                    }
                    b"vMerge" if depth == 1 => {
                        vmerge = Some(attr(&e, b"val").as_deref() == Some("restart"))
                    }
                    _ => {}
                },
                Event::Text(t) if in_text => text.push_str(&t.decode().map_err(|e| e.to_string())?),
                Event::GeneralRef(r) if in_text => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        text.push(c);
                    } else {
                        let name = r.decode().map_err(|e| e.to_string())?;
                        text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&name).unwrap_or(""),
                        );
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"p" => {
                        let number = body.number(num_id.take(), ilvl, style.take());
                        let line = format!("{number}{}", text.trim());
                        if depth == 0 {
                            body.blocks.push(DocxBlock::Paragraph(line));
                        } else {
                            if !cell.is_empty() {
                                cell.push('\n');
                            }
                            cell.push_str(line.trim());
                        }
                        text.clear();
                    }
                    b"tc" if depth == 1 => {
                        let value = cell.trim().to_owned();
                        for _ in 0..span {
                            row_merges.push((row.len(), vmerge == Some(false)));
                            row.push(value.clone());
                        }
                    }
                    b"tr" if depth == 1 => {
                        for &(col, continues) in &row_merges {
                            if continues && let Some(above) = rows.last().and_then(|r| r.get(col)) {
                                row[col].clone_from(above);
                            }
                        }
                        rows.push(std::mem::take(&mut row));
                    }
                    b"tbl" => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            body.blocks
                                .push(DocxBlock::Table(std::mem::take(&mut rows)));
                        }
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(body.blocks)
    }

    /// The printed number of a paragraph in list `num_id` at level `ilvl` (or its
    /// style's list), advancing that list's counters.
    fn number(&mut self, num_id: Option<String>, ilvl: u8, style: Option<String>) -> String {
        let (num_id, ilvl) = match (num_id, style.and_then(|s| self.styles.get(&s).cloned())) {
            (Some(n), _) => (n, ilvl),
            (None, Some((n, l))) => (n, l.max(ilvl)),
            (None, None) => return String::new(),
        };
        if num_id == "0" {
            return String::new();
        }
        let Some(level) = self.numbering.level(&num_id, ilvl).cloned() else {
            return String::new();
        };
        let starts: Vec<u32> = (0..9u8)
            .map(|l| self.numbering.level(&num_id, l).map_or(1, |x| x.start))
            .collect();
        let counters = self.counters.entry(num_id.clone()).or_insert([0; 9]);
        let i = usize::from(ilvl);
        counters[i] = if counters[i] == 0 {
            level.start
        } else {
            counters[i] + 1
        };
        for deeper in counters.iter_mut().skip(i + 1) {
            *deeper = 0;
        }
        if level.format == "bullet" || level.format == "none" {
            return String::new();
        }
        let mut printed = level.text.clone();
        for l in 0..=i {
            let value = if counters[l] == 0 {
                starts[l]
            } else {
                counters[l]
            };
            let format = self
                .numbering
                .level(&num_id, l as u8)
                .map_or("decimal", |x| x.format.as_str());
            printed = printed.replace(&format!("%{}", l + 1), &format_number(value, format));
        }
        printed
    }
}

/// A counter value in one of Word's number formats.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "ideographTraditional"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese(n),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|c| char::from_u32(c as u32 - '0' as u32 + 0xff10))
            .collect(),
        "lowerLetter" => letter(n, b'a'),
        "upperLetter" => letter(n, b'A'),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五.
fn chinese(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        10..=19 => format!(
            "十{}",
            if n > 10 {
                DIGITS[(n - 10) as usize]
            } else {
                ""
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if !n.is_multiple_of(10) {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        100..=999 => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", DIGITS[rest as usize]),
                10..=19 => format!("一{}", chinese(rest)),
                _ => chinese(rest),
            };
            format!("{}百{tail}", DIGITS[(n / 100) as usize])
        }
        _ => n.to_string(),
    }
}

fn letter(n: u32, base: u8) -> String {
    let n = n.max(1) - 1;
    let c = char::from(base + (n % 26) as u8);
    std::iter::repeat_n(c, (n / 26) as usize + 1).collect()
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, symbol) in TABLE {
        while n >= value && out.len() < 32 {
            out.push_str(symbol);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(chinese(1), "一");
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(12), "十二");
        assert_eq!(chinese(20), "二十");
        assert_eq!(chinese(105), "一百零五");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
    }
}
