//! The county table offices submit (县域义务教育优质均衡发展 校际资源配置情况表): one row
//! per school stage, one column per indicator, shortfalls marked; below it the
//! difference coefficients per stage. As CSV (UTF-8 with a BOM, so Excel reads the
//! Chinese) and as XLSX (failing cells on red, the shortfall in a note column).

use rust_xlsxwriter::{Color, Format, Workbook, XlsxError};

use duban_domain::school::SchoolKind;
use duban_projections::assessment::{Assessment, SchoolAssessment};

/// The indicator columns, in order.
const CODES: [&str; 10] = ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "G3", "G4", "G5"];

fn kind_label(kind: SchoolKind) -> &'static str {
    match kind {
        SchoolKind::Primary => "小学",
        SchoolKind::Junior => "初中",
        SchoolKind::NineYear => "九年一贯制",
        SchoolKind::TwelveYear => "十二年一贯制",
        SchoolKind::TeachingPoint => "教学点",
        SchoolKind::Special => "特殊教育学校",
    }
}

/// The header row.
pub fn headers(a: &Assessment) -> Vec<String> {
    let names = |code: &str| {
        a.schools
            .iter()
            .flat_map(|s| &s.indicators)
            .find(|i| i.code == code)
            .map_or_else(
                || code.to_string(),
                |i| format!("{code} {}({})", i.name, i.unit),
            )
    };
    let mut out: Vec<String> = ["学校名称", "学校类型", "所属乡镇", "学段", "在校学生数"]
        .map(String::from)
        .to_vec();
    out.extend(CODES.iter().map(|c| names(c)));
    out.extend(["达标项数(R1-R7)", "结论", "未达标项"].map(String::from));
    out
}

/// One indicator cell: the value, `None` when the stage has no such item.
fn cell(s: &SchoolAssessment, code: &str) -> Option<(Option<f64>, bool)> {
    s.indicators
        .iter()
        .find(|i| i.code == code)
        .map(|i| (i.value, i.meets))
}

fn verdict(s: &SchoolAssessment) -> &'static str {
    match (&s.excluded, s.passes) {
        (Some(_), _) => "不计入",
        (None, true) => "达标",
        (None, false) => "未达标",
    }
}

fn shortfalls(s: &SchoolAssessment) -> String {
    let mut out: Vec<String> = s
        .indicators
        .iter()
        .filter(|i| !i.meets)
        .map(|i| format!("{} 缺{}{}", i.code, i.missing, i.missing_unit))
        .collect();
    if let Some(why) = &s.excluded {
        out.push(why.clone());
    }
    out.join("; ")
}

fn number(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{:.2}", v))
}

/// The table as CSV; a failing value is marked with "✗".
pub fn write_csv(a: &Assessment) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    let mut rows: Vec<Vec<String>> = vec![headers(a)];
    for s in &a.schools {
        let mut row = vec![
            s.school.name.clone(),
            kind_label(s.school.kind).into(),
            s.school.township.clone().unwrap_or_default(),
            s.stage.label().into(),
            format!("{}", s.students),
        ];
        for code in CODES {
            row.push(match cell(s, code) {
                Some((v, true)) => number(v),
                Some((v, false)) => format!("{} ✗", number(v)),
                None => String::new(),
            });
        }
        row.extend([s.meets_count.to_string(), verdict(s).into(), shortfalls(s)]);
        rows.push(row);
    }
    rows.push(vec![]);
    rows.push(coefficient_header());
    rows.extend(coefficient_rows(a));
    for row in rows {
        // Writing to memory cannot fail; rows of several lengths are allowed (flexible).
        let _ = w.write_record(if row.is_empty() {
            vec![String::new()]
        } else {
            row
        });
    }
    w.into_inner().unwrap_or_default()
}

fn coefficient_header() -> Vec<String> {
    let mut h = vec!["差异系数".to_string(), "学段".into(), "学校数".into()];
    h.extend(CODES[..7].iter().map(|c| c.to_string()));
    h.extend(["限值".into(), "结论".into()]);
    h
}

fn coefficient_rows(a: &Assessment) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for stage in [
        duban_domain::school::Stage::Primary,
        duban_domain::school::Stage::Junior,
    ] {
        let cs: Vec<_> = a.coefficients.iter().filter(|c| c.stage == stage).collect();
        let Some(first) = cs.first() else { continue };
        let mut row = vec![
            "校际差异系数".into(),
            stage.label().into(),
            first.schools.to_string(),
        ];
        row.extend(
            cs.iter()
                .map(|c| format!("{:.3}{}", c.cv, if c.meets { "" } else { " ✗" })),
        );
        row.push(format!("{}", first.limit));
        row.push(
            if cs.iter().all(|c| c.meets) {
                "达标"
            } else {
                "未达标"
            }
            .into(),
        );
        out.push(row);
    }
    out
}

