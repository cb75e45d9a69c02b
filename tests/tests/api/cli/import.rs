//! `duban import-plan FILE`: counts printed, nothing new under a repeated
//! `--command-id`, a clear refusal (non-zero exit, nothing recorded) for an empty or
//! binary file and a file without measures; `--dry-run` and `--json` preview a GBK
//! file and record nothing; `--preview-digest` insists on that preview.

use duban_store::testing::TempDbFile;

use super::support::{TempText, count, duban, duban_ok, in_workspace, sqlite};

const NOW: Option<&str> = Some("2025-07-01T09:00:00+08:00");

#[tokio::test]
async fn seed_000_imports_once_per_command_id() {
    let db = TempDbFile::new();
    let seed = in_workspace("services/duban/demo/licheng_plan.txt");
    let args = ["import-plan", seed.as_str(), "--command-id", "licheng-1"];
    let first = duban_ok(db.path(), NOW, &args);
    assert!(
        first
            .stdout
            .contains("imported plan 鲤城区推进义务教育优质均衡发展工作规划")
            && first
                .stdout
                .contains("20 measures, 0 departments created, 0 unrecognised lines"),
        "{first:?}"
    );
    assert_eq!(count(db.path(), None).await, 21);
    assert_eq!(count(db.path(), Some("MeasureDefined")).await, 20);
    let mut conn = sqlite(db.path()).await;
    let by_cli_office: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE json_extract(metadata, '$.actor') LIKE 'cli:%' \
         AND json_extract(metadata, '$.role') = 'OFFICE' \
         AND json_extract(metadata, '$.command_id') = 'licheng-1'",
    )
    .fetch_one(&mut conn)
    .await
    .expect("count");
    drop(conn);
    assert_eq!(
        by_cli_office, 21,
        "every event is the command line's, as the office"
    );

    let again = duban_ok(db.path(), NOW, &args);
    assert_eq!(count(db.path(), None).await, 21, "nothing new recorded");
    assert_eq!(again.stdout, first.stdout, "the first import's answer");
}

#[tokio::test]
async fn seed_004_prints_its_departments_and_reads_the_url_from_the_environment() {
    let db = TempDbFile::new();
    let seed = in_workspace("domain/import/tests/fixtures/004_57d03eec54c33079.txt");
    let out = std::process::Command::new(super::support::duban_bin())
        .args(["import-plan", seed.as_str()])
        .env("DUBAN_DATABASE_URL", db.path())
        .env("DUBAN_NOW", "2025-07-01T09:00:00+08:00")
        .output()
        .expect("run duban");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("29 measures, 23 departments created, 0 unrecognised lines"),
        "{stdout}"
    );
    // One plan, 23 departments, each measure defined and assigned.
    assert_eq!(count(db.path(), None).await, 1 + 23 + 2 * 29);
    assert_eq!(count(db.path(), Some("TaskAssigned")).await, 29);
}

#[tokio::test]
async fn empty_binary_and_measureless_files_are_refused_and_record_nothing() {
    // "你好" in GBK and in UTF-16 (read, but no measures); binary; nothing; white space.
    let files: [(&[u8], &str); 5] = [
        (&[0xC4, 0xE3, 0xBA, 0xC3, 0x0A], "no numbered measures"),
        (
            &[0xFF, 0xFE, 0x60, 0x4F, 0x7D, 0x59, 0x0A, 0x00],
            "no numbered measures",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"", "empty"),
        (b" \n\n\t", "empty"),
    ];
    let db = TempDbFile::new();
    for (bytes, why) in files {
        let file = TempText::new(bytes);
        let run = duban(db.path(), NOW, &["import-plan", file.arg()]);
        assert!(!run.ok, "{bytes:?} was accepted: {run:?}");
        assert!(run.stderr.contains(why), "{bytes:?}: {}", run.stderr);
        assert!(run.stderr.contains("BAD_USER_INPUT"), "{}", run.stderr);
        assert!(!run.stdout.contains("imported"), "{}", run.stdout);
        assert_eq!(
            count(db.path(), None).await,
            0,
            "{bytes:?} recorded something"
        );
    }
    let run = duban(db.path(), NOW, &["import-plan", "/nonexistent/plan.txt"]);
    assert!(!run.ok && run.stderr.contains("cannot read"), "{run:?}");
}

#[tokio::test]
async fn dry_run_and_json_preview_a_gbk_file_and_the_digest_is_insisted_on() {
    let text = "某县教育实施方案\r\n一、重点任务\r\n1.新建学校。（牵头单位：县教育局；配合单位：县财政局）\r\n完成时限：2024年底前\r\n2.教师轮岗。由县教育局负责。长期坚持。\r\n";
    let gbk = encoding_rs::GBK.encode(text).0.into_owned();
    let file = TempText::new(&gbk);
    let db = TempDbFile::new();

    let table = duban_ok(db.path(), NOW, &["import-plan", file.arg(), "--dry-run"]);
    assert!(
        table
            .stdout
            .contains("某县教育实施方案 (txt, GBK): 2 measures"),
        "{}",
        table.stdout
    );
    assert!(
        table
            .stdout
            .contains("一1\t新建学校。\t县教育局\t县财政局\t2024-12-31"),
        "{}",
        table.stdout
    );
    assert!(
        table
            .stdout
            .contains("一2\t教师轮岗。\t县教育局\t-\tongoing"),
        "{}",
        table.stdout
    );

    let json = duban_ok(db.path(), NOW, &["import-plan", file.arg(), "--json"]);
    let preview: serde_json::Value =
        serde_json::from_str(&json.stdout).expect("the preview as JSON");
    assert_eq!(preview["format"], "txt");
    assert_eq!(preview["measures"][0]["lead"], "县教育局");
    assert_eq!(preview["measures"][1]["ongoing"], true);
    let digest = preview["digest"].as_str().expect("a digest").to_owned();
    assert!(
        !db.path().exists(),
        "a preview does not even open the database"
    );

    let stale = duban(
        db.path(),
        NOW,
        &["import-plan", file.arg(), "--preview-digest", "abc"],
    );
    assert!(
        !stale.ok && stale.stderr.contains("BAD_USER_INPUT"),
        "{stale:?}"
    );
    assert_eq!(count(db.path(), None).await, 0);

    let done = duban_ok(
        db.path(),
        NOW,
        &["import-plan", file.arg(), "--preview-digest", &digest],
    );
    assert!(done.stdout.contains("2 measures"), "{done:?}");
    assert_eq!(count(db.path(), Some("MeasureDefined")).await, 2);
}
