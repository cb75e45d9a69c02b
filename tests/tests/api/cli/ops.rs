//! `duban tick`, `duban projections rebuild` and `duban verify` on a file written by
//! `duban import-plan`.

use duban_store::testing::TempDbFile;

use super::support::{TempText, count, duban, duban_ok, sqlite};

/// One measure with a lead and a deadline (2025-08-31), one with neither.
const PLAN: &str = "某某县教育发展实施方案
三、重点任务
(一)优化布局
1.新建学校。确保2025年8月投入使用。(牵头单位:县教育局;配合单位:县财政局)
2.加强教研。
";

#[tokio::test]
async fn tick_marks_an_overdue_task_once() {
    let db = TempDbFile::new();
    let file = TempText::new(PLAN.as_bytes());
    duban_ok(
        db.path(),
        Some("2025-07-01T09:00:00+08:00"),
        &["import-plan", file.arg()],
    );
    let before = count(db.path(), None).await;

    // The last minute of the due date: not overdue yet.
    let run = duban_ok(db.path(), Some("2025-08-31T23:59:00+08:00"), &["tick"]);
    assert!(run.stdout.contains("0 task(s) marked overdue"), "{run:?}");
    assert_eq!(count(db.path(), Some("TaskOverdue")).await, 0);
    // The same pass records the one-day reminder (due 2025-08-31), once.
    assert!(run.stdout.contains("1 reminder(s) recorded"), "{run:?}");
    assert_eq!(count(db.path(), Some("TaskReminderDue")).await, 1);

    // The first minute after it, Asia/Shanghai: the assigned measure is overdue.
    let run = duban_ok(db.path(), Some("2025-09-01T00:01:00+08:00"), &["tick"]);
    assert!(run.stdout.contains("1 task(s) marked overdue"), "{run:?}");
    assert_eq!(count(db.path(), Some("TaskOverdue")).await, 1);

    // Later passes record nothing more.
    let run = duban_ok(db.path(), Some("2025-10-01T09:00:00+08:00"), &["tick"]);
    assert!(run.stdout.contains("0 task(s) marked overdue"), "{run:?}");
    assert!(run.stdout.contains("0 reminder(s) recorded"), "{run:?}");
    // Besides the weekly digests and quarterly circulars the bulletin clock records.
    let bulletins = count(db.path(), Some("WeeklyDigestDue")).await
        + count(db.path(), Some("QuarterlyCircularDue")).await;
    assert_eq!(count(db.path(), None).await - bulletins, before + 2);
}

#[tokio::test]
async fn projections_rebuild_and_verify_then_tampering_is_found() {
    let db = TempDbFile::new();
    let file = TempText::new(PLAN.as_bytes());
    let now = Some("2025-07-01T09:00:00+08:00");
    duban_ok(db.path(), now, &["import-plan", file.arg()]);
    let events = count(db.path(), None).await;

    let rebuilt = duban_ok(db.path(), now, &["projections", "rebuild"]);
    let expected = format!("projection core rebuilt up to position {events}");
    assert!(rebuilt.stdout.contains(&expected), "{rebuilt:?}");
    let run = duban(
        db.path(),
        now,
        &["projections", "rebuild", "--name", "nope"],
    );
    assert!(!run.ok, "{run:?}");

    let clean = duban_ok(db.path(), now, &["verify"]);
    assert!(
        clean
            .stdout
            .contains(&format!("ok: {events} events checked")),
        "{clean:?}"
    );

    // Edit one recorded measure's text in place.
    let mut conn = sqlite(db.path()).await;
    let position: i64 = sqlx::query_scalar(
        "SELECT position FROM events WHERE payload LIKE '%新建学校%' ORDER BY position LIMIT 1",
    )
    .fetch_one(&mut conn)
    .await
    .expect("the measure's event");
    sqlx::query(
        "UPDATE events SET payload = replace(payload, '新建学校', '新建学堂') WHERE position = ?",
    )
    .bind(position)
    .execute(&mut conn)
    .await
    .expect("tamper");
    drop(conn);

    let broken = duban(db.path(), now, &["verify"]);
    assert!(!broken.ok, "verify passed a tampered log: {broken:?}");
    assert!(
        broken
            .stderr
            .contains(&format!("first broken position {position} ")),
        "{broken:?}"
    );
    assert_eq!(
        count(db.path(), None).await,
        events,
        "verify writes nothing"
    );
}

#[tokio::test]
async fn serve_metrics_listen_serves_metrics_without_a_token_there_only() {
    let db = TempDbFile::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let address = format!("127.0.0.1:{port}");
    let url = format!("sqlite:{}", db.path().display());
    let server = duban_tests::process::Server::start(&url, &[], &["--metrics-listen", &address]);
    let client = reqwest::Client::new();
    let status = |url: String| {
        let client = client.clone();
        // 0 while nothing listens yet.
        async move {
            client
                .get(url)
                .send()
                .await
                .map_or(0, |r| r.status().as_u16())
        }
    };
    let mut open = 0;
    for _ in 0..50 {
        open = status(format!("http://{address}/metrics")).await;
        if open == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(open, 200, "{}", server.log_text());
    assert_eq!(status(format!("{}/metrics", server.base)).await, 401);
    assert_eq!(status(format!("http://{address}/graphql")).await, 404);
}
