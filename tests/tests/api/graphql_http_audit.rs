//! The GraphQL-over-HTTP conformance audit (`graphql-http`'s `serverAudits`, run by
//! `tests/graphql-http-audit/audit.mjs` under Node) against a real server on SQLite: every
//! MUST and SHOULD audit passes. The npm packages must be installed first (`npm ci` in
//! `tests/graphql-http-audit`; `tests/run` does it).

use std::path::PathBuf;

use tokio::process::Command;

use duban_tests::{Backend, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_http_audit_passes_every_must_and_should_audit() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("graphql-http-audit");
    assert!(
        dir.join("node_modules").join("graphql-http").is_dir(),
        "the audit's npm packages are missing: run `npm ci` in {} (tests/run does it)",
        dir.display()
    );
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite app");
    let output = Command::new("node")
        .arg("audit.mjs")
        .current_dir(&dir)
        .env("DUBAN_URL", app.graphql_url())
        .env("DUBAN_TOKEN", &app.auditor)
        .output()
        .await
        .expect("run node (is Node.js installed?)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "audit failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let summary = stdout.lines().last().unwrap_or_default();
    let (passed, failed) = summary
        .strip_suffix(" failed")
        .and_then(|s| s.split_once(" passed, "))
        .unwrap_or_else(|| panic!("no summary line in:\n{stdout}"));
    assert_eq!(failed, "0", "{stdout}");
    let passed: u32 = passed.parse().expect("a count");
    assert!(passed > 30, "the MUST and SHOULD audits ran: {summary}");
    assert!(
        !stdout.contains("FAIL"),
        "no audit failed, MAY included:\n{stdout}"
    );
    app.stop().await;
}
