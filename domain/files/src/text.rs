//! Bytes → text in whatever encoding a Windows or web tool saved it: a BOM first, then
//! UTF-8, then UTF-16 without a BOM (NUL pattern or the text it makes), then a detector
//! (`chardetng`, the detector Firefox uses, over `encoding_rs`) for GB18030/GBK/Big5.
//! Binary data is refused rather than decoded into noise.

use crate::FileError;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// Text decoded from a file, with the encoding it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding's WHATWG name: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `GBK`, `gb18030`, `Big5` …
    pub encoding: &'static str,
}

/// How much of the file the detector reads: enough for any real document's
/// statistics, and keeps 10 MB of input linear and quick.
const DETECT_PREFIX: usize = 64 * 1024;

/// Decodes the bytes of a text file.
///
/// # Errors
///
/// [`FileError::Empty`] for no bytes (or whitespace only), [`FileError::Binary`] for
/// data with NUL bytes or control characters that no text encoding explains.
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    let decoded = if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        decode_with(encoding, &bytes[bom..])?
    } else if let Some(encoding) = utf16_by_nul_pattern(bytes) {
        decode_with(encoding, bytes)?
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
        }
    } else if let Some(decoded) = utf16_by_content(bytes) {
        decoded
    } else {
        check_control_bytes(bytes)?;
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
        detector.feed(prefix, prefix.len() == bytes.len());
        let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
        // A short sample may fool the detector: the Chinese encodings get a say when
        // the guess leaves malformed sequences.
        [guess, encoding_rs::GB18030, encoding_rs::BIG5]
            .into_iter()
            .map(|encoding| {
                decode_with(encoding, bytes).and_then(|d| check_text(&d.text).map(|()| d))
            })
            .find(Result::is_ok)
            .unwrap_or_else(|| decode_with(guess, bytes))?
    };
    check_text(&decoded.text)?;
    if decoded.text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    Ok(decoded)
}

/// Decodes without replacement: malformed sequences in more than a trace of the
/// text mean the guess was wrong or the data is not text.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, FileError> {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let bad = text
        .chars()
        .filter(|&c| c == char::REPLACEMENT_CHARACTER)
        .count();
    if bad * 100 > text.chars().count().max(1) {
        return Err(FileError::Binary(format!(
            "{bad} byte sequences are not valid {}",
            encoding.name()
        )));
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
    })
}

/// UTF-16 without a BOM, told by where the NUL bytes fall: ASCII characters (digits,
/// line breaks, spaces) have a zero high byte, so one parity holds nearly all NULs.
fn utf16_by_nul_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX) & !1];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in prefix.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 { even += 1 } else { odd += 1 }
        }
    }
    let nuls = even + odd;
    if nuls == 0 || prefix.len() < 4 {
        return None;
    }
    if odd * 10 >= nuls * 9 {
        Some(UTF_16LE)
    } else if even * 10 >= nuls * 9 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// UTF-16 without a BOM and without ASCII (so without NULs): taken when decoding
/// gives text that is mostly CJK ideographs and punctuation. GBK or Big5 read as
/// UTF-16 lands in Hangul, surrogates and private use instead, so the two do not mix.
fn utf16_by_content(bytes: &[u8]) -> Option<Decoded> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    [UTF_16LE, UTF_16BE].into_iter().find_map(|encoding| {
        let (text, had_errors) = encoding.decode_without_bom_handling(prefix);
        let total = text.chars().filter(|c| !c.is_whitespace()).count();
        let cjk = text.chars().filter(|&c| is_cjk_text(c)).count();
        (!had_errors && total > 0 && cjk * 10 >= total * 9)
            .then(|| decode_with(encoding, bytes).ok())
            .flatten()
    })
}

/// A character that Chinese running text is made of.
fn is_cjk_text(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}' | '\u{3400}'..='\u{4dbf}')
        || c.is_ascii_graphic()
}

/// Control bytes other than tab, line breaks and form feed are not in text files of
/// any single-byte-compatible encoding (GBK, Big5 and UTF-8 keep them as ASCII).
fn check_control_bytes(bytes: &[u8]) -> Result<(), FileError> {
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    let control = prefix
        .iter()
        .filter(|&&b| b < 0x80 && is_noise(b as char))
        .count();
    if control > 0 && control * 200 > prefix.len() || prefix.contains(&0) {
        return Err(FileError::Binary(format!("{control} control bytes")));
    }
    Ok(())
}

/// The decoded text holds no NUL and at most a trace of other control characters.
fn check_text(text: &str) -> Result<(), FileError> {
    let (mut control, mut total) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return Err(FileError::Binary("NUL characters".into()));
        }
        if is_noise(c) {
            control += 1;
        }
    }
    if control > 0 && control * 200 > total {
        return Err(FileError::Binary(format!("{control} control characters")));
    }
    Ok(())
}

fn is_noise(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}' | '\u{85}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        encoding.encode(text).0.into_owned()
    }

    const SAMPLE: &str = "三、重点任务\n（一）优化学校布局。2025年底前完成。（牵头单位：县教育局；配合单位：县财政局、县自然资源局）\n";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode_text(SAMPLE.as_bytes()).unwrap().text, SAMPLE);
        let mut bom = vec![0xef, 0xbb, 0xbf];
        bom.extend_from_slice(SAMPLE.as_bytes());
        let d = decode_text(&bom).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, "UTF-8"));
    }

    #[test]
    fn gbk_and_gb18030_are_detected() {
        let d = decode_text(&encode(encoding_rs::GBK, SAMPLE)).unwrap();
        assert_eq!(d.text, SAMPLE);
        assert!(
            d.encoding == "GBK" || d.encoding == "gb18030",
            "{}",
            d.encoding
        );
    }

    #[test]
    fn big5_is_detected() {
        let traditional =
            "三、重點任務\n（一）優化學校佈局。2025年底前完成。〔責任單位:縣教育局,縣財政局〕\n";
        let d = decode_text(&encode(encoding_rs::BIG5, traditional)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (traditional, "Big5"));
    }

    #[test]
    fn utf16_with_bom_and_without() {
        for (encoding, bom) in [(UTF_16LE, [0xff, 0xfe]), (UTF_16BE, [0xfe, 0xff])] {
            let body: Vec<u8> = SAMPLE
                .encode_utf16()
                .flat_map(|u| {
                    if encoding == UTF_16LE {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect();
            let with_bom = [bom.as_slice(), &body].concat();
            assert_eq!(decode_text(&with_bom).unwrap().text, SAMPLE);
            let d = decode_text(&body).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, encoding.name()));
            // no ASCII at all, so no NUL to go by
            let pure: Vec<u8> = "教育局牵头，财政局配合。"
                .encode_utf16()
                .flat_map(|u| {
                    if encoding == UTF_16LE {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect();
            assert_eq!(decode_text(&pure).unwrap().text, "教育局牵头，财政局配合。");
        }
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode_text(b""), Err(FileError::Empty));
        assert_eq!(decode_text(b"  \n "), Err(FileError::Empty));
        let png = [
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 1, 2, 3, 0, 0, 7,
        ];
        assert!(matches!(decode_text(&png), Err(FileError::Binary(_))));
        let noise: Vec<u8> = (0..100_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(matches!(decode_text(&noise), Err(FileError::Binary(_))));
        assert!(matches!(
            decode_text(b"abc\x01\x02\x03\x04def"),
            Err(FileError::Binary(_))
        ));
    }
}
