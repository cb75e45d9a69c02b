//! Departments named in a plan: matched to registered ones by normalised name (`市教育局`
//! is `教育局`), else registered once each; measures assigned to their lead and
//! cooperating departments, due on the stated date or at the end of the plan's period.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use duban_tests::{Backend, backend_tests, spawn_app};

use super::support::{SEED_004, all_events, codes, import_ok, measure, names};

/// (lead, cooperating) of a measure, by name.
fn who(m: &Value) -> (String, Vec<String>) {
    let lead = m["lead"]["name"].as_str().expect("a lead").to_string();
    (lead, names(&m["cooperating"]))
}

backend_tests!(
    #[tokio::test]
    seed_004_assigns_every_measure_and_reuses_the_registered_bureau
);
async fn seed_004_assigns_every_measure_and_reuses_the_registered_bureau(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // Registered by hand before the import, with the city's prefix.
    let bureau = app.department("市教育局").await;
    let done = import_ok(&app, SEED_004, Some("import-004")).await;

    let created = names(&done["departmentsCreated"]);
    assert_eq!(
        created.len(),
        22,
        "23 departments named, one already registered"
    );
    assert!(!created.iter().any(|n| n.contains("教育局")), "{created:?}");
    for name in ["党委组织部", "纪委监委", "各团镇", "发改委", "党委政法委"] {
        assert!(created.iter().any(|n| n == name), "{name} in {created:?}");
    }
    let all = app
        .ok(&app.office, "{ departments { name } }", json!({}))
        .await;
    let all = names(&all["departments"]);
    let unique: BTreeSet<_> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (23, 23), "{all:?}");

    let expected_codes: Vec<String> = ["三(一)1", "三(一)2", "三(一)3", "三(一)4"]
        .into_iter()
        .map(String::from)
        .chain((5..=11).map(|n| format!("三(二){n}")))
        .chain((12..=19).map(|n| format!("三(三){n}")))
        .chain((20..=23).map(|n| format!("三(四){n}")))
        .chain((24..=29).map(|n| format!("四{n}")))
        .collect();
    assert_eq!(codes(&done), expected_codes);
    for m in done["measures"].as_array().expect("measures") {
        assert_eq!(m["status"], "ASSIGNED", "{m}");
        // No date in the text and no period: due at the end of the import's year.
        assert_eq!(m["due"], "2025-12-31", "{m}");
    }

    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        who(measure(&done, "三(一)1")),
        ("党委组织部".into(), s(&["纪委监委", "市教育局", "各团镇"]))
    );
    assert_eq!(
        who(measure(&done, "四25")),
        ("发改委".into(), s(&["财政局", "市教育局", "住建局"]))
    );
    assert_eq!(who(measure(&done, "三(二)9")), ("市教育局".into(), vec![]));
    assert_eq!(
        who(measure(&done, "三(四)23")),
        (
            "市教育局".into(),
            s(&[
                "市场监督管理局",
                "党委网信办",
                "公安局",
                "卫健委",
                "各团镇",
                "各乡",
                "各街道办"
            ])
        )
    );
    assert_eq!(measure(&done, "三(二)9")["lead"]["id"], json!(bureau));

    // The bureau's worklist holds every measure it leads or cooperates on: all 29.
    let list = app
        .ok(
            &app.office,
            "query($d: ID!) { worklist(departmentId: $d) { code } }",
            json!({ "d": bureau }),
        )
        .await;
    assert_eq!(list["worklist"].as_array().map(Vec::len), Some(29));

    // Registrations and assignments included, every event is the office's.
    let events = all_events(&app).await;
    assert_eq!(events.len(), 1 + 1 + 22 + 2 * 29);
    for e in &events {
        assert_eq!(e.metadata.actor, "test office", "{e:?}");
        assert_eq!(e.metadata.role.as_deref(), Some("OFFICE"), "{e:?}");
    }
    app.stop().await;
}

/// One office written three ways, a stated deadline and a number with no text.
const SMALL: &str = "某某县教育发展实施方案
三、重点任务
(一)优化布局
1.新建学校。确保2025年8月投入使用。(牵头单位:县教育局;配合单位:县财政局)
2.改善办学条件。(牵头单位:教育局;配合单位:财政局)
(二)
";

backend_tests!(
    #[tokio::test]
    one_department_per_office_however_it_is_written
);
async fn one_department_per_office_however_it_is_written(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let done = import_ok(&app, SMALL, None).await;
    assert_eq!(done["plan"]["region"], "某某县");
    assert_eq!(names(&done["departmentsCreated"]), ["教育局", "财政局"]);
    assert_eq!(done["unrecognised"], json!(["(二)"]));
    assert_eq!(codes(&done), ["三(一)1", "三(一)2"]);
    let (first, second) = (measure(&done, "三(一)1"), measure(&done, "三(一)2"));
    assert_eq!(first["lead"]["id"], second["lead"]["id"]);
    assert_eq!(first["cooperating"], second["cooperating"]);
    assert_eq!(who(first), ("教育局".into(), vec!["财政局".to_string()]));
    assert_eq!(first["due"], "2025-08-31", "the stated deadline");
    // No date of its own and no phases: the period runs to the latest stated date.
    assert_eq!(done["plan"]["periodEnd"], "2025-08-31");
    assert_eq!(second["due"], "2025-08-31");

    // A second document naming 县教育局 again registers nothing new.
    let again = import_ok(&app, SMALL, None).await;
    assert_eq!(again["departmentsCreated"], json!([]));
    assert_eq!(measure(&again, "三(一)1")["lead"], first["lead"]);
    app.stop().await;
}
