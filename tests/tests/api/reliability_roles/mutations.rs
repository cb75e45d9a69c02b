//! The matrix's table of mutations: for each mutation field of the schema, a valid
//! request on a task freshly put in the right state, who may run it (docs/domain.md: only the
//! office writes, except progress by the involved departments and submission by the
//! lead), and what a successful answer must show.

use serde_json::json;

use super::case::{Case, Rule, equals};
use super::world::World;

/// A county's statistics table (the assessment's fixture), sent as a file.
const SURVEY: &str = include_str!("../../../../projections/fixtures/survey-2024.csv");

const IMPORT_TEXT: &str = "某某县教育发展实施方案\n三、重点任务\n(一)优化布局\n\
    1.新建学校。确保2025年8月投入使用。(牵头单位:县教育局;配合单位:县财政局)";

/// The status a lifecycle mutation leaves its task in.
fn status(
    field: &'static str,
    expected: &'static str,
) -> impl Fn(&serde_json::Value) -> Result<(), String> {
    move |d| {
        equals(
            &format!("{field}.status"),
            &d[field]["status"],
            &json!(expected),
        )
    }
}

fn note_query(field: &str) -> Option<&'static str> {
    Some(match field {
        "urgeTask" => {
            "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"请加快进度\"}) { id status escalated } }"
        }
        "escalateTask" => {
            "mutation($t: ID!) { escalateTask(input: {taskId: $t, note: \"挂牌督办\"}) { id status escalated } }"
        }
        "cancelTask" => {
            "mutation($t: ID!) { cancelTask(input: {taskId: $t, note: \"并入其他任务\"}) { id status escalated } }"
        }
        "reopenRectification" => {
            "mutation($t: ID!) { reopenRectification(input: {taskId: $t, note: \"复查发现反弹\"}) { id status escalated } }"
        }
        _ => return None,
    })
}

