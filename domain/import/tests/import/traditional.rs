//! Plans printed in Traditional characters read like Simplified ones; their text is
//! kept as printed.

use duban_import::{DepartmentKind, parse_plan};

const PLAN: &str = "某縣教育發展規劃\n三、重點任務\n（一）優化資源\n1．加快學校建設。確保2025年8月投入使用。（牽頭單位：縣教育局；配合單位：縣財政局、縣發改局）\n2．健全機制。（責任單位：縣衛健委、各鄉鎮）\n3．完善制度。（責任部門：縣人社局）\n五、實施步驟\n（一）啟動準備階段（2021年11月—2022年12月）：制定方案。";

#[test]
fn labels_in_traditional_characters_are_read() {
    let plan = parse_plan(PLAN).expect("the plan parses");
    let rows: Vec<_> = plan
        .measures
        .iter()
        .map(|m| (m.code.as_str(), m.lead.as_deref(), m.cooperating.clone()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "三(一)1",
                Some("教育局"),
                vec!["财政局".to_owned(), "发改局".to_owned()]
            ),
            ("三(一)2", Some("卫健委"), vec!["各乡镇".to_owned()]),
            ("三(一)3", Some("人社局"), vec![]),
        ]
    );
}

#[test]
fn department_names_are_folded_to_simplified() {
    let plan = parse_plan(PLAN).expect("the plan parses");
    assert!(
        plan.departments
            .iter()
            .any(|d| d.name == "各乡镇" && d.kind == DepartmentKind::Township)
    );
    assert!(plan.departments.iter().all(|d| !d.name.contains('財')));
}

#[test]
fn text_titles_and_phases_keep_the_printed_characters() {
    let plan = parse_plan(PLAN).expect("the plan parses");
    assert_eq!(plan.title.as_deref(), Some("某縣教育發展規劃"));
    assert_eq!(plan.measures[0].title, "加快學校建設。");
    assert!(plan.measures[0].description.contains("牽頭單位"));
    assert_eq!(plan.phases[0].name, "啟動準備階段");
    assert_eq!(
        plan.measures[0].due.map(|d| d.to_string()).as_deref(),
        Some("2025-08-31")
    );
}
