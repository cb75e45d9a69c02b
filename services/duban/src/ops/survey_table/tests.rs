//! The statistics table reader: headers in any order, mapped spellings, named problems,
//! no panic on anything.

use proptest::prelude::*;

use super::*;

const FIXTURE: &str = include_str!("../../../../../projections/fixtures/survey-2024.csv");

fn table(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn reads_the_fixture_with_the_columns_in_any_order() {
    let rows = read_rows(&table(FIXTURE), &ColumnMap::default()).expect("reads");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].name, "长风初级中学");
    assert_eq!(rows[0].row, 2);
    assert_eq!(rows[0].stage, Stage::Junior);
    assert_eq!(rows[0].figures.get(Field::MusicRoomArea), 72.0);
    assert_eq!(rows[0].figures.get(Field::EquipmentValue), 518_000.0);
    // Reverse every row's cells: the same rows come out.
    let reversed: Vec<Vec<String>> = table(FIXTURE)
        .into_iter()
        .map(|mut r| {
            r.reverse();
            r
        })
        .collect();
    assert_eq!(
        read_rows(&reversed, &ColumnMap::default()).expect("reads"),
        rows
    );
}

#[test]
fn other_spellings_are_mapped_by_the_column_map() {
    let renamed = FIXTURE
        .replacen("学校名称", "学校", 1)
        .replacen("在校学生数", "学生数", 1);
    let refused = read_rows(&table(&renamed), &ColumnMap::default()).unwrap_err();
    assert!(
        refused[0].contains("学校名称") && refused[0].contains("在校学生数"),
        "{refused:?}"
    );
    let map = ColumnMap::parse("[columns]\n\"学校\" = \"学校名称\"\n\"学生数\" = \"在校学生数\"\n")
        .expect("a map");
    let rows = read_rows(&table(&renamed), &map).expect("reads");
    assert_eq!(rows[1].figures.get(Field::Students), 312.0);
    assert!(ColumnMap::parse("[columns]\n\"x\" = \"学生\"\n").is_err());
}

#[test]
fn every_bad_cell_is_named_by_row_column_and_value() {
    let bad = FIXTURE
        .replacen(",83,", ",八十三,", 1)
        .replacen(",1833,", ",1833.5.1,", 1)
        .replacen(
            "大路小学,小学,玉溪镇,小学,312",
            "大路小学,小学,玉溪镇,高中,312",
            1,
        );
    let problems = read_rows(&table(&bad), &ColumnMap::default()).unwrap_err();
    assert!(
        problems.contains(
            &"row 2, column 在校学生数: '八十三' is not a number of 0 or more".to_string()
        ),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("row 3, column 教学及辅助用房面积: '1833.5.1'"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("row 3, column 学段: '高中'"))
    );
    let fraction = FIXTURE.replacen(",83,", ",83.5,", 1);
    let problems = read_rows(&table(&fraction), &ColumnMap::default()).unwrap_err();
    assert_eq!(
        problems,
        vec!["row 2, column 在校学生数: '83.5' is not a whole number".to_string()]
    );
}

#[test]
fn a_stage_the_school_lacks_and_a_repeated_row_are_problems() {
    let junior_primary = FIXTURE.replacen(
        "长风初级中学,初中,长风镇,初中",
        "长风初级中学,初中,长风镇,小学",
        1,
    );
    let problems = read_rows(&table(&junior_primary), &ColumnMap::default()).unwrap_err();
    assert!(
        problems[0].starts_with("row 2, column 学段: '小学'"),
        "{problems:?}"
    );
    let repeated = format!("{FIXTURE}{}\n", FIXTURE.lines().nth(1).unwrap());
    let problems = read_rows(&table(&repeated), &ColumnMap::default()).unwrap_err();
    assert!(
        problems[0].contains("row 4") && problems[0].contains("row 2"),
        "{problems:?}"
    );
}

#[test]
fn figures_as_offices_type_them() {
    assert_eq!(number("518,000"), Some(518_000.0));
    assert_eq!(number(" 72㎡ "), Some(72.0));
    assert_eq!(number("5323.5"), Some(5323.5));
    assert_eq!(number("-1"), None);
    assert_eq!(number(""), None);
    assert_eq!(number("1e3"), None);
    assert_eq!(number("NaN"), None);
}

proptest! {
    #[test]
    fn never_panics_on_any_table(cells in proptest::collection::vec(proptest::collection::vec(".{0,12}", 0..24), 0..12)) {
        let _ = read_rows(&cells, &ColumnMap::default());
    }

    #[test]
    fn never_panics_when_the_header_is_right_and_the_cells_are_anything(
        rows in proptest::collection::vec(proptest::collection::vec("[0-9.,㎡a-z小学初中 ]{0,8}", 21), 1..8)
    ) {
        let mut t = table(FIXTURE.lines().next().unwrap());
        t.extend(rows);
        let _ = read_rows(&t, &ColumnMap::default());
    }
}
