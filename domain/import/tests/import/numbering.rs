//! Numbering at every level and in every punctuation; what counts as a measure; what
//! goes to `unrecognised`.

use duban_import::parse_plan;

fn codes(text: &str) -> Vec<String> {
    parse_plan(text)
        .expect("the plan parses")
        .measures
        .into_iter()
        .map(|m| m.code)
        .collect()
}

#[test]
fn chapter_numbers_with_every_punctuation() {
    assert_eq!(codes("三、重点任务\n(一)甲。"), ["三(一)"]);
    assert_eq!(codes("三.重点任务\n(一)甲。"), ["三(一)"]);
    assert_eq!(codes("三．重点任务\n(一)甲。"), ["三(一)"]);
}

#[test]
fn section_numbers_in_ascii_and_full_width_brackets_become_ascii() {
    assert_eq!(
        codes("三、重点任务\n(一)甲。\n（二）乙。\n（ 十一 ） 丙。"),
        ["三(一)", "三(二)", "三(十一)"]
    );
}

#[test]
fn item_numbers_with_every_punctuation() {
    let text = "三、重点任务\n(二)改革\n1.甲。\n2、乙。\n3．丙。\n４．丁。\n5. 戊。";
    assert_eq!(
        codes(text),
        ["三(二)1", "三(二)2", "三(二)3", "三(二)4", "三(二)5"]
    );
}

#[test]
fn sub_items_are_the_leaves_under_an_item() {
    let text = "三、重点任务\n(二)改革\n4.推进改革\n(1)甲。\n（2）乙。\n5.丙。";
    assert_eq!(codes(text), ["三(二)4(1)", "三(二)4(2)", "三(二)5"]);
}

#[test]
fn items_directly_under_a_chapter_and_numbering_that_runs_on() {
    let text = "三、工作任务\n(一)甲组\n1.甲。\n(二)乙组\n2.乙。\n四、加强组织保障\n3.丙。";
    assert_eq!(codes(text), ["三(一)1", "三(二)2", "四3"]);
}

#[test]
fn a_bare_item_number_is_read_when_it_is_the_one_expected() {
    let text = "三、重点任务\n(一)资源\n1加快学校建设进度:确保投入使用\n2.规范办学规模:严格落实";
    let plan = parse_plan(text).expect("the plan parses");
    let rows: Vec<_> = plan
        .measures
        .iter()
        .map(|m| (m.code.as_str(), m.title.as_str()))
        .collect();
    assert_eq!(
        rows,
        [("三(一)1", "加快学校建设进度"), ("三(一)2", "规范办学规模")]
    );
}

#[test]
fn goals_principles_and_guiding_ideas_hold_no_measures() {
    let text = "一、指导思想\n(一)坚持党的领导。\n二、总体目标\n1.资源供给持续扩容。\n三、基本原则\n(一)公平。\n四、重点任务\n(一)甲。";
    assert_eq!(codes(text), ["四(一)"]);
}

#[test]
fn safeguard_chapters_hold_measures() {
    let text = "三、重点任务\n(一)甲。\n四、保障措施\n(一)加强组织领导。\n五、组织保障\n1.经费保障:足额拨付。";
    assert_eq!(codes(text), ["三(一)", "四(一)", "五1"]);
}

#[test]
fn group_headings_are_not_measures_their_leaves_are() {
    let text = "三、重点任务\n(一)推进学前教育\n1.强化经费保障。\n2.增加普惠性学位。";
    assert_eq!(codes(text), ["三(一)1", "三(一)2"]);
}

#[test]
fn items_under_a_phase_are_measures_of_that_phase() {
    let text = "四、重点任务\n(一)甲。\n五、实施步骤\n(一)启动阶段(2021年11月-2022年12月):制定方案。\n(二)实施阶段(2023年1月-2025年12月):\n1.完成资源配置指标。\n2.社会认可度达到85%以上。";
    let plan = parse_plan(text).expect("the plan parses");
    let rows: Vec<_> = plan
        .measures
        .iter()
        .map(|m| (m.code.as_str(), m.phase.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            ("四(一)", None),
            ("五(二)1", Some("实施阶段")),
            ("五(二)2", Some("实施阶段"))
        ]
    );
}

#[test]
fn a_number_with_no_text_is_unrecognised() {
    let plan =
        parse_plan("三、重点任务\n(一)甲。\n(二)\n四、保障措施\n1.\n").expect("the plan parses");
    assert_eq!(plan.measures.len(), 1);
    assert_eq!(plan.unrecognised, ["(二)", "1."]);
}

#[test]
fn a_number_with_only_a_clause_is_unrecognised() {
    let plan =
        parse_plan("三、重点任务\n(一)甲。\n(二)(责任单位:教育局)").expect("the plan parses");
    assert_eq!(plan.unrecognised, ["(二)(责任单位:教育局)"]);
}

#[test]
fn a_heading_line_is_the_title_and_the_lines_after_it_the_text() {
    let plan =
        parse_plan("四、保障措施\n(一)加强组织领导\n要把推进义务教育作为重要任务。\n要落实责任。")
            .expect("parses");
    let m = &plan.measures[0];
    assert_eq!(m.title, "加强组织领导");
    assert_eq!(
        m.description,
        "加强组织领导\n要把推进义务教育作为重要任务。\n要落实责任。"
    );
}

#[test]
fn a_hard_wrapped_line_runs_on_in_the_description() {
    let plan =
        parse_plan("三、主要任务\n1.优化学校布局。新建石桥小学,依新址调整XX\n镇内小学学区。")
            .expect("parses");
    assert_eq!(
        plan.measures[0].description,
        "优化学校布局。新建石桥小学,依新址调整XX镇内小学学区。"
    );
}

#[test]
fn repeated_codes_are_told_apart() {
    let text =
        "第一篇:甲县实施方案\n一、重点任务\n1.甲。\n第二篇:乙县实施方案\n一、重点任务\n1.乙。";
    assert_eq!(codes(text), ["一1", "一1#2"]);
}

#[test]
fn articles_are_items() {
    let plan = duban_import::parse_plan(
        "某县办法\n一、工作任务\n第一条 新建学校。（牵头单位：县教育局）\n第二条 改扩建。（责任单位：县住建局）",
    )
    .expect("parses");
    let codes: Vec<&str> = plan.measures.iter().map(|m| m.code.as_str()).collect();
    assert_eq!(codes, ["一第一条", "一第二条"]);
    assert_eq!(plan.measures[1].lead.as_deref(), Some("住建局"));
}
