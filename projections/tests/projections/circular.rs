//! The circular (调度通报): heading, totals, one ranked row per department, and the
//! lists of overdue and late tasks.

use duban_domain::time::Quarter;
use duban_projections::dispatch::circular::quarter_name;
use duban_projections::{circular, dispatch};

use crate::world::{World, day};

fn q2() -> Quarter {
    Quarter::new(2024, 2).unwrap()
}

#[test]
fn the_circular_names_the_plan_quarter_rows_and_lists() {
    let mut w = World::at("2024-04-01T09:00:00");
    let edu = w.department("教育局");
    let fin = w.department("财政局");
    let plan = w.plan("鲤城区义务教育优质均衡发展实施方案");
    let stuck = w.measure(plan, Some("三(二)5"), "新建第二实验小学");
    w.assign(stuck, edu, "2024-06-20");
    let late = w.measure(plan, Some("四(一)2"), "音乐教室改造");
    w.try_assign(late, fin, &[edu], day("2024-05-10")).unwrap();
    w.set("2024-05-20T09:00:00").close(late);
    let d = dispatch(&w.envelopes, Some(plan), q2());
    let md = circular(&d);

    assert!(
        md.starts_with("# 鲤城区义务教育优质均衡发展实施方案2024年第二季度工作调度通报\n"),
        "{md}"
    );
    assert!(md.contains("统计期间：2024年4月1日至2024年6月30日"));
    assert!(md.contains("本季交办2项"), "{md}");
    assert!(md.contains("| 排名 | 单位 | 期初未完成 | 本季交办 | 进展报告 | 提交验收 | 办结 | 逾期办结 | 新增逾期 | 期末逾期 | 按期完成率 |"));
    // Both have a rate of 0 %; 教育局 has one task overdue at the end, so 财政局 leads.
    assert!(
        md.contains("| 1 | 财政局 | 0 | 1 | 0 | 1 | 1 | 1 | 0 | 0 | 0.0% |"),
        "{md}"
    );
    assert!(
        md.contains("| 2 | 教育局 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | 0.0% |"),
        "{md}"
    );
    assert!(
        md.contains("| 合计 |  | 0 | 2 | 0 | 1 | 1 | 1 | 0 | 1 | 0.0% |"),
        "{md}"
    );

    let overdue = md
        .split("## 三、逾期未完成事项")
        .nth(1)
        .expect("the overdue section");
    let overdue = overdue.split("## 四、").next().unwrap();
    assert!(
        overdue.contains("| 1 | 三(二)5 新建第二实验小学 | 教育局 | 2024年6月20日 | 11天 |"),
        "{overdue}"
    );
    let late_section = md
        .split("## 四、逾期办结事项")
        .nth(1)
        .expect("the late section");
    assert!(
        late_section
            .contains("| 1 | 四(一)2 音乐教室改造 | 财政局 | 2024年5月10日 | 2024年5月20日 |"),
        "{late_section}"
    );
}

#[test]
fn an_empty_quarter_says_so() {
    let mut w = World::at("2024-04-01T09:00:00");
    let edu = w.department("教育局");
    let plan = w.plan("规划");
    let t = w.measure(plan, None, "任务");
    w.assign(t, edu, "2024-12-31");
    let d = dispatch(&w.envelopes, None, Quarter::new(2024, 3).unwrap());
    let md = circular(&d);
    assert!(
        md.starts_with("# 2024年第三季度工作调度通报\n"),
        "without a plan, no title: {md}"
    );
    assert!(
        md.contains("| 1 | 教育局 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | — |"),
        "{md}"
    );
    assert!(md.contains("按期完成率—"));
    assert!(md.contains("截至本季度末，无逾期未完成事项。"));
    assert!(md.contains("本季度无逾期办结事项。"));
}

#[test]
fn quarters_have_chinese_names() {
    let names: Vec<_> = (1..=4).map(quarter_name).collect();
    assert_eq!(names, ["第一季度", "第二季度", "第三季度", "第四季度"]);
}

#[test]
fn a_department_reads_the_ranking_and_only_its_own_task_texts() {
    let mut w = World::at("2024-04-01T09:00:00");
    let edu = w.department("教育局");
    let fin = w.department("财政局");
    let plan = w.plan("实施方案");
    let edu_task = w.measure(plan, Some("一"), "新建第二实验小学");
    w.assign(edu_task, edu, "2024-06-20");
    let fin_task = w.measure(plan, Some("二"), "保障教育经费");
    w.assign(fin_task, fin, "2024-06-10");
    let d = dispatch(&w.envelopes, Some(plan), q2());

    let whole = circular(&d);
    assert!(whole.contains("新建第二实验小学") && whole.contains("保障教育经费"));

    let for_edu = duban_projections::dispatch::circular_for_department(&d, edu);
    assert!(
        for_edu.contains("| 一 新建第二实验小学 | 教育局 |"),
        "{for_edu}"
    );
    assert!(!for_edu.contains("保障教育经费"), "{for_edu}");
    assert!(for_edu.contains("另有其他单位事项1项"), "{for_edu}");
    // The ranking names both units: it is what the circular is for.
    assert!(for_edu.contains("| 财政局 |") && for_edu.contains("| 教育局 |"));

    let other = w.department("人社局");
    let for_other = duban_projections::dispatch::circular_for_department(&d, other);
    assert!(for_other.contains("本单位无逾期未完成事项"), "{for_other}");
    assert!(!for_other.contains("新建第二实验小学") && !for_other.contains("保障教育经费"));
    assert!(for_other.contains("另有其他单位事项2项"), "{for_other}");
}
