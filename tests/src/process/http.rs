//! Talking to a `duban serve` process over HTTP: GraphQL requests, readiness, and a plan
//! with assigned tasks to put load on.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// POSTs a GraphQL request; the HTTP status and JSON body, or the transport error.
pub async fn gql(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Result<(u16, Value), reqwest::Error> {
    let response = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await.unwrap_or(Value::Null)))
}

/// Like [`gql`], asserting success; returns `data`.
pub async fn gql_ok(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    let (status, body) = gql(client, base, token, query, variables)
        .await
        .expect("request");
    assert!(
        status == 200 && body.get("errors").is_none(),
        "{status}: {body}"
    );
    body["data"].clone()
}

/// The status of `GET /readyz`, or `None` when the request failed.
pub async fn readyz(client: &reqwest::Client, base: &str) -> Option<u16> {
    let response = client.get(format!("{base}/readyz")).send().await.ok()?;
    Some(response.status().as_u16())
}

/// Polls `/readyz` until it answers 200; false if it did not within `limit`.
pub async fn wait_ready(client: &reqwest::Client, base: &str, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if readyz(client, base).await == Some(200) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Registers `departments` departments and drafts a plan with `tasks` measures assigned
/// round-robin to them, due `due`; returns the task ids.
pub async fn plan_with_tasks(
    client: &reqwest::Client,
    base: &str,
    office: &str,
    departments: usize,
    tasks: usize,
    due: &str,
) -> Vec<String> {
    let mut depts = Vec::new();
    for i in 0..departments {
        let data = gql_ok(
            client,
            base,
            office,
            "mutation($n: String!) { registerDepartment(input: {name: $n, kind: BUREAU}) { id } }",
            json!({ "n": format!("部门{i}") }),
        )
        .await;
        depts.push(
            data["registerDepartment"]["id"]
                .as_str()
                .expect("id")
                .to_string(),
        );
    }
    let data = gql_ok(
        client,
        base,
        office,
        "mutation { draftPlan(input: {title: \"可靠性测试方案\", region: \"鲤城区\", \
         periodStart: \"2025-01-01\", periodEnd: \"2025-12-31\"}) { id } }",
        json!({}),
    )
    .await;
    let plan = data["draftPlan"]["id"]
        .as_str()
        .expect("plan id")
        .to_string();
    let mut ids = Vec::new();
    for i in 0..tasks {
        let data = gql_ok(
            client,
            base,
            office,
            "mutation($p: ID!, $t: String!) { defineMeasure(input: {planId: $p, title: $t}) { id } }",
            json!({ "p": plan, "t": format!("措施{i}") }),
        )
        .await;
        let task = data["defineMeasure"]["id"]
            .as_str()
            .expect("task id")
            .to_string();
        gql_ok(
            client,
            base,
            office,
            "mutation($t: ID!, $l: ID!, $d: Date!) { assignTask(input: {taskId: $t, leadId: $l, due: $d}) { id } }",
            json!({ "t": task, "l": depts[i % departments], "d": due }),
        )
        .await;
        ids.push(task);
    }
    ids
}

/// The `reportProgress` mutation, with a command id (`$c`).
pub const REPORT_PROGRESS: &str = "mutation($t: ID!, $p: Int!, $c: String) { \
     reportProgress(input: {taskId: $t, percent: $p, note: \"进度\", commandId: $c}) { id progress } }";
