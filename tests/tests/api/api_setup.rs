//! The set-up part of the GraphQL API over real HTTP, on SQLite and PostgreSQL: `me`,
//! `registerDepartment` and `departments`, `draftPlan`, `plans` and `plan`,
//! `defineMeasure`, `scheduleMilestone` and `raiseRectification`.

use serde_json::json;

use duban_tests::{Backend, backend_tests, spawn_app};

backend_tests!(me_names_the_role_and_department_of_each_token);
async fn me_names_the_role_and_department_of_each_token(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let query = "{ me { name role department { id name } } }";
    let office = app.ok(&app.office, query, json!({})).await;
    assert_eq!(office["me"]["role"], "OFFICE");
    assert_eq!(office["me"]["name"], "test office");
    assert!(office["me"]["department"].is_null());

    let auditor = app.ok(&app.auditor, query, json!({})).await;
    assert_eq!(auditor["me"]["role"], "AUDITOR");

    let dept = app.department("财政局").await;
    let token = app.department_token(&dept).await;
    let me = app.ok(&token, query, json!({})).await;
    assert_eq!(me["me"]["role"], "DEPARTMENT");
    assert_eq!(me["me"]["department"]["id"], dept.as_str());
    assert_eq!(me["me"]["department"]["name"], "财政局");
    app.stop().await;
}

backend_tests!(registered_departments_are_listed_with_kind_and_parent);
async fn registered_departments_are_listed_with_kind_and_parent(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let parent = app.department("鲤城区教育局").await;
    let data = app
        .ok(
            &app.office,
            "mutation($p: ID) { registerDepartment(input: {name: \"海滨街道\", kind: TOWNSHIP, \
                 parentId: $p}) { id name kind retired version parent { id } } }",
            json!({ "p": parent }),
        )
        .await;
    let child = &data["registerDepartment"];
    assert_eq!(child["name"], "海滨街道");
    assert_eq!(child["kind"], "TOWNSHIP");
    assert_eq!(child["retired"], false);
    assert_eq!(child["version"], 1);
    assert_eq!(child["parent"]["id"], parent.as_str());

    let list = app
        .ok(
            &app.auditor,
            "{ departments { id name kind parent { id } } }",
            json!({}),
        )
        .await;
    let departments = list["departments"].as_array().expect("list");
    assert_eq!(departments.len(), 2, "{list}");
    let listed_child = departments
        .iter()
        .find(|d| d["id"] == child["id"])
        .expect("the child is listed");
    assert_eq!(listed_child["parent"]["id"], parent.as_str());
    assert!(departments.iter().any(|d| d["id"] == parent.as_str()));
    app.stop().await;
}

