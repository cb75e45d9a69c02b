//! Upcasters: older stored payloads are lifted to the current schema before decoding.
//!
//! | event | version | change |
//! |---|---|---|
//! | `ProgressReported` | 2 | `evidence` (list of links) added; v1 reads as no evidence |
//! | `TaskAssigned` | 2 | `cooperating` added; v1 reads as no cooperating departments |
//!
//! Every other event is at version 1.

use serde_json::Value;

/// The version written today for an event type.
pub fn current_version(event_type: &str) -> i32 {
    match event_type {
        "ProgressReported" | "TaskAssigned" => 2,
        _ => 1,
    }
}

/// Lifts `payload` of `event_type` at `version` to the current version.
pub fn upcast(event_type: &str, version: i32, mut payload: Value) -> Result<Value, String> {
    let current = current_version(event_type);
    if version < 1 || version > current {
        return Err(format!(
            "schema version {version} is not known (this build reads 1 to {current})"
        ));
    }
    let mut v = version;
    while v < current {
        payload = step(event_type, v, payload)?;
        v += 1;
    }
    Ok(payload)
}

fn step(event_type: &str, from: i32, payload: Value) -> Result<Value, String> {
    let Value::Object(mut map) = payload else {
        return Err("payload is not an object".into());
    };
    match (event_type, from) {
        ("ProgressReported", 1) => {
            map.entry("evidence")
                .or_insert_with(|| Value::Array(vec![]));
        }
        ("TaskAssigned", 1) => {
            map.entry("cooperating")
                .or_insert_with(|| Value::Array(vec![]));
        }
        _ => return Err(format!("no upcaster from {event_type} v{from}")),
    }
    Ok(Value::Object(map))
}
