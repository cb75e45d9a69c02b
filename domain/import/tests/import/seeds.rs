//! The real plans of the shared seeds (copied into `tests/fixtures/`, so the crate
//! builds on its own): every measure code, and for every measure its lead and
//! cooperating departments and due date — all counted by hand from the documents.

use chrono::NaiveDate;
use duban_import::{DepartmentKind, ParsedPlan, parse_plan};

const SEED_000: &str = include_str!("../fixtures/000_cb0ffffcd9b8635d.txt");
const SEED_001: &str = include_str!("../fixtures/001_8b0b858e70539536.txt");
const SEED_002: &str = include_str!("../fixtures/002_b9acc1299180cd17.txt");
const SEED_003: &str = include_str!("../fixtures/003_29591f9224e93faa.txt");
const SEED_004: &str = include_str!("../fixtures/004_57d03eec54c33079.txt");

fn parse(text: &str) -> ParsedPlan {
    parse_plan(text).expect("the seed parses")
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn codes(plan: &ParsedPlan) -> Vec<&str> {
    plan.measures.iter().map(|m| m.code.as_str()).collect()
}

/// A measure as (code, lead, cooperating, due).
type Row<'a> = (&'a str, Option<&'a str>, Vec<&'a str>, Option<NaiveDate>);

/// Every measure as a [`Row`].
fn rows(plan: &ParsedPlan) -> Vec<Row<'_>> {
    plan.measures
        .iter()
        .map(|m| {
            let coop = m.cooperating.iter().map(String::as_str).collect();
            (m.code.as_str(), m.lead.as_deref(), coop, m.due)
        })
        .collect()
}

/// The due date of each measure, and that none names a department.
fn dues(plan: &ParsedPlan) -> Vec<(&str, Option<NaiveDate>)> {
    for m in &plan.measures {
        assert_eq!(
            (m.lead.as_deref(), m.cooperating.len()),
            (None, 0),
            "{} names no department",
            m.code
        );
    }
    plan.measures
        .iter()
        .map(|m| (m.code.as_str(), m.due))
        .collect()
}

#[test]
fn seed_000_measures_phases_and_due_dates() {
    let plan = parse(SEED_000);
    assert_eq!(
        plan.title.as_deref(),
        Some("鲤城区推进义务教育优质均衡发展工作规划")
    );
    assert_eq!(plan.region.as_deref(), Some("鲤城区"));
    let d2022 = Some(ymd(2022, 12, 31));
    assert_eq!(
        dues(&plan),
        [
            ("四(一)", None),
            ("四(二)", None),
            ("四(三)", None),
            ("四(四)", None),
            ("四(五)", None),
            ("四(六)", None),
            ("四(七)", None),
            ("四(八)", None),
            ("四(九)", None),
            ("四(十)", d2022),
            ("四(十一)", None),
            ("五(二)1", None),
            ("五(二)2", None),
            ("五(二)3", None),
            ("五(二)4", None),
            ("五(二)5", None),
            ("六(一)", None),
            ("六(二)", None),
            ("六(三)", None),
            ("六(四)", None),
        ]
    );
    let phases: Vec<_> = plan
        .phases
        .iter()
        .map(|p| (p.name.as_str(), p.starts, p.ends))
        .collect();
    assert_eq!(
        phases,
        [
            ("启动准备阶段", ymd(2021, 11, 1), ymd(2022, 12, 31)),
            ("实施创建阶段", ymd(2023, 1, 1), ymd(2025, 12, 31)),
            ("整改提升阶段", ymd(2026, 1, 1), ymd(2027, 12, 31)),
            ("达标验收阶段", ymd(2028, 1, 1), ymd(2028, 12, 31)),
        ]
    );
    assert_eq!(plan.period, Some((ymd(2021, 11, 1), ymd(2028, 12, 31))));
    for m in &plan.measures {
        let expected = m.code.starts_with("五(二)").then_some("实施创建阶段");
        assert_eq!(m.phase.as_deref(), expected, "{}", m.code);
    }
    assert_eq!(plan.measures[0].title, "科学规划均衡发展。");
    assert!(plan.departments.is_empty());
    assert!(plan.unrecognised.is_empty());
}

#[test]
fn seed_001_measures_and_due_dates() {
    let plan = parse(SEED_001);
    assert_eq!(
        (plan.title.as_deref(), plan.region.as_deref()),
        (None, None)
    );
    assert_eq!(
        dues(&plan),
        [
            ("三(一)1", Some(ymd(2025, 8, 31))),
            ("三(一)2", None),
            ("三(一)3", None),
            ("三(一)4", None),
            ("三(二)1", None),
            ("三(二)2", None),
            ("三(二)3", None),
            ("三(二)4", None),
            ("三(三)1", None),
            ("三(三)2", None),
            ("三(三)3", None),
            ("三(三)4", None),
            ("三(四)1", None),
            ("三(四)2", None),
            ("三(四)3", None),
            ("三(四)4", None),
            ("四1", None),
            ("四2", None),
            ("四3", None),
            ("四4", None),
        ]
    );
    assert!(plan.departments.is_empty(), "001 names no department");
    assert!(plan.unrecognised.is_empty(), "{:?}", plan.unrecognised);
    // Printed `1加快学校建设进度:` — no punctuation after the number, a colon after the title.
    assert_eq!(plan.measures[0].title, "加快学校建设进度");
    assert!(
        !plan.measures[19].description.contains("公网安备"),
        "the web footer is not part of 四4"
    );
}

