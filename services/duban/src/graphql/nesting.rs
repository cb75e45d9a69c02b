//! A guard against documents nested too deep to parse safely, or whose fragments
//! expand too far to validate (counted by [`super::expansion`]).
//!
//! The GraphQL parser and validator recurse once per level of `{`, `[` and `(`, and
//! async-graphql's recursion limit is checked only after parsing: a few hundred nested
//! list brackets in an argument overflowed a worker's stack and aborted the server. This
//! module counts the nesting before anything parses the document (on HTTP in
//! `graphql_over_http::parse_request`, on WebSocket through [`NestingGuard`], which only
//! the WebSocket schema carries: see [`super::Transport`]).

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest,
};
use async_graphql::{ErrorExtensionValues, Request, ServerError, ServerResult};

use super::expansion;

/// The deepest nesting of `{`, `[` and `(` a document may have.
pub const MAX_NESTING: usize = 64;

/// The message of the refusal.
pub fn too_deep_message() -> String {
    format!("the document nests {{, [ and ( more than {MAX_NESTING} levels deep")
}

/// Whether `query` nests `{`, `[` and `(` deeper than `limit`, outside strings and
/// comments. A document the parser would refuse anyway may be counted loosely.
pub fn nesting_exceeds(query: &str, limit: usize) -> bool {
    let bytes = query.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

/// Refuses documents nested deeper than [`MAX_NESTING`] before they are parsed, and
/// documents whose fragments expand too far before they are checked.
pub struct NestingGuard;

impl ExtensionFactory for NestingGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NestingGuard)
    }
}

#[async_trait::async_trait]
impl Extension for NestingGuard {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if nesting_exceeds(&request.query, MAX_NESTING) {
            return Err(bad_document(too_deep_message()));
        }
        // Parsed here (and kept in the request) so that the expansion is counted before
        // async-graphql's own checks after parsing, which follow every spread too.
        let mut request = request;
        let document = request.parsed_query()?;
        if expansion::expansion_exceeds(document, expansion::MAX_EXPANDED_FIELDS) {
            return Err(bad_document(expansion::too_large_message()));
        }
        next.run(ctx, request).await
    }
}

/// A refusal of the document with the code BAD_USER_INPUT.
fn bad_document(message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", crate::error::ErrorCode::BadUserInput.as_str());
    error.extensions = Some(extensions);
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_brackets_outside_strings_and_comments() {
        assert!(!nesting_exceeds("{ a { b(x: [[1]]) { c } } }", 5));
        assert!(nesting_exceeds("{ a { b(x: [[1]]) { c } } }", 4));
        let hidden = format!(
            "{{ a(s: \"{0}\", t: \"\"\"{0}\\\"\"\"{0}\"\"\") # {0}\n }}",
            "[".repeat(100)
        );
        assert!(!nesting_exceeds(&hidden, 3));
        assert!(nesting_exceeds(
            &format!("{{ a(x: {}1) }}", "[".repeat(64)),
            64
        ));
        assert!(!nesting_exceeds(
            &format!("{{ a(x: {}1{}) }}", "[".repeat(62), "]".repeat(62)),
            64
        ));
    }
}
