//! What `importPlan` refuses, recording nothing: empty text, text without numbered
//! measures, binary data (NUL and other control characters), a blank title; and any
//! token that is not the office's.

use duban_tests::{Backend, backend_tests, spawn_app};

use super::support::{SEED_000, import};

/// Each bad document and a word its message must contain.
const BAD: [(&str, &str); 6] = [
    ("", "empty"),
    ("  \n\t\n ", "empty"),
    (
        "某某县教育发展实施方案\n各单位要高度重视,认真抓好落实。\n",
        "no numbered measures",
    ),
    ("三、重点任务\n(一)新建学校\u{0}\u{0}\u{0}。", "binary"),
    ("\u{1}\u{2}\u{3}PK\u{3}\u{4}\u{14}\u{0}\u{6}\u{0}", "binary"),
    ("三、重点任务\n(一)新建\u{7}学校。", "binary"),
];

backend_tests!(
    #[tokio::test]
    bad_documents_are_bad_user_input_and_record_nothing
);
async fn bad_documents_are_bad_user_input_and_record_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for (text, word) in BAD {
        let (status, body) = import(&app, &app.office, text, Some("bad")).await;
        assert_eq!(status, 200, "{body}");
        let error = &body["errors"][0];
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{text:?}: {body}"
        );
        let message = error["message"].as_str().expect("a message");
        assert!(message.contains(word), "{text:?}: {message}");
        assert!(body["data"].is_null(), "{body}");
        assert_eq!(app.event_count().await, 0, "{text:?} recorded something");
    }
    // A refused command id stays free: the same id then imports the real plan.
    let (_, body) = import(&app, &app.office, SEED_000, Some("bad")).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(app.event_count().await, 21);
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    a_blank_title_override_is_refused_before_anything_is_recorded
);
async fn a_blank_title_override_is_refused_before_anything_is_recorded(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    app.fails(
        &app.office,
        "mutation($t: String!) { importPlan(input: {text: $t, title: \"   \"}) { plan { id } } }",
        serde_json::json!({ "t": SEED_000 }),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(app.event_count().await, 0);
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    departments_and_auditors_may_not_import
);
async fn departments_and_auditors_may_not_import(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let dept = app.department("教育局").await;
    let dept_token = app.department_token(&dept).await;
    let before = app.event_count().await;
    for token in [&dept_token, &app.auditor] {
        let (_, body) = import(&app, token, SEED_000, None).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{body}"
        );
        assert!(body["data"].is_null(), "{body}");
    }
    assert_eq!(app.event_count().await, before, "nothing recorded");
    app.stop().await;
}
