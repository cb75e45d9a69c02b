//! Tables flattened to text, as a web page's table is copied or saved: cells separated
//! by `|`, either a row a line (`序号 | 重点任务 | 牵头单位 |`) or a cell a line
//! (`序号 |`, `重点任务 |`, … then `80 |`, `新建学校 |` …).
//!
//! * **A row a line**: every line holding a `|` is a row. A row with fewer cells than
//!   the header lost its leftmost cells to a merged cell spanning rows (a 类别 column):
//!   it is padded on the left with empty cells, so its cells stay under their headers
//!   and a line of page furniture (`索引号: | … |`) never becomes a task.
//! * **A cell a line**: when most such lines hold one cell, the header is the run of
//!   short cells at the start that are not numbers, and the cells after it are grouped
//!   into rows of the header's width.
//!
//! The rows then go to the task-table reader ([`crate::table`]); text without such a
//! table, or whose table has no task column, is read as a text plan.

/// The rows of a table flattened into `text`, when it holds one (three lines with a
/// `|` at least).
pub(crate) fn rows(text: &str) -> Option<Vec<Vec<String>>> {
    let lines: Vec<Vec<String>> = text
        .lines()
        .filter(|l| l.contains('|'))
        .map(cells)
        .filter(|c| !c.is_empty())
        .collect();
    if lines.len() < 3 {
        return None;
    }
    let single = lines.iter().filter(|c| c.len() == 1).count();
    if single * 2 > lines.len() {
        cell_a_line(lines.into_iter().flatten().collect())
    } else {
        Some(row_a_line(lines))
    }
}

/// The cells of one line: split on `|`, trimmed, without the empty ones at the ends.
fn cells(line: &str) -> Vec<String> {
    let mut cells: Vec<String> = line.split('|').map(|c| c.trim().to_owned()).collect();
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    let leading = cells.iter().take_while(|c| c.is_empty()).count();
    cells.drain(..leading);
    cells
}

fn row_a_line(lines: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let width = lines.first().map_or(0, Vec::len);
    lines
        .into_iter()
        .map(|row| {
            if row.len() >= width {
                row
            } else {
                let mut padded = vec![String::new(); width - row.len()];
                padded.extend(row);
                padded
            }
        })
        .collect()
}

fn cell_a_line(cells: Vec<String>) -> Option<Vec<Vec<String>>> {
    let width = cells
        .iter()
        .take_while(|c| c.chars().count() <= 12 && !c.starts_with(|ch: char| ch.is_ascii_digit()))
        .count();
    if width < 2 {
        return None;
    }
    Some(cells.chunks(width).map(<[String]>::to_vec).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_a_line_with_a_merged_first_column() {
        let text = "类别 | 事项 | 责任单位 |\n一、教育 | 1.建学校 | 县教育局 |\n2.招教师 | 县人社局 | |\n索引号: | 1 |";
        let rows = rows(text).unwrap();
        assert_eq!(rows[2], ["", "2.招教师", "县人社局"]);
        assert_eq!(rows[3], ["", "索引号:", "1"]);
    }

    #[test]
    fn a_cell_a_line_is_grouped_by_the_header() {
        let text = "附件\n序号 |\n任务 |\n牵头单位 |\n80 |\n建学校 |\n县教育局 |\n81 |\n招教师 |\n县人社局 |";
        let rows = rows(text).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2], ["81", "招教师", "县人社局"]);
    }

    #[test]
    fn text_without_a_table_has_none() {
        assert_eq!(rows("一、任务\n1.建学校。(责任单位:县教育局)"), None);
    }
}
