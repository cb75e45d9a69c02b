//! `verifyIntegrity`: ok over an untouched log, then the first broken position after a
//! row's payload is changed directly in the database.

use serde_json::json;

use super::{HISTORY, VERIFY, world};
use duban_store::Db;
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

/// Rewrites the payload of the event at `position` directly in the database.
async fn tamper(app: &TestApp, position: i64) {
    let changed = match app.app.db.clone() {
        Db::Sqlite(pool) => {
            let old: String = sqlx::query_scalar("SELECT payload FROM events WHERE position = $1")
                .bind(position)
                .fetch_one(&pool)
                .await
                .expect("select");
            let new = old.replace("40", "41");
            assert_ne!(old, new, "the payload holds the percent: {old}");
            sqlx::query("UPDATE events SET payload = $1 WHERE position = $2")
                .bind(new)
                .bind(position)
                .execute(&pool)
                .await
                .expect("update")
                .rows_affected()
        }
        Db::Postgres(pool) => {
            let old: String =
                sqlx::query_scalar("SELECT payload::text FROM events WHERE position = $1")
                    .bind(position)
                    .fetch_one(&pool)
                    .await
                    .expect("select");
            let new = old.replace("40", "41");
            assert_ne!(old, new, "the payload holds the percent: {old}");
            sqlx::query("UPDATE events SET payload = $1::json WHERE position = $2")
                .bind(new)
                .bind(position)
                .execute(&pool)
                .await
                .expect("update")
                .rows_affected()
        }
    };
    assert_eq!(changed, 1);
}

backend_tests!(
    #[tokio::test]
    verify_integrity_reports_the_first_tampered_position
);
async fn verify_integrity_reports_the_first_tampered_position(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (m, _) = world(&app).await;
    let head = app.event_count().await;
    let report = app.ok(&app.auditor, VERIFY, json!({})).await["verifyIntegrity"].clone();
    let expected =
        json!({ "ok": true, "eventsChecked": head.to_string(), "firstBrokenPosition": null });
    assert_eq!(report, expected, "{backend:?}");
    let history = app.ok(&app.office, HISTORY, json!({ "s": m })).await;
    let reported: i64 = history["history"]["edges"][2]["node"]["position"]
        .as_str()
        .expect("position")
        .parse()
        .expect("decimal");
    tamper(&app, reported).await;
    let report = app.ok(&app.office, VERIFY, json!({})).await["verifyIntegrity"].clone();
    assert_eq!(report["ok"], false, "{backend:?}: {report}");
    assert_eq!(
        report["firstBrokenPosition"],
        reported.to_string(),
        "{backend:?}"
    );
    assert_eq!(report["eventsChecked"], reported.to_string(), "{backend:?}");
    app.stop().await;
}
