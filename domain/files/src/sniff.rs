//! The format of a file from its content: magic bytes first (a zip's entries tell a
//! Word document from a workbook, an OLE compound file's streams tell an old Excel
//! workbook), the file name only to tell a CSV from plain text.

use std::io::Cursor;

/// A file format the importers know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text in any encoding [`crate::decode_text`] reads.
    Txt,
    /// Comma-, tab- or semicolon-separated values in any of those encodings.
    Csv,
    /// A Word document (Office Open XML).
    Docx,
    /// An Excel workbook (Office Open XML).
    Xlsx,
    /// An Excel 97–2003 workbook (OLE compound file).
    Xls,
    /// A PDF document.
    Pdf,
    /// Anything else: an old .doc, an image, an archive, binary data.
    Unknown,
}

/// Tells the format of a file from its bytes; `name` (the file name as sent, may be
/// empty) only decides between CSV and plain text.
pub fn sniff(bytes: &[u8], name: &str) -> Format {
    if bytes.starts_with(b"%PDF")
        || bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Format::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_format(bytes);
    }
    if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        return ole_format(bytes);
    }
    let Ok(decoded) = crate::decode_text(bytes) else {
        return Format::Unknown;
    };
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".tsv") {
        Format::Csv
    } else if lower.ends_with(".txt") || !looks_delimited(&decoded.text) {
        Format::Txt
    } else {
        Format::Csv
    }
}

/// A Word document or a workbook, by the entries of the zip (its central directory
/// when it opens, else the entry names in the local headers).
fn zip_format(bytes: &[u8]) -> Format {
    let names: Vec<String> = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(archive) => archive.file_names().map(str::to_owned).collect(),
        Err(_) => Vec::new(),
    };
    let has = |entry: &str| {
        names.iter().any(|n| n == entry) || (names.is_empty() && contains(bytes, entry.as_bytes()))
    };
    if has("word/document.xml") {
        Format::Docx
    } else if has("xl/workbook.xml") {
        Format::Xlsx
    } else {
        Format::Unknown
    }
}

/// An Excel 97–2003 workbook holds a stream named `Workbook` (or `Book`, Excel 5),
/// written in UTF-16 in the compound file's directory; a Word 97 file holds
/// `WordDocument` instead and is not read.
fn ole_format(bytes: &[u8]) -> Format {
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    if contains(bytes, &utf16("Workbook")) || contains(bytes, &utf16("Book\0")) {
        Format::Xls
    } else {
        Format::Unknown
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Text whose first lines all split into the same number (≥ 2) of fields on a comma,
/// tab or semicolon.
fn looks_delimited(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    if lines.len() < 2 {
        return false;
    }
    [',', '\t', ';'].into_iter().any(|d| {
        let first = lines[0].matches(d).count();
        first >= 1 && lines.iter().all(|l| l.matches(d).count() == first)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide() {
        assert_eq!(sniff(b"%PDF-1.7\n...", "plan.txt"), Format::Pdf);
        assert_eq!(
            sniff(
                &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0],
                "a.xls"
            ),
            Format::Unknown
        );
        assert_eq!(sniff(b"PK\x03\x04garbage", "a.docx"), Format::Unknown);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0", "a.csv"), Format::Unknown);
    }

    #[test]
    fn name_breaks_the_tie_between_csv_and_text() {
        let text = "序号,任务,牵头单位\n1,新建学校,县教育局\n";
        assert_eq!(sniff(text.as_bytes(), "tasks.csv"), Format::Csv);
        assert_eq!(sniff(text.as_bytes(), "tasks.txt"), Format::Txt);
        assert_eq!(sniff(text.as_bytes(), ""), Format::Csv);
        assert_eq!(
            sniff("一、总体要求\n（一）指导思想\n".as_bytes(), ""),
            Format::Txt
        );
    }

    #[test]
    fn workbooks_are_told_by_content() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write(0, 0, "序号").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(sniff(&bytes, "renamed.txt"), Format::Xlsx);
    }
}
