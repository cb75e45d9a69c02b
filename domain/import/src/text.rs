//! Lines of text kept twice: as printed, and folded to Simplified characters.

use std::ops::Range;

use crate::script::fold;

/// One line (or piece of a line) of the document, as printed (`orig`) and folded to
/// Simplified characters (`norm`). Both have the same byte offsets, so a range found
/// in `norm` slices `orig`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// The text as printed.
    pub orig: String,
    /// The same text with Traditional characters folded to Simplified.
    pub norm: String,
    /// The 1-based number of the printed line it comes from (0 when not known).
    pub no: usize,
}

impl Line {
    /// A line from text as printed.
    pub(crate) fn new(orig: &str) -> Self {
        Self {
            orig: orig.to_owned(),
            norm: fold(orig),
            no: 0,
        }
    }

    /// A line from text as printed, with its 1-based line number.
    pub(crate) fn numbered(orig: &str, no: usize) -> Self {
        Self {
            no,
            ..Self::new(orig)
        }
    }

    /// The part of the line within `range` (byte offsets, valid in both copies).
    pub(crate) fn slice(&self, range: Range<usize>) -> Self {
        Self {
            orig: self.orig[range.clone()].to_owned(),
            norm: self.norm[range].to_owned(),
            no: self.no,
        }
    }

    /// The line without white space at either end.
    pub(crate) fn trim(&self) -> Self {
        let start = self.orig.len() - self.orig.trim_start().len();
        let end = self.orig.trim_end().len().max(start);
        self.slice(start..end)
    }

    /// Whether the line holds nothing but white space.
    pub(crate) fn is_blank(&self) -> bool {
        self.orig.trim().is_empty()
    }

    /// Lines joined into one text. A line that ends a sentence or a clause is followed
    /// by a line break; a line cut in the middle of a sentence (a hard wrap, as in
    /// copied web pages) runs straight on into the next one.
    pub(crate) fn join(lines: &[Self]) -> Self {
        let mut joined = Self {
            orig: String::new(),
            norm: String::new(),
            no: lines.first().map_or(0, |l| l.no),
        };
        for line in lines.iter().filter(|line| !line.is_blank()) {
            if ends_clause(&joined.orig) {
                joined.orig.push('\n');
                joined.norm.push('\n');
            }
            joined.orig.push_str(&line.orig);
            joined.norm.push_str(&line.norm);
        }
        joined
    }
}

/// Whether text ends with punctuation that closes a sentence, a clause or a heading.
fn ends_clause(text: &str) -> bool {
    text.trim_end()
        .chars()
        .last()
        .is_some_and(|c| "。！？!?；;：:）)〕】」”'\"".contains(c))
}

/// The value of a number written in ASCII or full-width digits.
pub(crate) fn number_value(digits: &str) -> Option<u32> {
    ascii_digits(digits).parse().ok()
}

/// The digits of `text` as ASCII digits (full-width ０–９ become 0–9).
pub(crate) fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Whether a character is a CJK ideograph.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Text with the white space that copying from PDF or web pages leaves between
/// Chinese characters removed (`推动 基础教育` → `推动基础教育`); other runs of white
/// space become one space.
pub(crate) fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let ascii = |c: Option<char>| c.is_some_and(|c| c.is_ascii());
            if ascii(chars[..start].last().copied()) && ascii(chars.get(i).copied()) {
                out.push(' ');
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_removes_spaces_between_chinese_characters() {
        assert_eq!(tidy("推动 基础教育"), "推动基础教育");
        assert_eq!(tidy("“学有优教” 工作实施方案"), "“学有优教”工作实施方案");
        assert_eq!(tidy("到 2022 年底"), "到2022年底");
        assert_eq!(tidy("IPV6  support"), "IPV6 support");
    }

    #[test]
    fn joining_keeps_paragraphs_and_mends_hard_wraps() {
        let lines = [
            Line::new("依新址调整XX"),
            Line::new("镇内小学学区。"),
            Line::new("各团镇切实履行"),
        ];
        assert_eq!(
            Line::join(&lines).orig,
            "依新址调整XX镇内小学学区。\n各团镇切实履行"
        );
    }

    #[test]
    fn full_width_digits_are_read() {
        assert_eq!(number_value("１２"), Some(12));
        assert_eq!(ascii_digits("２０２５"), "2025");
    }
}
