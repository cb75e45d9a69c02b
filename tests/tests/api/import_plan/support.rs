//! What the `importPlan` scenarios share: the mutation, the seeds and a look at the log.

use serde_json::{Value, json};

use duban_store::RecordedEvent;
use duban_tests::TestApp;

/// Seed 000 (鲤城区), as shipped with the demo.
pub const SEED_000: &str = duban::demo::LICHENG_PLAN;

/// Seed 004 (第一师阿拉尔市): every measure names its departments.
pub const SEED_004: &str =
    include_str!("../../../../domain/import/tests/fixtures/004_57d03eec54c33079.txt");

/// The mutation, with everything the answer carries.
pub const IMPORT: &str = r#"
mutation($text: String!, $cid: String) {
  importPlan(input: {text: $text, commandId: $cid}) {
    plan { id title region issuer periodStart periodEnd phases { name starts ends } }
    measures {
      id code title status due plan { id }
      lead { id name }
      cooperating { id name }
    }
    departmentsCreated { id name kind }
    unrecognised
  }
}"#;

/// Imports `text` as `token`; returns the HTTP status and body.
pub async fn import(app: &TestApp, token: &str, text: &str, cid: Option<&str>) -> (u16, Value) {
    app.gql(Some(token), IMPORT, json!({ "text": text, "cid": cid }))
        .await
}

/// Imports `text` as the office, asserting success; returns the payload.
pub async fn import_ok(app: &TestApp, text: &str, cid: Option<&str>) -> Value {
    app.ok(&app.office, IMPORT, json!({ "text": text, "cid": cid }))
        .await["importPlan"]
        .clone()
}

/// Every event of the log, read straight from the store.
pub async fn all_events(app: &TestApp) -> Vec<RecordedEvent> {
    app.app
        .store
        .read_all(0, 100_000)
        .await
        .expect("read the log")
}

/// The codes of the measures of an answer, in order.
pub fn codes(payload: &Value) -> Vec<String> {
    payload["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .map(|m| m["code"].as_str().expect("code").to_string())
        .collect()
}

/// The names in a list of departments.
pub fn names(departments: &Value) -> Vec<String> {
    departments
        .as_array()
        .expect("departments")
        .iter()
        .map(|d| d["name"].as_str().expect("name").to_string())
        .collect()
}

/// The measure with this code in an answer.
pub fn measure<'a>(payload: &'a Value, code: &str) -> &'a Value {
    payload["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .find(|m| m["code"] == code)
        .unwrap_or_else(|| panic!("no measure {code} in {payload}"))
}
