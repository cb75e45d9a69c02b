//! Reading task tables: CSV in several encodings and delimiters, XLSX with merged
//! cells, numbers and dates, several sheets.

use duban_files::{FileError, Format, read_sheets, read_table, sniff};
use rust_xlsxwriter::{ExcelDateTime, Format as XlsxFormat, Workbook};

fn rows(table: &[&[&str]]) -> Vec<Vec<String>> {
    table
        .iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

#[test]
fn csv_in_gbk_with_quotes_and_blank_lines_reads_trimmed() {
    let text = "序号,重点任务,牵头单位,配合单位\r\n\r\n1, 新建学校 ,县教育局,\"县财政局,县自然资源局\"\r\n2,改扩建,县教育局,\r\n";
    let gbk = encoding_rs::GBK.encode(text).0.into_owned();
    assert_eq!(sniff(&gbk, "任务分解表.csv"), Format::Csv);
    assert_eq!(
        read_table(&gbk, Format::Csv).unwrap(),
        rows(&[
            &["序号", "重点任务", "牵头单位", "配合单位"],
            &["1", "新建学校", "县教育局", "县财政局,县自然资源局"],
            &["2", "改扩建", "县教育局", ""],
        ])
    );
}

#[test]
fn a_title_line_without_delimiters_does_not_change_the_delimiter() {
    let table = read_table(
        "任务分解表\n任务,牵头单位\n新建学校,县教育局\n".as_bytes(),
        Format::Csv,
    )
    .unwrap();
    assert_eq!(
        table,
        rows(&[
            &["任务分解表"],
            &["任务", "牵头单位"],
            &["新建学校", "县教育局"]
        ])
    );
}

#[test]
fn csv_with_tabs_is_split_on_tabs() {
    let table = read_table(
        "任务\t牵头单位\n新建学校\t县教育局\n".as_bytes(),
        Format::Csv,
    )
    .unwrap();
    assert_eq!(
        table,
        rows(&[&["任务", "牵头单位"], &["新建学校", "县教育局"]])
    );
}

#[test]
fn xlsx_merged_cells_cover_every_cell_and_numbers_print_plainly() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("任务分解").unwrap();
    for (c, h) in ["序号", "重点任务", "牵头单位", "完成时限"]
        .iter()
        .enumerate()
    {
        sheet.write(1, c as u16, *h).unwrap();
    }
    for r in 0..3u32 {
        sheet.write(2 + r, 0, f64::from(r + 1)).unwrap();
        sheet.write(2 + r, 1, format!("任务{}", r + 1)).unwrap();
    }
    sheet
        .merge_range(2, 2, 4, 2, "县教育局", &XlsxFormat::new())
        .unwrap();
    let date = ExcelDateTime::from_ymd(2025, 12, 31).unwrap();
    sheet
        .write_datetime_with_format(2, 3, &date, &XlsxFormat::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    sheet.write(3, 3, 0.5).unwrap();
    sheet.write(4, 3, "  长期坚持 ").unwrap();
    book.add_worksheet().set_name("空表").unwrap();
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write(0, 0, "填表说明").unwrap();
    let bytes = book.save_to_buffer().unwrap();

    assert_eq!(sniff(&bytes, "x.bin"), Format::Xlsx);
    assert_eq!(
        read_table(&bytes, Format::Xlsx).unwrap(),
        rows(&[
            &["序号", "重点任务", "牵头单位", "完成时限"],
            &["1", "任务1", "县教育局", "2025-12-31"],
            &["2", "任务2", "县教育局", "0.5"],
            &["3", "任务3", "县教育局", "长期坚持"],
        ])
    );
    let sheets = read_sheets(&bytes, Format::Xlsx).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["任务分解", "说明"]);
}

#[test]
fn formats_that_are_not_tables_and_damaged_books_are_refused() {
    assert_eq!(
        read_table(b"hello", Format::Txt),
        Err(FileError::NotATable(Format::Txt))
    );
    assert_eq!(
        read_table(b"%PDF-1.4", Format::Pdf),
        Err(FileError::NotATable(Format::Pdf))
    );
    assert!(matches!(
        read_table(b"PK\x03\x04broken", Format::Xlsx),
        Err(FileError::Unreadable { .. })
    ));
    assert!(matches!(
        read_table(&[0xd0, 0xcf, 0x11, 0xe0, 0, 1], Format::Xls),
        Err(FileError::Unreadable { .. })
    ));
    let mut book = Workbook::new();
    book.add_worksheet();
    assert_eq!(
        read_table(&book.save_to_buffer().unwrap(), Format::Xlsx),
        Err(FileError::EmptyTable)
    );
}
