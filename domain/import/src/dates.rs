//! Dates in plan text: deadlines (`确保2025年8月投入使用`, `到2027年`, `2022年10月底前`)
//! and date ranges (`2021年11月-2022年12月`, `2026年1月—2027年12月`).
//!
//! A deadline is a year, optionally with a month (and day), half-year or quarter; it
//! means the last day of that period. Not deadlines: years inside a document title
//! `《…》`, either end of a range (`2013-2020年`), starting points (`从2021年`,
//! `2014年起`, `2021年以来`, `2025年后`) and 年度/届/级. A range starts on the first day of
//! its start month (January without one) and ends on the last day of its end month
//! (December without one).

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::text::number_value;

const D: &str = "[0-9０-９]";

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"({D}{{4}})\s*年\s*(?:({D}{{1,2}})\s*月(?:\s*({D}{{1,2}})\s*日)?|(上半年|下半年)|第?([一二三四1-4１-４])季度|(秋季|春季))?"
    ))
});
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"({D}{{4}})\s*(?:年\s*(?:({D}{{1,2}})\s*月份?)?)?\s*(?:[-—–~～]+|至|到)\s*(?:({D}{{4}})\s*年\s*)?(?:({D}{{1,2}})\s*月份?)?"
    ))
});
static TITLE_QUOTE: LazyLock<Regex> = LazyLock::new(|| re(r"《[^《》]*》"));

const NOT_AFTER: &[&str] = &[
    "起", "开始", "以来", "以后", "之后", "后", "度", "版", "届", "级",
];
const NOT_BEFORE: &[char] = &['从', '自'];

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad pattern {pattern}: {e}"))
}

/// The first day of a month.
pub(crate) fn month_start(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// The last day of a month.
pub(crate) fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    month_start(year, month)?;
    let next = if month == 12 {
        month_start(year + 1, 1)?
    } else {
        month_start(year, month + 1)?
    };
    next.pred_opt()
}

fn year_of(digits: &str) -> Option<i32> {
    number_value(digits)
        .and_then(|y| i32::try_from(y).ok())
        .filter(|y| (1900..=2100).contains(y))
}

/// A date range found in folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateRange {
    /// Where the range is printed (byte offsets).
    pub span: Range<usize>,
    /// First day of the start month.
    pub starts: NaiveDate,
    /// Last day of the end month.
    pub ends: NaiveDate,
}

/// Every date range printed in folded text.
pub(crate) fn date_ranges(norm: &str) -> Vec<DateRange> {
    RANGE
        .captures_iter(norm)
        .filter_map(|c| {
            let whole = c.get(0)?;
            if preceded_by_digit(norm, whole.start()) || (c.get(3).is_none() && c.get(4).is_none())
            {
                return None;
            }
            let y1 = year_of(&c[1])?;
            let m1 = c.get(2).map_or(Some(1), |m| number_value(m.as_str()))?;
            let y2 = c.get(3).map_or(Some(y1), |y| year_of(y.as_str()))?;
            let m2 = c.get(4).map_or(Some(12), |m| number_value(m.as_str()))?;
            let (starts, ends) = (month_start(y1, m1)?, month_end(y2, m2)?);
            (starts <= ends).then(|| DateRange {
                span: whole.range(),
                starts,
                ends,
            })
        })
        .collect()
}

/// The latest deadline stated in folded text, if any.
pub(crate) fn latest_deadline(norm: &str) -> Option<NaiveDate> {
    let mut excluded: Vec<Range<usize>> = TITLE_QUOTE.find_iter(norm).map(|m| m.range()).collect();
    excluded.extend(date_ranges(norm).into_iter().map(|r| r.span));
    MENTION
        .captures_iter(norm)
        .filter_map(|c| {
            let whole = c.get(0)?;
            if preceded_by_digit(norm, whole.start())
                || excluded.iter().any(|r| r.contains(&whole.start()))
                || norm[..whole.start()].trim_end().ends_with(NOT_BEFORE)
            {
                return None;
            }
            let after = norm[whole.end()..].trim_start();
            if NOT_AFTER.iter().any(|w| after.starts_with(w)) {
                return None;
            }
            let year = year_of(&c[1])?;
            if let Some(season) = c.get(6) {
                return NaiveDate::from_ymd_opt(
                    year,
                    if season.as_str() == "秋季" { 9 } else { 3 },
                    1,
                );
            }
            match (c.get(2), c.get(3), c.get(4), c.get(5)) {
                (Some(m), Some(d), _, _) => NaiveDate::from_ymd_opt(
                    year,
                    number_value(m.as_str())?,
                    number_value(d.as_str())?,
                ),
                (Some(m), None, _, _) => month_end(year, number_value(m.as_str())?),
                (None, _, Some(half), _) => {
                    month_end(year, if half.as_str() == "上半年" { 6 } else { 12 })
                }
                (None, _, None, Some(q)) => month_end(year, 3 * quarter(q.as_str())?),
                (None, _, None, None) => month_end(year, 12),
            }
        })
        .max()
}

fn quarter(q: &str) -> Option<u32> {
    match q {
        "一" => Some(1),
        "二" => Some(2),
        "三" => Some(3),
        "四" => Some(4),
        digits => number_value(digits).filter(|n| (1..=4).contains(n)),
    }
}

