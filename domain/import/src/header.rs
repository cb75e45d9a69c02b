//! The plan's title, region and issuer, read from the lines before the first number.
//!
//! * **Title**: the first line before the first number that is not web-page
//!   furniture: not a metadata line (with `|`, `>>` or a colon, e.g. `索引号: | …`,
//!   `时间:2022-11-25`), not a sentence (ending in 。), not longer than 80 characters.
//!   White space between Chinese characters (left by copying) is removed. A document
//!   that starts with its first chapter has no title.
//! * **Region**: the county, district, city or banner the title starts with
//!   (`鲤城区`, `民乐县`, `第一师阿拉尔市`), not a phrase such as 全县 or 城区.
//! * **Issuer**: a 发布机构 / 发文机关 / 发文单位 metadata value, else the body a title
//!   such as `XX县人民政府关于…` names before 关于.

use std::sync::LazyLock;

use regex::Regex;

use crate::script::fold;
use crate::text::{Line, is_han, tidy};

static REGION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\p{Han}{1,12}?)(?:自治县|自治旗|县|区|市|旗)"));
static ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:发布机构|发文机关|发文单位|发布单位|印发单位|制发机关)\s*[:：]?\s*[|｜]?\s*([^\s|｜:：]+)",
    )
});
static ISSUER_IN_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(\p{Han}{2,20}?(?:人民政府办公室|人民政府|政府办公室|办公室|委员会|局|委|厅|办))关于")
});

const NOT_REGION_START: &str = "全本我各该此辖城县区市";
const NOT_IN_REGION: &[&str] = &[
    "关于",
    "推进",
    "加快",
    "深化",
    "实施",
    "全面",
    "进一步",
    "的",
    "和",
    "与",
    "年",
    "教育",
    "城乡",
    "义务",
    "学校",
];

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad pattern {pattern}: {e}"))
}

/// The title, region and issuer a plan's preamble names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Header {
    /// The plan's title, white space between Chinese characters removed.
    pub title: Option<String>,
    /// The region the title starts with.
    pub region: Option<String>,
    /// The issuing body.
    pub issuer: Option<String>,
}

/// The header read from the lines before the first number.
pub(crate) fn read(preamble: &[Line]) -> Header {
    let title = preamble.iter().find(|l| is_title(l)).map(|l| tidy(&l.orig));
    let region = title.as_deref().and_then(region_of);
    let issuer = preamble
        .iter()
        .find_map(|l| {
            let c = ISSUER.captures(&l.norm)?;
            let value = c.get(1)?;
            Some(l.orig[value.range()].to_owned())
        })
        .or_else(|| {
            let title = title.as_deref()?;
            let folded = fold(title);
            let range = ISSUER_IN_TITLE.captures(&folded)?.get(1)?.range();
            Some(title[range].to_owned())
        });
    Header {
        title,
        region,
        issuer,
    }
}

fn is_title(line: &Line) -> bool {
    let text = line.norm.trim();
    !text.is_empty()
        && text.chars().count() <= 80
        && text.chars().any(is_han)
        && !text.contains(['|', '｜', ':', '：'])
        && !text.contains(">>")
        && !text.ends_with(['。', '.'])
}

/// The region a title starts with, as printed.
pub(crate) fn region_of(title: &str) -> Option<String> {
    let folded = fold(title);
    let c = REGION.captures(&folded)?;
    let region = c.get(0)?;
    let name = c.get(1)?.as_str();
    let first = name.chars().next()?;
    if NOT_REGION_START.contains(first) || NOT_IN_REGION.iter().any(|w| region.as_str().contains(w))
    {
        return None;
    }
    Some(title[region.range()].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_the_titles_start_with() {
        assert_eq!(
            region_of("鲤城区推进义务教育优质均衡发展工作规划").as_deref(),
            Some("鲤城区")
        );
        assert_eq!(
            region_of("民乐县关于加快推进“学有优教”工作实施方案").as_deref(),
            Some("民乐县")
        );
        assert_eq!(
            region_of("第一师阿拉尔市深化改革推动基础教育高质量发展实施方案").as_deref(),
            Some("第一师阿拉尔市")
        );
        assert_eq!(region_of("关于义务教育优质均衡发展实施方案"), None);
        assert_eq!(region_of("全县推进义务教育"), None);
        assert_eq!(region_of("城区学校布局规划"), None);
    }

    #[test]
    fn the_title_skips_web_page_furniture() {
        let lines: Vec<Line> = [
            "网站支持IPV6 | 无障碍阅读",
            "当前位置: 首页>>义务教育",
            "民乐县关于加快推进“学有优教” 工作实施方案",
            "索引号 620722025",
        ]
        .into_iter()
        .map(Line::new)
        .collect();
        let header = read(&lines);
        assert_eq!(
            header.title.as_deref(),
            Some("民乐县关于加快推进“学有优教”工作实施方案")
        );
        assert_eq!(header.region.as_deref(), Some("民乐县"));
    }

    #[test]
    fn issuers() {
        let lines = [Line::new("标题"), Line::new("关键词 发布机构 民乐县教育局")];
        assert_eq!(read(&lines).issuer.as_deref(), Some("民乐县教育局"));
        let lines = [Line::new(
            "索引号: | 100014-2021-00106 | 发布机构: | 教育局 |",
        )];
        assert_eq!(read(&lines).issuer.as_deref(), Some("教育局"));
        let lines = [Line::new("某某县人民政府关于印发教育规划的通知")];
        assert_eq!(read(&lines).issuer.as_deref(), Some("某某县人民政府"));
    }
}
