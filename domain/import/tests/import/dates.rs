//! Due dates and phases from every date pattern the plans print.

use chrono::NaiveDate;
use duban_import::parse_plan;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn due(measure_text: &str) -> Option<NaiveDate> {
    let plan = parse_plan(&format!("三、重点任务\n1.{measure_text}")).expect("the plan parses");
    plan.measures[0].due
}

#[test]
fn a_year_and_month_is_the_end_of_that_month() {
    assert_eq!(
        due("推进建设,确保2025年8月投入使用。"),
        Some(ymd(2025, 8, 31))
    );
    assert_eq!(due("加快建设,2024年2月前完成。"), Some(ymd(2024, 2, 29)));
}

#[test]
fn a_year_is_the_end_of_that_year() {
    assert_eq!(
        due("到2027年,公办园占比达到90%以上。"),
        Some(ymd(2027, 12, 31))
    );
    assert_eq!(due("力争到 2022 年底建成平台。"), Some(ymd(2022, 12, 31)));
}

#[test]
fn end_of_month_deadlines() {
    assert_eq!(due("2022年10月底前完成改造。"), Some(ymd(2022, 10, 31)));
}

#[test]
fn full_width_digits() {
    assert_eq!(due("２０２６年３月底前完成。"), Some(ymd(2026, 3, 31)));
}

#[test]
fn the_latest_of_several_deadlines() {
    assert_eq!(
        due("到2020年基本消除大班额;到2025年,初中规模不超过2500人。"),
        Some(ymd(2025, 12, 31))
    );
}

#[test]
fn years_that_are_no_deadlines() {
    assert_eq!(due("落实《行动计划(2021-2023年)》。"), None);
    assert_eq!(due("执行2013-2020年布局规划。"), None);
    assert_eq!(due("从2014年起实行。"), None);
    assert_eq!(due("教育部门每年11月底前报送。"), None);
    assert_eq!(due("5年360学时培训完成率达100%。"), None);
}

#[test]
fn phases_and_the_period_from_the_implementation_steps() {
    let text = "四、工作措施\n(一)甲。\n五、实施步骤\n(一)启动准备阶段(2021年11月-2022年12月):制定规划。\n（二）实施创建阶段（2023年1月—2025年12月）。\n(三) 达标验收阶段(2028年1月—2028年12月)。";
    let plan = parse_plan(text).expect("the plan parses");
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
            ("达标验收阶段", ymd(2028, 1, 1), ymd(2028, 12, 31)),
        ]
    );
    assert_eq!(plan.period, Some((ymd(2021, 11, 1), ymd(2028, 12, 31))));
}

#[test]
fn without_phases_the_period_is_the_range_in_the_title() {
    let plan = parse_plan("某县教育发展规划(2021-2025年)\n三、重点任务\n1.甲。").expect("parses");
    assert_eq!(plan.period, Some((ymd(2021, 1, 1), ymd(2025, 12, 31))));
    let plan = parse_plan("某县教育发展规划\n三、重点任务\n1.甲。").expect("parses");
    assert_eq!(plan.period, None);
}
