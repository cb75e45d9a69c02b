//! Department names: one office is one record, and each has a kind.

use duban_import::{DepartmentKind, normalise_department, parse_plan};

fn name(raw: &str, region: Option<&str>) -> Option<String> {
    normalise_department(raw, region).map(|(name, _)| name)
}

fn kind(raw: &str) -> Option<DepartmentKind> {
    normalise_department(raw, None).map(|(_, kind)| kind)
}

#[test]
fn county_district_and_city_prefixes_are_the_same_office() {
    assert_eq!(name("县教育局", None).as_deref(), Some("教育局"));
    assert_eq!(name("区教育局", None).as_deref(), Some("教育局"));
    assert_eq!(name("市教育局", None).as_deref(), Some("教育局"));
    assert_eq!(name("教育局", None).as_deref(), Some("教育局"));
}

#[test]
fn the_plan_region_is_dropped_from_a_bureau() {
    assert_eq!(
        name("鲤城区教育局", Some("鲤城区")).as_deref(),
        Some("教育局")
    );
    assert_eq!(
        name("鲤城教育局", Some("鲤城区")).as_deref(),
        Some("教育局")
    );
    assert_eq!(
        name("民乐县财政局", Some("民乐县")).as_deref(),
        Some("财政局")
    );
}

#[test]
fn a_prefix_that_is_part_of_a_word_stays() {
    assert_eq!(
        name("市场监督管理局", None).as_deref(),
        Some("市场监督管理局")
    );
    assert_eq!(name("县委组织部", None).as_deref(), Some("县委组织部"));
    assert_eq!(name("县政府", None).as_deref(), Some("县政府"));
    assert_eq!(name("市政局", None).as_deref(), Some("市政局"));
}

#[test]
fn a_school_keeps_its_region() {
    assert_eq!(
        normalise_department("民乐一中", Some("民乐县")),
        Some(("民乐一中".into(), DepartmentKind::School))
    );
}

#[test]
fn punctuation_spaces_and_traditional_characters_are_dropped_or_folded() {
    assert_eq!(name(" 县 财政局。", None).as_deref(), Some("财政局"));
    assert_eq!(name("縣財政局", None).as_deref(), Some("财政局"));
    assert_eq!(name("（教育局）", None).as_deref(), Some("教育局"));
    assert_eq!(name("、；", None), None);
    assert_eq!(name("", None), None);
}

#[test]
fn collectives_are_townships() {
    assert_eq!(kind("各团镇"), Some(DepartmentKind::Township));
    assert_eq!(kind("各街道办"), Some(DepartmentKind::Township));
    assert_eq!(kind("各乡镇"), Some(DepartmentKind::Township));
    assert_eq!(kind("城关镇"), Some(DepartmentKind::Township));
}

#[test]
fn schools_bureaus_and_others() {
    assert_eq!(kind("石桥小学"), Some(DepartmentKind::School));
    assert_eq!(kind("县职教中心"), Some(DepartmentKind::School));
    assert_eq!(kind("第二幼儿园"), Some(DepartmentKind::School));
    for bureau in [
        "教育局",
        "发改委",
        "党委编办",
        "党委组织部",
        "教育科学研究院",
        "教师发展中心",
        "教育督导室",
    ] {
        assert_eq!(kind(bureau), Some(DepartmentKind::Bureau), "{bureau}");
    }
    assert_eq!(kind("妇联"), Some(DepartmentKind::Other));
}

#[test]
fn one_office_named_three_ways_is_one_department() {
    let text = "鲤城区教育规划\n三、重点任务\n1.甲。(责任单位:县教育局)\n2.乙。(责任单位:区教育局、鲤城区财政局)\n3.丙。(责任单位:教育局,财政局)";
    let plan = parse_plan(text).expect("the plan parses");
    let departments: Vec<_> = plan.departments.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(departments, ["教育局", "财政局"]);
    assert!(
        plan.measures
            .iter()
            .all(|m| m.lead.as_deref() == Some("教育局"))
    );
}

#[test]
fn kinds_serialise_as_the_api_spells_them() {
    let plan =
        parse_plan("某县规划\n三、重点任务\n1.甲。(责任单位:县教育局,各街道办)").expect("parses");
    let json = serde_json::to_value(&plan.departments).expect("serialises");
    assert_eq!(json[0]["kind"], "BUREAU");
    assert_eq!(json[1]["kind"], "TOWNSHIP");
}
