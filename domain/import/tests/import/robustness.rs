//! Whatever text arrives, reading it returns a plan or an error; it never panics.

use duban_import::{ImportError, parse_plan, parse_plan_bytes};
use proptest::prelude::*;

const SEED_004: &str = include_str!("../fixtures/004_57d03eec54c33079.txt");

/// Characters plans are made of: numbers, brackets, colons, labels, dates.
fn plan_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "一、",
        "三、",
        "(一)",
        "（二）",
        "1.",
        "2、",
        "３．",
        "(1)",
        "①",
        "重点任务",
        "指导思想",
        "实施步骤",
        "(责任单位:",
        "（牵头单位：",
        ";配合单位:",
        "〔责任部门：",
        ")",
        "）",
        "〕",
        "县教育局",
        "各团镇、乡",
        "2025年",
        "8月",
        "-",
        "—",
        "2021年11月-2022年12月",
        "阶段",
        "。",
        "\n",
        " ",
        "《",
        "》",
        "責任單位",
        "牽頭",
        "附件:",
        "第一篇",
        "方案",
        "１",
        "年",
        "月底前",
        "到",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn plan_like_text_never_panics(text in plan_like()) {
        let _ = parse_plan(&text);
    }

    #[test]
    fn any_text_never_panics(text in ".{0,300}") {
        let _ = parse_plan(&text);
    }

    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_plan_bytes(&bytes);
    }

    #[test]
    fn any_cut_of_a_seed_never_panics(start in 0..SEED_004.len(), len in 0..4000usize) {
        let start = (0..=start).rev().find(|&i| SEED_004.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len).min(SEED_004.len());
        let end = (end..=SEED_004.len()).find(|&i| SEED_004.is_char_boundary(i)).unwrap_or(SEED_004.len());
        match parse_plan(&SEED_004[start..end]) {
            Ok(plan) => prop_assert!(!plan.measures.is_empty()),
            Err(e) => prop_assert!(matches!(e, ImportError::Empty | ImportError::NoMeasures)),
        }
    }
}
