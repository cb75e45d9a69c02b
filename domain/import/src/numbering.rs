//! The numbers plans print before their chapters, sections and items.
//!
//! | rank | printed as | code part |
//! |---|---|---|
//! | 1 chapter | `一、` `一.` `一．` | `一` |
//! | 2 section | `(一)` `（一）` (optionally followed by `、`) | `(一)` |
//! | 3 item | `1.` `1、` `1．` `１．` — or a bare `1` directly before the text, see below | `1` |
//! | 3 article | `第一条` | `第一条` |
//! | 4 sub-item | `(1)` `（1）` `①` `⑴` | `(1)` / `①` / `⑴` |
//!
//! A number must open its line (or follow a responsibility clause, see
//! [`crate::outline`]). An item number must not be followed by another digit (`1.5亿元`
//! is not an item). A bare item number with no punctuation (`1加快学校建设进度`, as
//! seed 001 prints it) is only taken when it is the next number expected and the
//! character after it is not a unit (年, 月, 个, 人 …); the outline checks the first.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::{ascii_digits, number_value};

/// A number at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Numbering {
    /// 1 chapter, 2 section, 3 item, 4 sub-item.
    pub rank: u8,
    /// This level's part of the measure code, e.g. `三`, `(二)`, `4`.
    pub label: String,
    /// The value of an Arabic item number.
    pub value: Option<u32>,
    /// Bytes taken by the number, its punctuation and the white space after it.
    pub len: usize,
    /// An item number printed without punctuation (`1加快…`).
    pub bare: bool,
}

const NUMERALS: &str = "一二三四五六七八九十百零〇";

static CHAPTER: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^([{NUMERALS}]{{1,4}})\s*[、.．]\s*")));
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^[(（]\s*([{NUMERALS}]{{1,4}})\s*[)）]\s*[、.．]?\s*"
    ))
});
/// `第一条` / `第12条`: an article, numbered like an item.
static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(第[{NUMERALS}0-9０-９]{{1,4}}条)\s*[、.．:：]?\s*"
    ))
});
static ITEM: LazyLock<Regex> = LazyLock::new(|| re(r"^([0-9０-９]{1,3})\s*[.．、，]"));
static BARE_ITEM: LazyLock<Regex> = LazyLock::new(|| re(r"^([0-9０-９]{1,3})\p{Han}"));
static SUB_ITEM: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:[(（]\s*([0-9０-９]{1,3})\s*[)）]|([①-⑳⑴-⒇]))\s*"));

/// Characters that, right after a bare number, show a quantity rather than an item.
const UNITS: &str =
    "年月日号个人名所项次万亿元岁天周位间台只倍条分秒届级期批类种块套本张篇米亩班座处家户";

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad pattern {pattern}: {e}"))
}

/// The number that opens `norm` (a folded line, white space already trimmed), if any.
pub(crate) fn numbering_at(norm: &str) -> Option<Numbering> {
    if let Some(c) = CHAPTER.captures(norm) {
        return Some(Numbering {
            rank: 1,
            label: c[1].to_owned(),
            value: None,
            len: c[0].len(),
            bare: false,
        });
    }
    if let Some(c) = SECTION.captures(norm) {
        return Some(Numbering {
            rank: 2,
            label: format!("({})", &c[1]),
            value: None,
            len: c[0].len(),
            bare: false,
        });
    }
    if let Some(c) = ARTICLE.captures(norm) {
        return Some(Numbering {
            rank: 3,
            label: ascii_digits(&c[1]),
            value: None,
            len: c[0].len(),
            bare: false,
        });
    }
    if let Some(c) = ITEM.captures(norm) {
        let after = &norm[c[0].len()..];
        if !after.starts_with(|ch: char| ch.is_ascii_digit() || ('０'..='９').contains(&ch)) {
            let len = c[0].len() + (after.len() - after.trim_start().len());
            return Some(Numbering {
                rank: 3,
                label: ascii_digits(&c[1]),
                value: number_value(&c[1]),
                len,
                bare: false,
            });
        }
    }
    if let Some(c) = SUB_ITEM.captures(norm) {
        let label = match (c.get(1), c.get(2)) {
            (Some(digits), _) => format!("({})", ascii_digits(digits.as_str())),
            (None, Some(circled)) => circled.as_str().to_owned(),
            (None, None) => return None,
        };
        return Some(Numbering {
            rank: 4,
            label,
            value: None,
            len: c[0].len(),
            bare: false,
        });
    }
    if let Some(c) = BARE_ITEM.captures(norm) {
        let digits = c.get(1)?;
        let next = norm[digits.end()..].chars().next()?;
        if !UNITS.contains(next) {
            return Some(Numbering {
                rank: 3,
                label: ascii_digits(digits.as_str()),
                value: number_value(digits.as_str()),
                len: digits.end(),
                bare: true,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(line: &str) -> Option<(u8, String)> {
        numbering_at(line).map(|n| (n.rank, n.label))
    }

    #[test]
    fn chapters_in_every_punctuation() {
        assert_eq!(label("三、重点任务"), Some((1, "三".into())));
        assert_eq!(label("十一.保障"), Some((1, "十一".into())));
        assert_eq!(label("四．工作措施"), Some((1, "四".into())));
        assert_eq!(label("一是明确认识"), None);
    }

    #[test]
    fn sections_in_ascii_and_full_width_brackets() {
        assert_eq!(label("(二)深化改革"), Some((2, "(二)".into())));
        assert_eq!(
            label("（十一） 加快学校现代化建设"),
            Some((2, "(十一)".into()))
        );
        assert_eq!(label("( 三 )、强化"), Some((2, "(三)".into())));
    }

    #[test]
    fn items_in_every_punctuation() {
        assert_eq!(label("1.完善"), Some((3, "1".into())));
        assert_eq!(label("2、优化"), Some((3, "2".into())));
        assert_eq!(label("3．推进"), Some((3, "3".into())));
        assert_eq!(label("１２．推进"), Some((3, "12".into())));
        assert_eq!(label("13. 不断提升"), Some((3, "13".into())));
        assert_eq!(label("1.5亿元用于"), None);
    }

    #[test]
    fn sub_items() {
        assert_eq!(label("(1)进一步落实"), Some((4, "(1)".into())));
        assert_eq!(label("（2）建立"), Some((4, "(2)".into())));
        assert_eq!(label("①加强"), Some((4, "①".into())));
    }

    #[test]
    fn bare_numbers_only_before_text() {
        let n = numbering_at("1加快学校建设进度").expect("a bare item");
        assert!(n.bare);
        assert_eq!((n.rank, n.label.as_str(), n.len), (3, "1", 1));
        assert_eq!(numbering_at("2025年完成"), None);
        assert_eq!(numbering_at("3月21日"), None);
        assert_eq!(numbering_at("12个班"), None);
    }
}