#[test]
fn seed_002_measures_and_due_dates() {
    let plan = parse(SEED_002);
    assert_eq!(
        plan.title.as_deref(),
        Some("民乐县关于加快推进“学有优教”工作实施方案")
    );
    assert_eq!(plan.region.as_deref(), Some("民乐县"));
    assert_eq!(plan.issuer.as_deref(), Some("民乐县教育局"));
    let (d2027, d2030) = (Some(ymd(2027, 12, 31)), Some(ymd(2030, 12, 31)));
    assert_eq!(
        dues(&plan),
        [
            ("三(一)1", None),
            ("三(一)2", d2027),
            ("三(一)3", d2030),
            ("三(一)4", None),
            ("三(一)5", None),
            ("三(二)6", None),
            ("三(二)7", d2027),
            ("三(二)8", None),
            ("三(二)9", None),
            ("三(三)10", None),
            ("三(三)11", None),
            ("三(三)12", None),
            ("三(四)13", None),
            ("三(四)14", None),
            ("三(四)15", None),
            ("三(四)16", None),
            ("三(五)17", None),
            ("三(五)18", None),
            ("三(五)19", None),
            ("三(五)20", None),
            ("三(六)21", None),
            ("三(六)22", None),
            ("三(六)23", None),
            ("三(七)24", None),
            ("三(七)25", None),
            ("三(七)26", None),
            ("四(一)", None),
            ("四(二)", None),
            ("四(三)", None),
        ]
    );
    assert!(!plan.measures[28].description.contains("附件"));
    assert!(plan.departments.is_empty(), "002 names no department");
    assert!(plan.unrecognised.is_empty(), "{:?}", plan.unrecognised);
}

#[test]
fn seed_003_reads_the_plan_part_of_the_compilation() {
    let plan = parse(SEED_003);
    assert_eq!(
        plan.title.as_deref(),
        Some("关于义务教育优质均衡发展实施方案")
    );
    assert_eq!(
        codes(&plan),
        [
            "三(一)1",
            "三(一)2",
            "三(二)3",
            "三(二)4",
            "三(二)5",
            "三(二)6",
            "三(二)7",
            "三(三)8",
            "三(三)9",
            "三(四)10",
            "三(四)11",
            "三(四)12",
            "三(四)13",
            "三(四)14",
            "三(五)15",
            "三(五)16",
            "三(六)17",
            "三(六)18",
            "三(六)19",
            "四(一)",
            "四(二)",
            "四(三)",
        ]
    );
    let rows = rows(&plan);
    let row = |code: &str| {
        rows.iter()
            .find(|r| r.0 == code)
            .cloned()
            .expect("the measure")
    };
    assert_eq!(
        row("三(一)1"),
        (
            "三(一)1",
            Some("教育局"),
            vec!["住建局", "发改局", "国土局"],
            None
        )
    );
    assert_eq!(
        row("三(一)2"),
        ("三(一)2", Some("教育局"), vec![], Some(ymd(2025, 12, 31)))
    );
    assert_eq!(
        row("三(二)7"),
        (
            "三(二)7",
            Some("教育局"),
            vec!["文体局"],
            Some(ymd(2020, 12, 31))
        )
    );
    assert_eq!(
        row("三(四)11"),
        ("三(四)11", Some("教育局"), vec!["编委办", "人社局"], None)
    );
    assert_eq!(
        row("三(六)18"),
        (
            "三(六)18",
            Some("民政局"),
            vec!["公安局", "教育局", "司法局", "妇联"],
            None
        )
    );
    assert_eq!(
        row("三(六)19"),
        (
            "三(六)19",
            Some("教育局"),
            vec!["发改局", "编委办", "残联", "卫计局", "财政局"],
            Some(ymd(2020, 12, 31))
        )
    );
    assert_eq!(row("四(二)"), ("四(二)", Some("财政局"), vec![], None));
    assert_eq!(
        row("四(三)"),
        ("四(三)", Some("教育督导室"), vec!["教育局"], None)
    );
    // 5. starts at the end of a line, after the clause of 4., and wraps onto the next.
    assert_eq!(plan.measures[4].title, "切实减轻学生过重课外负担。");
    assert_eq!(plan.measures[19].title, "加强组织领导");
}

