//! Who sees the assessment: the office and auditors all of it, a SCHOOL department its
//! own row and no county coefficients, another department nothing; only the office imports.

use serde_json::json;

use super::support::{ASSESSMENT, IMPORT, SURVEY_2024, file, import};
use duban_tests::{Backend, backend_tests, spawn_app};

async fn who_sees_what(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        println!("skipped: no PostgreSQL (set DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    import(&app, 2024, "2024.csv", SURVEY_2024).await;
    let (school_token, bureau_token) = super::support::school_and_bureau_tokens(&app).await;

    let all = app.ok(&app.auditor, ASSESSMENT, json!({ "y": 2024 })).await;
    assert_eq!(all["assessment"]["schools"].as_array().unwrap().len(), 2);
    assert!(
        !all["assessment"]["coefficients"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let own = app
        .ok(&school_token, ASSESSMENT, json!({ "y": 2024 }))
        .await;
    let rows = own["assessment"]["schools"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["school"]["name"], "长风初级中学");
    assert_eq!(own["assessment"]["coefficients"], json!([]));
    let schools = app
        .ok(
            &school_token,
            "{ schools { name department { name kind } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        schools["schools"],
        json!([{ "name": "长风初级中学", "department": { "name": "长风初级中学", "kind": "SCHOOL" } }])
    );

    app.fails(&bureau_token, ASSESSMENT, json!({ "y": 2024 }), "FORBIDDEN")
        .await;
    for token in [&app.auditor, &school_token] {
        app.fails(
            token,
            IMPORT,
            json!({ "f": file("2024.csv", SURVEY_2024), "y": 2024 }),
            "FORBIDDEN",
        )
        .await;
    }
}

backend_tests!(
    #[tokio::test]
    who_sees_what
);
