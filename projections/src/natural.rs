//! Natural order of the codes printed in plans (`三(二)5`, `3.10`): runs of Arabic or
//! Chinese numerals compare by value, so `三(二)10` follows `三(二)9` and `十一` follows
//! `九`. Full-width forms (`（`, `５`) compare as their ASCII twins.

use std::cmp::Ordering;

/// One piece of a code: a number or any other character. Numbers sort before text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Piece {
    Number(u64),
    Char(char),
}

/// Compares two codes in natural order.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    pieces(a).cmp(pieces(b)).then_with(|| a.cmp(b))
}

fn pieces(code: &str) -> impl Iterator<Item = Piece> + '_ {
    let mut chars = code.chars().map(narrow).peekable();
    std::iter::from_fn(move || {
        let first = chars.next()?;
        if first.is_ascii_digit() {
            let mut value = u64::from(first.to_digit(10).unwrap_or(0));
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                value = value.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            return Some(Piece::Number(value));
        }
        if is_chinese_numeral(first) {
            let mut run = vec![first];
            while let Some(&c) = chars.peek().filter(|c| is_chinese_numeral(**c)) {
                run.push(c);
                chars.next();
            }
            return Some(Piece::Number(chinese_value(&run)));
        }
        Some(Piece::Char(first))
    })
}

/// Full-width ASCII (U+FF01..U+FF5E) to ASCII.
fn narrow(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn digit(c: char) -> Option<u64> {
    "零一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u64)
        .or(match c {
            '〇' => Some(0),
            '两' => Some(2),
            _ => None,
        })
}

fn unit(c: char) -> Option<u64> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

fn is_chinese_numeral(c: char) -> bool {
    digit(c).is_some() || unit(c).is_some()
}

/// The value of a run like 二十三 (23), 十一 (11), 一百零五 (105).
fn chinese_value(run: &[char]) -> u64 {
    let (mut total, mut current) = (0u64, 0u64);
    for &c in run {
        if let Some(d) = digit(c) {
            current = current.saturating_mul(10).saturating_add(d);
        } else if let Some(u) = unit(c) {
            total = total.saturating_add(current.max(1).saturating_mul(u));
            current = 0;
        }
    }
    total.saturating_add(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        let mut codes = vec![
            "三(二)10",
            "十一(一)1",
            "三(二)9",
            "二(一)1",
            "三（二）5",
            "3.10",
            "3.9",
        ];
        codes.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            codes,
            [
                "二(一)1",
                "三（二）5",
                "三(二)9",
                "三(二)10",
                "3.9",
                "3.10",
                "十一(一)1"
            ]
        );
    }

    #[test]
    fn chinese_numerals_read_as_numbers() {
        for (run, value) in [
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十三", 23),
            ("一百零五", 105),
            ("九", 9),
        ] {
            let chars: Vec<char> = run.chars().collect();
            assert_eq!(chinese_value(&chars), value, "{run}");
        }
    }
}
