//! The role matrix for nested fields: every field of the served schema, other than the
//! roots, whose type is `Task` or a list of tasks (read by introspection, so a new one
//! without a row fails with its name) is reached by department C, which is on none of
//! the world's A-led tasks, and must not show it one of them; the office, through the
//! same path, must (so a row cannot pass by reaching nothing).

use serde_json::{Value, json};

use super::world::{Who, World};

/// How C reaches a nested field: a request (with `$t` = the A-led measure and `$m` = a
/// milestone under it led by C, `$p` = the plan) and whether only the office may send it
/// (then C must get FORBIDDEN, which the root matrix checks as well).
struct Path {
    query: &'static str,
    office_only: bool,
}

/// The row of each nested field returning tasks.
fn path(field: &str) -> Option<Path> {
    let (query, office_only) = match field {
        "Task.parent" => ("query($m: ID!) { task(id: $m) { parent { id } } }", false),
        "Board.agenda" => ("{ board { agenda { id } } }", false),
        "Plan.tasks" | "TaskConnection.nodes" | "TaskEdge.node" => (
            "query($p: ID!) { plan(id: $p) { tasks { nodes { id } edges { node { id } } } } }",
            false,
        ),
        "ImportPlanPayload.measures" => (
            "mutation { importPlan(input: {text: \"计划\\n一、任务\\n1.建设。(牵头单位:县教育局)\"}) \
             { measures { id } } }",
            true,
        ),
        "ImportSurveyPayload.rectificationsRaised" => (
            "mutation { importSurvey(input: {year: 2024, file: {name: \"a.csv\", \
             contentBase64: \"\"}}) { rectificationsRaised { id } } }",
            true,
        ),
        "AnswerGuaranteeItemPayload.rectification" => (
            "mutation { answerGuaranteeItem(input: {year: 2024, code: \"G1\", met: false}) \
             { rectification { id } } }",
            true,
        ),
        _ => return None,
    };
    Some(Path { query, office_only })
}

/// The named type under lists and non-nulls.
fn named(mut ty: &Value) -> Option<&str> {
    while ty["name"].is_null() {
        ty = &ty["ofType"];
        if ty.is_null() {
            return None;
        }
    }
    ty["name"].as_str()
}

/// Every `Type.field` of the schema, outside the roots, that returns tasks.
async fn task_fields(w: &World) -> Vec<String> {
    let data = w
        .office(
            "{ __schema { types { name fields { name type { name ofType { name ofType \
             { name ofType { name ofType { name } } } } } } } } }",
            json!({}),
        )
        .await;
    let mut found = Vec::new();
    for ty in data["__schema"]["types"].as_array().into_iter().flatten() {
        let name = ty["name"].as_str().unwrap_or_default();
        if matches!(name, "Query" | "Mutation" | "Subscription") || name.starts_with("__") {
            continue;
        }
        for field in ty["fields"].as_array().into_iter().flatten() {
            if named(&field["type"]) == Some("Task") {
                found.push(format!(
                    "{name}.{}",
                    field["name"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    found
}

/// Runs the nested rows; returns the rows without a path and the broken rules.
pub async fn check(w: &World) -> (Vec<String>, Vec<String>) {
    // The A-led measure on the agenda, with a milestone under it handed to C.
    w.office(
        "mutation($t: ID!) { escalateTask(input: {taskId: $t, note: \"挂牌督办\"}) { id } }",
        json!({ "t": w.measure }),
    )
    .await;
    let milestone = w
        .office(
            "mutation($t: ID!) { scheduleMilestone(input: {measureId: $t, title: \"节点\", \
             due: \"2025-09-30\"}) { id } }",
            json!({ "t": w.measure }),
        )
        .await["scheduleMilestone"]["id"]
        .as_str()
        .expect("milestone")
        .to_string();
    w.office(
        "mutation($t: ID!, $l: ID!) { assignTask(input: {taskId: $t, leadId: $l, \
         due: \"2025-09-30\"}) { id } }",
        json!({ "t": milestone, "l": w.dept_c }),
    )
    .await;
    let variables = json!({ "t": w.measure, "m": milestone, "p": w.plan });
    let (mut missing, mut broken) = (Vec::new(), Vec::new());
    for field in task_fields(w).await {
        let Some(path) = path(&field) else {
            missing.push(field);
            continue;
        };
        let mut vars = variables.clone();
        // Only the variables the request declares.
        for name in ["t", "m", "p"] {
            if !path.query.contains(&format!("${name}")) {
                vars.as_object_mut().expect("object").remove(name);
            }
        }
        let other = w.token(Who::Other).expect("token");
        let (_, body) = w.app.gql(Some(&other), path.query, vars.clone()).await;
        if body.to_string().contains(&w.measure) {
            broken.push(format!("{field}: department C read an A-led task: {body}"));
        }
        if path.office_only {
            continue;
        }
        let (_, body) = w.app.gql(Some(&w.app.office), path.query, vars).await;
        if !body.to_string().contains(&w.measure) {
            broken.push(format!(
                "{field}: the office's request reached nothing: {body}"
            ));
        }
    }
    (missing, broken)
}
