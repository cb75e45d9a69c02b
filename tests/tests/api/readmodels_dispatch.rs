//! The quarterly dispatch (`quarterlyDispatch`) end to end on both backends: a past
//! quarter asked later shows only what was recorded before the quarter's end (00:00
//! Asia/Shanghai, exact to the second); per-department counts; the ranking (on-time
//! rate, then fewer overdue at the end, then name); the circular (调度通报) in Markdown.

use serde_json::{Value, json};

use duban::App;
use duban_domain::ids::PlanId;
use duban_domain::time::Quarter;
use duban_tests::history::{
    assign, at, close, extend, measure, plan, progress, submit, tick, verify,
};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

mod cache;

const DISPATCH: &str = "query($p: ID, $y: Int!, $q: Int!) { quarterlyDispatch(planId: $p, \
    year: $y, quarter: $q) { year quarter circular \
    rows { rank department { name } onTimeRate counts { ...C } } totals { ...C } } } \
    fragment C on DispatchCounts { openAtStart assigned progressReports submitted closed \
    closedLate wentOverdue overdueAtEnd }";

/// Builds 2024 Q2 (and a little of Q1 and Q3); returns the plan id.
async fn second_quarter_2024(app: &TestApp) -> String {
    at(app, "2024-03-20T09:00:00+08:00");
    let [fin, hr, housing, transport] = [
        app.department("财政局").await,
        app.department("人社局").await,
        app.department("住建局").await,
        app.department("交通局").await,
    ];
    let p = plan(app, "鲤城区优质均衡实施方案").await;
    let a1 = measure(app, &p, "一(1)", "改扩建校舍").await;
    assign(app, &a1, &fin, &[], "2024-05-31").await; // open at the start of Q2
    at(app, "2024-04-10T09:00:00+08:00");
    let [a2, b1, b2, c1, d1, d2] = [
        measure(app, &p, "一(2)", "配齐功能教室").await,
        measure(app, &p, "二(1)", "补充音乐教师").await,
        measure(app, &p, "二(2)", "教师交流轮岗").await,
        measure(app, &p, "三(1)", "新建运动场").await,
        measure(app, &p, "四(1)", "校车线路").await,
        measure(app, &p, "四(2)", "上下学交通安全").await,
    ];
    assign(app, &a2, &fin, &[], "2024-06-15").await;
    assign(app, &b1, &hr, &[], "2024-05-20").await;
    assign(app, &b2, &hr, &[], "2024-06-20").await;
    assign(app, &c1, &housing, &[], "2024-06-30").await;
    assign(app, &d1, &transport, &[], "2024-06-25").await;
    assign(app, &d2, &transport, &[], "2024-06-26").await;
    at(app, "2024-04-15T09:00:00+08:00");
    let fin_token = app.department_token(&fin).await;
    progress(app, &fin_token, &a1, 50, "完成设计").await;
    at(app, "2024-05-21T09:00:00+08:00");
    assert_eq!(tick(app).await, 1, "b1 went overdue");
    at(app, "2024-05-25T09:00:00+08:00");
    submit(app, &fin_token, &a1).await;
    verify(app, &a1, "ACCEPTED").await; // on time
    at(app, "2024-06-05T09:00:00+08:00");
    close(app, &b1).await; // closed late
    at(app, "2024-06-12T09:00:00+08:00");
    submit(app, &fin_token, &a2).await;
    verify(app, &a2, "ACCEPTED").await; // on time
    at(app, "2024-06-21T09:00:00+08:00");
    assert_eq!(tick(app).await, 1, "b2 went overdue");
    // The quarter's last second: in Q2. Its first second after: in Q3.
    at(app, "2024-06-30T23:59:59+08:00");
    submit(app, &app.office, &c1).await;
    at(app, "2024-07-01T00:00:00+08:00");
    verify(app, &c1, "ACCEPTED").await;
    at(app, "2024-07-01T09:00:00+08:00");
    p
}

async fn dispatch(app: &TestApp, plan: &str, year: i32, quarter: i32) -> Value {
    let vars = json!({ "p": plan, "y": year, "q": quarter });
    app.ok(&app.office, DISPATCH, vars).await["quarterlyDispatch"].clone()
}

fn counts(c: [i64; 8]) -> Value {
    json!({ "openAtStart": c[0], "assigned": c[1], "progressReports": c[2], "submitted": c[3],
            "closed": c[4], "closedLate": c[5], "wentOverdue": c[6], "overdueAtEnd": c[7] })
}

