//! `previewPlanImport` and `importPlan(file:, previewDigest:)`: a GBK text file and a
//! CSV task table read as a preview that records nothing; the import with the
//! preview's digest records exactly those measures; a stale digest and unreadable
//! files are BAD_USER_INPUT and record nothing. One test per backend.

use base64::Engine;
use serde_json::{Value, json};

use duban_tests::{Backend, backend_tests, spawn_app};

const PREVIEW: &str = "query($i: ImportPlanInput!) { previewPlanImport(input: $i) { \
    format encoding title digest departments unrecognised \
    measures { code title lead cooperating due ongoing line warnings } } }";
const IMPORT: &str = "mutation($i: ImportPlanInput!) { importPlan(input: $i) { \
    plan { title } measures { code lead { name } due overdue } } }";

/// A county plan as a Windows office saves it: GBK, CRLF, notes in several forms.
const PLAN: &str = "某某县推进教育优质均衡发展实施方案\r\n\
一、总体目标\r\n到2025年，全县义务教育优质均衡。\r\n\
二、重点任务\r\n\
（一）新建城东小学。2024年10月底前投入使用。（牵头单位：县教育局；配合单位：县财政局、县自然资源局）\r\n\
（二）落实教师交流轮岗。（县教育局牵头，县人社局配合）\r\n\
完成时限：长期坚持\r\n\
（三）改善乡村学校条件。\r\n\
【责任单位】县教育局、各乡镇人民政府\r\n\
完成时限：2025年秋季学期\r\n";

fn file(name: &str, bytes: &[u8]) -> Value {
    json!({ "name": name, "contentBase64": base64::engine::general_purpose::STANDARD.encode(bytes) })
}

fn code_of(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

async fn preview_then_import_by_digest(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let gbk = encoding_rs::GBK.encode(PLAN).0.into_owned();
    let input = json!({ "file": file("plan.txt", &gbk) });
    let preview =
        app.ok(&app.office, PREVIEW, json!({ "i": input })).await["previewPlanImport"].clone();
    assert_eq!(
        (preview["format"].as_str(), preview["encoding"].as_str()),
        (Some("txt"), Some("GBK")),
        "{preview}"
    );
    assert_eq!(preview["title"], "某某县推进教育优质均衡发展实施方案");
    let rows: Vec<(Value, Value, Value, Value, Value)> = preview["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .map(|m| {
            (
                m["code"].clone(),
                m["lead"].clone(),
                m["cooperating"].clone(),
                m["due"].clone(),
                m["ongoing"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                json!("二(一)"),
                json!("县教育局"),
                json!(["县财政局", "县自然资源局"]),
                json!("2024-10-31"),
                json!(false)
            ),
            (
                json!("二(二)"),
                json!("县教育局"),
                json!(["县人社局"]),
                Value::Null,
                json!(true)
            ),
            (
                json!("二(三)"),
                json!("县教育局"),
                json!(["各乡镇人民政府"]),
                json!("2025-09-01"),
                json!(false)
            ),
        ]
    );
    assert_eq!(preview["measures"][1]["line"], 6);
    assert_eq!(app.event_count().await, 0, "a preview records nothing");

    // A stale digest: refused, nothing recorded.
    let stale = json!({ "i": { "file": file("plan.txt", &gbk), "previewDigest": "0".repeat(64) } });
    let (_, body) = app.gql(Some(&app.office), IMPORT, stale).await;
    assert_eq!(code_of(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(app.event_count().await, 0);

    // The preview's digest: recorded as previewed.
    let exact =
        json!({ "i": { "file": file("plan.txt", &gbk), "previewDigest": preview["digest"] } });
    let done = app.ok(&app.office, IMPORT, exact).await["importPlan"].clone();
    let codes: Vec<&str> = done["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .filter_map(|m| m["code"].as_str())
        .collect();
    assert_eq!(codes, ["二(一)", "二(二)", "二(三)"]);
    assert_eq!(done["measures"][0]["due"], "2024-10-31");
    // Ongoing work (长期坚持) is assigned without a due date and is never overdue.
    assert_eq!(done["measures"][1]["lead"]["name"], "教育局");
    assert_eq!(done["measures"][1]["due"], Value::Null);
    assert_eq!(done["measures"][1]["overdue"], false);
    assert!(app.event_count().await > 0);
    app.stop().await;
}

async fn tables_and_bad_files(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let csv = "序号,重点任务,牵头单位,配合单位,完成时限\n1,新建学校,县教育局,县财政局,2024年12月底前\n2,消除大班额,县教育局,\"县发改局,县住建局\",长期坚持\n";
    let input = json!({ "i": { "file": file("任务分解表.csv", csv.as_bytes()) } });
    let preview = app.ok(&app.office, PREVIEW, input).await["previewPlanImport"].clone();
    assert_eq!(preview["format"], "csv");
    assert_eq!(
        preview["title"], "任务分解表",
        "the file name, for a table without a title"
    );
    assert_eq!(
        preview["departments"],
        json!(["县教育局", "县财政局", "县发改局", "县住建局"])
    );
    assert_eq!(preview["measures"][1]["ongoing"], true);

    let bad: [(&str, &[u8], &str); 5] = [
        ("noise.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0", "binary"),
        (
            "plan.docx",
            b"PK\x03\x04 not really a zip",
            "cannot be read",
        ),
        ("plan.pdf", b"%PDF-1.7\n1 0 obj", "PDF"),
        (
            "people.csv",
            "姓名,学校\n张三,一中\n".as_bytes(),
            "task column",
        ),
        ("empty.txt", b"", "empty"),
    ];
    for (name, bytes, word) in bad {
        for query in [PREVIEW, IMPORT] {
            let (_, body) = app
                .gql(
                    Some(&app.office),
                    query,
                    json!({ "i": { "file": file(name, bytes) } }),
                )
                .await;
            assert_eq!(code_of(&body), "BAD_USER_INPUT", "{name}: {body}");
            let message = body["errors"][0]["message"].as_str().unwrap_or("");
            assert!(message.contains(word), "{name}: {message}");
        }
    }
    let (_, both) = app
        .gql(
            Some(&app.office),
            PREVIEW,
            json!({ "i": { "text": "x", "file": file("a.txt", b"x") } }),
        )
        .await;
    assert_eq!(code_of(&both), "BAD_USER_INPUT", "{both}");
    assert_eq!(app.event_count().await, 0);
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    preview_then_import_by_digest
);

backend_tests!(
    #[tokio::test]
    tables_and_bad_files
);
