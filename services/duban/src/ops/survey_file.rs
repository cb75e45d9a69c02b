//! A statistics file's bytes as a table of text cells: CSV in UTF-8 (with or without a
//! byte-order mark), UTF-16 with a byte-order mark, or GB18030 (what spreadsheet
//! programs on Chinese Windows save), read with the `csv` crate; text is decoded by
//! `encoding_rs`.

/// The cells of every row.
pub type Table = Vec<Vec<String>>;

/// Reads a file into a table, or says why it cannot.
pub fn read_table(bytes: &[u8]) -> Result<Table, String> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(
            "this is an Excel workbook; save the sheet as CSV (UTF-8 or GB18030) to import it"
                .into(),
        );
    }
    let text = decode_text(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("row {}: not CSV: {e}", i + 1))?;
        table.push(record.iter().map(str::to_string).collect());
    }
    Ok(table)
}

/// The text of a file: UTF-16 or UTF-8 by their byte-order marks, UTF-8 when it is
/// valid UTF-8, else GB18030.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_gb18030_and_utf16_alike() {
        let text = "学校名称,在校学生数\n\"长风初级中学\",83\n";
        let expected = vec![
            vec!["学校名称".to_string(), "在校学生数".into()],
            vec!["长风初级中学".into(), "83".into()],
        ];
        assert_eq!(read_table(text.as_bytes()).unwrap(), expected);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(read_table(&bom).unwrap(), expected);
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert!(std::str::from_utf8(&gb).is_err());
        assert_eq!(read_table(&gb).unwrap(), expected);
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(read_table(&utf16).unwrap(), expected);
    }

    #[test]
    fn refuses_a_workbook_with_a_reason() {
        assert!(read_table(b"PK\x03\x04rest").unwrap_err().contains("CSV"));
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
            let _ = read_table(&bytes);
        }
    }
}