/// The case of mutation `name` as `who` sends it; `None` when the table lacks it.
pub async fn case(name: &str, w: &World) -> Option<Case> {
    let case = match name {
        "registerDepartment" => Case::new(
            "mutation($n: String!) { registerDepartment(input: {name: $n, kind: SCHOOL}) { id name } }",
            json!({ "n": w.unique("实验小学") }),
            Rule::Office,
            |d| {
                d["registerDepartment"]["id"]
                    .as_str()
                    .map(|_| ())
                    .ok_or(format!("no id: {d}"))
            },
        ),
        "draftPlan" => Case::new(
            "mutation($t: String!) { draftPlan(input: {title: $t, region: \"鲤城区\", \
             periodStart: \"2025-01-01\", periodEnd: \"2025-12-31\"}) { id title } }",
            json!({ "t": w.unique("实施方案") }),
            Rule::Office,
            |d| {
                d["draftPlan"]["id"]
                    .as_str()
                    .map(|_| ())
                    .ok_or(format!("no id: {d}"))
            },
        ),
        "importPlan" => Case::new(
            "mutation($x: String!, $c: String) { importPlan(input: {text: $x, region: \"鲤城区\", \
             commandId: $c}) { plan { id } measures { code } } }",
            json!({ "x": IMPORT_TEXT, "c": w.unique("import-") }),
            Rule::Office,
            |d| {
                equals(
                    "measure code",
                    &d["importPlan"]["measures"][0]["code"],
                    &json!("三(一)1"),
                )
            },
        ),
        "defineMeasure" => Case::new(
            "mutation($p: ID!, $c: String) { defineMeasure(input: {planId: $p, code: $c, \
             title: \"新建学校\"}) { status } }",
            json!({ "p": w.plan, "c": w.unique("二(一)") }),
            Rule::Office,
            status("defineMeasure", "DEFINED"),
        ),
        "scheduleMilestone" => Case::new(
            "mutation($m: ID!) { scheduleMilestone(input: {measureId: $m, title: \"完成选址\", \
             due: \"2025-08-31\"}) { kind parent { id } } }",
            json!({ "m": w.measure }),
            Rule::Office,
            |d| equals("kind", &d["scheduleMilestone"]["kind"], &json!("MILESTONE")),
        ),
        "raiseRectification" => Case::new(
            "mutation($p: ID) { raiseRectification(input: {source: AUDIT, finding: \"功能室不足\", \
             planId: $p}) { kind status } }",
            json!({ "p": w.plan }),
            Rule::Office,
            |d| {
                equals(
                    "kind",
                    &d["raiseRectification"]["kind"],
                    &json!("RECTIFICATION"),
                )
            },
        ),
        "assignTask" => Case::new(
            "mutation($t: ID!, $l: ID!) { assignTask(input: {taskId: $t, leadId: $l, \
             due: \"2025-10-31\"}) { status } }",
            json!({ "t": w.fresh_measure().await, "l": w.dept_a }),
            Rule::Office,
            status("assignTask", "ASSIGNED"),
        ),
        "reportProgress" => Case::new(
            "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 40, \
             note: \"已完成选址\"}) { status progress } }",
            json!({ "t": w.fresh_assigned().await }),
            Rule::OfficeAndInvolved,
            status("reportProgress", "IN_PROGRESS"),
        ),
        "submitForVerification" => Case::new(
            "mutation($t: ID!) { submitForVerification(input: {taskId: $t, \
             summary: \"已投入使用\"}) { status } }",
            json!({ "t": w.fresh_assigned().await }),
            Rule::OfficeAndLead,
            status("submitForVerification", "PENDING_VERIFICATION"),
        ),
        "verifyTask" => Case::new(
            "mutation($t: ID!) { verifyTask(input: {taskId: $t, verdict: ACCEPTED}) { status } }",
            json!({ "t": w.fresh_pending().await }),
            Rule::Office,
            status("verifyTask", "CLOSED"),
        ),
        "extendDeadline" => Case::new(
            "mutation($t: ID!) { extendDeadline(input: {taskId: $t, due: \"2025-12-31\", \
             reason: \"资金未到位\"}) { due } }",
            json!({ "t": w.fresh_assigned().await }),
            Rule::Office,
            |d| equals("due", &d["extendDeadline"]["due"], &json!("2025-12-31")),
        ),
        "urgeTask" | "escalateTask" | "cancelTask" => {
            let field: &'static str = match name {
                "urgeTask" => "urgeTask",
                "escalateTask" => "escalateTask",
                _ => "cancelTask",
            };
            let after = if field == "cancelTask" {
                "CANCELLED"
            } else {
                "ASSIGNED"
            };
            Case::new(
                note_query(field)?,
                json!({ "t": w.fresh_assigned().await }),
                Rule::Office,
                move |d| {
                    status(field, after)(d)?;
                    let escalated = field == "escalateTask";
                    equals("escalated", &d[field]["escalated"], &json!(escalated))
                },
            )
        }
        "reopenRectification" => Case::new(
            note_query(name)?,
            json!({ "t": w.fresh_closed_rectification().await }),
            Rule::Office,
            status("reopenRectification", "IN_PROGRESS"),
        ),
        "importSurvey" => Case::new(
            "mutation($f: FileInput!) { importSurvey(input: {file: $f, year: 2024}) \
             { problems } }",
            json!({ "f": { "name": "survey.csv", "contentBase64": base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                SURVEY,
            ) } }),
            Rule::Office,
            |d| equals("problems", &d["importSurvey"]["problems"], &json!([])),
        ),
        "answerGuaranteeItem" => Case::new(
            "mutation { answerGuaranteeItem(input: {year: 2024, code: \"G2\", met: false, \
             note: \"公用经费未足额拨付\"}) { item { answer { met } } rectification { status } } }",
            json!({}),
            Rule::Office,
            |d| {
                let answered = &d["answerGuaranteeItem"];
                equals("met", &answered["item"]["answer"]["met"], &json!(false))?;
                equals(
                    "rectification.status",
                    &answered["rectification"]["status"],
                    &json!("DEFINED"),
                )
            },
        ),
        _ => return None,
    };
    Some(case)
}
