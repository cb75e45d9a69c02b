//! `serve --demo`'s county: nine schools over two years, one item fixed and verified
//! (with the 2025 survey's note), one still open, the teaching point excluded; the
//! evidence items answered for both years.

use serde_json::json;

use super::support::{ASSESSMENT, indicator, items_of};

const ANSWERS: &str =
    "query($y: Int!) { assessment(year: $y) { evidenceItems { code answer { met } } } }";
use duban_tests::{Backend, backend_tests, spawn_app};

async fn the_demo_county_shows_a_fixed_and_an_open_item(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        println!("skipped: no PostgreSQL (set DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    duban::demo::load(&app.app).await.expect("load the demo");
    app.app.assessment.catch_up().await.expect("catch up");
    let schools = app.ok(&app.office, "{ schools { name } }", json!({})).await;
    assert!(
        schools["schools"].as_array().unwrap().len() >= 8,
        "{schools}"
    );
    for year in [2024, 2025] {
        let a = app.ok(&app.office, ASSESSMENT, json!({ "y": year })).await["assessment"].clone();
        assert_eq!(
            a["schools"].as_array().unwrap().len(),
            10,
            "nine schools, one with two stages"
        );
        assert!(
            a["coefficients"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["meets"] == true),
            "{a}"
        );
        let point = a["schools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["school"]["kind"] == "TEACHING_POINT")
            .unwrap();
        assert_eq!(point["excluded"], true);
        assert_eq!(indicator(&a, "长风初级中学", "G3")["meets"], year == 2025);
        assert_eq!(indicator(&a, "大路小学", "R3")["meets"], false);
    }
    let rooms: Vec<_> = items_of(&app, "长风初级中学")
        .await
        .into_iter()
        .filter(|t| t["title"].as_str().unwrap().contains("G3"))
        .collect();
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0]["status"], "CLOSED");
    let history: Vec<&str> = rooms[0]["history"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(history.contains(&"SurveyMeetsStandard"), "{history:?}");
    let teachers = items_of(&app, "大路小学").await;
    assert_eq!(teachers.len(), 1);
    assert_ne!(teachers[0]["status"], "CLOSED");
    // The evidence items are answered for both years; rotation (G6), short in 2024, is
    // the county's item, noted as met by the 2025 answer and open for verification.
    for year in [2024, 2025] {
        let a = app.ok(&app.office, ANSWERS, json!({ "y": year })).await;
        let items = a["assessment"]["evidenceItems"].as_array().unwrap();
        assert!(items.iter().all(|i| i["answer"].is_object()), "{a}");
        let g6 = items.iter().find(|i| i["code"] == "G6").unwrap();
        assert_eq!(g6["answer"]["met"], year == 2025);
    }
    let county = items_of(&app, "县域").await;
    assert_eq!(county.len(), 1, "{county:?}");
    assert!(county[0]["title"].as_str().unwrap().contains("G6"));
    assert_ne!(county[0]["status"], "CLOSED");
    let noted = county[0]["history"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["type"] == "SurveyMeetsStandard");
    assert!(noted, "{county:?}");
    // Loading again adds nothing.
    let before = app.event_count().await;
    duban::demo::load(&app.app).await.expect("load again");
    assert_eq!(app.event_count().await, before);
}

backend_tests!(
    #[tokio::test]
    the_demo_county_shows_a_fixed_and_an_open_item
);
