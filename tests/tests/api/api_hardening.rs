//! Input and concurrency holes an outside probe found, each reproduced over the real
//! server on both backends: over-long command ids, one command id raced by eight
//! clients, a version that leaks to someone who may not act, lenient dates, control
//! characters, duplicate JSON keys and a body that stalls midway.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use duban_tests::{Backend, TestApp, backend_tests, doubling_fragments, error_codes, spawn_app};

const PROGRESS: &str = "mutation($t: ID!, $v: Int, $c: String) { reportProgress(input: \
    {taskId: $t, percent: 30, note: \"进展\", expectedVersion: $v, commandId: $c}) { version } }";

backend_tests!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    an_over_long_command_id_is_bad_input_and_records_nothing,
    one_command_id_raced_by_eight_clients_gets_one_answer,
    a_department_not_on_a_task_learns_nothing_of_its_version,
    lenient_dates_and_control_characters_are_refused,
    duplicate_json_keys_are_refused,
    a_stalled_body_is_answered_and_closed_promptly,
    a_department_reads_no_other_departments_task_by_any_path,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fragments_that_expand_exponentially_are_refused_at_once() {
    let Some(app) = app(Backend::Sqlite).await else {
        return;
    };
    let task = app.assigned_task("财政局").await;
    for levels in [12, 25, 40] {
        let started = Instant::now();
        let (status, body) = app
            .gql(Some(&task.token), &doubling_fragments(levels), json!({}))
            .await;
        let took = started.elapsed();
        assert_eq!(
            error_codes(&body),
            ["BAD_USER_INPUT"],
            "{levels}: {status} {body}"
        );
        assert!(
            took < Duration::from_secs(1),
            "{levels} levels took {took:?}"
        );
    }
    // Below the limit the same form still runs: 2^11 = 2,048 fields.
    let (_, body) = app
        .gql(Some(&task.token), &doubling_fragments(10), json!({}))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    // Four at once do not hold up an unrelated query.
    let deep = doubling_fragments(30);
    let hostile = (0..4).map(|_| app.gql(Some(&task.token), &deep, json!({})));
    let started = Instant::now();
    let (answers, (_, me)) = tokio::join!(
        futures::future::join_all(hostile),
        app.gql(Some(&app.office), "{ me { name } }", json!({}))
    );
    assert!(me["errors"].is_null(), "{me}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    for (_, body) in answers {
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
    }
}

async fn app(backend: Backend) -> Option<TestApp> {
    spawn_app(backend).await
}

async fn an_over_long_command_id_is_bad_input_and_records_nothing(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let task = app.assigned_task("财政局").await;
    let before = app.event_count().await;
    let vars = json!({ "t": task.task_id, "c": "x".repeat(201) });
    app.fails(&app.office, PROGRESS, vars, "BAD_USER_INPUT")
        .await;
    assert_eq!(app.event_count().await, before);
    let vars = json!({ "t": task.task_id, "c": "x".repeat(200) });
    app.ok(&app.office, PROGRESS, vars).await;
}

async fn one_command_id_raced_by_eight_clients_gets_one_answer(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let task = app.assigned_task("财政局").await;
    for round in 0..5 {
        let version = app
            .ok(
                &app.office,
                "query($t: ID!) { task(id: $t) { version } }",
                json!({ "t": task.task_id }),
            )
            .await["task"]["version"]
            .as_i64()
            .expect("version");
        let vars = json!({ "t": task.task_id, "v": version, "c": format!("race-{round}") });
        let answers = futures::future::join_all(
            (0..8).map(|_| app.gql(Some(&app.office), PROGRESS, vars.clone())),
        )
        .await;
        let bodies: Vec<&Value> = answers.iter().map(|(_, b)| b).collect();
        for body in &bodies {
            assert!(body.get("errors").is_none(), "round {round}: {body}");
            assert_eq!(body["data"], bodies[0]["data"], "round {round}");
        }
    }
}