backend_tests!(
    #[tokio::test]
    past_quarter_counts_ranking_and_later_events_ignored
);
async fn past_quarter_counts_ranking_and_later_events_ignored(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let p = second_quarter_2024(&app).await;
    let at_the_time = dispatch(&app, &p, 2024, 2).await;
    // A year later, more happens to the same tasks and departments.
    at(&app, "2025-03-01T09:00:00+08:00");
    let tasks = app
        .ok(
            &app.office,
            "query($p: ID!) { plan(id: $p) { tasks { nodes { id code status } } } }",
            json!({ "p": p }),
        )
        .await;
    for task in tasks["plan"]["tasks"]["nodes"].as_array().expect("tasks") {
        let id = task["id"].as_str().expect("id");
        match task["code"].as_str() {
            Some("二(2)") => close(&app, id).await,
            Some("四(1)") => extend(&app, id, "2025-06-30").await,
            _ => {}
        }
    }
    assert!(
        tick(&app).await > 0,
        "{backend:?}: the clock marks the rest overdue"
    );
    let later = dispatch(&app, &p, 2024, 2).await;
    assert_eq!(
        later, at_the_time,
        "{backend:?}: 2024 Q2 ignores events of 2025"
    );
    // The same from an app that never computed it before (no cached dispatch).
    let fresh = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("open");
    let plan_id = PlanId::parse("planId", &p).expect("plan id");
    let quarter = Quarter::new(2024, 2).expect("quarter");
    let replayed = fresh
        .dispatch(Some(plan_id), quarter)
        .await
        .expect("dispatch");
    let totals = serde_json::to_value(replayed.totals).expect("JSON");
    assert_eq!(totals, later["totals"], "{backend:?}");

    let d = later;
    assert_eq!(
        (d["year"].as_i64(), d["quarter"].as_i64()),
        (Some(2024), Some(2))
    );
    let expected = [
        (1, "财政局", [1, 1, 1, 2, 2, 0, 0, 0], Some(1.0)),
        (2, "人社局", [0, 2, 1, 1, 1, 1, 2, 1], Some(0.0)),
        (3, "住建局", [0, 1, 0, 1, 0, 0, 0, 1], Some(0.0)),
        (4, "交通局", [0, 2, 0, 0, 0, 0, 0, 2], Some(0.0)),
    ];
    let rows = d["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), expected.len(), "{backend:?}: {d}");
    for (row, (rank, name, c, rate)) in rows.iter().zip(expected) {
        assert_eq!(row["rank"], rank, "{backend:?}: {row}");
        assert_eq!(row["department"]["name"], name, "{backend:?}: {row}");
        assert_eq!(row["counts"], counts(c), "{backend:?}: {name}");
        assert_eq!(row["onTimeRate"].as_f64(), rate, "{backend:?}: {name}");
    }
    assert_eq!(d["totals"], counts([1, 6, 2, 4, 3, 1, 2, 4]), "{backend:?}");
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    quarter_boundary_is_midnight_asia_shanghai
);
async fn quarter_boundary_is_midnight_asia_shanghai(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let p = second_quarter_2024(&app).await;
    at(&app, "2024-10-01T09:00:00+08:00");
    let q2 = dispatch(&app, &p, 2024, 2).await;
    let q3 = dispatch(&app, &p, 2024, 3).await;
    let housing = |d: &Value| {
        d["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["department"]["name"] == "住建局")
            .map(|r| r["counts"].clone())
            .unwrap_or_else(|| panic!("no 住建局 row: {d}"))
    };
    // Submitted at 23:59:59 on 30 June: Q2. Accepted at 00:00:00 on 1 July: Q3.
    assert_eq!(housing(&q2)["submitted"], 1, "{backend:?}");
    assert_eq!(housing(&q2)["closed"], 0, "{backend:?}");
    assert_eq!(housing(&q2)["overdueAtEnd"], 1, "{backend:?}");
    assert_eq!(housing(&q3)["submitted"], 0, "{backend:?}");
    assert_eq!(housing(&q3)["closed"], 1, "{backend:?}");
    assert_eq!(housing(&q3)["closedLate"], 1, "{backend:?}");
    assert_eq!(housing(&q3)["openAtStart"], 1, "{backend:?}");
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    circular_lists_ranking_overdue_and_closed_late
);
async fn circular_lists_ranking_overdue_and_closed_late(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let p = second_quarter_2024(&app).await;
    let c = dispatch(&app, &p, 2024, 2).await["circular"]
        .as_str()
        .expect("circular")
        .to_string();
    for needle in [
        "# 鲤城区优质均衡实施方案2024年第二季度工作调度通报",
        "调度通报",
        "| 排名 | 单位 |",
        "| 1 | 财政局 | 1 | 1 | 1 | 2 | 2 | 0 | 0 | 0 | 100.0% |",
        "| 4 | 交通局 | 0 | 2 | 0 | 0 | 0 | 0 | 0 | 2 | 0.0% |",
        // Overdue at the end, with days overdue as of 1 July.
        "| 二(2) 教师交流轮岗 | 人社局 | 2024年6月20日 | 11天 |",
        "| 四(1) 校车线路 | 交通局 | 2024年6月25日 | 6天 |",
        "| 四(2) 上下学交通安全 | 交通局 | 2024年6月26日 | 5天 |",
        "| 三(1) 新建运动场 | 住建局 | 2024年6月30日 | 1天 |",
        // Closed late in the quarter.
        "| 1 | 二(1) 补充音乐教师 | 人社局 | 2024年5月20日 | 2024年6月5日 |",
    ] {
        assert!(
            c.contains(needle),
            "{backend:?}: missing {needle:?} in\n{c}"
        );
    }
    let overdue = c.find("## 三、逾期未完成事项").expect("overdue section");
    let late = c.find("## 四、逾期办结事项").expect("closed-late section");
    let ranking = c
        .find("## 二、各单位完成情况排名")
        .expect("ranking section");
    assert!(
        ranking < overdue && overdue < late,
        "{backend:?}: section order"
    );
    // Most days overdue first.
    let pos = |s: &str| c.find(s).expect(s);
    let days = ["| 11天 |", "| 6天 |", "| 5天 |", "| 1天 |"].map(pos);
    assert!(days.is_sorted(), "{backend:?}: overdue order in\n{c}");
    // A quarter that has not started, and a quarter that does not exist.
    let bad = json!({ "p": p, "y": 2024, "q": 4 });
    app.fails(&app.office, DISPATCH, bad, "BAD_USER_INPUT")
        .await;
    let bad = json!({ "p": p, "y": 2024, "q": 5 });
    app.fails(&app.office, DISPATCH, bad, "BAD_USER_INPUT")
        .await;
    app.stop().await;
}
