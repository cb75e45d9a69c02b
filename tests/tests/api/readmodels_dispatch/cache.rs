//! The cached dispatch: the current quarter follows a new event at once, and the
//! county and a plan are answered from the same replay of the log.

use serde_json::json;

use duban_tests::history::progress;
use duban_tests::{Backend, backend_tests, spawn_app};

use super::{DISPATCH, dispatch, second_quarter_2024};

backend_tests!(
    #[tokio::test]
    the_current_quarter_follows_new_events
);
async fn the_current_quarter_follows_new_events(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let p = second_quarter_2024(&app).await; // the clock stands in 2024 Q3
    let before = dispatch(&app, &p, 2024, 3).await;
    let county = app
        .ok(
            &app.office,
            DISPATCH,
            json!({ "p": null, "y": 2024, "q": 3 }),
        )
        .await["quarterlyDispatch"]
        .clone();
    assert_eq!(
        county["totals"], before["totals"],
        "{backend:?}: one plan only"
    );
    assert_eq!(dispatch(&app, &p, 2024, 3).await, before, "{backend:?}");
    let tasks = app
        .ok(
            &app.office,
            "query($p: ID!) { plan(id: $p) { tasks { nodes { id code } } } }",
            json!({ "p": p }),
        )
        .await;
    let running = tasks["plan"]["tasks"]["nodes"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| t["code"] == "四(2)")
        .expect("四(2)")["id"]
        .as_str()
        .expect("id")
        .to_string();
    progress(&app, &app.office, &running, 40, "推进中").await;
    let after = dispatch(&app, &p, 2024, 3).await;
    let reports = |d: &serde_json::Value| d["totals"]["progressReports"].as_i64();
    assert_eq!(
        reports(&after),
        reports(&before).map(|n| n + 1),
        "{backend:?}: the new report counts at once"
    );
    app.stop().await;
}
