//! Fuzz-like: no input makes the readers panic, whatever format it is taken for; the
//! text decoder's time grows linearly with the input.

use duban_files::{Format, decode_text, read_table, sniff};
use proptest::prelude::*;

const FORMATS: [Format; 7] = [
    Format::Txt,
    Format::Csv,
    Format::Docx,
    Format::Xlsx,
    Format::Xls,
    Format::Pdf,
    Format::Unknown,
];

/// Bytes that start like the formats' magic numbers, so the readers get past them.
fn prefixed() -> impl Strategy<Value = Vec<u8>> {
    let heads: Vec<Vec<u8>> = vec![
        b"PK\x03\x04".to_vec(),
        vec![0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
        b"%PDF-1.4".to_vec(),
        vec![0xff, 0xfe],
        vec![0xef, 0xbb, 0xbf],
        Vec::new(),
    ];
    (
        proptest::sample::select(heads),
        proptest::collection::vec(any::<u8>(), 0..600),
    )
        .prop_map(|(mut head, tail)| {
            head.extend(tail);
            head
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn readers_never_panic(bytes in prefixed(), name in "[a-z]{0,3}\\.(csv|txt|xlsx|)") {
        let _ = decode_text(&bytes);
        let _ = sniff(&bytes, &name);
        for format in FORMATS {
            let _ = read_table(&bytes, format);
        }
    }

    #[test]
    fn chinese_text_survives_every_encoding(text in "[一-龥，。、：；（）0-9a-z\\n]{1,200}") {
        prop_assume!(!text.trim().is_empty());
        let utf8 = decode_text(text.as_bytes()).unwrap();
        prop_assert_eq!(&utf8.text, &text);
        let gb = encoding_rs::GB18030.encode(&text).0.into_owned();
        // short GBK samples may be ambiguous to a detector; they must still decode as text
        prop_assert!(decode_text(&gb).is_ok());
    }
}

#[test]
fn damaged_real_workbook_never_panics() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for r in 0..30u32 {
        sheet.write(r, 0, format!("任务{r}")).unwrap();
    }
    let good = book.save_to_buffer().unwrap();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..300 {
        let mut bytes = good.clone();
        for _ in 0..8 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % bytes.len();
            bytes[at] = (state >> 32) as u8;
        }
        let _ = read_table(&bytes, Format::Xlsx);
        let _ = sniff(&bytes, "a.xlsx");
    }
}

#[test]
fn ten_megabytes_of_noise_are_refused_quickly() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let noise: Vec<u8> = (0..10 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let started = std::time::Instant::now();
    assert!(decode_text(&noise).is_err());
    assert_eq!(sniff(&noise, "noise.txt"), Format::Unknown);
    assert!(read_table(&noise, Format::Csv).is_err());
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}
