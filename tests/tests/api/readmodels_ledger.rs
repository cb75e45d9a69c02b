//! The rectification ledger (整改台账) end to end on both backends: the
//! `rectificationLedger` query with the contract's filters and paging, a department
//! seeing only its own rows, and the exports GET /export/ledger.csv (UTF-8 BOM, Chinese
//! header and rows) and /export/ledger.xlsx (a zip with the sheet and its header row),
//! both behind the bearer token.

use serde_json::{Value, json};

use duban_tests::history::{Finding, assign, at, close, measure, plan, rectification, tick};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

mod export;

const LEDGER: &str = "query($f: TaskFilter, $n: Int, $a: String) { rectificationLedger(\
    filter: $f, first: $n, after: $a) { totalCount pageInfo { hasNextPage endCursor } \
    nodes { id status due closedLate overdue lead { name } \
    rectification { source finding standard measured unit severity } } } }";

const HEADER: &str = "编号,来源,问题,标准,实测,学校/单位,责任单位,整改时限,状态,办结日期,按期情况";

/// The ledger's items in creation order, and the departments.
struct World {
    items: [String; 4],
    housing: String,
    fin: String,
}

async fn world(app: &TestApp) -> World {
    at(app, "2025-05-01T09:00:00+08:00");
    let housing = app.department("住建局").await;
    let fin = app.department("财政局").await;
    let hr = app.department("人社局").await;
    let p = plan(app, "整改方案").await;
    let findings = [
        (
            "SUPERVISION",
            "音乐教室面积不足",
            "96㎡",
            "72㎡",
            "实验小学",
        ),
        ("AUDIT", "经费未足额拨付", "按生均标准", "八成", "第二中学"),
        (
            "SELF_INSPECTION",
            "功能室配置不足",
            "6间",
            "4间",
            "实验小学分校",
        ),
        ("COMPLAINT", "校门口交通拥堵", "有序", "拥堵", "第三中学"),
    ];
    let mut items = Vec::new();
    for (i, (source, finding, standard, measured, unit)) in findings.into_iter().enumerate() {
        at(app, &format!("2025-05-01T09:00:0{}+08:00", i + 1));
        let f = Finding {
            source,
            finding,
            standard,
            measured,
            unit,
        };
        items.push(rectification(app, &p, f).await);
    }
    let m = measure(app, &p, "一(1)", "不是整改事项").await;
    assign(app, &m, &housing, &[], "2025-06-01").await;
    assign(app, &items[0], &housing, &[], "2025-09-30").await;
    assign(app, &items[1], &fin, &[], "2025-06-10").await;
    assign(app, &items[2], &hr, &[], "2025-05-31").await;
    assign(app, &items[3], &housing, &[&fin], "2025-06-30").await;
    at(app, "2025-06-11T09:00:00+08:00");
    assert_eq!(
        tick(app).await,
        3,
        "the measure, items 2 and 3 went overdue"
    );
    at(app, "2025-06-15T09:00:00+08:00");
    close(app, &items[2]).await;
    at(app, "2025-06-20T09:00:00+08:00");
    close(app, &items[3]).await;
    at(app, "2025-07-01T09:00:00+08:00");
    World {
        items: items.try_into().expect("four items"),
        housing,
        fin,
    }
}

async fn ids(app: &TestApp, token: &str, filter: Value) -> Vec<String> {
    let data = app.ok(token, LEDGER, json!({ "f": filter })).await;
    let page = &data["rectificationLedger"];
    let nodes = page["nodes"].as_array().expect("nodes");
    assert_eq!(page["totalCount"].as_u64(), Some(nodes.len() as u64));
    nodes
        .iter()
        .map(|n| n["id"].as_str().expect("id").to_string())
        .collect()
}

backend_tests!(
    #[tokio::test]
    ledger_filters_paging_and_department_scope
);
async fn ledger_filters_paging_and_department_scope(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = world(&app).await;
    let [r1, r2, r3, r4] = w.items.clone();
    let o = app.office.clone();
    let cases = [
        (json!({}), vec![&r1, &r2, &r3, &r4]),
        (json!({ "source": "AUDIT" }), vec![&r2]),
        (json!({ "unit": "实验小学" }), vec![&r1, &r3]),
        (json!({ "status": ["CLOSED"] }), vec![&r3, &r4]),
        (json!({ "overdue": true }), vec![&r2]),
        (json!({ "overdue": false }), vec![&r1, &r3, &r4]),
        (json!({ "departmentId": w.fin }), vec![&r2, &r4]),
        (
            json!({ "departmentId": w.housing, "status": ["CLOSED"] }),
            vec![&r4],
        ),
    ];
    for (filter, expected) in cases {
        let got = ids(&app, &o, filter.clone()).await;
        let expected: Vec<&str> = expected.into_iter().map(String::as_str).collect();
        assert_eq!(got, expected, "{backend:?} filter {filter}");
    }
    let all = app.ok(&o, LEDGER, json!({})).await;
    let nodes = &all["rectificationLedger"]["nodes"];
    assert_eq!(
        nodes[0]["rectification"],
        json!({ "source": "SUPERVISION", "finding": "音乐教室面积不足", "standard": "96㎡",
                "measured": "72㎡", "unit": "实验小学", "severity": 2 })
    );
    assert_eq!(nodes[0]["lead"]["name"], "住建局");
    assert_eq!(nodes[0]["due"], "2025-09-30");
    assert_eq!(
        (&nodes[2]["status"], &nodes[2]["closedLate"]),
        (&json!("CLOSED"), &json!(true))
    );
    assert_eq!(
        (&nodes[3]["status"], &nodes[3]["closedLate"]),
        (&json!("CLOSED"), &json!(false))
    );

    // Paging: two pages, no gaps, no repeats.
    let first = app.ok(&o, LEDGER, json!({ "n": 3 })).await["rectificationLedger"].clone();
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let cursor = first["pageInfo"]["endCursor"].clone();
    let rest =
        app.ok(&o, LEDGER, json!({ "n": 3, "a": cursor })).await["rectificationLedger"].clone();
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
    let paged: Vec<&str> = [&first, &rest]
        .iter()
        .flat_map(|p| p["nodes"].as_array().expect("nodes").iter())
        .map(|n| n["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        paged,
        [&r1, &r2, &r3, &r4].map(String::as_str),
        "{backend:?}"
    );

    // A department sees the rows it leads or cooperates on, and nobody else's.
    let housing = app.department_token(&w.housing).await;
    assert_eq!(
        ids(&app, &housing, json!({})).await,
        [&r1, &r4].map(String::as_str)
    );
    let fin = app.department_token(&w.fin).await;
    assert_eq!(
        ids(&app, &fin, json!({})).await,
        [&r2, &r4].map(String::as_str)
    );
    let theirs = json!({ "f": { "departmentId": w.fin } });
    app.fails(&housing, LEDGER, theirs, "FORBIDDEN").await;
    app.stop().await;
}
