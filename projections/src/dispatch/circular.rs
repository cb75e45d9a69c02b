//! The circular (调度通报): the dispatch as a Markdown document in Chinese, ready to be
//! issued after the dispatch meeting.
//!
//! A department reads its own version ([`circular_for_department`]): the county's counts
//! and the whole ranking (the circular is issued to every unit, and the ranking is its
//! point), but in the lists of overdue and late-closed tasks only its own tasks by name;
//! the others' are a count. Task texts belong to the units on them.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use duban_domain::time::local_date;

use duban_domain::ids::DepartmentId;

use crate::dispatch::{Dispatch, DispatchCounts};

/// 第一季度 … 第四季度.
pub fn quarter_name(quarter: u32) -> &'static str {
    match quarter {
        1 => "第一季度",
        2 => "第二季度",
        3 => "第三季度",
        _ => "第四季度",
    }
}

fn date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// A table cell: no line breaks, no column separators.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

fn label(code: Option<&str>, title: &str) -> String {
    match code {
        Some(code) => cell(&format!("{code} {title}")),
        None => cell(title),
    }
}

fn counts_cells(c: &DispatchCounts) -> String {
    [
        c.open_at_start,
        c.assigned,
        c.progress_reports,
        c.submitted,
        c.closed,
        c.closed_late,
        c.went_overdue,
        c.overdue_at_end,
    ]
    .map(|n| n.to_string())
    .join(" | ")
}

/// The circular for a dispatch, as Markdown: the office's and auditors' version.
pub fn circular(d: &Dispatch) -> String {
    render(d, None)
}

/// The circular as `department` may read it: other units' overdue and late-closed tasks
/// are counted, not named.
pub fn circular_for_department(d: &Dispatch, department: DepartmentId) -> String {
    render(d, Some(department))
}

/// The note under a list when other units' items were left out.
fn withheld_note(out: &mut String, withheld: usize) {
    if withheld > 0 {
        let _ = writeln!(
            out,
            "另有其他单位事项{withheld}项，按职责由各牵头单位掌握，不在本单位版本中列出。\n"
        );
    }
}

fn render(d: &Dispatch, viewer: Option<DepartmentId>) -> String {
    let shown = |department: DepartmentId| viewer.is_none_or(|v| v == department);
    let overdue: Vec<_> = d
        .overdue_at_end
        .iter()
        .filter(|item| shown(item.department_id))
        .collect();
    let closed_late: Vec<_> = d
        .closed_late
        .iter()
        .filter(|item| shown(item.department_id))
        .collect();
    let q = d.quarter();
    let (first, last) = (q.first_day(), q.last_day());
    let t = &d.totals;
    let mut out = String::new();
    let title = d.plan_title.as_deref().unwrap_or_default();
    let _ = writeln!(
        out,
        "# {title}{}年{}工作调度通报\n",
        d.year,
        quarter_name(d.quarter)
    );
    let _ = writeln!(
        out,
        "统计期间：{}至{}。本通报依据截至{}24时记录在案的数据生成。\n",
        date(first),
        date(last),
        date(last)
    );
    let _ = writeln!(out, "## 一、总体情况\n");
    let _ = writeln!(
        out,
        "本季度共有{}个牵头单位纳入调度。期初未完成事项{}项，本季交办{}项，报送进展{}次，\
         提交验收{}项，办结{}项（其中逾期办结{}项），新增逾期{}项，期末逾期未完成{}项。\
         本季度到期事项{}项，按期完成{}项，按期完成率{}。\n",
        d.rows.len(),
        t.open_at_start,
        t.assigned,
        t.progress_reports,
        t.submitted,
        t.closed,
        t.closed_late,
        t.went_overdue,
        t.overdue_at_end,
        d.punctuality.due,
        d.punctuality.on_time,
        rate(d.on_time_rate),
    );
    let _ = writeln!(out, "## 二、各单位完成情况排名\n");
    let _ = writeln!(
        out,
        "| 排名 | 单位 | 期初未完成 | 本季交办 | 进展报告 | 提交验收 | 办结 | 逾期办结 | 新增逾期 | 期末逾期 | 按期完成率 |"
    );
    let _ = writeln!(
        out,
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for row in &d.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            row.rank,
            cell(&row.department),
            counts_cells(&row.counts),
            rate(row.on_time_rate)
        );
    }
    let _ = writeln!(
        out,
        "| 合计 |  | {} | {} |\n",
        counts_cells(t),
        rate(d.on_time_rate)
    );
    let _ = writeln!(
        out,
        "注：按期完成率为本季度到期事项中在截止日期前验收办结的比例；本季度无到期事项的单位记为“—”。\
         排名依次按按期完成率、期末逾期事项数、单位名称排列。\n"
    );
    let _ = writeln!(out, "## 三、逾期未完成事项\n");
    if d.overdue_at_end.is_empty() {
        let _ = writeln!(out, "截至本季度末，无逾期未完成事项。\n");
    } else if overdue.is_empty() {
        let _ = writeln!(out, "截至本季度末，本单位无逾期未完成事项。\n");
    } else {
        let _ = writeln!(out, "| 序号 | 事项 | 牵头单位 | 截止日期 | 逾期天数 |");
        let _ = writeln!(out, "|---:|---|---|---|---:|");
        for (i, item) in overdue.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {}天 |",
                i + 1,
                label(item.code.as_deref(), &item.title),
                cell(&item.department),
                date(item.due),
                item.days_overdue
            );
        }
        let _ = writeln!(out);
    }
    withheld_note(&mut out, d.overdue_at_end.len() - overdue.len());
    let _ = writeln!(out, "## 四、逾期办结事项\n");
    if d.closed_late.is_empty() {
        let _ = writeln!(out, "本季度无逾期办结事项。");
    } else if closed_late.is_empty() {
        let _ = writeln!(out, "本季度本单位无逾期办结事项。\n");
    } else {
        let _ = writeln!(out, "| 序号 | 事项 | 牵头单位 | 截止日期 | 办结日期 |");
        let _ = writeln!(out, "|---:|---|---|---|---|");
        for (i, item) in closed_late.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                i + 1,
                label(item.code.as_deref(), &item.title),
                cell(&item.department),
                item.due.map_or_else(|| "—".to_string(), date),
                date(local_date(item.closed_at))
            );
        }
    }
    withheld_note(&mut out, d.closed_late.len() - closed_late.len());
    out
}