fn preceded_by_digit(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn month_ends() {
        assert_eq!(month_end(2024, 2), Some(ymd(2024, 2, 29)));
        assert_eq!(month_end(2025, 12), Some(ymd(2025, 12, 31)));
        assert_eq!(month_end(2025, 13), None);
    }

    #[test]
    fn deadlines_in_every_form() {
        assert_eq!(
            latest_deadline("确保2025年8月投入使用"),
            Some(ymd(2025, 8, 31))
        );
        assert_eq!(
            latest_deadline("到2027年,公办园占比"),
            Some(ymd(2027, 12, 31))
        );
        assert_eq!(
            latest_deadline("2022年10月底前完成"),
            Some(ymd(2022, 10, 31))
        );
        assert_eq!(
            latest_deadline("力争到 2022 年底建成"),
            Some(ymd(2022, 12, 31))
        );
        assert_eq!(latest_deadline("２０２６年３月前"), Some(ymd(2026, 3, 31)));
        assert_eq!(latest_deadline("2025年6月15日前"), Some(ymd(2025, 6, 15)));
        assert_eq!(latest_deadline("2025年上半年完成"), Some(ymd(2025, 6, 30)));
        assert_eq!(
            latest_deadline("2025年第三季度完成"),
            Some(ymd(2025, 9, 30))
        );
    }

    #[test]
    fn the_latest_of_several_deadlines() {
        assert_eq!(
            latest_deadline("到2020年基本做到;到2025年,初中规模"),
            Some(ymd(2025, 12, 31))
        );
    }

    #[test]
    fn no_deadlines_in_titles_ranges_or_starting_points() {
        assert_eq!(latest_deadline("《福建省行动计划(2021-2023年)》"), None);
        assert_eq!(latest_deadline("制定了2013-2020年布局规划"), None);
        assert_eq!(latest_deadline("从2014年起"), None);
        assert_eq!(latest_deadline("2021年以来"), None);
        assert_eq!(latest_deadline("每年11月底前报送"), None);
        assert_eq!(latest_deadline("5年360学时"), None);
    }

    #[test]
    fn ranges() {
        let r = date_ranges("启动准备阶段(2021年11月-2022年12月)");
        assert_eq!(
            (r[0].starts, r[0].ends),
            (ymd(2021, 11, 1), ymd(2022, 12, 31))
        );
        let r = date_ranges("整改提升阶段(2026年1月—2027年12月)");
        assert_eq!(
            (r[0].starts, r[0].ends),
            (ymd(2026, 1, 1), ymd(2027, 12, 31))
        );
        let r = date_ranges("2023年3月至6月");
        assert_eq!(
            (r[0].starts, r[0].ends),
            (ymd(2023, 3, 1), ymd(2023, 6, 30))
        );
        let r = date_ranges("(2021-2025年)");
        assert_eq!(
            (r[0].starts, r[0].ends),
            (ymd(2021, 1, 1), ymd(2025, 12, 31))
        );
        assert!(date_ranges("从2021年开始,到2028年实现达标").is_empty());
    }
}

/// A deadline as a 完成时限 value or an item's text gives it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Deadline {
    /// The last day, when one is printed.
    pub due: Option<NaiveDate>,
    /// The work goes on: 长期坚持, 持续推进, 每年 ….
    pub ongoing: bool,
}

static ONGOING: LazyLock<Regex> = LazyLock::new(|| {
    re("长期|持续|常态|经常性|每年|逐年|每学期|每学年|每季度|每月|定期|按年度|年度内滚动")
});
static NO_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(年底|年末|年内|今年|全年|本年度?|上半年|下半年|第?([一二三四1-4])季度|([0-9０-９]{1,2})\s*月|秋季|春季)",
    )
});

/// The deadline a 完成时限 / 时间节点 value states: a date as printed (the latest of
/// several), else one without a year (`年底前`, `三季度末`, `6月底`) in the plan's
/// year, else ongoing when it says the work goes on.
pub(crate) fn deadline_value(value: &str, plan_year: Option<i32>) -> Deadline {
    if let Some(due) = latest_deadline(value) {
        return Deadline {
            due: Some(due),
            ongoing: false,
        };
    }
    if let (Some(year), Some(c)) = (plan_year, NO_YEAR.captures(value)) {
        let due = if let Some(q) = c.get(2) {
            quarter(q.as_str()).and_then(|q| month_end(year, 3 * q))
        } else if let Some(m) = c.get(3) {
            number_value(m.as_str()).and_then(|m| month_end(year, m))
        } else {
            match &c[1] {
                "上半年" => month_end(year, 6),
                "秋季" => NaiveDate::from_ymd_opt(year, 9, 1),
                "春季" => NaiveDate::from_ymd_opt(year, 3, 1),
                _ => month_end(year, 12),
            }
        };
        if due.is_some() {
            return Deadline {
                due,
                ongoing: false,
            };
        }
    }
    Deadline {
        due: None,
        ongoing: ONGOING.is_match(value),
    }
}

/// Whether an item's own text says the work goes on (and so has no due date).
pub(crate) fn says_ongoing(norm: &str) -> bool {
    static PHRASE: LazyLock<Regex> =
        LazyLock::new(|| re("长期坚持|持续推进|长期推进|常态化推进|持续开展|长期开展"));
    PHRASE.is_match(norm)
}
