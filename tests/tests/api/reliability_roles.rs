//! The role matrix over real HTTP: every query and mutation field of the served schema
//! (read by introspection, so a new operation without a rule fails the test with its
//! name) × {no token, bad token, OFFICE, DEPARTMENT lead of the task, DEPARTMENT
//! cooperating on it, DEPARTMENT of another department, AUDITOR}. Each cell sends a valid
//! request against a prepared world and asserts the rule in docs/domain.md: 401 UNAUTHENTICATED
//! without a valid token; success with data scoped to the viewer, or FORBIDDEN; a refused
//! or read-only request records no event, a permitted mutation records at least one.
//! `taskEvents` is covered over WebSocket in `reliability_roles/subscription.rs`, nested
//! fields that return tasks in `reliability_roles/nested.rs`.

mod case;
mod mutations;
mod nested;
mod notify;
mod queries;
mod subscription;
mod world;

use serde_json::{Value, json};

use duban_tests::{Backend, backend_tests, error_codes};

use case::Case;
use world::{Who, World};

/// Subscription fields and the test that covers them.
const SUBSCRIPTIONS: [&str; 1] = ["taskEvents"];

/// The root fields of the served schema: (operation type, field name).
async fn served_operations(w: &World) -> Vec<(&'static str, String)> {
    let data = w
        .office(
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } \
             subscriptionType { fields { name } } } }",
            json!({}),
        )
        .await;
    let mut all = Vec::new();
    for (kind, key) in [
        ("query", "queryType"),
        ("mutation", "mutationType"),
        ("subscription", "subscriptionType"),
    ] {
        for field in data["__schema"][key]["fields"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let name = field["name"].as_str().expect("field name").to_string();
            all.push((kind, name));
        }
    }
    all
}

/// Sends one cell's request and judges the answer; `Err` says what broke the rule.
async fn run_cell(w: &World, kind: &str, who: Who, case: &Case) -> Result<&'static str, String> {
    let token = w.token(who);
    let before = w.app.event_count().await;
    let (status, body) = w
        .app
        .gql(token.as_deref(), case.query, case.variables.clone())
        .await;
    let recorded = w.app.event_count().await - before;
    let codes = error_codes(&body);
    if matches!(who, Who::NoToken | Who::BadToken) {
        if status != 401 || codes != ["UNAUTHENTICATED"] || recorded != 0 {
            return Err(format!("expected 401 UNAUTHENTICATED, got {status} {body}"));
        }
        return Ok("401");
    }
    if !case.rule.permits(who) {
        if !codes.iter().any(|c| c == "FORBIDDEN") || recorded != 0 {
            return Err(format!(
                "expected FORBIDDEN, nothing recorded; got {status} {body}, {recorded} events"
            ));
        }
        return Ok("FORBIDDEN");
    }
    if status != 200 || body.get("errors").is_some() {
        return Err(format!("expected success, got {status} {body}"));
    }
    (case.check)(&body["data"])?;
    match (kind, recorded) {
        ("mutation", 0) => Err("a successful mutation recorded no event".to_string()),
        ("query", n) if n != 0 => Err(format!("a query recorded {n} events")),
        _ => Ok("ok"),
    }
}

async fn case_for(name: &str, kind: &str, w: &World, who: Who) -> Option<Case> {
    match kind {
        "query" => queries::case(name, w, who).or_else(|| notify::query(name)),
        _ => match mutations::case(name, w).await {
            Some(case) => Some(case),
            None => notify::mutation(name, w).await,
        },
    }
}

backend_tests!(every_operation_enforces_its_role_rule_for_every_role);
async fn every_operation_enforces_its_role_rule_for_every_role(backend: Backend) {
    let Some(w) = World::build(backend).await else {
        return;
    };
    let operations = served_operations(&w).await;
    assert!(operations.len() > 20, "introspection found {operations:?}");
    let mut missing = Vec::new();
    let mut failures = Vec::new();
    let mut cells = 0;
    for (kind, name) in &operations {
        if *kind == "subscription" {
            if !SUBSCRIPTIONS.contains(&name.as_str()) {
                missing.push(format!("subscription {name}"));
            }
            continue;
        }
        let mut row = Vec::new();
        for who in Who::ALL {
            let Some(case) = case_for(name, kind, &w, who).await else {
                missing.push(format!("{kind} {name}"));
                break;
            };
            cells += 1;
            match run_cell(&w, kind, who, &case).await {
                Ok(outcome) => row.push(format!("{who:?}={outcome}")),
                Err(why) => failures.push(format!("{kind} {name} as {who:?}: {why}")),
            }
        }
        println!("{backend:?} {kind} {name}: {}", row.join(" "));
    }
    assert!(
        missing.is_empty(),
        "operations of the schema without a row in the role table: {missing:?}"
    );
    assert!(
        failures.is_empty(),
        "role rules broken:\n{}",
        failures.join("\n")
    );
    println!(
        "{backend:?}: {cells} cells over {} operations",
        operations.len()
    );
    w.app.stop().await;
}

