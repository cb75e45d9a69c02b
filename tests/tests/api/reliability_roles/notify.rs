//! The matrix's rows for notification endpoints: `endpoints` and the `addEndpoint`
//! family are the office's (an endpoint's URL may carry a robot's key, so departments
//! and auditors get FORBIDDEN); `deliveries` is open to the office and auditors. Each
//! pause, resume or remove cell works on an endpoint freshly put in the right state.

use serde_json::json;

use super::case::{Case, Rule};
use super::world::World;

const ADD_LOG: &str = "mutation($n: String!) { addEndpoint(input: {name: $n, kind: LOG}) { endpoint { id paused } } }";

/// The case of query `name`; `None` when it is not an endpoint query.
pub fn query(name: &str) -> Option<Case> {
    Some(match name {
        "endpoints" => Case::new(
            "{ endpoints { id kind paused failing } }",
            json!({}),
            Rule::Office,
            |d| match d["endpoints"].as_array() {
                Some(_) => Ok(()),
                None => Err(format!("no list: {d}")),
            },
        ),
        "deliveries" => Case::new(
            "{ deliveries(first: 10) { nodes { id status } pageInfo { hasNextPage } } }",
            json!({}),
            Rule::OfficeAndAuditor,
            |d| match d["deliveries"]["nodes"].as_array() {
                Some(_) => Ok(()),
                None => Err(format!("no nodes: {d}")),
            },
        ),
        _ => return None,
    })
}

/// A new LOG endpoint, paused when asked.
async fn fresh_endpoint(w: &World, paused: bool) -> String {
    let data = w.office(ADD_LOG, json!({ "n": w.unique("日志") })).await;
    let id = data["addEndpoint"]["endpoint"]["id"]
        .as_str()
        .expect("endpoint id")
        .to_string();
    if paused {
        w.office(
            "mutation($e: ID!) { pauseEndpoint(id: $e) { id } }",
            json!({ "e": id }),
        )
        .await;
    }
    id
}

/// The case of mutation `name`; `None` when it is not an endpoint mutation.
pub async fn mutation(name: &str, w: &World) -> Option<Case> {
    let paused = |field: &'static str, expected: bool| {
        move |d: &serde_json::Value| {
            if d[field]["paused"] == json!(expected) {
                Ok(())
            } else {
                Err(format!("{field}.paused is not {expected}: {d}"))
            }
        }
    };
    Some(match name {
        "addEndpoint" => Case::new(
            ADD_LOG,
            json!({ "n": w.unique("日志") }),
            Rule::Office,
            |d| match d["addEndpoint"]["endpoint"]["id"].as_str() {
                Some(_) => Ok(()),
                None => Err(format!("no id: {d}")),
            },
        ),
        "pauseEndpoint" => Case::new(
            "mutation($e: ID!) { pauseEndpoint(id: $e) { id paused } }",
            json!({ "e": fresh_endpoint(w, false).await }),
            Rule::Office,
            paused("pauseEndpoint", true),
        ),
        "resumeEndpoint" => Case::new(
            "mutation($e: ID!) { resumeEndpoint(id: $e) { id paused } }",
            json!({ "e": fresh_endpoint(w, true).await }),
            Rule::Office,
            paused("resumeEndpoint", false),
        ),
        "removeEndpoint" => Case::new(
            "mutation($e: ID!) { removeEndpoint(id: $e) { id } }",
            json!({ "e": fresh_endpoint(w, false).await }),
            Rule::Office,
            |d| match d["removeEndpoint"]["id"].as_str() {
                Some(_) => Ok(()),
                None => Err(format!("no id: {d}")),
            },
        ),
        _ => return None,
    })
}