#[test]
fn seed_004_every_measure_with_its_departments() {
    let plan = parse(SEED_004);
    assert_eq!(
        plan.title.as_deref(),
        Some("第一师阿拉尔市深化改革推动基础教育高质量发展实施方案")
    );
    assert_eq!(plan.region.as_deref(), Some("第一师阿拉尔市"));
    assert_eq!(plan.issuer.as_deref(), Some("教育局"));
    let all = ["各团镇", "各乡", "各街道办"];
    let towns = ["各团镇", "各乡"];
    let with = |a: &[&'static str], b: &[&'static str]| [a, b].concat();
    let expected: Vec<Row<'_>> = vec![
        (
            "三(一)1",
            Some("党委组织部"),
            vec!["纪委监委", "教育局", "各团镇"],
            None,
        ),
        (
            "三(一)2",
            Some("党委编办"),
            with(
                &["人社局", "教育局", "财政局", "自然资源和规划局", "发改委"],
                &all,
            ),
            None,
        ),
        (
            "三(一)3",
            Some("教育局"),
            vec!["人社局", "发改委", "各团镇"],
            None,
        ),
        (
            "三(一)4",
            Some("教育局"),
            with(
                &[
                    "发改委",
                    "财政局",
                    "人社局",
                    "自然资源和规划局",
                    "住建局",
                    "市场监督管理局",
                ],
                &towns,
            ),
            None,
        ),
        (
            "三(二)5",
            Some("教育局"),
            vec!["党委编办", "人社局", "财政局"],
            None,
        ),
        ("三(二)6", Some("教育局"), vec!["人社局"], None),
        ("三(二)7", Some("教育局"), vec!["人社局", "财政局"], None),
        (
            "三(二)8",
            Some("教育局"),
            with(&["党委组织部", "统战部", "发改委", "人社局"], &towns),
            None,
        ),
        ("三(二)9", Some("教育局"), vec![], None),
        ("三(二)10", Some("教育局"), vec!["财政局", "人社局"], None),
        (
            "三(二)11",
            Some("教育局"),
            vec!["党委组织部", "人社局", "团委"],
            None,
        ),
        (
            "三(三)12",
            Some("教育局"),
            vec!["文体广电和旅游局", "团委"],
            None,
        ),
        (
            "三(三)13",
            Some("教育局"),
            with(&["司法局", "团委"], &all),
            None,
        ),
        (
            "三(三)14",
            Some("教育局"),
            with(&["财政局", "发改委"], &towns),
            None,
        ),
        ("三(三)15", Some("教育局"), vec![], None),
        ("三(三)16", Some("教育局"), vec![], None),
        ("三(三)17", Some("教育局"), vec!["党委宣传部"], None),
        (
            "三(三)18",
            Some("教育局"),
            vec!["工信局", "党委网信办"],
            None,
        ),
        ("三(三)19", Some("教育局"), vec![], None),
        ("三(四)20", Some("教育局"), vec![], None),
        ("三(四)21", Some("教育局"), all.to_vec(), None),
        (
            "三(四)22",
            Some("教育局"),
            with(&["市场监督管理局"], &all),
            None,
        ),
        (
            "三(四)23",
            Some("教育局"),
            with(&["市场监督管理局", "党委网信办", "公安局", "卫健委"], &all),
            None,
        ),
        ("四24", Some("党委组织部"), vec!["教育局", "团委"], None),
        (
            "四25",
            Some("发改委"),
            vec!["财政局", "教育局", "住建局"],
            None,
        ),
        ("四26", Some("教育局"), with(&["人社局"], &all), None),
        ("四27", Some("教育局"), vec!["人社局", "财政局"], None),
        (
            "四28",
            Some("教育局"),
            with(
                &[
                    "党委政法委",
                    "公安局",
                    "市场监督管理局",
                    "自然资源和规划局",
                    "住建局",
                    "司法局",
                ],
                &all,
            ),
            None,
        ),
        ("四29", Some("党委宣传部"), with(&["教育局"], &all), None),
    ];
    assert_eq!(rows(&plan), expected);
    assert!(plan.unrecognised.is_empty(), "{:?}", plan.unrecognised);
    assert_eq!(plan.measures[0].title, "完善中小学党的领导体制。");
    assert!(
        plan.measures[1]
            .description
            .contains("各团镇、乡、街道办切实履行"),
        "2. runs over two paragraphs"
    );
}

#[test]
fn seed_004_departments_once_each_in_first_seen_order() {
    let plan = parse(SEED_004);
    let departments: Vec<_> = plan
        .departments
        .iter()
        .map(|d| (d.name.as_str(), d.kind))
        .collect();
    let (b, t) = (DepartmentKind::Bureau, DepartmentKind::Township);
    assert_eq!(
        departments,
        [
            ("党委组织部", b),
            ("纪委监委", b),
            ("教育局", b),
            ("各团镇", t),
            ("党委编办", b),
            ("人社局", b),
            ("财政局", b),
            ("自然资源和规划局", b),
            ("发改委", b),
            ("各乡", t),
            ("各街道办", t),
            ("住建局", b),
            ("市场监督管理局", b),
            ("统战部", b),
            ("团委", b),
            ("文体广电和旅游局", b),
            ("司法局", b),
            ("党委宣传部", b),
            ("工信局", b),
            ("党委网信办", b),
            ("公安局", b),
            ("卫健委", b),
            ("党委政法委", b),
        ]
    );
}
