//! A task table (序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限) → measures.
//!
//! * **Header**: the first row (of the first twelve) with a task column and a
//!   responsibility or deadline column, each found by words in its header — task:
//!   任务, 措施, 工作内容, 事项, 重点工作, 目标; lead: 牵头 / 主责 / 主要责任; responsible:
//!   责任单位 / 责任部门 / 责任科室; cooperating: 配合 / 协办 / 协同 / 参与; due: 时限 /
//!   时间 / 节点 / 进度; number: 序号 / 编号. Persons (分管领导, 责任人) are ignored.
//!   Of several task columns, the rightmost is the measure (具体措施 beside a
//!   重点任务 category).
//! * **Rows**: each row with task text is a measure; rows without (a category spanning
//!   the table) are skipped; a later row that is itself a header row starts anew.
//!   Merged cells arrive already carried into every row they cover.
//! * **Departments**: the lead column's first name leads (the others cooperate, with a
//!   warning); with both 牵头 and 责任 columns, 责任 names cooperate; with only 责任,
//!   its first name leads. Without any department column, a note in the task text is
//!   read as in a text plan.
//! * **Due**: the deadline column's value (see [`crate::dates`]), else a date in the
//!   task text.

use crate::dates::{Deadline, deadline_value, latest_deadline, says_ongoing};
use crate::department::split_list;
use crate::error::ImportError;
use crate::model::{ParsedMeasure, ParsedPlan};
use crate::responsibility;
use crate::script::fold;

/// What each column of a task table holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Columns {
    number: Option<usize>,
    task: usize,
    /// Every task column (the measure is the rightmost, `task`).
    tasks: Vec<usize>,
    lead: Option<usize>,
    responsible: Option<usize>,
    cooperating: Vec<usize>,
    due: Option<usize>,
}

fn header(row: &[String]) -> Option<Columns> {
    let mut columns = Columns::default();
    let mut task = None;
    for (i, cell) in row.iter().enumerate() {
        let h: String = fold(cell).chars().filter(|c| !c.is_whitespace()).collect();
        if h.is_empty() || h.chars().count() > 12 {
            continue;
        }
        if h.contains("领导") || h.contains("责任人") || h.contains("联系人") {
            continue;
        } else if h.contains("序号") || h == "编号" {
            columns.number = Some(i);
        } else if h.contains("牵头") || h.contains("主责") || h.contains("主要责任") {
            columns.lead.get_or_insert(i);
        } else if h.contains("配合")
            || h.contains("协办")
            || h.contains("协同")
            || h.contains("参与")
        {
            columns.cooperating.push(i);
        } else if h.contains("责任")
            && (h.contains("单位") || h.contains("部门") || h.contains("科室"))
        {
            columns.responsible.get_or_insert(i);
        } else if ["时限", "时间", "节点", "进度", "期限"]
            .iter()
            .any(|w| h.contains(w))
        {
            columns.due.get_or_insert(i);
        } else if [
            "任务",
            "措施",
            "工作内容",
            "事项",
            "重点工作",
            "目标",
            "内容",
            "举措",
        ]
        .iter()
        .any(|w| h.contains(w))
        {
            task = Some(i);
            columns.tasks.push(i);
        }
    }
    columns.task = task?;
    let has_more = columns.lead.is_some() || columns.responsible.is_some() || columns.due.is_some();
    has_more.then_some(columns)
}

/// Reads the measures of a task table.
///
/// # Errors
///
/// [`ImportError::NoTaskColumn`] when no header row names a task column beside a
/// department or deadline column, [`ImportError::NoMeasures`] when no row has a task.
pub fn parse_table(rows: &[Vec<String>]) -> Result<ParsedPlan, ImportError> {
    parse_table_in(rows, None)
}

/// [`parse_table`] with the plan's year, for deadlines printed without one.
pub(crate) fn parse_table_in(
    rows: &[Vec<String>],
    year: Option<i32>,
) -> Result<ParsedPlan, ImportError> {
    let start = rows
        .iter()
        .take(12)
        .position(|r| header(r).is_some())
        .ok_or(ImportError::NoTaskColumn)?;
    let title = rows[..start]
        .iter()
        .filter_map(|r| {
            let cells: Vec<&String> = r.iter().filter(|c| !c.is_empty()).collect();
            (cells.len() == 1 && cells[0].chars().count() >= 6).then(|| cells[0].clone())
        })
        .find(|t| !t.starts_with("附件"));
    let year = year.or_else(|| title.as_deref().and_then(crate::plan::year_in));
    let mut columns = header(&rows[start]).ok_or(ImportError::NoTaskColumn)?;
    let mut measures = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(start + 1) {
        if let Some(next) = header(row) {
            columns = next;
            continue;
        }
        if let Some(measure) = measure(row, &columns, i + 1, year) {
            measures.push(measure);
        }
    }
    if measures.is_empty() {
        return Err(ImportError::NoMeasures);
    }
    let departments = crate::plan::departments(&measures);
    Ok(ParsedPlan {
        region: title.as_deref().and_then(crate::header::region_of),
        title,
        issuer: None,
        period: None,
        phases: Vec::new(),
        departments,
        measures,
        unrecognised: Vec::new(),
    })
}

fn cell(row: &[String], i: Option<usize>) -> &str {
    i.and_then(|i| row.get(i)).map_or("", |c| c.trim())
}

/// Labels of a web page's metadata block (`索引号: | … | 成文日期: | …`), which a
/// saved table page carries below or above the table.
const FURNITURE: &[&str] = &[
    "索引号",
    "发布机构",
    "成文日期",
    "发布日期",
    "发文日期",
    "信息来源",
    "主题分类",
    "文号",
    "发文字号",
    "有效性",
    "组配分类",
];

