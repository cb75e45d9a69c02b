//! `duban import-survey` on a fresh SQLite file: a dry run records nothing, an import
//! records the surveys and raises the items, a repeat raises nothing, a bad cell fails
//! with the cell named and records nothing, a column map reads other spellings.

use duban_store::testing::TempDbFile;

use super::support::SURVEY_2024;
use crate::cli::support::{TempText, count, duban, duban_ok};

#[tokio::test]
async fn import_survey_records_once_and_refuses_bad_cells() {
    let db = TempDbFile::new();
    let file = TempText::new(SURVEY_2024.as_bytes());
    let args = ["import-survey", file.arg(), "--year", "2024"];
    let dry = duban_ok(db.path(), None, &[&args[..], &["--dry-run"]].concat());
    assert!(
        dry.stdout
            .contains("would record 2 surveys of 2024; 2 schools new"),
        "{dry:?}"
    );
    assert_eq!(count(db.path(), None).await, 0);

    let first = duban_ok(db.path(), None, &args);
    assert!(
        first
            .stdout
            .contains("recorded 2 surveys of 2024; 2 schools new; 2 rectification items raised"),
        "{first:?}"
    );
    assert_eq!(count(db.path(), Some("SchoolSurveyed")).await, 2);
    assert_eq!(count(db.path(), Some("RectificationRaised")).await, 2);
    let again = duban_ok(db.path(), None, &args);
    assert!(again.stdout.contains("recorded 0 surveys"), "{again:?}");
    assert_eq!(count(db.path(), Some("RectificationRaised")).await, 2);

    let before = count(db.path(), None).await;
    let bad = TempText::new(SURVEY_2024.replacen(",5323,", ",5323..0,", 1).as_bytes());
    let refused = duban(
        db.path(),
        None,
        &["import-survey", bad.arg(), "--year", "2025"],
    );
    assert!(!refused.ok);
    assert!(
        refused
            .stderr
            .contains("row 2, column 教学及辅助用房面积: '5323..0'"),
        "{refused:?}"
    );
    assert_eq!(count(db.path(), None).await, before);

    let renamed = TempText::new(SURVEY_2024.replacen("学校名称", "学校", 1).as_bytes());
    let map = TempText::new("[columns]\n\"学校\" = \"学校名称\"\n".as_bytes());
    let mapped = duban_ok(
        db.path(),
        None,
        &[
            "import-survey",
            renamed.arg(),
            "--year",
            "2025",
            "--columns",
            map.arg(),
        ],
    );
    assert!(
        mapped.stdout.contains("recorded 2 surveys of 2025"),
        "{mapped:?}"
    );
}