backend_tests!(a_department_worklist_defaults_to_its_own_tasks);
async fn a_department_worklist_defaults_to_its_own_tasks(backend: Backend) {
    let Some(w) = World::build(backend).await else {
        return;
    };
    let query = "{ worklist { id } }";
    for (who, own, foreign) in [
        (Who::Lead, &w.measure, &w.other_measure),
        (Who::Cooperating, &w.measure, &w.other_measure),
        (Who::Other, &w.other_measure, &w.measure),
    ] {
        let token = w.token(who).expect("token");
        let data = w.app.ok(&token, query, json!({})).await;
        case::scoped(&data["worklist"], &[own], &[foreign]).expect("own worklist");
    }
    // The office and auditors have no department: they must name one.
    let body = w
        .app
        .fails(&w.app.auditor, query, json!({}), "BAD_USER_INPUT")
        .await;
    assert_eq!(body["data"], Value::Null, "{body}");
    w.app.stop().await;
}

backend_tests!(task_events_needs_a_token_and_keeps_departments_to_their_own_tasks);
async fn task_events_needs_a_token_and_keeps_departments_to_their_own_tasks(backend: Backend) {
    let Some(w) = World::build(backend).await else {
        return;
    };
    subscription::check(&w).await;
    w.app.stop().await;
}

backend_tests!(a_task_history_is_not_readable_by_departments_through_nested_fields);
async fn a_task_history_is_not_readable_by_departments_through_nested_fields(backend: Backend) {
    let Some(w) = World::build(backend).await else {
        return;
    };
    w.office(
        "mutation($t: ID!) { escalateTask(input: {taskId: $t, note: \"挂牌督办\"}) { id } }",
        json!({ "t": w.measure }),
    )
    .await;
    // The board and its agenda are open to departments; the events behind them are not.
    let agenda = "{ board { agenda { id history { nodes { type } } } } }";
    let own = "query($t: ID!) { task(id: $t) { id history { nodes { type } } } }";
    for who in [Who::Lead, Who::Cooperating, Who::Other] {
        let token = w.token(who).expect("token");
        let before = w.app.event_count().await;
        if who == Who::Other {
            // C is not on the task: the agenda does not show it to C at all.
            let data = w.app.ok(&token, agenda, json!({})).await;
            assert!(!data.to_string().contains(&w.measure), "{data}");
        } else {
            w.app.fails(&token, agenda, json!({}), "FORBIDDEN").await;
            let vars = json!({ "t": w.measure });
            w.app.fails(&token, own, vars, "FORBIDDEN").await;
        }
        assert_eq!(w.app.event_count().await, before);
    }
    for token in [&w.app.office, &w.app.auditor] {
        let data = w.app.ok(token, agenda, json!({})).await;
        let agenda = data["board"]["agenda"].as_array().expect("agenda");
        let item = agenda
            .iter()
            .find(|t| t["id"] == json!(w.measure))
            .expect("the escalated task is on the agenda");
        let types: Vec<&str> = item["history"]["nodes"]
            .as_array()
            .expect("history")
            .iter()
            .filter_map(|n| n["type"].as_str())
            .collect();
        assert!(types.contains(&"TaskEscalated"), "{types:?}");
    }
    w.app.stop().await;
}

backend_tests!(no_nested_field_shows_a_department_a_task_it_is_not_on);
async fn no_nested_field_shows_a_department_a_task_it_is_not_on(backend: Backend) {
    let Some(w) = World::build(backend).await else {
        return;
    };
    let (missing, broken) = nested::check(&w).await;
    assert!(
        missing.is_empty(),
        "fields returning tasks without a row in reliability_roles/nested.rs: {missing:?}"
    );
    assert!(broken.is_empty(), "{backend:?}:\n{}", broken.join("\n"));
    w.app.stop().await;
}