/// A row of page furniture: its first cell is a metadata label.
fn is_furniture(row: &[String]) -> bool {
    row.iter()
        .map(|c| fold(c.trim()))
        .find(|c| !c.is_empty())
        .is_some_and(|first| {
            let label: String = first.chars().filter(|c| !c.is_whitespace()).collect();
            let label = label.trim_end_matches([':', '：']);
            FURNITURE.contains(&label)
        })
}

fn measure(
    row: &[String],
    columns: &Columns,
    line: usize,
    year: Option<i32>,
) -> Option<ParsedMeasure> {
    let task = cell(row, Some(columns.task));
    // A category row repeats one text (a merged cell) across the row.
    let distinct: std::collections::HashSet<&str> = row
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if task.is_empty() || (distinct.len() == 1 && row.len() > 2) || is_furniture(row) {
        return None;
    }
    let number = cell(row, columns.number);
    // Without a 序号 column, an item number printed in a task cell (14.改扩建…) is the code.
    let printed_number = || {
        columns.tasks.iter().find_map(|&c| {
            let text = cell(row, Some(c));
            let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
            let rest = &text[digits.len()..];
            (!digits.is_empty() && rest.starts_with(['.', '．', '、'])).then_some(digits)
        })
    };
    let code = if !number.is_empty() {
        number.to_owned()
    } else {
        printed_number().unwrap_or_else(|| line.to_string())
    };
    let note = |clause: String| responsibility::read(&fold(&clause), None);
    let lists = [
        columns
            .lead
            .map(|c| format!("牵头单位：{}", cell(row, Some(c)))),
        columns
            .responsible
            .map(|c| format!("责任单位：{}", cell(row, Some(c)))),
    ];
    let mut clause: String = lists.into_iter().flatten().collect::<Vec<_>>().join("\n");
    for &c in &columns.cooperating {
        clause.push_str(&format!("\n配合单位：{}", cell(row, Some(c))));
    }
    let parties = if clause.is_empty() || split_list(&clause).is_empty() {
        note(task.to_owned())
    } else {
        note(clause)
    };
    let mut warnings = Vec::new();
    if !parties.extra_leads.is_empty() {
        warnings.push(format!(
            "row {line}: several leads printed; {} is taken as the lead and {} as cooperating",
            parties.lead.as_ref().map_or("", |l| l.printed.as_str()),
            parties.extra_leads.join("、")
        ));
    }
    let due_cell = cell(row, columns.due);
    let deadline = if due_cell.is_empty() {
        let due = latest_deadline(&fold(task));
        Deadline {
            due,
            ongoing: due.is_none() && says_ongoing(&fold(task)),
        }
    } else {
        let d = deadline_value(&fold(due_cell), year);
        if d == Deadline::default() {
            warnings.push(format!(
                "row {line}: the deadline “{due_cell}” was not understood"
            ));
        }
        d
    };
    Some(ParsedMeasure {
        code,
        title: crate::measure::title_of(task),
        description: task.to_owned(),
        lead: parties.lead.as_ref().map(|l| l.name.clone()),
        lead_printed: parties.lead.map(|l| l.printed),
        cooperating: parties.cooperating.iter().map(|c| c.name.clone()).collect(),
        cooperating_printed: parties.cooperating.into_iter().map(|c| c.printed).collect(),
        due: deadline.due,
        ongoing: deadline.ongoing,
        phase: None,
        line,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(table: &[&[&str]]) -> Vec<Vec<String>> {
        table
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn columns_are_found_by_their_header() {
        let plan = parse_table(&rows(&[
            &["2024年某县教育重点任务分解表"],
            &[
                "序号",
                "重点任务",
                "具体措施",
                "分管领导",
                "牵头单位",
                "配合单位",
                "完成时限",
            ],
            &[
                "一、优化布局",
                "一、优化布局",
                "一、优化布局",
                "一、优化布局",
                "一、优化布局",
                "一、优化布局",
                "一、优化布局",
            ],
            &[
                "1",
                "学校建设",
                "新建城东小学。",
                "张三",
                "县教育局",
                "县财政局、县自然资源局",
                "2024年10月底前",
            ],
            &[
                "2",
                "学校建设",
                "改扩建二中。",
                "张三",
                "县教育局、县住建局",
                "",
                "年底前",
            ],
            &[
                "3",
                "队伍建设",
                "落实教师交流轮岗。",
                "李四",
                "县教育局",
                "县人社局",
                "长期坚持",
            ],
        ]))
        .unwrap();
        assert_eq!(plan.title.as_deref(), Some("2024年某县教育重点任务分解表"));
        let got: Vec<_> = plan
            .measures
            .iter()
            .map(|m| {
                (
                    m.code.as_str(),
                    m.lead_printed.as_deref(),
                    m.cooperating_printed.clone(),
                    m.due,
                    m.ongoing,
                )
            })
            .collect();
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            got,
            [
                (
                    "1",
                    Some("县教育局"),
                    vec!["县财政局".to_owned(), "县自然资源局".to_owned()],
                    d(2024, 10, 31),
                    false
                ),
                (
                    "2",
                    Some("县教育局"),
                    vec!["县住建局".to_owned()],
                    d(2024, 12, 31),
                    false
                ),
                (
                    "3",
                    Some("县教育局"),
                    vec!["县人社局".to_owned()],
                    None,
                    true
                ),
            ]
        );
        assert_eq!(
            plan.measures[1].warnings.len(),
            1,
            "{:?}",
            plan.measures[1].warnings
        );
    }

    #[test]
    fn a_table_without_task_column_is_refused() {
        assert_eq!(
            parse_table(&rows(&[&["姓名", "学校"], &["张三", "一中"]])),
            Err(ImportError::NoTaskColumn)
        );
    }
}
