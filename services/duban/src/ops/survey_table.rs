//! The school statistics table read into survey rows: one row per school and stage,
//! the headers in any order (other spellings mapped by a column map), every cell that
//! does not parse named by row, column and value. Pure and linear in the table's size.

use std::collections::{BTreeMap, HashMap};

use duban_domain::school::{Field, Figures, SchoolKind, Stage};

/// 学校名称.
pub const NAME: &str = "学校名称";
/// 学校类型.
pub const KIND: &str = "学校类型";
/// 所属乡镇.
pub const TOWNSHIP: &str = "所属乡镇";
/// 学段.
pub const STAGE: &str = "学段";

/// One school stage as read from the table.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRow {
    /// The row in the file, 1-based, counting the header row.
    pub row: u32,
    /// 学校名称.
    pub name: String,
    /// 学校类型.
    pub kind: SchoolKind,
    /// 所属乡镇.
    pub township: Option<String>,
    /// 学段.
    pub stage: Stage,
    /// The figures.
    pub figures: Figures,
}

/// A map from a file's own header spellings to the standard ones (`--columns map.toml`:
/// `[columns]` then `"学校" = "学校名称"`).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMap {
    /// File header → standard header.
    #[serde(default)]
    pub columns: HashMap<String, String>,
}

impl ColumnMap {
    /// Reads a column map; every target must be a header the table reader knows.
    pub fn parse(text: &str) -> Result<ColumnMap, String> {
        let map: ColumnMap = toml::from_str(text).map_err(|e| e.message().to_string())?;
        for target in map.columns.values() {
            let known = [NAME, KIND, TOWNSHIP, STAGE].contains(&target.as_str())
                || Field::from_header(target).is_some();
            if !known {
                return Err(format!("'{target}' is not a survey table header"));
            }
        }
        Ok(map)
    }

    fn standard<'a>(&'a self, header: &'a str) -> &'a str {
        self.columns.get(header).map_or(header, String::as_str)
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Name,
    Kind,
    Township,
    Stage,
    Figure(Field),
}

/// Reads the rows of a table whose first non-empty row is the header. Returns the rows
/// or every problem found (nothing is recorded when there is any).
pub fn read_rows(table: &[Vec<String>], map: &ColumnMap) -> Result<Vec<SurveyRow>, Vec<String>> {
    let blank = |row: &Vec<String>| row.iter().all(|c| c.trim().is_empty());
    let Some(header_at) = table.iter().position(|r| !blank(r)) else {
        return Err(vec!["the table is empty".into()]);
    };
    let mut columns: BTreeMap<usize, Column> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<Column, usize> = HashMap::new();
    for (i, cell) in table[header_at].iter().enumerate() {
        let header = map.standard(cell.trim());
        let column = match header {
            NAME => Column::Name,
            KIND => Column::Kind,
            TOWNSHIP => Column::Township,
            STAGE => Column::Stage,
            other => match Field::from_header(other) {
                Some(field) => Column::Figure(field),
                None => continue,
            },
        };
        if seen.insert(column, i).is_some() {
            problems.push(format!(
                "row {}: column {header} appears twice",
                header_at + 1
            ));
        }
        columns.insert(i, column);
    }
    let required = [Column::Name, Column::Kind, Column::Stage]
        .into_iter()
        .map(|c| (c, header_name(c)))
        .chain(Field::ALL.iter().map(|&f| (Column::Figure(f), f.header())));
    let missing: Vec<&str> = required
        .filter(|(c, _)| !seen.contains_key(c))
        .map(|(_, h)| h)
        .collect();
    if !missing.is_empty() {
        problems.push(format!("missing columns: {}", missing.join(", ")));
        return Err(problems);
    }
    let mut rows = Vec::new();
    let mut first_row_of: HashMap<(String, Stage), u32> = HashMap::new();
    let mut kind_of: HashMap<String, SchoolKind> = HashMap::new();
    for (index, cells) in table.iter().enumerate().skip(header_at + 1) {
        if blank(cells) {
            continue;
        }
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if let Some(parsed) = read_row(row, cells, &columns, &mut problems) {
            if let Some(first) = first_row_of.insert((parsed.name.clone(), parsed.stage), row) {
                problems.push(format!(
                    "row {row}: {} {} is already in row {first}",
                    parsed.name,
                    parsed.stage.label()
                ));
            }
            match kind_of.get(&parsed.name) {
                Some(kind) if *kind != parsed.kind => problems.push(format!(
                    "row {row}, column {KIND}: {} has another type in an earlier row",
                    parsed.name
                )),
                _ => {
                    kind_of.insert(parsed.name.clone(), parsed.kind);
                }
            }
            rows.push(parsed);
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push("the table has a header but no school rows".into());
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

fn header_name(c: Column) -> &'static str {
    match c {
        Column::Name => NAME,
        Column::Kind => KIND,
        Column::Township => TOWNSHIP,
        Column::Stage => STAGE,
        Column::Figure(f) => f.header(),
    }
}

fn read_row(
    row: u32,
    cells: &[String],
    columns: &BTreeMap<usize, Column>,
    problems: &mut Vec<String>,
) -> Option<SurveyRow> {
    let before = problems.len();
    let mut bad = |column: Column, value: &str, why: &str| {
        problems.push(format!(
            "row {row}, column {}: '{}' {why}",
            header_name(column),
            value.chars().take(50).collect::<String>()
        ));
    };
    let (mut name, mut kind, mut township, mut stage) = (None, None, None, None);
    let mut figures = Figures::default();
    for (&i, &column) in columns {
        let value = cells.get(i).map_or("", |c| c.trim());
        match column {
            Column::Name if value.is_empty() => {
                bad(column, value, "is empty; every row needs a school name")
            }
            Column::Name if value.chars().count() > 100 => {
                bad(column, value, "is longer than 100 characters")
            }
            Column::Name => name = Some(value.to_string()),
            Column::Kind => match SchoolKind::from_label(value) {
                Some(k) => kind = Some(k),
                None => bad(
                    column,
                    value,
                    "is not 小学, 初中, 九年一贯制, 十二年一贯制, 教学点 or 特殊教育学校",
                ),
            },
            Column::Township => township = (!value.is_empty()).then(|| value.to_string()),
            Column::Stage => match Stage::from_label(value) {
                Some(s) => stage = Some(s),
                None => bad(column, value, "is not 小学 or 初中"),
            },
            Column::Figure(field) => match number(value) {
                Some(n) if field.is_count() && n.fract() != 0.0 => {
                    bad(column, value, "is not a whole number")
                }
                Some(n) => figures.set(field, n),
                None => bad(column, value, "is not a number of 0 or more"),
            },
        }
    }
    if let (Some(k), Some(s)) = (kind, stage)
        && !k.stages().contains(&s)
    {
        bad(
            Column::Stage,
            s.label(),
            "is not a stage of a school of this type",
        );
    }
    if problems.len() > before {
        return None;
    }
    Some(SurveyRow {
        row,
        name: name?,
        kind: kind?,
        township,
        stage: stage?,
        figures,
    })
}

/// A figure as offices type it: digits with an optional decimal point, thousands
/// separators and a trailing unit (㎡, 元, 人, 间) allowed; finite and not negative.
fn number(raw: &str) -> Option<f64> {
    let text: String = raw
        .trim()
        .trim_end_matches(['㎡', '元', '人', '间', '个'])
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    text.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
}

#[cfg(test)]
mod tests;
