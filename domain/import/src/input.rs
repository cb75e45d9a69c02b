//! Checking that what arrived is text: not empty, no binary data.

use crate::error::ImportError;

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
        assert_eq!(
            clean("\u{feff}一\r\n二\r三\u{1a}").as_deref(),
            Ok("一\n二\n三")
        );
    }
}
