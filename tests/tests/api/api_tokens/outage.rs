//! Revocations across a lost database connection (PostgreSQL): the server reaches its
//! database through a [`TcpProxy`] that the test cuts or black-holes, while tokens are
//! revoked through a connection of the test's own, as `duban token revoke` on another
//! host would. A revoked token must never be accepted again: not after the connection
//! comes back (a token revoked before or during the outage), and not while the server's
//! listener silently stopped receiving.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::json;

use duban::Clock;
use duban_store::Db;
use duban_tests::proxy::{Link, TcpProxy};
use duban_tests::{Backend, DbGuard, TestApp, spawn_app_via, test_now};

use super::ME;

/// The server over a fresh PostgreSQL database reached through a proxy; `None` without
/// a configured PostgreSQL. Returns the app, the proxy, and a direct connection.
async fn behind_a_proxy() -> Option<(TestApp, TcpProxy, Db)> {
    let db = duban_store::testing::fresh_postgres_db().await?;
    let direct = db.url().to_string();
    let upstream: SocketAddr = "127.0.0.1:5432".parse().expect("address");
    let proxy = TcpProxy::start(upstream).await;
    let via = direct.replacen("127.0.0.1:5432", &proxy.addr.to_string(), 1);
    assert_ne!(via, direct, "the test database URL names 127.0.0.1:5432");
    let own = duban_store::open_pool(&direct, 2).await.expect("direct");
    let app = spawn_app_via(
        Backend::Postgres,
        DbGuard::Postgres(db),
        &via,
        Clock::fixed(test_now()),
    )
    .await;
    Some((app, proxy, own))
}

async fn token(app: &TestApp, db: &Db, name: &str) -> String {
    let (_, secret) = duban::auth::create_token(
        db,
        name,
        duban_domain::Role::Auditor,
        None,
        app.app.clock.now(),
    )
    .await
    .expect("token");
    secret
}

async fn revoke(app: &TestApp, db: &Db, name: &str) {
    let n = duban::auth::revoke_token(db, name, app.app.clock.now())
        .await
        .expect("revoke");
    assert_eq!(n, 1);
}

/// The statuses `token` gets over `window`.
async fn statuses(app: &TestApp, token: &str, window: Duration) -> Vec<u16> {
    let started = Instant::now();
    let mut seen = Vec::new();
    while started.elapsed() < window {
        seen.push(app.gql(Some(token), ME, json!({})).await.0);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    seen
}

async fn until_accepted(app: &TestApp, token: &str, within: Duration) {
    let started = Instant::now();
    while app.gql(Some(token), ME, json!({})).await.0 != 200 {
        assert!(started.elapsed() < within, "the server did not recover");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_revoked_before_or_during_a_cut_stay_refused_after_it_postgres() {
    let Some((app, proxy, db)) = behind_a_proxy().await else {
        return;
    };
    let (before, during, live) = (
        token(&app, &db, "before").await,
        token(&app, &db, "during").await,
        token(&app, &db, "live").await,
    );
    for t in [&before, &during, &live] {
        until_accepted(&app, t, Duration::from_secs(5)).await;
        app.ok(t, ME, json!({})).await;
    }
    revoke(&app, &db, "before").await;
    let refused = statuses(&app, &before, Duration::from_millis(1500)).await;
    assert_eq!(refused.last(), Some(&401), "{refused:?}");

    proxy.set(Link::Cut);
    tokio::time::sleep(Duration::from_millis(500)).await;
    revoke(&app, &db, "during").await;
    let (status, body) = app.gql(Some(&live), ME, json!({})).await;
    assert_eq!(status, 503, "fails closed during the outage: {body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
    for t in [&before, &during] {
        assert_ne!(app.gql(Some(t), ME, json!({})).await.0, 200);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    proxy.set(Link::Up);

    until_accepted(&app, &live, Duration::from_secs(20)).await;
    for t in [&before, &during] {
        let seen = statuses(&app, t, Duration::from_secs(3)).await;
        let accepted = seen.iter().filter(|s| **s == 200).count();
        assert_eq!(accepted, 0, "a revoked token was accepted {accepted} times");
    }
    app.ok(&live, ME, json!({})).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_revoked_while_notifications_silently_stop_is_refused_postgres() {
    let Some((app, proxy, db)) = behind_a_proxy().await else {
        return;
    };
    let silent = token(&app, &db, "silent").await;
    until_accepted(&app, &silent, Duration::from_secs(5)).await;
    for _ in 0..3 {
        app.ok(&silent, ME, json!({})).await;
    }
    proxy.set(Link::Blackhole);
    revoke(&app, &db, "silent").await;
    // Nothing reaches the server now, so it cannot hear of the revocation; once the
    // heartbeat it last heard is too old, it stops trusting what it cached.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    for _ in 0..5 {
        let answer = client
            .post(app.graphql_url())
            .bearer_auth(&silent)
            .json(&json!({ "query": ME }))
            .send()
            .await;
        if let Ok(response) = answer {
            assert_ne!(response.status().as_u16(), 200, "accepted while unheard");
        }
    }
    proxy.set(Link::Up);
    let seen = statuses(&app, &silent, Duration::from_secs(3)).await;
    assert!(
        !seen.contains(&200),
        "accepted after the link came back: {seen:?}"
    );
}
