//! `importPlan` over HTTP on both backends: seed 000 becomes a plan with its four phases
//! and twenty measures, every event attributed to the importing office; a repeated
//! `commandId` records nothing and answers the same; seed 004 and a small document
//! assign measures to departments matched by normalised name (see `import_plan/`);
//! bad input and non-office tokens are refused without recording anything.

mod departments;
mod preview;
mod refusals;
mod support;

use serde_json::json;

use duban_tests::{Backend, backend_tests, spawn_app};
use support::{SEED_000, all_events, codes, import_ok};

/// The measure codes of seed 000, as printed.
const SEED_000_CODES: [&str; 20] = [
    "四(一)",
    "四(二)",
    "四(三)",
    "四(四)",
    "四(五)",
    "四(六)",
    "四(七)",
    "四(八)",
    "四(九)",
    "四(十)",
    "四(十一)",
    "五(二)1",
    "五(二)2",
    "五(二)3",
    "五(二)4",
    "五(二)5",
    "六(一)",
    "六(二)",
    "六(三)",
    "六(四)",
];

backend_tests!(
    #[tokio::test]
    seed_000_becomes_a_plan_with_its_phases_and_measures
);
async fn seed_000_becomes_a_plan_with_its_phases_and_measures(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let done = import_ok(&app, SEED_000, Some("import-000")).await;
    let plan = &done["plan"];
    assert_eq!(plan["title"], "鲤城区推进义务教育优质均衡发展工作规划");
    assert_eq!(plan["region"], "鲤城区");
    assert_eq!(
        (&plan["periodStart"], &plan["periodEnd"]),
        (&json!("2021-11-01"), &json!("2028-12-31"))
    );
    assert_eq!(
        plan["phases"],
        json!([
            { "name": "启动准备阶段", "starts": "2021-11-01", "ends": "2022-12-31" },
            { "name": "实施创建阶段", "starts": "2023-01-01", "ends": "2025-12-31" },
            { "name": "整改提升阶段", "starts": "2026-01-01", "ends": "2027-12-31" },
            { "name": "达标验收阶段", "starts": "2028-01-01", "ends": "2028-12-31" },
        ])
    );
    assert_eq!(codes(&done), SEED_000_CODES);
    for m in done["measures"].as_array().expect("measures") {
        // Seed 000 names no responsible department: every measure waits to be assigned.
        assert_eq!(m["status"], "DEFINED", "{m}");
        assert!(m["lead"].is_null() && m["due"].is_null(), "{m}");
        assert_eq!(m["plan"]["id"], plan["id"]);
    }
    assert_eq!(done["departmentsCreated"], json!([]));
    assert_eq!(done["unrecognised"], json!([]));

    // The plan as read back holds the same twenty measures.
    let read = app
        .ok(
            &app.auditor,
            "query($id: ID!) { plan(id: $id) { title phases { name } \
                 tasks(first: 100) { totalCount nodes { code } } } }",
            json!({ "id": plan["id"] }),
        )
        .await;
    assert_eq!(read["plan"]["tasks"]["totalCount"], 20);
    let read_codes: Vec<_> = read["plan"]["tasks"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["code"].as_str().expect("code"))
        .collect();
    assert_eq!(read_codes, SEED_000_CODES);
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    every_event_of_an_import_is_the_importing_offices
);
async fn every_event_of_an_import_is_the_importing_offices(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    import_ok(&app, SEED_000, Some("import-000")).await;
    let events = all_events(&app).await;
    assert_eq!(
        events.len(),
        21,
        "one PlanDrafted and twenty MeasureDefined"
    );
    let types = |t: &str| events.iter().filter(|e| e.event_type == t).count();
    assert_eq!((types("PlanDrafted"), types("MeasureDefined")), (1, 20));
    for e in &events {
        assert_eq!(e.metadata.actor, "test office", "{e:?}");
        assert_eq!(e.metadata.role.as_deref(), Some("OFFICE"), "{e:?}");
        assert_eq!(
            e.metadata.command_id.as_deref(),
            Some("import-000"),
            "{e:?}"
        );
    }

    // The same, as an auditor reads it from the global log.
    let log = app
        .ok(
            &app.auditor,
            "{ events(first: 500) { nodes { type actor role } pageInfo { hasNextPage } } }",
            json!({}),
        )
        .await;
    let nodes = log["events"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 21);
    assert_eq!(log["events"]["pageInfo"]["hasNextPage"], false);
    for n in nodes {
        assert_eq!(
            (&n["actor"], &n["role"]),
            (&json!("test office"), &json!("OFFICE"))
        );
    }
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    a_repeated_command_id_records_nothing_and_answers_the_same
);
async fn a_repeated_command_id_records_nothing_and_answers_the_same(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let first = import_ok(&app, SEED_000, Some("import-once")).await;
    let recorded = app.event_count().await;
    let again = import_ok(&app, SEED_000, Some("import-once")).await;
    assert_eq!(app.event_count().await, recorded, "nothing new recorded");
    assert_eq!(again, first, "the first answer, ids included");
    let plans = app.ok(&app.office, "{ plans { id } }", json!({})).await;
    assert_eq!(plans["plans"].as_array().map(Vec::len), Some(1));

    // Without a command id the same text is a new import: a second plan.
    let other = import_ok(&app, SEED_000, None).await;
    assert_ne!(other["plan"]["id"], first["plan"]["id"]);
    assert_eq!(app.event_count().await, recorded * 2);
    app.stop().await;
}