backend_tests!(drafted_plan_is_listed_and_readable_by_id_with_its_phases);
async fn drafted_plan_is_listed_and_readable_by_id_with_its_phases(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let data = app
        .ok(
            &app.office,
            "mutation { draftPlan(input: {title: \"学前教育普及普惠实施方案\", region: \"鲤城区\", \
                 issuer: \"鲤城区人民政府\", periodStart: \"2025-01-01\", periodEnd: \"2027-12-31\", \
                 phases: [{name: \"启动准备\", starts: \"2025-01-01\", ends: \"2025-06-30\"}]}) \
                 { id title region issuer periodStart periodEnd version phases { name starts ends } } }",
            json!({}),
        )
        .await;
    let plan = &data["draftPlan"];
    assert_eq!(plan["title"], "学前教育普及普惠实施方案");
    assert_eq!(plan["issuer"], "鲤城区人民政府");
    assert_eq!(plan["periodEnd"], "2027-12-31");
    assert_eq!(plan["version"], 1);
    assert_eq!(
        plan["phases"],
        json!([{"name": "启动准备", "starts": "2025-01-01", "ends": "2025-06-30"}])
    );
    let id = plan["id"].as_str().expect("id");

    let plans = app
        .ok(&app.auditor, "{ plans { id title } }", json!({}))
        .await;
    assert_eq!(
        plans["plans"],
        json!([{"id": id, "title": "学前教育普及普惠实施方案"}])
    );

    let by_id = app
        .ok(
            &app.office,
            "query($id: ID!) { plan(id: $id) { id region phases { name } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(by_id["plan"]["id"], id);
    assert_eq!(by_id["plan"]["region"], "鲤城区");

    let unknown = app
        .ok(
            &app.office,
            "query($id: ID!) { plan(id: $id) { id } }",
            json!({ "id": "plan-00000000-0000-7000-8000-000000000000" }),
        )
        .await;
    assert!(unknown["plan"].is_null(), "{unknown}");
    app.stop().await;
}

backend_tests!(defined_measure_is_a_defined_task_of_its_plan);
async fn defined_measure_is_a_defined_task_of_its_plan(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let plan_id = app.draft_plan("实施方案").await;
    let data = app
        .ok(
            &app.office,
            "mutation($p: ID!) { defineMeasure(input: {planId: $p, code: \"三(二)5\", \
                 title: \"配齐音乐专用教室\", description: \"按标准配齐\", phase: \"实施创建\"}) \
                 { id kind code title description status version progress overdue lead { id } \
                 plan { id } } }",
            json!({ "p": plan_id }),
        )
        .await;
    let task = &data["defineMeasure"];
    assert_eq!(task["kind"], "MEASURE");
    assert_eq!(task["code"], "三(二)5");
    assert_eq!(task["description"], "按标准配齐");
    assert_eq!(task["status"], "DEFINED");
    assert_eq!(task["version"], 1);
    assert_eq!(task["progress"], 0);
    assert_eq!(task["overdue"], false);
    assert!(task["lead"].is_null());
    assert_eq!(task["plan"]["id"], plan_id.as_str());

    let listed = app
        .ok(
            &app.office,
            "query($p: ID!) { plan(id: $p) { tasks { totalCount nodes { id code } } } }",
            json!({ "p": plan_id }),
        )
        .await;
    assert_eq!(listed["plan"]["tasks"]["totalCount"], 1);
    assert_eq!(listed["plan"]["tasks"]["nodes"][0]["id"], task["id"]);
    app.stop().await;
}

backend_tests!(scheduled_milestone_belongs_to_its_measure_and_inherits_the_lead);
async fn scheduled_milestone_belongs_to_its_measure_and_inherits_the_lead(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let data = app
        .ok(
            &app.office,
            "mutation($m: ID!) { scheduleMilestone(input: {measureId: $m, \
                 title: \"完成选址\", due: \"2025-08-15\"}) { id kind title due status \
                 parent { id } lead { id } plan { id } } }",
            json!({ "m": setup.task_id }),
        )
        .await;
    let milestone = &data["scheduleMilestone"];
    assert_eq!(milestone["kind"], "MILESTONE");
    assert_eq!(milestone["title"], "完成选址");
    assert_eq!(milestone["due"], "2025-08-15");
    assert_eq!(milestone["parent"]["id"], setup.task_id.as_str());
    assert_eq!(milestone["lead"]["id"], setup.department_id.as_str());
    assert_eq!(milestone["plan"]["id"], setup.plan_id.as_str());
    app.stop().await;
}

backend_tests!(raised_rectification_keeps_its_finding_and_defaults_to_severity_two);
async fn raised_rectification_keeps_its_finding_and_defaults_to_severity_two(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.plan_with_task().await;
    let data = app
        .ok(
            &app.office,
            "mutation($m: ID!) { raiseRectification(input: {source: SUPERVISION, \
                 finding: \"音乐教室面积不足\", standard: \"96㎡\", measured: \"72㎡\", \
                 unit: \"第一中心小学\", measureId: $m}) { id kind status parent { id } \
                 plan { id } rectification { source finding standard measured unit severity } } }",
            json!({ "m": setup.task_id }),
        )
        .await;
    let item = &data["raiseRectification"];
    assert_eq!(item["kind"], "RECTIFICATION");
    assert_eq!(item["status"], "DEFINED");
    assert_eq!(item["parent"]["id"], setup.task_id.as_str());
    assert_eq!(
        item["plan"]["id"],
        setup.plan_id.as_str(),
        "from the measure"
    );
    assert_eq!(
        item["rectification"],
        json!({
            "source": "SUPERVISION", "finding": "音乐教室面积不足", "standard": "96㎡",
            "measured": "72㎡", "unit": "第一中心小学", "severity": 2
        })
    );

    let serious = app
        .ok(
            &app.office,
            "mutation { raiseRectification(input: {source: COMPLAINT, finding: \"食堂卫生\", \
                 severity: 3}) { plan { id } rectification { source severity } } }",
            json!({}),
        )
        .await;
    assert!(serious["raiseRectification"]["plan"].is_null());
    assert_eq!(
        serious["raiseRectification"]["rectification"],
        json!({"source": "COMPLAINT", "severity": 3})
    );
    app.stop().await;
}
