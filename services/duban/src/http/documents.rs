//! Parsed GraphQL documents, kept by their text.
//!
//! Clients send the same few documents over and over with different variables (a
//! department's app reports progress with one mutation text). Parsing is the largest
//! single cost of such a request in this server (async-graphql's pest parser), and
//! cloning a parsed document is much cheaper, so the documents that parsed are kept,
//! up to a bound.

use async_graphql::parser::types::ExecutableDocument;

use crate::bounded::Bounded;

/// Most documents kept (about), so a client sending ever new documents costs memory only
/// up to the bound; the documents sent over and over stay.
const MAX_DOCUMENTS: usize = 256;
/// Longer documents are not kept (they are rare, and the bound is on entries).
const MAX_DOCUMENT_BYTES: usize = 16 * 1024;

/// Parsed documents by their exact text.
pub struct DocumentCache {
    documents: Bounded<String, ExecutableDocument>,
}

impl Default for DocumentCache {
    fn default() -> Self {
        Self {
            documents: Bounded::new(MAX_DOCUMENTS),
        }
    }
}

impl DocumentCache {
    /// A copy of the document parsed from exactly `text`, if kept.
    pub fn get(&self, text: &str) -> Option<ExecutableDocument> {
        self.documents.get(text)
    }

    /// Keeps the document parsed from `text`.
    pub fn insert(&self, text: &str, document: &ExecutableDocument) {
        if text.len() > MAX_DOCUMENT_BYTES {
            return;
        }
        self.documents.insert(text.to_owned(), document.clone());
    }

    /// How many documents are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.documents.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(text).expect("a valid document")
    }

    #[test]
    fn a_kept_document_is_the_one_parsed_from_that_text() {
        let cache = DocumentCache::default();
        let text = "mutation M($id: ID!) { reportProgress(taskId: $id) { id } }";
        assert!(cache.get(text).is_none());
        cache.insert(text, &parse(text));
        let kept = cache.get(text).expect("kept");
        assert_eq!(format!("{kept:?}"), format!("{:?}", parse(text)));
        assert!(
            cache.get("{ me { name } }").is_none(),
            "keyed by exact text"
        );
    }

    /// A request whose document is kept is read like the first one: its own operation
    /// name picks the operation, and a mutation sent with GET is still refused.
    #[test]
    fn requests_over_a_kept_document_choose_their_own_operation() {
        use actix_web::http::header;
        use actix_web::test::TestRequest;
        use async_graphql::parser::types::OperationType;

        use crate::http::graphql_over_http::parse_request_with;

        let cache = DocumentCache::default();
        let text = "query A { me { name } } mutation B { x }";
        let post = |name: &str| {
            let body = serde_json::json!({ "query": text, "operationName": name }).to_string();
            let req = TestRequest::post()
                .uri("/graphql")
                .insert_header((header::CONTENT_TYPE, "application/json"))
                .to_http_request();
            parse_request_with(&req, body.as_bytes(), Some(&cache)).expect("parses")
        };
        assert_eq!(post("A").operation_type(), Some(OperationType::Query));
        assert_eq!(cache.len(), 1);
        assert_eq!(post("B").operation_type(), Some(OperationType::Mutation));
        assert_eq!(post("A").root_field(), Some("me"));

        let get = |name: &str| {
            let query = format!("query={}&operationName={name}", urlencode(text));
            let req = TestRequest::get()
                .uri(&format!("/graphql?{query}"))
                .to_http_request();
            parse_request_with(&req, &[], Some(&cache))
        };
        assert!(get("A").is_ok());
        assert!(get("B").is_err(), "a mutation over GET");
    }

    fn urlencode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    #[test]
    fn the_cache_is_bounded_in_entries_and_in_size_and_keeps_a_document_in_use() {
        let cache = DocumentCache::default();
        let hot = "mutation M($id: ID!) { reportProgress(taskId: $id) { id } }";
        cache.insert(hot, &parse(hot));
        for i in 0..4 * MAX_DOCUMENTS {
            let text = format!("{{ f{i} }}");
            cache.insert(&text, &parse(&text));
            assert!(cache.get(hot).is_some(), "the document in use stays");
        }
        assert!(cache.len() <= MAX_DOCUMENTS, "{} kept", cache.len());
        let long = format!("{{ a {} }}", " ".repeat(MAX_DOCUMENT_BYTES));
        cache.insert(&long, &parse(&long));
        assert!(cache.get(&long).is_none());
    }
}
