//! `duban token create/list/revoke` on the database a running server uses: the secret
//! is printed once and works; the list never shows it; a revoked token is refused.

use serde_json::json;

use duban::Clock;
use duban_store::testing::TempDbFile;
use duban_tests::{Backend, DbGuard, spawn_app_on, test_now};

use super::support::{duban, duban_ok};

#[tokio::test]
async fn a_token_is_shown_once_listed_without_its_secret_and_revocable() {
    let app = spawn_app_on(
        Backend::Sqlite,
        DbGuard::Sqlite(TempDbFile::new()),
        Clock::fixed(test_now()),
    )
    .await;
    let DbGuard::Sqlite(file) = &app.db else {
        unreachable!("an SQLite app")
    };
    let db = file.path().to_path_buf();

    let created = duban_ok(
        &db,
        None,
        &["token", "create", "--name", "x", "--role", "office"],
    );
    let secret = created.stdout.trim().to_string();
    assert_eq!(
        created.stdout.lines().count(),
        1,
        "only the secret: {created:?}"
    );
    assert!(secret.len() >= 32, "{secret}");
    assert!(
        !created.stderr.contains(&secret),
        "shown once, on stdout only"
    );

    let me = "{ me { name role } }";
    let (status, body) = app.gql(Some(&secret), me, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["me"], json!({ "name": "x", "role": "OFFICE" }));

    let listed = duban_ok(&db, None, &["token", "list"]).stdout;
    assert!(!listed.contains(&secret), "{listed}");
    let line = |listed: &str| {
        listed
            .lines()
            .find(|l| l.split('\t').nth(1) == Some("x"))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("x is not listed: {listed}"))
    };
    let row = line(&listed);
    assert!(
        row.contains("\tOFFICE\t") && row.ends_with("\tactive"),
        "{row}"
    );

    duban_ok(&db, None, &["token", "revoke", "x"]);
    let (status, body) = app.gql(Some(&secret), me, json!({})).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let row = line(&duban_ok(&db, None, &["token", "list"]).stdout);
    assert!(row.ends_with("\trevoked"), "{row}");

    // The other tokens still work; revoking again, or an unknown name, fails.
    let (status, _) = app.gql(Some(&app.office), me, json!({})).await;
    assert_eq!(status, 200);
    for name in ["x", "nobody"] {
        let run = duban(&db, None, &["token", "revoke", name]);
        assert!(!run.ok && run.stderr.contains("NOT_FOUND"), "{run:?}");
    }
    let run = duban(
        &db,
        None,
        &["token", "create", "--name", "y", "--role", "system"],
    );
    assert!(!run.ok && run.stdout.is_empty(), "{run:?}");
    app.stop().await;
}
