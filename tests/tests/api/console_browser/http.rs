//! The console over plain HTTP: its files with their types, policy, ETag and 304; the
//! first screen's size; a Chinese message for every error code; the circular exports
//! carry exactly the GraphQL circular of the same viewer and refuse what they should.

use serde_json::Value;

use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

use super::{DEPARTMENT, graphql_circular, unzip};

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client().get(format!("{}{path}", app.base));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.expect("request")
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

backend_tests!(console_files_and_circular_exports);
async fn console_files_and_circular_exports(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // The page and its modules: types, a policy that allows this server only, caching.
    let page = get(&app, "/", None).await;
    assert_eq!(page.status(), 200);
    assert_eq!(header(&page, "content-type"), "text/html; charset=utf-8");
    let csp = header(&page, "content-security-policy");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    let host = app.base.trim_start_matches("http://");
    assert!(
        csp.contains(&format!("connect-src 'self' ws://{host}")),
        "{csp}"
    );
    assert_eq!(header(&page, "cache-control"), "no-cache");
    let etag = header(&page, "etag");
    let html = page.text().await.expect("html");
    let again = app
        .client()
        .get(format!("{}/", app.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), 304, "unchanged files are not sent again");

    // Everything the first screen loads (the page, every module, the stylesheet).
    let mut first_screen = html.len();
    let mut pending = vec![
        "/console/app.js".to_string(),
        "/console/style.css".to_string(),
    ];
    let mut seen = std::collections::HashSet::new();
    while let Some(path) = pending.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let res = get(&app, &path, None).await;
        assert_eq!(res.status(), 200, "{path}");
        let kind = header(&res, "content-type");
        let body = res.text().await.expect("body");
        first_screen += body.len();
        if path.ends_with(".js") {
            assert_eq!(kind, "text/javascript; charset=utf-8", "{path}");
            let folder = &path[..path.rfind('/').expect("a folder") + 1];
            for import in body.split("from '").skip(1) {
                let target = import.split('\'').next().expect("a module path");
                let resolved = if let Some(rest) = target.strip_prefix("../") {
                    format!(
                        "{}{rest}",
                        &folder[..folder[..folder.len() - 1].rfind('/').expect("parent") + 1]
                    )
                } else {
                    format!("{folder}{}", target.trim_start_matches("./"))
                };
                pending.push(resolved);
            }
        }
    }
    assert!(
        seen.len() >= 10,
        "every screen's module was followed: {seen:?}"
    );
    // Every error code of the API has a Chinese message.
    let api = get(&app, "/console/api.js", None)
        .await
        .text()
        .await
        .expect("api.js");
    for code in [
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "NOT_FOUND",
        "BAD_USER_INPUT",
        "INVALID_TRANSITION",
        "VERSION_CONFLICT",
        "INTERNAL",
    ] {
        let message = api
            .split(&format!("  {code}: '"))
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no message for {code}"));
        assert!(
            message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{code}: {message}"
        );
    }
    assert!(
        first_screen < 300 * 1024,
        "the first screen is {first_screen} bytes"
    );
    assert_eq!(
        get(&app, "/console/../Cargo.toml", None).await.status(),
        404
    );
    assert_eq!(get(&app, "/console/nothing.js", None).await.status(), 404);

    // The circular exports: the GraphQL circular of the same viewer, as .md and .docx.
    let task = app.assigned_task(DEPARTMENT).await;
    let q = "/export/circular.md?year=2025&quarter=3";
    for token in [&app.office, &task.token, &app.auditor] {
        let res = get(&app, q, Some(token)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(header(&res, "content-type"), "text/markdown; charset=utf-8");
        let md = res.text().await.expect("markdown");
        assert_eq!(md, graphql_circular(&app, token, 2025, 3).await);
    }
    let plan = format!(
        "/export/circular.docx?year=2025&quarter=3&planId={}",
        task.plan_id
    );
    let res = get(&app, &plan, Some(&app.office)).await;
    assert_eq!(res.status(), 200);
    assert!(header(&res, "content-disposition").contains("circular-2025-Q3.docx"));
    let bytes = res.bytes().await.expect("docx");
    let docx = std::env::temp_dir().join(format!("duban-circular-{}.docx", uuid::Uuid::new_v4()));
    std::fs::write(&docx, &bytes).expect("write");
    let xml = unzip(&docx, "word/document.xml");
    std::fs::remove_file(&docx).ok();
    assert!(xml.contains("2025年第三季度工作调度通报"), "the title");
    assert!(xml.contains("仿宋_GB2312") && xml.contains("方正小标宋简体"));

    // Refusals: no token, a quarter that is not one, one not yet begun, a bad plan id.
    assert_eq!(get(&app, q, None).await.status(), 401);
    for (bad, status) in [
        ("/export/circular.md?year=2025&quarter=5", 400),
        ("/export/circular.docx?year=2026&quarter=1", 400),
        ("/export/circular.md?year=2025&quarter=3&planId=nope", 400),
        ("/export/circular.md?quarter=3", 400),
    ] {
        let res = get(&app, bad, Some(&app.office)).await;
        assert_eq!(res.status(), status, "{bad}");
        if status == 400 && bad.contains("year=") {
            let body: Value = res.json().await.expect("json");
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
                "{bad}"
            );
        }
    }
    app.stop().await;
}
