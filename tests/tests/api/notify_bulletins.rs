//! The bulletin clock and its delivery on both backends: a department's weekly digest
//! is recorded at Monday 09:00:00 Asia/Shanghai and not at 08:59:59, once across two
//! racing servers and a restart, with its open tasks overdue first; a department's
//! endpoint receives its own digest and not another's, a county-wide endpoint only
//! when its filter names digests. The quarterly circular is recorded once on the next
//! quarter's first day at 09:00 and reaches the office's endpoint with the circular.

use std::time::Duration;

use serde_json::{Value, json};

use crate::notify_delivery::kit;
use duban::App;
use duban_domain::time::Quarter;
use duban_store::RecordedEvent;
use duban_tests::history::{assign, at, measure, plan};
use duban_tests::receiver::{Received, Receiver, always_ok};
use duban_tests::{Backend, TestApp, backend_tests, fresh_db, spawn_app_on, test_now};

/// The recorded events of `event_type`, in log order (read page by page: a page ends
/// where this process's recent appends stop meeting another server's).
async fn recorded(t: &TestApp, event_type: &str) -> Vec<RecordedEvent> {
    let mut found = Vec::new();
    let mut after = 0;
    loop {
        let page = t.app.store.read_all(after, 1000).await.expect("log");
        let Some(last) = page.last() else {
            return found;
        };
        after = last.position;
        found.extend(page.into_iter().filter(|e| e.event_type == event_type));
    }
}

