//! Bad input: each error, and messages that say what was expected.

use duban_import::{ImportError, parse_plan, parse_plan_bytes};

#[test]
fn empty_text_is_empty() {
    assert_eq!(parse_plan(""), Err(ImportError::Empty));
    assert_eq!(parse_plan(" \n\u{3000}\n"), Err(ImportError::Empty));
    assert_eq!(parse_plan_bytes(b""), Err(ImportError::Empty));
    assert_eq!(
        parse_plan_bytes(b"\xEF\xBB\xBF  \r\n"),
        Err(ImportError::Empty)
    );
}

#[test]
fn text_without_numbered_measures_has_no_measures() {
    assert_eq!(
        parse_plan("鲤城区教育规划\n为推进教育发展,制定本规划。"),
        Err(ImportError::NoMeasures)
    );
    assert_eq!(
        parse_plan("一、指导思想\n以……为指导。\n二、总体目标\n1.资源供给扩容。"),
        Err(ImportError::NoMeasures)
    );
}

#[test]
fn binary_data_is_binary() {
    assert_eq!(
        parse_plan_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        Err(ImportError::Binary)
    );
    assert_eq!(
        parse_plan_bytes(b"PK\x03\x04\x14\x00\x06\x00\x00\x00"),
        Err(ImportError::Binary)
    );
    assert_eq!(
        parse_plan("三、重点任务\n1.甲\u{0}乙"),
        Err(ImportError::Binary)
    );
    assert_eq!(
        parse_plan("三、重点任务\n1.甲\u{7}乙"),
        Err(ImportError::Binary)
    );
}

#[test]
fn text_in_gbk_and_utf16_is_read() {
    // 三、重点任务 / 1.教育 in GBK.
    let gbk = b"\xc8\xfd\xa1\xa2\xd6\xd8\xb5\xe3\xc8\xce\xce\xf1\n1.\xbd\xcc\xd3\xfd";
    assert_eq!(
        parse_plan_bytes(gbk).unwrap().measures[0].description,
        "教育"
    );
    let text = "三、重点任务\n1.教育";
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(
        parse_plan_bytes(&utf16).unwrap().measures[0].description,
        "教育"
    );
}

#[test]
fn utf8_bytes_with_a_byte_order_mark_and_crlf_parse() {
    let bytes = "\u{feff}某县规划\r\n三、重点任务\r\n1.甲。\r\n".as_bytes();
    let plan = parse_plan_bytes(bytes).expect("the plan parses");
    assert_eq!(plan.title.as_deref(), Some("某县规划"));
    assert_eq!(plan.measures[0].description, "甲。");
}

#[test]
fn messages_say_what_was_expected() {
    assert!(ImportError::Empty.to_string().contains("expected"));
    assert!(ImportError::NotUtf8.to_string().contains("UTF-8"));
    assert!(ImportError::Binary.to_string().contains("plain text"));
    assert!(ImportError::NoMeasures.to_string().contains("一、"));
}
