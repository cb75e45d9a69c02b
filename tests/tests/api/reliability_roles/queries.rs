//! The matrix's table of queries: for each query field of the schema, a valid request
//! against the world, who may run it, and what its answer must show (for departments,
//! only their own tasks).

use serde_json::{Value, json};

use super::case::{Case, Rule, equals, scoped};
use super::world::{Who, World};

/// Splits the world's tasks into those `who` may list and those it may not.
fn visible<'a>(who: Who, ours: [&'a str; 1], theirs: [&'a str; 1]) -> (Vec<&'a str>, Vec<&'a str>) {
    match who {
        Who::Lead | Who::Cooperating => (ours.to_vec(), theirs.to_vec()),
        Who::Other => (theirs.to_vec(), ours.to_vec()),
        _ => ([ours, theirs].concat(), Vec::new()),
    }
}

/// The case of query `name` as `who` sends it; `None` when the table lacks it.
pub fn case(name: &str, w: &World, who: Who) -> Option<Case> {
    let measure = w.measure.clone();
    let case = match name {
        "me" => {
            let role = match who {
                Who::Office => "OFFICE",
                Who::Auditor => "AUDITOR",
                _ => "DEPARTMENT",
            };
            let dept = if who == Who::Lead {
                json!(w.dept_a)
            } else if who == Who::Other {
                json!(w.dept_c)
            } else {
                Value::Null
            };
            Case::new(
                "{ me { role department { id } } }",
                json!({}),
                Rule::Everyone,
                move |d| {
                    equals("role", &d["me"]["role"], &json!(role))?;
                    if dept.is_null() {
                        return Ok(());
                    }
                    equals("department", &d["me"]["department"]["id"], &dept)
                },
            )
        }
        "departments" => {
            let (a, c) = (w.dept_a.clone(), w.dept_c.clone());
            Case::new(
                "{ departments { id } }",
                json!({}),
                Rule::Everyone,
                move |d| scoped(&d["departments"], &[&a, &c], &[]),
            )
        }
        "plans" => {
            let plan = w.plan.clone();
            Case::new("{ plans { id } }", json!({}), Rule::Everyone, move |d| {
                scoped(&d["plans"], &[&plan], &[])
            })
        }
        "plan" => {
            let plan = w.plan.clone();
            Case::new(
                "query($id: ID!) { plan(id: $id) { id } }",
                json!({ "id": w.plan }),
                Rule::Everyone,
                move |d| equals("plan.id", &d["plan"]["id"], &json!(plan)),
            )
        }
        "task" => Case::new(
            "query($id: ID!) { task(id: $id) { id } }",
            json!({ "id": measure }),
            Rule::Involved,
            move |d| equals("task.id", &d["task"]["id"], &json!(measure)),
        ),
        "taskAsOf" => Case::new(
            "query($id: ID!) { taskAsOf(id: $id, at: \"2025-07-01T09:00:00+08:00\") { id } }",
            json!({ "id": measure }),
            Rule::Involved,
            move |d| equals("taskAsOf.id", &d["taskAsOf"]["id"], &json!(measure)),
        ),
        "tasks" => {
            let (wanted, unwanted) = visible(who, [&w.measure], [&w.other_measure]);
            let (wanted, unwanted) = (owned(&wanted), owned(&unwanted));
            Case::new(
                "{ tasks(first: 500) { nodes { id } } }",
                json!({}),
                Rule::Everyone,
                move |d| scoped(&d["tasks"]["nodes"], &refs(&wanted), &refs(&unwanted)),
            )
        }
        "rectificationLedger" => {
            let (wanted, unwanted) = visible(who, [&w.rectification], [&w.other_rectification]);
            let (wanted, unwanted) = (owned(&wanted), owned(&unwanted));
            Case::new(
                "{ rectificationLedger(first: 500) { nodes { id } } }",
                json!({}),
                Rule::Everyone,
                move |d| {
                    scoped(
                        &d["rectificationLedger"]["nodes"],
                        &refs(&wanted),
                        &refs(&unwanted),
                    )
                },
            )
        }
        "worklist" => {
            let other = w.other_measure.clone();
            Case::new(
                "query($d: ID) { worklist(departmentId: $d) { id } }",
                json!({ "d": w.dept_a }),
                Rule::OfficeAuditorLead,
                move |d| scoped(&d["worklist"], &[&measure], &[&other]),
            )
        }
        "board" => {
            let (a, c) = (w.dept_a.clone(), w.dept_c.clone());
            Case::new(
                "query($p: ID) { board(planId: $p) { rows { department { id } } } }",
                json!({ "p": w.plan }),
                Rule::Everyone,
                move |d| {
                    let rows: Vec<Value> = d["board"]["rows"]
                        .as_array()
                        .map(|rows| rows.iter().map(|r| r["department"].clone()).collect())
                        .unwrap_or_default();
                    scoped(&Value::Array(rows), &[&a, &c], &[])
                },
            )
        }
        "quarterlyDispatch" => Case::new(
            "query($p: ID) { quarterlyDispatch(planId: $p, year: 2025, quarter: 3) { year quarter } }",
            json!({ "p": w.plan }),
            Rule::Everyone,
            |d| equals("quarter", &d["quarterlyDispatch"]["quarter"], &json!(3)),
        ),
        "history" => {
            let stream = w.measure_stream.clone();
            Case::new(
                "query($s: String!) { history(streamId: $s) { nodes { streamId type } } }",
                json!({ "s": w.measure_stream }),
                Rule::OfficeAndAuditor,
                move |d| {
                    let nodes = d["history"]["nodes"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    if nodes.is_empty() || nodes.iter().any(|n| n["streamId"] != json!(stream)) {
                        return Err(format!("not the stream's history: {d}"));
                    }
                    Ok(())
                },
            )
        }
        "events" => Case::new(
            "{ events(first: 5) { nodes { position } } }",
            json!({}),
            Rule::OfficeAndAuditor,
            |d| match d["events"]["nodes"].as_array() {
                Some(nodes) if nodes.len() == 5 => Ok(()),
                _ => Err(format!("expected 5 events: {d}")),
            },
        ),
        "verifyIntegrity" => Case::new(
            "{ verifyIntegrity { ok } }",
            json!({}),
            Rule::OfficeAndAuditor,
            |d| equals("ok", &d["verifyIntegrity"]["ok"], &json!(true)),
        ),
        "previewPlanImport" => Case::new(
            "query($x: String!) { previewPlanImport(input: {text: $x}) { digest } }",
            json!({ "x": "某某县教育发展实施方案\n三、重点任务\n(一)优化布局\n\
                    1.新建学校。(牵头单位:县教育局)\n" }),
            Rule::Office,
            |d| {
                d["previewPlanImport"]["digest"]
                    .as_str()
                    .map(|_| ())
                    .ok_or(format!("no digest: {d}"))
            },
        ),
        // The world's departments are bureaus: the assessment is for the office,
        // auditors and schools only.
        "schools" => Case::new(
            "{ schools { id } }",
            json!({}),
            Rule::OfficeAndAuditor,
            |d| match d["schools"].as_array() {
                Some(_) => Ok(()),
                None => Err(format!("no list: {d}")),
            },
        ),
        "assessment" => Case::new(
            "{ assessment(year: 2024) { year } }",
            json!({}),
            Rule::OfficeAndAuditor,
            |d| equals("year", &d["assessment"]["year"], &json!(2024)),
        ),
        _ => return None,
    };
    Some(case)
}

fn owned(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn refs(ids: &[String]) -> Vec<&str> {
    ids.iter().map(String::as_str).collect()
}
