//! A statistics file's bytes as a table of text cells, by `duban-files`: the format
//! from the content (CSV, XLSX, XLS; the name only tells CSV from plain text) and, for
//! a CSV, the text in whatever encoding offices save it (UTF-8, UTF-16, GB18030).

use duban_files::{Format, sniff};

/// The cells of every row.
pub type Table = Vec<Vec<String>>;

/// Reads a file into a table (the first non-empty sheet of a workbook), or says why
/// it cannot.
pub fn read_table(bytes: &[u8], name: &str) -> Result<Table, String> {
    let format = match sniff(bytes, name) {
        // A table saved without a .csv name may not look delimited to the sniffer.
        Format::Txt => Format::Csv,
        other => other,
    };
    duban_files::read_table(bytes, format).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "学校名称,在校学生数";

    fn expected() -> Table {
        vec![
            vec!["学校名称".to_string(), "在校学生数".into()],
            vec!["长风初级中学".into(), "83".into()],
        ]
    }

    #[test]
    fn reads_csv_in_utf8_gb18030_and_utf16_alike() {
        let text = format!("{HEADER}\n\"长风初级中学\",83\n");
        assert_eq!(read_table(text.as_bytes(), "a.csv").unwrap(), expected());
        let (gb, _, _) = encoding_rs::GB18030.encode(&text);
        assert!(std::str::from_utf8(&gb).is_err());
        assert_eq!(read_table(&gb, "a.csv").unwrap(), expected());
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(read_table(&utf16, "a.csv").unwrap(), expected());
    }

    #[test]
    fn reads_an_xlsx_workbook() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "学校名称").unwrap();
        sheet.write_string(0, 1, "在校学生数").unwrap();
        sheet.write_string(1, 0, "长风初级中学").unwrap();
        sheet.write_number(1, 1, 83.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(read_table(&bytes, "survey.xlsx").unwrap(), expected());
    }

    #[test]
    fn refuses_what_is_not_a_table_with_a_reason() {
        assert!(
            read_table(b"%PDF-1.4 ...", "x.pdf")
                .unwrap_err()
                .contains("not a table")
        );
        assert!(read_table(b"PK\x03\x04rest", "x.xlsx").is_err());
        assert!(read_table(b"", "x.csv").is_err());
    }

    #[test]
    fn never_panics_on_random_bytes() {
        let mut seed: u64 = 7;
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..(seed % 200))
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 33) as u8
                })
                .collect();
            let _ = read_table(&bytes, "x.csv");
        }
    }
}
