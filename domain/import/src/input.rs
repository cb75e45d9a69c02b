//! Checking that what arrived is text: not empty, UTF-8, no binary data.

use crate::error::ImportError;

/// The text in `bytes`, or why they are not plan text. UTF-16 (what Windows calls
/// "Unicode") is reported as not UTF-8, so the person knows to save as UTF-8.
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, ImportError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportError::NotUtf8);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    if bytes.contains(&0) {
        return Err(ImportError::Binary);
    }
    std::str::from_utf8(bytes).map_err(|_| ImportError::NotUtf8)
}

/// The text with a byte-order mark and a trailing DOS end-of-file mark (Ctrl-Z)
/// dropped and line ends made `\n`; or why it is not plan text. Tab, line feed,
/// carriage return, vertical tab and form feed are the only control characters
/// allowed: any other (NUL included) means binary data.
pub(crate) fn clean(text: &str) -> Result<String, ImportError> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .trim_end_matches('\u{1a}');
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}'))
    {
        return Err(ImportError::Binary);
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_marks_and_line_ends() {
        assert_eq!(decode(b"\xEF\xBB\xBFtext"), Ok("\u{feff}text"));
        assert_eq!(
            clean("\u{feff}一\r\n二\r三\u{1a}").as_deref(),
            Ok("一\n二\n三")
        );
    }

    #[test]
    fn utf16_is_not_utf8() {
        assert_eq!(decode(&[0xFF, 0xFE, 0x00, 0x4E]), Err(ImportError::NotUtf8));
    }
}
