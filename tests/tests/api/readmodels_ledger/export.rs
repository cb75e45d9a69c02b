//! The ledger exports: GET /export/ledger.csv (UTF-8 BOM, Chinese header and rows) and
//! /export/ledger.xlsx (a zip holding the sheet with its header row), filters as query
//! parameters, a department's own rows only, and the bearer token required.

use std::io::Read;

use super::{HEADER, world};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

async fn export(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Vec<u8>) {
    let mut request = app.client().get(format!("{}{path}", app.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    (status, response.bytes().await.expect("body").to_vec())
}

fn csv_lines(body: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(body).expect("UTF-8");
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_string)
        .collect()
}

backend_tests!(
    #[tokio::test]
    ledger_csv_has_bom_header_and_rows
);
async fn ledger_csv_has_bom_header_and_rows(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = world(&app).await;
    let (status, body) = export(&app, "/export/ledger.csv", Some(&app.office)).await;
    assert_eq!(status, 200, "{backend:?}");
    assert!(
        body.starts_with(&[0xEF, 0xBB, 0xBF]),
        "{backend:?}: no UTF-8 BOM"
    );
    let lines = csv_lines(&body);
    assert_eq!(lines[0], HEADER);
    assert_eq!(
        lines.len(),
        5,
        "{backend:?}: header and four items: {lines:?}"
    );
    let r3 = format!(
        "{},自查,功能室配置不足,6间,4间,实验小学分校,人社局,2025-05-31,已销号,2025-06-15,逾期办结",
        w.items[2]
    );
    assert_eq!(lines[3], r3, "{backend:?}");
    assert!(
        lines[2].ends_with(",财政局,2025-06-10,已交办,,逾期未办结"),
        "{}",
        lines[2]
    );
    assert!(
        lines[4].ends_with(",已销号,2025-06-20,按期办结"),
        "{}",
        lines[4]
    );

    let (_, audit) = export(&app, "/export/ledger.csv?source=audit", Some(&app.office)).await;
    assert_eq!(csv_lines(&audit)[1..], [lines[2].clone()], "{backend:?}");
    let housing = app.department_token(&w.housing).await;
    let (status, own) = export(&app, "/export/ledger.csv", Some(&housing)).await;
    assert_eq!(status, 200);
    assert_eq!(csv_lines(&own)[1..], [lines[1].clone(), lines[4].clone()]);
    let theirs = format!("/export/ledger.csv?departmentId={}", w.fin);
    assert_eq!(
        export(&app, &theirs, Some(&housing)).await.0,
        403,
        "{backend:?}"
    );
    assert_eq!(
        export(&app, "/export/ledger.csv", None).await.0,
        401,
        "{backend:?}"
    );
    assert_eq!(
        export(&app, "/export/ledger.csv", Some("nope")).await.0,
        401
    );
    app.stop().await;
}

fn zip_entry(body: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .expect("UTF-8 XML");
    text
}

backend_tests!(
    #[tokio::test]
    ledger_xlsx_is_a_workbook_with_header_and_rows
);
async fn ledger_xlsx_is_a_workbook_with_header_and_rows(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = world(&app).await;
    let (status, body) = export(&app, "/export/ledger.xlsx", Some(&app.office)).await;
    assert_eq!(status, 200, "{backend:?}");
    assert!(body.starts_with(b"PK"), "{backend:?}: not a zip");
    assert!(zip_entry(&body, "xl/workbook.xml").contains("整改台账"));
    let strings = zip_entry(&body, "xl/sharedStrings.xml");
    for text in HEADER
        .split(',')
        .chain(["音乐教室面积不足", "逾期办结", "按期办结"])
    {
        assert!(
            strings.contains(text),
            "{backend:?}: {text} not in the workbook"
        );
    }
    let sheet = zip_entry(&body, "xl/worksheets/sheet1.xml");
    assert_eq!(
        sheet.matches("<row ").count(),
        5,
        "{backend:?}: header and four rows"
    );
    let (_, closed) = export(&app, "/export/ledger.xlsx?status=closed", Some(&app.office)).await;
    let sheet = zip_entry(&closed, "xl/worksheets/sheet1.xml");
    assert_eq!(
        sheet.matches("<row ").count(),
        3,
        "{backend:?}: header and two rows"
    );
    let housing = app.department_token(&w.housing).await;
    let (_, own) = export(&app, "/export/ledger.xlsx", Some(&housing)).await;
    assert_eq!(
        zip_entry(&own, "xl/worksheets/sheet1.xml")
            .matches("<row ")
            .count(),
        3
    );
    assert_eq!(
        export(&app, "/export/ledger.xlsx", None).await.0,
        401,
        "{backend:?}"
    );
    app.stop().await;
}
