//! Workload 2c: what async-graphql's validation costs one command's document.
//!
//! The `reportProgress` document of workload 1, parsed once, is executed on the
//! server's schema (its roots and limits, `duban::graphql::schema_builder`) with strict
//! validation, as the server validates, and with async-graphql's fast mode, which skips
//! every rule but the fragment-cycle and upload checks. No app stands behind either
//! schema, so the resolver fails at once in both and the two differ only in validation.
//! Rounds alternate between the modes on the calling task; the figures are the means
//! per request, and their difference is what validating the document costs.

use std::time::{Duration, Instant};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ObjectType, Request, Schema, SubscriptionType, ValidationMode, Variables};

use crate::config::Backend;
use crate::db::BenchResult;
use crate::report::Report;

/// The section name.
pub const NAME: &str = "2c graphql validation";

/// Rounds per mode (alternating strict, fast, strict, ...).
const ROUNDS: usize = 3;

/// Times `requests` executions of `text` per round in each mode.
pub async fn run(
    report: &mut Report,
    backend: Backend,
    text: &str,
    requests: usize,
) -> BenchResult<()> {
    let document = async_graphql::parser::parse_query(text)?;
    let strict = duban::graphql::schema_builder()
        .validation_mode(ValidationMode::Strict)
        .finish();
    let fast = duban::graphql::schema_builder()
        .validation_mode(ValidationMode::Fast)
        .finish();
    modes_differ(&strict, &fast).await?;
    let mut spent = [Duration::ZERO; 2];
    let mut answers: [Option<String>; 2] = [None, None];
    for _ in 0..ROUNDS {
        for (i, schema) in [&strict, &fast].into_iter().enumerate() {
            let started = Instant::now();
            for n in 0..requests {
                let response = schema.execute(request(text, &document, n)).await;
                let first = response.errors.first().map(|e| e.message.clone());
                if first.is_none() {
                    return Err("a request without an app answered without an error".into());
                }
                answers[i] = first;
            }
            spent[i] += started.elapsed();
        }
    }
    // Both must fail in the resolver, in the same way, for the difference to be
    // validation alone.
    if answers[0] != answers[1] {
        return Err(format!("strict and fast answered differently: {answers:?}").into());
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / (ROUNDS * requests).max(1) as f64;
    let (strict_us, fast_us) = (per(spent[0]), per(spent[1]));
    report.add(NAME, backend, "graphql_strict_us", strict_us, "us/op");
    report.add(NAME, backend, "graphql_fast_us", fast_us, "us/op");
    report.add(
        NAME,
        backend,
        "graphql_validation_us",
        strict_us - fast_us,
        "us/op",
    );
    Ok(())
}

/// Checks that the two schemas validate differently, or the figures mean nothing: a
/// document with an unused variable is refused by strict validation (an error without a
/// path, before any resolver) and reaches the resolver in fast mode (an error at `me`).
async fn modes_differ<Q, M, S>(strict: &Schema<Q, M, S>, fast: &Schema<Q, M, S>) -> BenchResult<()>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    const UNUSED_VARIABLE: &str = "query($unused: Int) { me { name } }";
    let refused = strict.execute(UNUSED_VARIABLE).await;
    let resolved = fast.execute(UNUSED_VARIABLE).await;
    let at_resolver = |r: &async_graphql::Response| r.errors.iter().any(|e| !e.path.is_empty());
    if refused.errors.is_empty() || at_resolver(&refused) || !at_resolver(&resolved) {
        return Err(format!(
            "strict and fast mode did not validate differently: {:?} / {:?}",
            refused.errors, resolved.errors
        )
        .into());
    }
    Ok(())
}

/// Request `n`: the parsed document with fresh variables, as a client sends them.
fn request(text: &str, document: &ExecutableDocument, n: usize) -> Request {
    let variables = Variables::from_json(serde_json::json!({
        "t": "0190b0b0-0000-7000-8000-000000000000",
        "p": n % 100,
        "n": format!("note {n}"),
    }));
    let mut request = Request::new(text).variables(variables);
    request.set_parsed_query(document.clone());
    request
}
