//! Delivery of notifications on both backends, to real receivers on port 0 that fail,
//! hang and drop connections on a schedule: every notice reaches its endpoint at least
//! once, in log order, always under the same idempotency id, signed; a department's
//! endpoint gets only its own tasks; a receiver down past the give-up limit marks its
//! endpoint failing, and its backlog drains by itself once it is back; two live servers
//! never deliver to one endpoint at once and one takes over the other's ([`two_servers`]).

pub mod kit;
mod two_servers;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use duban::notify::sign::verify_webhook_signature;
use duban_tests::receiver::{Behaviour, Receiver, always_ok};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

use kit::{add, config, drained, in_order_without_new_ids, notices, unreliable};

async fn delivers_every_notice(backend: Backend) {
    let Some(t) = spawn_app(backend).await else {
        println!("skipped: {backend:?} not configured (DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    t.app.notify.set_allow_private(true);
    let _delivery = t.app.spawn_delivery(config()).expect("delivery");
    let plan = t.draft_plan("义务教育优质均衡发展实施方案").await;
    let a = t.department("县教育局").await;
    let c = t.department("海滨街道").await;

    let office_rx = Receiver::start(unreliable()).await;
    let dept_rx = Receiver::start(unreliable()).await;
    let wecom_rx = Receiver::start(always_ok()).await;
    let (office_ep, secret) = add(
        &t,
        json!({ "name": "督查室系统", "kind": "WEBHOOK", "url": format!("{}/hook", office_rx.base) }),
    )
    .await;
    let secret = secret.expect("a webhook's secret");
    let (dept_ep, _) = add(
        &t,
        json!({ "name": "教育局", "kind": "WEBHOOK", "url": format!("{}/a", dept_rx.base),
                "departmentId": a }),
    )
    .await;
    add(
        &t,
        json!({ "name": "教育局群", "kind": "WECOM", "url": format!("{}/robot?key=k", wecom_rx.base),
                "departmentId": a, "eventTypes": ["TaskUrged"] }),
    )
    .await;
    add(&t, json!({ "name": "日志", "kind": "LOG" })).await;

    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for i in 0..6 {
        let task = t
            .define_measure(&plan, &format!("一({i})"), "配齐音乐教室")
            .await;
        let lead = if i % 2 == 0 { &a } else { &c };
        t.assign(&task, lead, "2025-07-10").await;
        for note in ["请加快进度", "本周内报送"] {
            t.ok(
                &t.office,
                "mutation($t: ID!, $n: String!) { urgeTask(input: {taskId: $t, note: $n}) { id } }",
                json!({ "t": task, "n": note }),
            )
            .await;
        }
        if i % 2 == 0 { &mut ours } else { &mut theirs }.push(task);
    }
    let all: Vec<&str> = ours.iter().chain(&theirs).map(String::as_str).collect();
    let every = notices(&t, &all).await;
    let own = notices(&t, &ours.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert_eq!(every.len(), 18);

    drained(&office_rx, &office_ep, &every).await;
    drained(&dept_rx, &dept_ep, &own).await;
    let first = in_order_without_new_ids(&office_rx, &office_ep);
    assert_eq!(first.iter().copied().collect::<BTreeSet<_>>(), every);
    in_order_without_new_ids(&dept_rx, &dept_ep);
    assert!(
        office_rx.requests() > office_rx.received().len() as u64,
        "some attempts failed"
    );

    // Signed with the secret shown once: HMAC-SHA256 of "<t>.<body>".
    for r in office_rx.received() {
        let header = r.signature.as_deref().expect("signature header");
        assert!(
            verify_webhook_signature(&secret, header, &r.raw),
            "{header}"
        );
    }
    // The department's endpoint never gets another department's task.
    for r in dept_rx.received() {
        let task = &r.body["task"];
        assert_eq!(task["leadId"], json!(a), "{}", r.body);
        assert!(!theirs.contains(&task["id"].as_str().unwrap_or_default().to_string()));
    }
    // The robot gets 企业微信 Markdown of its department's urges only.
    let robot = wecom_rx.received();
    for r in &robot {
        assert_eq!(r.path, "/robot?key=k");
        assert_eq!(r.body["msgtype"], "markdown");
        let text = r.body["markdown"]["content"].as_str().expect("markdown");
        assert!(text.contains("【催办】"), "{text}");
    }
    for _ in 0..100 {
        if wecom_rx.received().len() >= 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        wecom_rx.received().len() >= 6,
        "{:?}",
        wecom_rx.received().len()
    );

    // The API shows the deliveries with their attempts (written a moment after the
    // receiver's answer: the workers' progress is recorded in gathered transactions).
    let mut data = json!(null);
    for _ in 0..50 {
        data = t
            .ok(
                &t.auditor,
                "query($e: ID) { deliveries(endpointId: $e, status: DELIVERED, first: 500) { \
                 nodes { id position eventType status attempts lastStatusCode endpoint { id } } } }",
                json!({ "e": office_ep }),
            )
            .await;
        if data["deliveries"]["nodes"].as_array().map(Vec::len) >= Some(every.len()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let nodes = data["deliveries"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone();
    assert_eq!(nodes.len(), every.len(), "{data}");
    assert!(
        nodes.iter().any(|n| n["attempts"].as_i64() > Some(1)),
        "{data}"
    );
    let metrics = t
        .client()
        .get(format!("{}/metrics", t.base))
        .bearer_auth(&t.auditor)
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("duban_delivery_attempts_total{kind=\"WEBHOOK\",outcome=\"delivered\"}"),
        "{metrics}"
    );
    t.stop().await;
}

async fn a_dead_receiver_fails_then_drains(backend: Backend) {
    let Some(t) = spawn_app(backend).await else {
        println!("skipped: {backend:?} not configured (DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    t.app.notify.set_allow_private(true);
    let _delivery = t.app.spawn_delivery(config()).expect("delivery");
    let dead = Receiver::start(Arc::new(|_| Behaviour::Fail)).await;
    let healthy = Receiver::start(always_ok()).await;
    let (dead_ep, _) = add(
        &t,
        json!({ "name": "坏", "kind": "WEBHOOK", "url": dead.base }),
    )
    .await;
    let (ok_ep, _) = add(
        &t,
        json!({ "name": "好", "kind": "WEBHOOK", "url": healthy.base }),
    )
    .await;
    let task = t.assigned_task_for_delivery().await;
    for _ in 0..3 {
        t.ok(
            &t.office,
            "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"催\"}) { id } }",
            json!({ "t": task }),
        )
        .await;
    }
    let wanted = notices(&t, &[&task]).await;
    // A dead receiver does not hold up the other endpoint.
    drained(&healthy, &ok_ep, &wanted).await;
    let failing = "{ endpoints { id failing } }";
    let mut marked = false;
    for _ in 0..100 {
        let data = t.ok(&t.office, failing, json!({})).await;
        let row = data["endpoints"]
            .as_array()
            .expect("list")
            .iter()
            .find(|e| e["id"] == json!(dead_ep))
            .cloned()
            .expect("listed");
        if row["failing"] == json!(true) {
            marked = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(marked, "past the give-up limit the endpoint is failing");
    // The office is told on the board; a department's board says nothing of endpoints.
    let on_board = "{ board { failingEndpoints { id name } } }";
    let data = t.ok(&t.office, on_board, json!({})).await;
    assert_eq!(
        data["board"]["failingEndpoints"],
        json!([{ "id": dead_ep, "name": "坏" }]),
        "{data}"
    );
    let department = t.department("旁观局").await;
    let token = t.department_token(&department).await;
    let data = t.ok(&token, on_board, json!({})).await;
    assert_eq!(data["board"]["failingEndpoints"], json!([]), "{data}");
    let data = t
        .ok(
            &t.office,
            "query($e: ID) { deliveries(endpointId: $e, status: FAILED) { nodes { status } } }",
            json!({ "e": dead_ep }),
        )
        .await;
    assert_eq!(data["deliveries"]["nodes"][0]["status"], "FAILED", "{data}");

    dead.set_schedule(always_ok());
    drained(&dead, &dead_ep, &wanted).await;
    in_order_without_new_ids(&dead, &dead_ep);
    for _ in 0..50 {
        let data = t.ok(&t.office, failing, json!({})).await;
        if data["endpoints"]
            .as_array()
            .expect("list")
            .iter()
            .all(|e| e["failing"] == json!(false))
        {
            t.stop().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the failing flag clears once deliveries go through again");
}

trait DeliveryWorld {
    async fn assigned_task_for_delivery(&self) -> String;
}

impl DeliveryWorld for TestApp {
    async fn assigned_task_for_delivery(&self) -> String {
        let plan = self.draft_plan("实施方案").await;
        let dept = self.department("县教育局").await;
        let task = self.define_measure(&plan, "一(一)", "新建学校").await;
        self.assign(&task, &dept, "2025-07-10").await;
        task
    }
}

backend_tests!(delivers_every_notice);

backend_tests!(a_dead_receiver_fails_then_drains);
