//! Token revocation against a running server, on SQLite and PostgreSQL. On PostgreSQL
//! the server keeps the tokens it has looked up and is told of changes by a trigger
//! (`0003_token_changes.sql`); these tests revoke through a connection of their own, as
//! `duban token revoke` or an operator's SQL would from another process, and check that
//! the server refuses the token from then on while other tokens keep working.

use std::time::{Duration, Instant};

use serde_json::json;

use duban_store::Db;
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

mod outage;

const ME: &str = "{ me { name role } }";

/// How long a revocation may take to reach the server: the notification is delivered at
/// commit, so this is only slack for a busy machine.
const DELIVERY: Duration = Duration::from_secs(2);

/// Sends `me` with `token` until it is refused (or [`DELIVERY`] passes); then checks it
/// stays refused. Returns how long the refusal took to arrive.
async fn refused_from_now_on(app: &TestApp, token: &str) -> Duration {
    let started = Instant::now();
    loop {
        let (status, body) = app.gql(Some(token), ME, json!({})).await;
        if status == 401 {
            assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
            break;
        }
        assert_eq!(status, 200, "{body}");
        assert!(
            started.elapsed() < DELIVERY,
            "a revoked token still works after {DELIVERY:?} on {:?}",
            app.backend
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let took = started.elapsed();
    for _ in 0..5 {
        let (status, body) = app.gql(Some(token), ME, json!({})).await;
        assert_eq!(status, 401, "a revoked token worked again: {body}");
    }
    took
}

/// A second connection to the server's database: what another process would use.
async fn other_connection(app: &TestApp) -> Db {
    duban_store::open_pool(&app.db.url(), 2)
        .await
        .expect("a second connection")
}

backend_tests!(a_token_revoked_by_another_process_is_refused_and_others_keep_working);
async fn a_token_revoked_by_another_process_is_refused_and_others_keep_working(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let dept = app.department("财政局").await;
    let token = app.department_token(&dept).await;
    // Used a few times first, so that a server that keeps tokens has this one.
    for _ in 0..3 {
        let me = app.ok(&token, ME, json!({})).await;
        assert_eq!(me["me"]["role"], "DEPARTMENT");
    }
    let other = other_connection(&app).await;
    let revoked = duban::auth::revoke_token(&other, &format!("dept {dept}"), app.app.clock.now())
        .await
        .expect("revoke");
    assert_eq!(revoked, 1);
    let took = refused_from_now_on(&app, &token).await;
    eprintln!("{backend:?}: refused {took:?} after the revocation committed");
    let me = app.ok(&app.office, ME, json!({})).await;
    assert_eq!(me["me"]["role"], "OFFICE", "the other tokens still work");
    app.stop().await;
}

backend_tests!(a_token_deleted_by_hand_is_refused);
async fn a_token_deleted_by_hand_is_refused(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for _ in 0..3 {
        app.ok(&app.auditor, ME, json!({})).await;
    }
    let sql = "DELETE FROM api_tokens WHERE name = 'test auditor'";
    let deleted = match other_connection(&app).await {
        Db::Sqlite(pool) => sqlx::query(sql)
            .execute(&pool)
            .await
            .map(|r| r.rows_affected()),
        Db::Postgres(pool) => sqlx::query(sql)
            .execute(&pool)
            .await
            .map(|r| r.rows_affected()),
    };
    assert_eq!(deleted.expect("delete the token"), 1);
    refused_from_now_on(&app, &app.auditor).await;
    app.ok(&app.office, ME, json!({})).await;
    app.stop().await;
}