async fn a_department_not_on_a_task_learns_nothing_of_its_version(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let task = app.assigned_task("财政局").await;
    let other = app.department("人社局").await;
    let other = app.department_token(&other).await;
    for token in [&other, &app.auditor] {
        let vars = json!({ "t": task.task_id, "v": 99 });
        let body = app.fails(token, PROGRESS, vars, "FORBIDDEN").await;
        assert!(!error_codes(&body).contains(&"VERSION_CONFLICT".to_string()));
        assert!(
            body["errors"][0]["extensions"].get("actual").is_none(),
            "{body}"
        );
    }
}

async fn lenient_dates_and_control_characters_are_refused(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let task = app.plan_with_task().await;
    let lead = app.department("财政局").await;
    let before = app.event_count().await;
    let assign = "mutation($t: ID!, $l: ID!, $d: Date!) { \
                  assignTask(input: {taskId: $t, leadId: $l, due: $d}) { status } }";
    for due in ["0000-01-01", "-0001-01-01", "2025-1-1", "2025-02-30"] {
        let vars = json!({ "t": task.task_id, "l": lead, "d": due });
        let (_, body) = app.gql(Some(&app.office), assign, vars).await;
        assert!(!error_codes(&body).is_empty(), "{due}: {body}");
        assert!(
            body["data"].is_null() || body["data"]["assignTask"].is_null(),
            "{due}: {body}"
        );
    }
    let register =
        "mutation($n: String!) { registerDepartment(input: {name: $n, kind: BUREAU}) { id } }";
    app.fails(
        &app.office,
        register,
        json!({ "n": "教育\u{0}局" }),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(app.event_count().await, before);
}

async fn duplicate_json_keys_are_refused(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let before = app.event_count().await;
    let body = r#"{"query": "{ me { name } }", "query": "mutation { registerDepartment(input: {name: \"X\", kind: BUREAU}) { id } }"}"#;
    let (status, json) = app.post_raw(&app.office, body.to_string()).await;
    assert_eq!(status, 400);
    assert_eq!(error_codes(&json), ["BAD_USER_INPUT"]);
    assert_eq!(app.event_count().await, before, "the mutation must not run");
}

async fn a_stalled_body_is_answered_and_closed_promptly(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut socket = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"query\": ",
        app.office
    );
    socket.write_all(head.as_bytes()).await.expect("write");
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(15), socket.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection was held for 15 s");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

async fn a_department_reads_no_other_departments_task_by_any_path(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    // A's measure (its title is the test kit's "改善办学条件"), escalated so that it is on
    // the board's agenda, with a milestone under it handed to B.
    let a = app.assigned_task("财政局").await;
    let b = app.department("人社局").await;
    let b_token = app.department_token(&b).await;
    let milestone = app
        .ok(
            &app.office,
            "mutation($m: ID!) { scheduleMilestone(input: {measureId: $m, title: \"节点\", \
             due: \"2025-09-30\"}) { id } }",
            json!({ "m": a.task_id }),
        )
        .await["scheduleMilestone"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    app.assign(&milestone, &b, "2025-09-30").await;
    app.ok(
        &app.office,
        "mutation($t: ID!) { escalateTask(input: {taskId: $t, note: \"挂牌督办\"}) { id } }",
        json!({ "t": a.task_id }),
    )
    .await;
    let secret = "改善办学条件";

    let board = "{ board { agenda { id title description progress } } }";
    let office_board = app.ok(&app.office, board, json!({})).await;
    assert!(
        office_board.to_string().contains(secret),
        "the office sees it: {office_board}"
    );
    let b_board = app.ok(&b_token, board, json!({})).await;
    assert!(
        !b_board.to_string().contains(secret),
        "{backend:?}: {b_board}"
    );

    let (_, body) = app
        .gql(
            Some(&b_token),
            "query($t: ID!) { task(id: $t) { title parent { title description } } }",
            json!({ "t": milestone }),
        )
        .await;
    assert_eq!(body["data"]["task"]["title"], "节点", "{body}");
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    assert!(!body.to_string().contains(secret), "{backend:?}: {body}");
    // The office reads the parent.
    let mine = app
        .ok(
            &app.office,
            "query($t: ID!) { task(id: $t) { parent { title } } }",
            json!({ "t": milestone }),
        )
        .await;
    assert!(mine.to_string().contains(secret), "{mine}");
}
