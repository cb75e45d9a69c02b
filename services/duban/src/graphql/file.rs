//! `FileInput`: a file sent inline as base64, shared by the plan and survey importers.

use async_graphql::InputObject;
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::error::{ServiceError, ServiceResult};

/// The largest decoded file accepted: far above any plan document or statistics table,
/// and within the request body limit once base64-encoded.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Standard alphabet; padding optional, since clients differ in whether they send it.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A file sent inline.
#[derive(InputObject, Clone, Debug)]
pub struct FileInput {
    /// The file's name; its extension is a hint, the content decides the format.
    pub name: String,
    /// The file's bytes in base64 (standard alphabet; line breaks are ignored).
    pub content_base64: String,
}

impl FileInput {
    /// The file's bytes, or BAD_USER_INPUT when the base64 does not decode or the file
    /// is over [`MAX_FILE_BYTES`].
    pub fn decode(&self) -> ServiceResult<Vec<u8>> {
        let text: String = self
            .content_base64
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        if text.len() / 4 * 3 > MAX_FILE_BYTES + 3 {
            return Err(ServiceError::invalid(
                "file",
                format!("the file is larger than the limit of {MAX_FILE_BYTES} bytes"),
            ));
        }
        let bytes = BASE64.decode(text.as_bytes()).map_err(|e| {
            ServiceError::invalid("file", format!("contentBase64 is not valid base64: {e}"))
        })?;
        if bytes.len() > MAX_FILE_BYTES {
            return Err(ServiceError::invalid(
                "file",
                format!("the file is larger than the limit of {MAX_FILE_BYTES} bytes"),
            ));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(content: &str) -> FileInput {
        FileInput {
            name: "plan.txt".into(),
            content_base64: content.into(),
        }
    }

    #[test]
    fn decodes_with_or_without_padding_and_line_breaks() {
        assert_eq!(file("5pa5").decode().unwrap(), "方".as_bytes());
        assert_eq!(file("YWI=").decode().unwrap(), b"ab");
        assert_eq!(file("YWI").decode().unwrap(), b"ab");
        assert_eq!(file("YW\r\nI=").decode().unwrap(), b"ab");
    }

    #[test]
    fn refuses_bad_base64_and_oversized_files() {
        assert!(file("@@@").decode().is_err());
        let big = "A".repeat((MAX_FILE_BYTES / 3 + 2) * 4);
        assert!(file(&big).decode().is_err());
    }
}
