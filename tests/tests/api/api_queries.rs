//! Reading tasks over the GraphQL API, on SQLite and PostgreSQL: `task` by id, `tasks`
//! with each filter, paging (default page 50, at most 500, BAD_USER_INPUT above), what a
//! department may list, and `worklist` per department.

use std::collections::HashSet;

use serde_json::{Value, json};

use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

const TASKS: &str = "query($f: TaskFilter, $first: Int, $after: String) { \
    tasks(filter: $f, first: $first, after: $after) { totalCount \
    nodes { id } pageInfo { hasNextPage endCursor } } }";

/// The ids `tasks` lists for `filter` as `token` sees them, as a set.
async fn listed(app: &TestApp, token: &str, filter: Value) -> HashSet<String> {
    let data = app.ok(token, TASKS, json!({ "f": filter })).await;
    let ids: HashSet<String> = data["tasks"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(data["tasks"]["totalCount"], ids.len(), "{data}");
    ids
}

fn set(ids: &[&str]) -> HashSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Raises a rectification item with this source and unit; returns its id.
async fn rectification(app: &TestApp, source: &str, unit: &str) -> String {
    let data = app
        .ok(
            &app.office,
            "mutation($s: RectificationSource!, $u: String) { raiseRectification(input: \
             {source: $s, finding: \"场地不足\", unit: $u}) { id } }",
            json!({ "s": source, "u": unit }),
        )
        .await;
    data["raiseRectification"]["id"]
        .as_str()
        .expect("id")
        .to_string()
}

backend_tests!(task_by_id_returns_the_task_and_null_for_an_unknown_id);
async fn task_by_id_returns_the_task_and_null_for_an_unknown_id(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.plan_with_task().await;
    let query = "query($id: ID!) { task(id: $id) { id code title status } }";
    let found = app
        .ok(&app.auditor, query, json!({ "id": setup.task_id }))
        .await;
    assert_eq!(
        found["task"],
        json!({"id": setup.task_id, "code": "一(一)1", "title": "改善办学条件", "status": "DEFINED"})
    );
    let bare_uuid = setup.task_id.trim_start_matches("task-");
    let by_uuid = app.ok(&app.office, query, json!({ "id": bare_uuid })).await;
    assert_eq!(by_uuid["task"]["id"], setup.task_id.as_str());
    let missing = app
        .ok(
            &app.office,
            query,
            json!({ "id": "task-00000000-0000-7000-8000-000000000000" }),
        )
        .await;
    assert!(missing["task"].is_null(), "{missing}");
    app.stop().await;
}

backend_tests!(tasks_filter_by_kind_status_department_overdue_source_and_unit);
async fn tasks_filter_by_kind_status_department_overdue_source_and_unit(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let plan = app.draft_plan("实施方案").await;
    let lead = app.department("财政局").await;
    let helper = app.department("人社局").await;
    let shared = app.define_measure(&plan, "一1", "共担").await;
    app.ok(
        &app.office,
        "mutation($t: ID!, $l: ID!, $c: [ID!]) { assignTask(input: {taskId: $t, leadId: $l, \
             cooperatingIds: $c, due: \"2025-06-30\"}) { id } }",
        json!({ "t": shared, "l": lead, "c": [helper] }),
    )
    .await;
    let idle = app.define_measure(&plan, "一2", "未分派").await;
    let school_item = rectification(&app, "SUPERVISION", "第一中心小学").await;
    app.assign(&school_item, &helper, "2025-12-31").await;
    let complaint = rectification(&app, "COMPLAINT", "第二中学").await;
    // `shared` was due yesterday: the clock marks it overdue.
    assert_eq!(app.app.tick().await.expect("tick"), 1);

    let office = app.office.clone();
    let all = listed(&app, &office, json!(null)).await;
    assert_eq!(all, set(&[&shared, &idle, &school_item, &complaint]));
    let kinds = listed(&app, &office, json!({ "kind": ["RECTIFICATION"] })).await;
    assert_eq!(kinds, set(&[&school_item, &complaint]));
    let defined = listed(&app, &office, json!({ "status": ["DEFINED"] })).await;
    assert_eq!(defined, set(&[&idle, &complaint]));
    let of_helper = listed(&app, &office, json!({ "departmentId": helper })).await;
    assert_eq!(
        of_helper,
        set(&[&shared, &school_item]),
        "lead or cooperating"
    );
    let overdue = listed(&app, &office, json!({ "overdue": true })).await;
    assert_eq!(overdue, set(&[&shared]));
    let source = listed(&app, &office, json!({ "source": "SUPERVISION" })).await;
    assert_eq!(source, set(&[&school_item]));
    let unit = listed(&app, &office, json!({ "unit": "中心小学" })).await;
    assert_eq!(unit, set(&[&school_item]));
    let combined = listed(
        &app,
        &office,
        json!({ "kind": ["MEASURE"], "departmentId": helper }),
    )
    .await;
    assert_eq!(combined, set(&[&shared]));
    app.stop().await;
}

backend_tests!(tasks_page_fifty_by_default_follow_the_cursor_and_refuse_more_than_five_hundred);
async fn tasks_page_fifty_by_default_follow_the_cursor_and_refuse_more_than_five_hundred(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let plan = app.draft_plan("实施方案").await;
    for n in 1..=55 {
        app.define_measure(&plan, &format!("{n}"), &format!("措施{n}"))
            .await;
    }
    let first = app.ok(&app.office, TASKS, json!({})).await;
    let page = &first["tasks"];
    assert_eq!(page["totalCount"], 55);
    assert_eq!(page["nodes"].as_array().expect("nodes").len(), 50);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let cursor = page["pageInfo"]["endCursor"].as_str().expect("cursor");

    let second = app.ok(&app.office, TASKS, json!({ "after": cursor })).await;
    let rest = &second["tasks"];
    assert_eq!(rest["nodes"].as_array().expect("nodes").len(), 5);
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
    let ids: HashSet<&str> = page["nodes"]
        .as_array()
        .into_iter()
        .chain(rest["nodes"].as_array())
        .flatten()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 55, "the two pages cover every task once");

    let small = app.ok(&app.office, TASKS, json!({ "first": 3 })).await;
    assert_eq!(small["tasks"]["nodes"].as_array().expect("nodes").len(), 3);
    let max = app.ok(&app.office, TASKS, json!({ "first": 500 })).await;
    assert_eq!(max["tasks"]["nodes"].as_array().expect("nodes").len(), 55);
    let body = app
        .fails(
            &app.office,
            TASKS,
            json!({ "first": 501 }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "first", "{body}");
    app.stop().await;
}

backend_tests!(department_lists_only_tasks_it_leads_or_cooperates_on);
async fn department_lists_only_tasks_it_leads_or_cooperates_on(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let mine = app.assigned_task("财政局").await;
    let theirs = app.assigned_task("人社局").await;
    let seen = listed(&app, &mine.token, json!(null)).await;
    assert_eq!(seen, set(&[&mine.task_id]));
    let explicit = listed(
        &app,
        &mine.token,
        json!({ "departmentId": mine.department_id }),
    )
    .await;
    assert_eq!(explicit, set(&[&mine.task_id]));
    app.fails(
        &mine.token,
        TASKS,
        json!({ "f": { "departmentId": theirs.department_id } }),
        "FORBIDDEN",
    )
    .await;
    app.stop().await;
}

backend_tests!(worklist_holds_a_departments_lead_and_cooperating_tasks);
async fn worklist_holds_a_departments_lead_and_cooperating_tasks(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let led = app.assigned_task("财政局").await;
    let other = app.assigned_task("人社局").await;
    // 财政局 also cooperates on 人社局's task.
    app.ok(
        &app.office,
        "mutation($t: ID!, $l: ID!, $c: [ID!]) { assignTask(input: {taskId: $t, leadId: $l, \
             cooperatingIds: $c, due: \"2025-09-30\"}) { id } }",
        json!({ "t": other.task_id, "l": other.department_id, "c": [led.department_id] }),
    )
    .await;
    let unrelated = app.plan_with_task().await;

    let query = "query($d: ID) { worklist(departmentId: $d) { id status due } }";
    let ids = |data: &Value| -> HashSet<String> {
        data["worklist"]
            .as_array()
            .expect("worklist")
            .iter()
            .map(|t| t["id"].as_str().expect("id").to_string())
            .collect()
    };
    let own = app.ok(&led.token, query, json!({})).await;
    assert_eq!(ids(&own), set(&[&led.task_id, &other.task_id]));
    assert!(!ids(&own).contains(&unrelated.task_id));

    let as_office = app
        .ok(&app.office, query, json!({ "d": other.department_id }))
        .await;
    assert_eq!(ids(&as_office), set(&[&other.task_id]));

    app.fails(
        &led.token,
        query,
        json!({ "d": other.department_id }),
        "FORBIDDEN",
    )
    .await;
    let body = app
        .fails(&app.office, query, json!({}), "BAD_USER_INPUT")
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "departmentId");
    app.stop().await;
}
