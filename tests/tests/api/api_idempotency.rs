//! Idempotency and read-your-writes over the GraphQL API, on SQLite and PostgreSQL: a
//! mutation repeated with the same `commandId` answers with the first result and records
//! nothing new; a `commandId` is not reusable on another task; a query sent right after a
//! mutation sees it.

use serde_json::{Value, json};

use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

/// Sends `query` twice with the same variables; asserts both answers are equal and the
/// second recorded nothing; returns the answer.
async fn twice(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    let first = app.ok(token, query, vars.clone()).await;
    let after_first = app.event_count().await;
    let second = app.ok(token, query, vars).await;
    assert_eq!(second, first, "the repeat answers with the first result");
    assert_eq!(
        app.event_count().await,
        after_first,
        "the repeat records nothing"
    );
    first
}

backend_tests!(repeated_creations_with_one_command_id_create_once);
async fn repeated_creations_with_one_command_id_create_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let office = app.office.clone();
    let dept = twice(
        &app,
        &office,
        "mutation { registerDepartment(input: {name: \"教育局\", kind: BUREAU, \
             commandId: \"reg-1\"}) { id name } }",
        json!({}),
    )
    .await;
    let plan = twice(
        &app,
        &office,
        "mutation { draftPlan(input: {title: \"方案\", region: \"鲤城区\", \
             periodStart: \"2025-01-01\", periodEnd: \"2025-12-31\", commandId: \"plan-1\"}) \
             { id version } }",
        json!({}),
    )
    .await;
    let plan_id = plan["draftPlan"]["id"].clone();
    let measure = twice(
        &app,
        &office,
        "mutation($p: ID!) { defineMeasure(input: {planId: $p, title: \"措施\", \
             commandId: \"m-1\"}) { id version } }",
        json!({ "p": plan_id }),
    )
    .await;
    let measure_id = measure["defineMeasure"]["id"].clone();
    twice(
        &app,
        &office,
        "mutation($m: ID!) { scheduleMilestone(input: {measureId: $m, title: \"节点\", \
             due: \"2025-08-01\", commandId: \"ms-1\"}) { id } }",
        json!({ "m": measure_id }),
    )
    .await;
    twice(
        &app,
        &office,
        "mutation { raiseRectification(input: {source: AUDIT, finding: \"不足\", \
             commandId: \"r-1\"}) { id } }",
        json!({}),
    )
    .await;

    let lists = app
        .ok(
            &office,
            "{ departments { id } plans { id } tasks { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        lists["departments"],
        json!([{ "id": dept["registerDepartment"]["id"] }])
    );
    assert_eq!(lists["plans"], json!([{ "id": plan_id }]));
    assert_eq!(lists["tasks"]["totalCount"], 3, "measure, milestone, item");
    app.stop().await;
}

backend_tests!(repeated_lifecycle_command_with_one_command_id_records_once);
async fn repeated_lifecycle_command_with_one_command_id_records_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let progress = "mutation($t: ID!, $p: Int!) { reportProgress(input: {taskId: $t, \
                        percent: $p, note: \"进展\", commandId: \"p-1\"}) \
                        { status progress version } }";
    let first = twice(
        &app,
        &setup.token,
        progress,
        json!({ "t": setup.task_id, "p": 30 }),
    )
    .await;
    assert_eq!(
        first["reportProgress"],
        json!({"status": "IN_PROGRESS", "progress": 30, "version": 3})
    );
    // The same command id with other input still answers with the first result.
    let before = app.event_count().await;
    let again = app
        .ok(
            &setup.token,
            progress,
            json!({ "t": setup.task_id, "p": 80 }),
        )
        .await;
    assert_eq!(again, first);
    assert_eq!(app.event_count().await, before);

    let history = app
        .ok(
            &app.office,
            "query($t: ID!) { task(id: $t) { progress history { nodes { type } } } }",
            json!({ "t": setup.task_id }),
        )
        .await;
    assert_eq!(history["task"]["progress"], 30);
    let reports = history["task"]["history"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|e| e["type"] == "ProgressReported")
        .count();
    assert_eq!(reports, 1);
    app.stop().await;
}