/// The table as an XLSX workbook.
pub fn write_xlsx(a: &Assessment) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("{}学年", a.year))?;
    let bold = Format::new().set_bold();
    let fail = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006))
        .set_num_format("0.00");
    let plain = Format::new().set_num_format("0.00");
    for (col, h) in headers(a).iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, h, &bold)?;
    }
    let mut row = 1u32;
    for s in &a.schools {
        sheet.write_string(row, 0, &s.school.name)?;
        sheet.write_string(row, 1, kind_label(s.school.kind))?;
        sheet.write_string(row, 2, s.school.township.as_deref().unwrap_or(""))?;
        sheet.write_string(row, 3, s.stage.label())?;
        sheet.write_number(row, 4, s.students)?;
        for (i, code) in CODES.iter().enumerate() {
            let col = 5 + i as u16;
            if let Some((Some(v), meets)) = cell(s, code) {
                sheet.write_number_with_format(row, col, v, if meets { &plain } else { &fail })?;
            }
        }
        let col = 5 + CODES.len() as u16;
        sheet.write_number(row, col, s.meets_count as f64)?;
        sheet.write_string(row, col + 1, verdict(s))?;
        sheet.write_string(row, col + 2, shortfalls(s))?;
        row += 1;
    }
    row += 1;
    for (col, h) in coefficient_header().iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, h, &bold)?;
    }
    for cells in coefficient_rows(a) {
        row += 1;
        for (col, text) in cells.iter().enumerate() {
            let failing = text.ends_with('✗');
            match text.trim_end_matches(" ✗").parse::<f64>() {
                Ok(v) if col >= 3 => sheet.write_number_with_format(
                    row,
                    col as u16,
                    v,
                    if failing { &fail } else { &plain },
                )?,
                _ => sheet.write_string(row, col as u16, text)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    sheet.autofit();
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use duban_domain::school::{Field, Figures, School, Stage};
    use duban_projections::assessment::{Catalogue, Row, SchoolInfo, assess};

    fn county() -> Assessment {
        let mut rows = Vec::new();
        for (name, music) in [("长风初级中学", 72.0), ("新城初级中学", 100.0)] {
            let mut f = Figures::default();
            for (field, v) in [
                (Field::Students, 100.0),
                (Field::Classes, 3.0),
                (Field::MaxClassSize, 35.0),
                (Field::QualifiedTeachers, 10.0),
                (Field::BackboneTeachers, 2.0),
                (Field::PeTeachers, 2.0),
                (Field::RoomArea, 700.0),
                (Field::SportsArea, 1100.0),
                (Field::EquipmentValue, 300_000.0),
                (Field::MultimediaRooms, 3.0),
                (Field::MusicRooms, 1.0),
                (Field::MusicRoomArea, music),
                (Field::ArtRooms, 1.0),
                (Field::ArtRoomArea, 95.0),
            ] {
                f.set(field, v);
            }
            rows.push(Row {
                school: SchoolInfo {
                    id: School::id_for(name),
                    name: name.into(),
                    kind: SchoolKind::Junior,
                    township: None,
                },
                stage: Stage::Junior,
                figures: f,
            });
        }
        assess(&Catalogue::builtin().unwrap(), 2024, &rows)
    }

    #[test]
    fn the_csv_has_a_row_per_school_with_shortfalls_marked_and_the_coefficients() {
        let text = String::from_utf8(write_csv(&county())).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("学校名称,学校类型,所属乡镇,学段,在校学生数,R1 "));
        let changfeng = lines
            .iter()
            .find(|l| l.starts_with("长风初级中学"))
            .unwrap();
        assert!(changfeng.contains("75.00 ✗"), "{changfeng}");
        assert!(changfeng.contains("G3 缺24㎡"), "{changfeng}");
        assert!(changfeng.contains(",达标,"), "passes R1-R7: {changfeng}");
        let xincheng = lines
            .iter()
            .find(|l| l.starts_with("新城初级中学"))
            .unwrap();
        assert!(!xincheng.contains('✗'), "{xincheng}");
        let cv = lines
            .iter()
            .find(|l| l.starts_with("校际差异系数"))
            .unwrap();
        assert!(cv.starts_with("校际差异系数,初中,2,0.000,"), "{cv}");
    }

    #[test]
    fn the_workbook_opens_as_a_table_with_the_same_rows() {
        let bytes = write_xlsx(&county()).unwrap();
        let table = duban_files::read_table(&bytes, duban_files::Format::Xlsx).unwrap();
        assert_eq!(table[0][0], "学校名称");
        let changfeng = table.iter().find(|r| r[0] == "长风初级中学").unwrap();
        assert_eq!(changfeng[12], "75", "G3's value");
        assert!(changfeng.last().unwrap().contains("G3 缺24㎡"));
        assert!(table.iter().any(|r| r[0] == "校际差异系数"));
    }
}
