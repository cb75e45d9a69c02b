//! Helpers for the assessment tests: the fixtures, importSurvey, the assessment query.

use base64::Engine;
use serde_json::{Value, json};

use duban_tests::TestApp;

/// The 2024 survey: 长风初级中学 (seed figures, 72 ㎡ rooms) and 大路小学.
pub const SURVEY_2024: &str = include_str!("../../../../projections/fixtures/survey-2024.csv");
/// The 2025 survey: 长风's rooms rebuilt to 96 / 90 ㎡.
pub const SURVEY_2025: &str = include_str!("../../../../projections/fixtures/survey-2025.csv");

/// The importSurvey mutation's selection.
pub const IMPORT: &str = "mutation($f: FileInput!, $y: Int!, $c: String) {
  importSurvey(input: {file: $f, year: $y, commandId: $c}) {
    schoolsCreated { id name kind township }
    surveysRecorded
    rectificationsRaised { id title status rectification { source unit standard measured } }
    problems
  }
}";

/// A file as FileInput.
pub fn file(name: &str, text: &str) -> Value {
    json!({
        "name": name,
        "contentBase64": base64::engine::general_purpose::STANDARD.encode(text.as_bytes()),
    })
}

/// The same table as an .xlsx workbook: text cells as text, figures as numbers.
pub fn xlsx(text: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n).map(|_| ()),
                Err(_) => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .expect("writes");
        }
    }
    book.save_to_buffer().expect("an xlsx")
}

/// Imports a workbook as the office; returns the payload.
pub async fn import_xlsx(app: &TestApp, year: i32, name: &str, bytes: &[u8]) -> Value {
    let f = json!({
        "name": name,
        "contentBase64": base64::engine::general_purpose::STANDARD.encode(bytes),
    });
    let data = app
        .ok(&app.office, IMPORT, json!({ "f": f, "y": year }))
        .await;
    data["importSurvey"].clone()
}

/// Imports `text` as the office; returns the payload.
pub async fn import(app: &TestApp, year: i32, name: &str, text: &str) -> Value {
    let data = app
        .ok(
            &app.office,
            IMPORT,
            json!({ "f": file(name, text), "y": year }),
        )
        .await;
    data["importSurvey"].clone()
}

/// The assessment query's selection.
pub const ASSESSMENT: &str = "query($y: Int!, $o: [SurveyOverride!]) {
  assessment(year: $y, overrides: $o) {
    year passes catalogueVersion
    schools { school { id name kind } stage students meetsCount passes excluded excludedReason
      indicators { code value threshold meets shortfall missing missingUnit measured } }
    coefficients { code stage cv limit meets unweighted schools }
    evidenceItems { code text }
  }
}";

/// One indicator of one school in an assessment answer.
pub fn indicator<'a>(assessment: &'a Value, school: &str, code: &str) -> &'a Value {
    let row = assessment["schools"]
        .as_array()
        .expect("schools")
        .iter()
        .find(|s| s["school"]["name"] == school)
        .unwrap_or_else(|| panic!("{school} in {assessment}"));
    row["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("{code} of {school}"))
}

/// The rectification items of a unit, as the ledger lists them.
pub async fn items_of(app: &TestApp, unit: &str) -> Vec<Value> {
    let data = app
        .ok(
            &app.office,
            "query($u: String) { rectificationLedger(filter: {unit: $u}, first: 100) {
               totalCount nodes { id status title history(first: 50) { nodes { type data } } } } }",
            json!({ "u": unit }),
        )
        .await;
    data["rectificationLedger"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone()
}

/// A token of the SCHOOL department 长风初级中学 (registered here) and one of a bureau.
pub async fn school_and_bureau_tokens(app: &TestApp) -> (String, String) {
    let school = app
        .ok(
            &app.office,
            "mutation { registerDepartment(input: {name: \"长风初级中学\", kind: SCHOOL}) { id } }",
            json!({}),
        )
        .await["registerDepartment"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let school_token = app.department_token(&school).await;
    let bureau_token = app.department_token(&app.department("财政局").await).await;
    (school_token, bureau_token)
}