backend_tests!(command_id_used_on_one_task_is_refused_on_another);
async fn command_id_used_on_one_task_is_refused_on_another(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let one = app.assigned_task("教育局").await;
    let other = app.assigned_task("财政局").await;
    let urge = "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"快\", \
                    commandId: \"urge-1\"}) { id } }";
    app.ok(&app.office, urge, json!({ "t": one.task_id })).await;
    let before = app.event_count().await;
    let body = app
        .fails(
            &app.office,
            urge,
            json!({ "t": other.task_id }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "commandId");
    assert_eq!(app.event_count().await, before);
    app.stop().await;
}

backend_tests!(query_right_after_a_mutation_reflects_it);
async fn query_right_after_a_mutation_reflects_it(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let plan = setup.plan_id.clone();
    for n in 1..=10 {
        let dept = app.department(&format!("学校{n}")).await;
        let listed = app
            .ok(&app.office, "{ departments { id } }", json!({}))
            .await;
        let ids = listed["departments"].as_array().expect("list");
        assert!(
            ids.iter().any(|d| d["id"] == dept.as_str()),
            "department {n}"
        );

        let task = app.define_measure(&plan, &format!("二{n}"), "措施").await;
        let count = app
            .ok(
                &app.office,
                "query($p: ID!) { plan(id: $p) { tasks { totalCount } } }",
                json!({ "p": plan }),
            )
            .await;
        assert_eq!(count["plan"]["tasks"]["totalCount"], n + 1);

        app.assign(&task, &setup.department_id, "2025-12-31").await;
        let worklist = app.ok(&setup.token, "{ worklist { id } }", json!({})).await;
        let mine = worklist["worklist"].as_array().expect("worklist");
        assert!(mine.iter().any(|t| t["id"] == task.as_str()), "task {n}");

        app.ok(
            &setup.token,
            "mutation($t: ID!, $p: Int!) { reportProgress(input: {taskId: $t, percent: $p, \
                 note: \"进展\"}) { id } }",
            json!({ "t": setup.task_id, "p": n * 10 }),
        )
        .await;
        let seen = app
            .ok(
                &setup.token,
                "query($t: ID!) { tasks(filter: {status: [IN_PROGRESS]}) { nodes { id progress } } \
                     task(id: $t) { progress } }",
                json!({ "t": setup.task_id }),
            )
            .await;
        assert_eq!(seen["task"]["progress"], n * 10);
        assert_eq!(
            seen["tasks"]["nodes"],
            json!([{ "id": setup.task_id, "progress": n * 10 }])
        );
    }
    app.stop().await;
}

backend_tests!(command_id_replayed_by_someone_not_allowed_to_send_it_is_forbidden);
async fn command_id_replayed_by_someone_not_allowed_to_send_it_is_forbidden(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let theirs = app.assigned_task("人社局").await;
    let mine = app.assigned_task("财政局").await;
    let urge = "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"快\", \
                    commandId: \"urge-1\"}) { id title } }";
    app.ok(&app.office, urge, json!({ "t": theirs.task_id }))
        .await;
    let progress = "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 10, \
                        note: \"n\", commandId: \"progress-1\"}) { id title } }";
    app.ok(&theirs.token, progress, json!({ "t": theirs.task_id }))
        .await;
    let raise = "mutation { raiseRectification(input: {source: AUDIT, finding: \"f\", \
                     commandId: \"raise-1\"}) { id } }";
    app.ok(&app.office, raise, json!({})).await;
    let before = app.event_count().await;
    for token in [&app.auditor, &mine.token] {
        app.fails(token, urge, json!({ "t": theirs.task_id }), "FORBIDDEN")
            .await;
        app.fails(token, raise, json!({}), "FORBIDDEN").await;
    }
    app.fails(
        &mine.token,
        progress,
        json!({ "t": theirs.task_id }),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        &app.auditor,
        progress,
        json!({ "t": theirs.task_id }),
        "FORBIDDEN",
    )
    .await;
    assert_eq!(app.event_count().await, before);
    app.stop().await;
}
