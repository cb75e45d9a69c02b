//! Every form of responsibility clause the plans print, through `parse_plan`.

use duban_import::{ParsedMeasure, parse_plan};

/// The one measure of a small plan whose measure text is `measure`.
fn measure(measure: &str) -> ParsedMeasure {
    let text = format!("某县教育规划\n三、重点任务\n{measure}");
    let plan = parse_plan(&text).expect("the plan parses");
    assert_eq!(plan.measures.len(), 1, "{:?}", plan.measures);
    plan.measures.into_iter().next().expect("one measure")
}

fn parties(m: &ParsedMeasure) -> (Option<&str>, Vec<&str>) {
    (
        m.lead.as_deref(),
        m.cooperating.iter().map(String::as_str).collect(),
    )
}

#[test]
fn one_responsible_list_after_the_measure_leads_with_its_first_name() {
    let m = measure("1.完善体制。选优配强班子。(责任部门:党委组织部,纪委监委,教育局,各团镇)");
    assert_eq!(
        parties(&m),
        (Some("党委组织部"), vec!["纪委监委", "教育局", "各团镇"])
    );
}

#[test]
fn lead_and_cooperating_lists_in_one_bracket() {
    let m =
        measure("1.优化学校布局。先建后撤。(牵头单位:县教育局;配合单位:县住建局、发改局、国土局)");
    assert_eq!(
        parties(&m),
        (Some("教育局"), vec!["住建局", "发改局", "国土局"])
    );
}

#[test]
fn lead_and_responsible_lists_on_lines_of_their_own() {
    let m =
        measure("1.推进学校建设。加快项目进度。\n牵头单位:区发改局\n责任单位:区财政局、区住建局");
    assert_eq!(parties(&m), (Some("发改局"), vec!["财政局", "住建局"]));
    assert_eq!(m.title, "推进学校建设。");
}

#[test]
fn a_responsible_list_on_a_line_of_its_own() {
    let m = measure("1.推进学校建设。\n责任单位：县教育局、县财政局");
    assert_eq!(parties(&m), (Some("教育局"), vec!["财政局"]));
}

#[test]
fn tortoise_shell_brackets() {
    let m = measure("1.推进学校建设。〔责任单位:县教育局、县财政局〕");
    assert_eq!(parties(&m), (Some("教育局"), vec!["财政局"]));
}

#[test]
fn full_width_brackets_and_colons() {
    let m = measure("1.推进学校建设。（牵头单位：县教育局；配合单位：县财政局，县人社局）");
    assert_eq!(parties(&m), (Some("教育局"), vec!["财政局", "人社局"]));
}

#[test]
fn ascii_brackets_and_colons() {
    let m = measure("1.推进学校建设。(牵头单位:县教育局;配合单位:县财政局,县人社局)");
    assert_eq!(parties(&m), (Some("教育局"), vec!["财政局", "人社局"]));
}

#[test]
fn lists_split_on_every_separator() {
    let m = measure("1.推进。(责任单位:教育局、财政局,人社局，住建局;发改委；卫健委)");
    assert_eq!(
        parties(&m),
        (
            Some("教育局"),
            vec!["财政局", "人社局", "住建局", "发改委", "卫健委"]
        )
    );
}

#[test]
fn two_leads_the_first_leads_the_second_cooperates() {
    let m = measure("7.推进体育及艺术教育。(牵头单位:县教育局、文体局)");
    assert_eq!(parties(&m), (Some("教育局"), vec!["文体局"]));
}

#[test]
fn a_collective_after_a_ge_name_is_its_own_township() {
    let m = measure("1.落实属地责任。(责任部门:教育局,各团镇、乡,各街道办)");
    assert_eq!(
        parties(&m),
        (Some("教育局"), vec!["各团镇", "各乡", "各街道办"])
    );
}

#[test]
fn a_clause_is_not_part_of_the_title_but_is_part_of_the_description() {
    let m = measure("9.加强师德师风建设(责任部门:教育局)");
    assert_eq!(m.title, "加强师德师风建设");
    assert_eq!(m.description, "加强师德师风建设(责任部门:教育局)");
}

#[test]
fn measures_run_together_on_one_line_are_each_read() {
    let text = "某县方案\n三、主要任务\n(一)布局\n1.优化布局。(牵头单位:县教育局)2.消除大班额。到2025年完成。(牵头单位:县教育局;配合单位:县财政局)";
    let plan = parse_plan(text).expect("the plan parses");
    let rows: Vec<_> = plan
        .measures
        .iter()
        .map(|m| (m.code.as_str(), parties(m)))
        .collect();
    assert_eq!(
        rows,
        [
            ("三(一)1", (Some("教育局"), vec![])),
            ("三(一)2", (Some("教育局"), vec!["财政局"])),
        ]
    );
}

#[test]
fn prose_that_does_work_names_no_department() {
    let m = measure("1.推进学校建设。中小教科牵头负责完善教育管理机制建设工程。");
    assert_eq!(parties(&m), (None, vec![]));
}

#[test]
fn a_sentence_that_only_assigns_names_the_lead() {
    let m = measure("1.推进学校建设。中小教科牵头负责。");
    assert_eq!(parties(&m), (Some("中小教科"), vec![]));
}
