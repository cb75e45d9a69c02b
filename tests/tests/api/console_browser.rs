//! The web console, on both backends.
//!
//! - In a real headless Chromium (Debian's `chromium`, driven by
//!   `tests/console-e2e/scenario.mjs` through puppeteer-core; `tests/run` installs the npm
//!   package): the office signs in by link (the department by one from `duban token
//!   create --link`), imports seed 004, assigns a measure; the
//!   department on a 390 px viewport reports 60 % and submits; the office rejects, the
//!   department resubmits, the office accepts; the office's board, open in another tab,
//!   turns the row green within a second without a reload; the auditor slides back in
//!   time and sees the task as it was; the circular .docx downloads, and its XML holds
//!   the circular's title and the 公文 fonts; the circular's Markdown and the ledger's
//!   CSV and XLSX download; no request goes anywhere but the server.
//!   Screenshots of each screen go to `target/console-e2e/<backend>/`.
//! - Over plain HTTP ([`http`]): the console's files, the first screen's size, the error
//!   messages, and the circular exports.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use tokio::process::Command;

use duban::Clock;
use duban_tests::process::run_cli;
use duban_tests::{Backend, TestApp, backend_tests, fresh_db, spawn_app_on};

mod http;

pub(crate) const DEPARTMENT: &str = "教育局";

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chromium() -> PathBuf {
    let path =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    assert!(
        path.exists(),
        "{} is missing: install Debian's chromium (`apt-get install chromium chromium-driver`; .ci/run does it)",
        path.display()
    );
    path
}

/// `target/console-e2e/<backend>`, next to the workspace's build output.
fn out_dir(backend: Backend) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| tests_dir().join("..").join("target"));
    target
        .join("console-e2e")
        .join(format!("{backend:?}").to_lowercase())
}

pub(crate) fn unzip(path: &Path, part: &str) -> String {
    let bytes = std::fs::read(path).expect("read the .docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(part).expect(part), &mut xml).expect("utf-8");
    xml
}

/// The GraphQL circular the holder of `token` reads for a quarter.
pub(crate) async fn graphql_circular(
    app: &TestApp,
    token: &str,
    year: i32,
    quarter: i32,
) -> String {
    let data = app
        .ok(
            token,
            "query($y: Int!, $q: Int!) { quarterlyDispatch(year: $y, quarter: $q) { circular } }",
            json!({"y": year, "q": quarter}),
        )
        .await;
    data["quarterlyDispatch"]["circular"]
        .as_str()
        .expect("circular")
        .to_string()
}

async fn console_scenario_in_headless_chromium(backend: Backend) {
    let Some(db) = fresh_db(backend).await else {
        return;
    };
    let dir = tests_dir().join("console-e2e");
    assert!(
        dir.join("node_modules").join("puppeteer-core").is_dir(),
        "puppeteer-core is missing: run `npm ci` in {} (tests/run does it)",
        dir.display()
    );
    let chromium = chromium();
    // A running clock: the auditor's slider needs the events at distinct moments.
    let app = spawn_app_on(backend, db, Clock::system()).await;
    // The importer reuses a department of the same name, so its officer can sign in
    // with a link from `duban token create --link`.
    app.department(DEPARTMENT).await;
    let (url, base) = (app.db.url(), app.base.clone());
    let created = tokio::task::spawn_blocking(move || {
        let args = ["token", "create", "--name", "王敏", "--role", "department"];
        let more = ["--department", DEPARTMENT, "--link", &base];
        run_cli(&url, &[], &[&args[..], &more[..]].concat())
    })
    .await
    .expect("the CLI ran");
    let printed = String::from_utf8_lossy(&created.stdout);
    assert!(created.status.success(), "token create: {printed}");
    let mut lines = printed.lines();
    let (token, link) = (
        lines.next().expect("the token"),
        lines.next().expect("the link"),
    );
    assert_eq!(
        link,
        format!("{}/#token={token}", app.base),
        "the sign-in link"
    );
    let out = out_dir(backend);
    let output = Command::new("node")
        .arg("scenario.mjs")
        .current_dir(&dir)
        .env("DUBAN_BASE", &app.base)
        .env("OFFICE_TOKEN", &app.office)
        .env("DEPARTMENT_LINK", link)
        .env("AUDITOR_TOKEN", &app.auditor)
        .env("DEPARTMENT_NAME", DEPARTMENT)
        .env(
            "PLAN_FILE",
            tests_dir().join("tests/api/console_browser/plan_004.txt"),
        )
        .env("OUT_DIR", &out)
        .env("CHROMIUM", &chromium)
        .output()
        .await
        .expect("run node (is Node.js installed?)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    let result: Value = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .map(|r| serde_json::from_str(r).expect("the result is JSON"))
        .unwrap_or_else(|| panic!("no RESULT line:\n{stdout}\n{stderr}"));
    assert!(
        output.status.success() && result["ok"] == true,
        "the browser scenario failed: {}\n{stdout}\n{stderr}",
        result["error"]
    );
    assert!(
        result["greenAfterMs"].as_u64().expect("ms") <= 1000,
        "{result}"
    );
    assert_eq!(result["foreign"], json!([]), "no request left the server");
    for shot in result["screenshots"].as_array().expect("screenshots") {
        let path = PathBuf::from(shot.as_str().expect("path"));
        assert!(
            std::fs::metadata(&path).expect("screenshot").len() > 1000,
            "{}",
            path.display()
        );
    }

    // The downloaded circular is the GraphQL circular of the office, laid out as a 公文.
    let xml = unzip(
        Path::new(result["docx"].as_str().expect("docx")),
        "word/document.xml",
    );
    let now = duban_domain::time::local_date(chrono::Utc::now());
    let quarter = (chrono::Datelike::month(&now) as i32 - 1) / 3 + 1;
    let circular = graphql_circular(&app, &app.office, chrono::Datelike::year(&now), quarter).await;
    let title = circular
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .expect("a title");
    assert!(xml.contains(title), "the title {title} is in the document");
    for font in ["方正小标宋简体", "仿宋_GB2312", "黑体"] {
        assert!(xml.contains(font), "{font} is in the document");
    }
    assert!(xml.contains(r#"w:val="44""#), "the title is 二号 (22 pt)");
    assert!(xml.contains(r#"w:val="32""#), "the body is 三号 (16 pt)");
    assert!(xml.contains("一、总体情况"), "numbered headings");
    let markdown = std::fs::read_to_string(result["markdown"].as_str().expect("md")).expect("md");
    assert_eq!(markdown, circular, "the Markdown download is the circular");
    let csv = std::fs::read(result["csv"].as_str().expect("csv")).expect("csv");
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "the ledger CSV (UTF-8 with a BOM)"
    );
    let xlsx = std::path::Path::new(result["xlsx"].as_str().expect("xlsx"));
    assert!(
        unzip(xlsx, "xl/workbook.xml").contains("<sheet"),
        "the ledger workbook"
    );
    app.stop().await;
}

backend_tests!(console_scenario_in_headless_chromium);