/// Waits until `receiver` got requests matching `wanted`, at least `n` of them.
async fn received(
    receiver: &Receiver,
    n: usize,
    wanted: impl Fn(&Received) -> bool,
) -> Vec<Received> {
    for _ in 0..300 {
        let got: Vec<Received> = receiver.received().into_iter().filter(&wanted).collect();
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("fewer than {n} bulletins arrived");
}

fn digest_of(r: &Received) -> bool {
    r.body["type"] == "WeeklyDigestDue"
}

async fn weekly_digests_reach_their_departments(backend: Backend) {
    let Some(db) = fresh_db(backend).await else {
        println!("skipped: {backend:?} not configured (DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    let t = spawn_app_on(backend, db, duban::Clock::fixed(test_now())).await;
    at(&t, "2025-06-20T10:00:00+08:00");
    let a = t.department("教育局").await;
    let b = t.department("海滨街道").await;
    let p = plan(&t, "实施方案").await;
    let later = measure(&t, &p, "一(1)", "配齐音乐教室").await;
    let late = measure(&t, &p, "一(2)", "改造运动场").await;
    let helped = measure(&t, &p, "一(3)", "建设图书室").await;
    let theirs = measure(&t, &p, "一(4)", "新建食堂").await;
    assign(&t, &later, &a, &[], "2025-07-20").await;
    assign(&t, &late, &a, &[], "2025-06-25").await;
    assign(&t, &helped, &b, &[&a], "2025-07-30").await;
    assign(&t, &theirs, &b, &[], "2025-08-10").await;

    t.app.notify.set_allow_private(true);
    let a_rx = Receiver::start(always_ok()).await;
    let b_rx = Receiver::start(always_ok()).await;
    let office_rx = Receiver::start(always_ok()).await;
    let plain_rx = Receiver::start(always_ok()).await;
    let (a_ep, _) = kit::add(
        &t,
        json!({ "name": "教育局", "kind": "WEBHOOK", "url": format!("{}/a", a_rx.base),
                "departmentId": a }),
    )
    .await;
    kit::add(
        &t,
        json!({ "name": "海滨街道群", "kind": "WECOM", "url": format!("{}/robot?key=k", b_rx.base),
                "departmentId": b, "eventTypes": ["WeeklyDigestDue"] }),
    )
    .await;
    kit::add(
        &t,
        json!({ "name": "督查室", "kind": "WEBHOOK", "url": format!("{}/o", office_rx.base),
                "eventTypes": ["WeeklyDigestDue"] }),
    )
    .await;
    kit::add(
        &t,
        json!({ "name": "督查室通知", "kind": "WEBHOOK", "url": format!("{}/p", plain_rx.base) }),
    )
    .await;
    let _delivery = t.app.spawn_delivery(kit::config()).expect("delivery");
    let other = App::open(&t.db.url(), t.app.clock.clone())
        .await
        .expect("second app");

    // Monday 2025-06-30 at 09:00: this week's digests, one per department.
    at(&t, "2025-06-30T09:00:00+08:00");
    assert_eq!(t.app.digest().await.expect("digest"), 2, "{backend:?}");
    // Monday 2025-07-07: not at 08:59:59, once at 09:00:00 across two racing servers.
    at(&t, "2025-07-07T08:59:59+08:00");
    other.read.catch_up().await.expect("catch up");
    assert_eq!(t.app.digest().await.expect("digest"), 0, "{backend:?}");
    assert_eq!(other.digest().await.expect("digest"), 0, "{backend:?}");
    at(&t, "2025-07-07T09:00:00+08:00");
    let (x, y) = tokio::join!(t.app.digest(), other.digest());
    assert_eq!(x.expect("digest") + y.expect("digest"), 2, "{backend:?}");
    other.read.catch_up().await.expect("catch up");
    assert_eq!(other.digest().await.expect("digest"), 0, "{backend:?}");
    let restarted = App::open(&t.db.url(), t.app.clock.clone())
        .await
        .expect("restart");
    at(&t, "2025-07-09T15:00:00+08:00");
    assert_eq!(restarted.digest().await.expect("digest"), 0, "{backend:?}");

    let digests = recorded(&t, "WeeklyDigestDue").await;
    assert_eq!(digests.len(), 4, "{backend:?}");
    let a_uuid = a.trim_start_matches("department-");
    let ours: Vec<&Value> = digests
        .iter()
        .map(|e| &e.payload)
        .filter(|d| d["department"] == a_uuid)
        .collect();
    assert_eq!(ours.len(), 2, "{backend:?}");
    let week = ours[1];
    assert_eq!(week["week_of"], "2025-07-07");
    let rows: Vec<(String, String, bool, bool)> = week["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|r| {
            (
                r["code"].as_str().expect("code").to_owned(),
                r["due"].as_str().expect("due").to_owned(),
                r["overdue"].as_bool().expect("overdue"),
                r["lead"].as_bool().expect("lead"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("一(2)".into(), "2025-06-25".into(), true, true),
            ("一(1)".into(), "2025-07-20".into(), false, true),
            ("一(3)".into(), "2025-07-30".into(), false, false),
        ],
        "{backend:?}: overdue first, then by due date"
    );
    assert_eq!(week["tasks"][0]["title"], "改造运动场");
    assert_eq!(week["tasks"][0]["status"], "ASSIGNED");

    // The department's endpoint gets its own two digests, never the other's.
    let got = received(&a_rx, 2, digest_of).await;
    let a_uuid_ep = a_ep.trim_start_matches("endpoint-");
    for r in &got {
        assert_eq!(r.body["event"]["data"]["department"], a_uuid, "{backend:?}");
        assert!(r.delivery.starts_with(a_uuid_ep));
        let md = r.body["markdown"].as_str().expect("markdown");
        assert!(md.contains("【每周督办提醒】教育局"), "{md}");
        assert!(md.contains("【逾期】一(2) 改造运动场"), "{md}");
        assert!(!md.contains("新建食堂"), "{md}");
    }
    // The other department's robot: its own digest in Chinese Markdown.
    let b_got = received(&b_rx, 2, |_| true).await;
    for r in &b_got {
        let md = r.body["markdown"]["content"].as_str().expect("content");
        assert!(md.contains("【每周督办提醒】海滨街道"), "{md}");
        assert!(md.contains("一(4) 新建食堂（牵头"), "{md}");
        assert!(!md.contains("改造运动场"), "{md}");
    }
    // The office's endpoint that names digests gets all four; one that does not, none.
    received(&office_rx, 4, digest_of).await;
    // A notice recorded after the digests: once it arrives, the digests were passed by.
    t.ok(
        &t.office,
        "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"请加快进度\"}) { id } }",
        json!({ "t": later }),
    )
    .await;
    received(&plain_rx, 1, |r| r.body["type"] == "TaskUrged").await;
    assert!(
        !plain_rx.received().iter().any(digest_of),
        "{backend:?}: an empty filter does not bring every department's digest"
    );
    assert_eq!(a_rx.received().iter().filter(|r| digest_of(r)).count(), 2);
    t.stop().await;
}

async fn the_quarterly_circular_reaches_the_office(backend: Backend) {
    let Some(db) = fresh_db(backend).await else {
        println!("skipped: {backend:?} not configured (DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    let t = spawn_app_on(backend, db, duban::Clock::fixed(test_now())).await;
    at(&t, "2025-05-20T10:00:00+08:00");
    let a = t.department("教育局").await;
    let p = plan(&t, "实施方案").await;
    let m = measure(&t, &p, "一(1)", "配齐音乐教室").await;
    assign(&t, &m, &a, &[], "2025-06-10").await;
    t.app.notify.set_allow_private(true);
    let office_rx = Receiver::start(always_ok()).await;
    let robot_rx = Receiver::start(always_ok()).await;
    kit::add(
        &t,
        json!({ "name": "督查室", "kind": "WEBHOOK", "url": format!("{}/o", office_rx.base),
                "eventTypes": ["QuarterlyCircularDue"] }),
    )
    .await;
    kit::add(
        &t,
        json!({ "name": "教育局群", "kind": "DINGTALK", "url": format!("{}/robot", robot_rx.base),
                "departmentId": a, "eventTypes": ["QuarterlyCircularDue"] }),
    )
    .await;
    let other = App::open(&t.db.url(), t.app.clock.clone())
        .await
        .expect("second app");
    let q2 = |d: &RecordedEvent| d.payload["year"] == 2025 && d.payload["quarter"] == 2;

    at(&t, "2025-07-01T08:59:59+08:00");
    t.app.circulate().await.expect("circulate");
    assert!(
        !recorded(&t, "QuarterlyCircularDue").await.iter().any(q2),
        "{backend:?}: the second quarter has not been published yet"
    );
    at(&t, "2025-07-01T09:00:00+08:00");
    other.read.catch_up().await.expect("catch up");
    let (x, y) = tokio::join!(t.app.circulate(), other.circulate());
    assert_eq!(
        x.expect("circulate") + y.expect("circulate"),
        1,
        "{backend:?}"
    );
    let restarted = App::open(&t.db.url(), t.app.clock.clone())
        .await
        .expect("restart");
    at(&t, "2025-08-15T09:00:00+08:00");
    assert_eq!(restarted.circulate().await.expect("circulate"), 0);
    assert_eq!(t.app.circulate().await.expect("circulate"), 0);
    let circulars: Vec<RecordedEvent> = recorded(&t, "QuarterlyCircularDue")
        .await
        .into_iter()
        .filter(q2)
        .collect();
    assert_eq!(
        circulars.len(),
        1,
        "{backend:?}: {:?}",
        recorded(&t, "QuarterlyCircularDue").await
    );

    let _delivery = t.app.spawn_delivery(kit::config()).expect("delivery");
    let quarter = Quarter::new(2025, 2).expect("quarter");
    let answer = t
        .app
        .dispatch_answer(None, quarter)
        .await
        .expect("dispatch");
    let position = circulars[0].position.to_string();
    let got = received(&office_rx, 1, |r| {
        r.body["event"]["position"] == position.as_str()
    })
    .await;
    let md = got[0].body["markdown"].as_str().expect("markdown");
    assert!(md.starts_with("**【调度通报】2025 年第二季度**"), "{md}");
    assert!(md.ends_with(&*answer.circular), "{backend:?}: {md}");
    assert!(!answer.circular.is_empty());
    // The department's robot gets the department's own version.
    let own = duban_projections::dispatch::circular_for_department(
        &answer.dispatch,
        duban_domain::ids::DepartmentId::parse("d", &a).expect("id"),
    );
    let robot = received(&robot_rx, 1, |r| {
        r.body["markdown"]["text"]
            .as_str()
            .is_some_and(|s| s.contains("【调度通报】2025 年第二季度"))
    })
    .await;
    let text = robot[0].body["markdown"]["text"].as_str().expect("text");
    assert!(text.ends_with(&own), "{backend:?}: {text}");
    t.stop().await;
}

backend_tests!(weekly_digests_reach_their_departments);

backend_tests!(the_quarterly_circular_reaches_the_office);
