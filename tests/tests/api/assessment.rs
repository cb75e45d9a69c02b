//! The 优质均衡 assessment over a real server on both backends: a survey import (CSV, then
//! a workbook) raises
//! 长风初级中学's room shortfall as one rectification item caused by the survey event;
//! the same import again raises nothing; the 2025 survey notes the item as met; a
//! what-if records nothing; bad cells are named and nothing is recorded; who sees what.
//! Two apps on one database, and a policy replaying the log from zero, raise nothing twice.
//! The guarantee items answered with evidence are in `assessment/answers.rs`.

mod answers;
mod cli;
mod demo;
mod roles;
mod support;

use serde_json::json;

use duban::App;
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};
use support::{
    ASSESSMENT, SURVEY_2024, SURVEY_2025, file, import, import_xlsx, indicator, items_of, xlsx,
};

const CHANGFENG: &str = "长风初级中学";

async fn survey_to_one_item_and_back(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        println!("skipped: no PostgreSQL (set DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    let first = import(&app, 2024, "2024.csv", SURVEY_2024).await;
    assert_eq!(first["problems"], json!([]));
    assert_eq!(first["surveysRecorded"], 2);
    assert_eq!(first["schoolsCreated"].as_array().unwrap().len(), 2);
    let raised = first["rectificationsRaised"].as_array().unwrap();
    let changfeng: Vec<_> = raised
        .iter()
        .filter(|t| t["rectification"]["unit"] == CHANGFENG)
        .collect();
    assert_eq!(changfeng.len(), 1, "{raised:?}");
    let item = changfeng[0];
    assert_eq!(item["rectification"]["source"], "SELF_INSPECTION");
    assert!(item["title"].as_str().unwrap().contains("G3"), "{item}");
    assert!(
        item["rectification"]["measured"]
            .as_str()
            .unwrap()
            .contains("72")
    );
    assert!(
        item["rectification"]["standard"]
            .as_str()
            .unwrap()
            .contains("96")
    );

    // The item is caused by 长风's survey event.
    let school_stream = duban_domain::school::School::id_for(CHANGFENG).stream();
    let surveyed = app
        .app
        .store
        .read_stream(&school_stream, duban_store::StreamBound::All)
        .await
        .unwrap();
    let survey = surveyed
        .iter()
        .find(|e| e.event_type == "SchoolSurveyed")
        .unwrap();
    let task_id = item["id"].as_str().unwrap();
    let task_stream = if task_id.starts_with("task-") {
        task_id.to_string()
    } else {
        format!("task-{task_id}")
    };
    let task_events = app
        .app
        .store
        .read_stream(&task_stream, duban_store::StreamBound::All)
        .await
        .unwrap();
    assert_eq!(task_events[0].event_type, "RectificationRaised");
    assert_eq!(task_events[0].metadata.causation_id, Some(survey.event_id));

    // The same survey again: nothing recorded, nothing raised.
    let events_before = app.event_count().await;
    let again = import(&app, 2024, "2024.csv", SURVEY_2024).await;
    assert_eq!(again["surveysRecorded"], 0);
    assert_eq!(again["rectificationsRaised"], json!([]));
    assert_eq!(app.event_count().await, events_before);
    assert_eq!(items_of(&app, CHANGFENG).await.len(), 1);

    // The assessment: 长风 meets R1-R7 and fails G3; a what-if with 96/90 ㎡ meets it and
    // records nothing.
    let a = app.ok(&app.office, ASSESSMENT, json!({ "y": 2024 })).await["assessment"].clone();
    for code in ["R1", "R2", "R3", "R4", "R5", "R6", "R7"] {
        assert_eq!(indicator(&a, CHANGFENG, code)["meets"], true, "{code}");
    }
    assert_eq!(indicator(&a, CHANGFENG, "G3")["meets"], false);
    assert_eq!(indicator(&a, CHANGFENG, "G3")["missing"], 42.0);
    assert_eq!(indicator(&a, "大路小学", "R3")["missing"], 2.0);
    let school_id = first["schoolsCreated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == CHANGFENG)
        .unwrap()["id"]
        .clone();
    let dalu_id = first["schoolsCreated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "大路小学")
        .unwrap()["id"]
        .clone();
    let what_if = json!([
        { "schoolId": school_id, "figures": { "音乐专用教室最小面积": 96, "美术专用教室最小面积": 90 } },
        { "schoolId": dalu_id, "stage": "PRIMARY", "figures": { "体育专任教师数": 3 } }
    ]);
    let w = app
        .ok(&app.office, ASSESSMENT, json!({ "y": 2024, "o": what_if }))
        .await["assessment"]
        .clone();
    assert_eq!(indicator(&w, CHANGFENG, "G3")["meets"], true);
    assert_eq!(indicator(&w, "大路小学", "R3")["meets"], true);
    assert_eq!(w["passes"], true);
    assert_eq!(a["passes"], false);
    assert_eq!(
        app.event_count().await,
        events_before,
        "a what-if records nothing"
    );
    let bad_override = json!([{ "schoolId": school_id, "figures": { "音乐教室": 96 } }]);
    app.fails(
        &app.office,
        ASSESSMENT,
        json!({ "y": 2024, "o": bad_override }),
        "BAD_USER_INPUT",
    )
    .await;

    // 2025, sent as a workbook: the rooms are rebuilt; the open item gets a note, is not
    // closed, nothing new.
    let next = import_xlsx(&app, 2025, "2025.xlsx", &xlsx(SURVEY_2025)).await;
    assert_eq!(next["surveysRecorded"], 2);
    assert_eq!(next["rectificationsRaised"], json!([]));
    let items = items_of(&app, CHANGFENG).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["status"], "DEFINED", "never closed by the policy");
    let notes: Vec<_> = items[0]["history"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "SurveyMeetsStandard")
        .collect();
    assert_eq!(notes.len(), 1, "{items:?}");
    assert_eq!(
        notes[0]["data"]["note"],
        "survey of 2025 meets the standard"
    );

    // Bad cells are named; nothing is recorded.
    let events_before = app.event_count().await;
    let bad = SURVEY_2024
        .replacen(",83,", ",八十三,", 1)
        .replacen(",5061,", ",5061平米,", 1);
    let refused = import(&app, 2026, "bad.csv", &bad).await;
    let problems = refused["problems"].as_array().unwrap();
    assert!(
        problems.contains(&json!(
            "row 2, column 在校学生数: '八十三' is not a number of 0 or more"
        )),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| {
        p.as_str()
            .unwrap()
            .starts_with("row 2, column 体育运动场馆面积: '5061平米'")
    }));
    assert_eq!(refused["surveysRecorded"], 0);
    assert_eq!(app.event_count().await, events_before);
    let not_csv = app
        .fails(
            &app.office,
            support::IMPORT,
            json!({ "f": file("x.xlsx", "PK\u{3}\u{4}zz"), "y": 2024 }),
            "BAD_USER_INPUT",
        )
        .await;
    assert!(not_csv.to_string().contains("file"), "{not_csv}");
}

backend_tests!(
    #[tokio::test]
    survey_to_one_item_and_back
);

/// The types of every event in the log (read page by page: a page may be short).
async fn event_types(app: &TestApp) -> Vec<String> {
    let mut types = Vec::new();
    loop {
        let page = app
            .app
            .store
            .read_all(types.len() as i64, 1000)
            .await
            .unwrap();
        if page.is_empty() {
            return types;
        }
        types.extend(page.into_iter().map(|e| e.event_type));
    }
}

/// How many events of this type the log holds.
async fn count_of(app: &TestApp, event_type: &str) -> usize {
    event_types(app)
        .await
        .iter()
        .filter(|t| *t == event_type)
        .count()
}

async fn two_apps_and_a_replay_raise_each_item_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        println!("skipped: no PostgreSQL (set DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    // A second app on the same database, its policy racing the first server's.
    let other = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .unwrap();
    let racer = {
        let other = other.clone();
        tokio::spawn(async move {
            for _ in 0..40 {
                other.assessment.catch_up().await.unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        })
    };
    import(&app, 2024, "2024.csv", SURVEY_2024).await;
    import(&app, 2025, "2025.csv", SURVEY_2025).await;
    racer.await.unwrap();
    other.assessment.catch_up().await.unwrap();
    app.app.assessment.catch_up().await.unwrap();
    assert_eq!(
        count_of(&app, "RectificationRaised").await,
        2,
        "长风 G3 and 大路 R3, once each"
    );
    let notes = count_of(&app, "SurveyMeetsStandard").await;
    assert_eq!(notes, 1);
    // A policy reading the log from zero writes nothing.
    let before = app.event_count().await;
    let fresh = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .unwrap();
    assert_eq!(fresh.assessment.catch_up().await.unwrap(), 0);
    assert_eq!(app.event_count().await, before);
    assert_eq!(fresh.assessment.book().schools.len(), 2);
}

backend_tests!(
    #[tokio::test]
    two_apps_and_a_replay_raise_each_item_once
);
