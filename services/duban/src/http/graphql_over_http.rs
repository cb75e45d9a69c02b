//! GraphQL over HTTP (the graphql-over-http draft spec) for actix-web and async-graphql.
//!
//! The stock `async-graphql-actix-web` responder always answers 200 with one content type;
//! this module does the transport by hand so that the `graphql-http` audit suite passes:
//!
//! * `Accept` is negotiated: `application/graphql-response+json`, `application/json`,
//!   `application/*` and `*/*` (wildcards mean `application/json`); a missing `Accept` means
//!   `application/json`; nothing acceptable gives 406. The response `Content-Type` is the
//!   negotiated type with `charset=utf-8`.
//! * POST bodies are read as JSON only with `Content-Type: application/json` (an optional
//!   `charset` must be utf-8); anything else gives 415. Bodies over [`MAX_BODY_BYTES`] give 413.
//! * GET reads `query`, `operationName`, `variables` and `extensions` (the last two as
//!   URL-encoded JSON) from the query string; a mutation over GET gives 405 with `Allow: POST`.
//! * Request errors (JSON that does not parse, invalid parameters) give 400 without `data`.
//! * Document errors (parse, validation, variable coercion, operation selection) give 400
//!   without `data` for `application/graphql-response+json`, and 200 without `data` for
//!   `application/json` (the legacy behaviour the spec and the audit expect).
//! * Execution (resolver) errors give 200 with `data` and `errors`.
//!
//! Every error this module makes carries `extensions.code` (`BAD_USER_INPUT` for request
//! errors, and the same is added to document and execution errors that have no code, such
//! as an argument that does not coerce to its type).
//!
//! The handler of `POST /graphql` and `GET /graphql` (`endpoints::handle`) uses it so,
//! abridged (it also counts metrics, keeps answers in the response cache and executes on
//! the application's runtime):
//!
//! ```text
//! let body = match goh::read_body(&req, payload).await {
//!     Ok(body) => body,
//!     Err(rejection) => return rejection.into_response(),
//! };
//! let token = match viewer_of(&app, &req).await {
//!     Ok(token) => token,
//!     Err(response) => return response, // 401 from goh::unauthenticated
//! };
//! let parsed = match goh::parse_request_with(&req, &body, Some(&app.documents)) {
//!     Ok(parsed) => parsed,
//!     Err(rejection) => return rejection.into_response(),
//! };
//! let media_type = parsed.media_type();
//! let request = parsed.into_request().data(Viewer { token });
//! let response = schema.execute(request).await;
//! goh::respond(media_type, response)
//! ```

use std::collections::HashMap;

use actix_web::{
    HttpRequest, HttpResponse,
    http::{
        Method, StatusCode,
        header::{self, HeaderName, HeaderValue},
    },
    web::{Bytes, Payload, Query},
};
use async_graphql::{
    Positioned, Variables,
    parser::types::{DocumentOperations, OperationDefinition, OperationType, Selection},
};
use serde_json::{Map, Value as Json, json};

use super::documents::DocumentCache;

/// The largest request body accepted, in bytes (16 MiB: a plan document or statistics
/// table of up to 10 MiB sent inline as base64). Larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How long a request body may stall between two chunks before it is refused with 408:
/// a client that stops sending midway must not hold its connection.
pub const BODY_STALL: std::time::Duration = std::time::Duration::from_secs(5);

/// `extensions.code` of request errors (bad JSON, bad parameters, bad documents).
pub const BAD_USER_INPUT: &str = crate::error::ErrorCode::BadUserInput.as_str();

/// `extensions.code` of the 401 answer to a missing or unknown token.
pub const UNAUTHENTICATED: &str = crate::error::ErrorCode::Unauthenticated.as_str();

/// The media type of a GraphQL response, chosen from the request's `Accept` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseMediaType {
    /// `application/graphql-response+json`: request errors use 4xx status codes.
    GraphqlResponseJson,
    /// `application/json`: the legacy type; document errors are answered with 200.
    Json,
}

impl ResponseMediaType {
    /// The `Content-Type` header value for a response: the media type with `charset=utf-8`.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        }
    }

    /// The status code for errors in the GraphQL document (parse, validation, variables):
    /// 400 for `application/graphql-response+json`, 200 for `application/json`.
    pub fn document_error_status(self) -> StatusCode {
        match self {
            Self::GraphqlResponseJson => StatusCode::BAD_REQUEST,
            Self::Json => StatusCode::OK,
        }
    }
}

/// Chooses the response media type from the `Accept` header.
///
/// A missing or empty `Accept` means `application/json`; `*/*` and `application/*` mean
/// `application/json`; an explicit `application/graphql-response+json` wins over an equally
/// weighted `application/json`. When nothing acceptable is offered, the error is a 406
/// (answered in `application/json`).
pub fn negotiate(req: &HttpRequest) -> Result<ResponseMediaType, Rejection> {
    use ResponseMediaType::{GraphqlResponseJson, Json};
    let ranges: Vec<MediaRange> = req
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(parse_media_range)
        .collect();
    if ranges.is_empty() {
        return Ok(ResponseMediaType::Json);
    }
    // The most specific range matching a type decides its weight; q=0 excludes it.
    let weight = |candidate: ResponseMediaType| {
        ranges
            .iter()
            .filter_map(|range| {
                range
                    .matches(candidate)
                    .map(|specificity| (range.q, specificity))
            })
            .max_by_key(|&(_, specificity)| specificity)
            .filter(|&(q, _)| q > 0.0)
    };
    match (weight(GraphqlResponseJson), weight(Json)) {
        (Some(_), None) => Ok(GraphqlResponseJson),
        (None, Some(_)) => Ok(Json),
        (Some((gq, gs)), Some((jq, js))) => Ok(if gq != jq {
            if gq > jq { GraphqlResponseJson } else { Json }
        } else if gs != js {
            if gs > js { GraphqlResponseJson } else { Json }
        } else if gs == 2 {
            // Both named explicitly with the same weight: the newer type is more precise.
            GraphqlResponseJson
        } else {
            // Reached only through wildcards: application/json, as the spec asks.
            Json
        }),
        (None, None) => Err(Rejection::new(
            Json,
            StatusCode::NOT_ACCEPTABLE,
            BAD_USER_INPUT,
            "the Accept header allows none of the response types offered: \
             application/graphql-response+json, application/json",
        )),
    }
}

/// One media range of an `Accept` header.
struct MediaRange {
    kind: String,
    subtype: String,
    q: f32,
    charset_ok: bool,
}

impl MediaRange {
    /// How specifically this range matches the candidate (2 exact, 1 `type/*`, 0 `*/*`).
    fn matches(&self, candidate: ResponseMediaType) -> Option<u8> {
        if !self.charset_ok {
            return None;
        }
        let subtype = match candidate {
            ResponseMediaType::GraphqlResponseJson => "graphql-response+json",
            ResponseMediaType::Json => "json",
        };
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", "*") => Some(0),
            ("application", "*") => Some(1),
            ("application", s) if s == subtype => Some(2),
            _ => None,
        }
    }
}

fn parse_media_range(text: &str) -> Option<MediaRange> {
    let mut parts = text.split(';');
    let essence = parts.next()?.trim().to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/')?;
    if kind.is_empty() || subtype.is_empty() {
        return None;
    }
    let mut range = MediaRange {
        kind: kind.trim().to_owned(),
        subtype: subtype.trim().to_owned(),
        q: 1.0,
        charset_ok: true,
    };
    for param in parts {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"');
        match name.trim().to_ascii_lowercase().as_str() {
            "q" => {
                range.q = value
                    .parse::<f32>()
                    .ok()
                    .filter(|q| (0.0..=1.0).contains(q))?
            }
            "charset" => range.charset_ok = value.eq_ignore_ascii_case("utf-8"),
            _ => {}
        }
    }
    Some(range)
}

/// A GraphQL request read from an HTTP request, ready to execute.
#[derive(Debug)]
pub struct GraphqlRequest {
    media_type: ResponseMediaType,
    request: async_graphql::Request,
    operation_type: Option<OperationType>,
    root_field: Option<String>,
}

impl GraphqlRequest {
    /// The negotiated response media type.
    pub fn media_type(&self) -> ResponseMediaType {
        self.media_type
    }

    /// The type of the operation to run, or `None` if the document does not select exactly
    /// one operation (execution then answers with an error).
    pub fn operation_type(&self) -> Option<OperationType> {
        self.operation_type
    }

    /// The name of the first field the operation selects at its root (not its alias),
    /// when that is a field: what the request is about, for metrics.
    pub fn root_field(&self) -> Option<&str> {
        self.root_field.as_deref()
    }

    /// Mutable access to the async-graphql request, e.g. to add data.
    pub fn request_mut(&mut self) -> &mut async_graphql::Request {
        &mut self.request
    }

    /// The async-graphql request, to execute yourself; answer with [`respond`] and
    /// [`GraphqlRequest::media_type`].
    pub fn into_request(self) -> async_graphql::Request {
        self.request
    }
}

/// Reads the request body from `payload`, up to [`MAX_BODY_BYTES`].
///
/// Use this (with a `web::Payload` extractor) rather than the `web::Bytes` extractor, whose
/// default limit is 256 KiB and whose overflow error is not a GraphQL response. The error is
/// 413 for a body over the limit (checked against `Content-Length` before reading), 400 when
/// the body cannot be read.
pub async fn read_body(req: &HttpRequest, payload: Payload) -> Result<Bytes, Rejection> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return Err(body_too_large(req));
    }
    let mut payload = payload;
    let mut body = actix_web::web::BytesMut::new();
    loop {
        match tokio::time::timeout(BODY_STALL, futures::StreamExt::next(&mut payload)).await {
            Err(_) => {
                return Err(Rejection::new(
                    fallback_media_type(req),
                    StatusCode::REQUEST_TIMEOUT,
                    BAD_USER_INPUT,
                    &format!(
                        "the request body stalled for {} s; send it whole",
                        BODY_STALL.as_secs()
                    ),
                ));
            }
            Ok(None) => return Ok(body.freeze()),
            Ok(Some(Ok(chunk))) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(body_too_large(req));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Some(Err(err))) => {
                return Err(Rejection::new(
                    fallback_media_type(req),
                    StatusCode::BAD_REQUEST,
                    BAD_USER_INPUT,
                    &format!("could not read the request body: {err}"),
                ));
            }
        }
    }
}

fn body_too_large(req: &HttpRequest) -> Rejection {
    Rejection::new(
        fallback_media_type(req),
        StatusCode::PAYLOAD_TOO_LARGE,
        BAD_USER_INPUT,
        &format!(
            "the request body is larger than the limit of {MAX_BODY_BYTES} bytes ({} MiB); \
             send a smaller document or fewer variables",
            MAX_BODY_BYTES / (1024 * 1024)
        ),
    )
}

/// The negotiated media type, or `application/json` when `Accept` allows neither.
fn fallback_media_type(req: &HttpRequest) -> ResponseMediaType {
    negotiate(req).unwrap_or(ResponseMediaType::Json)
}

/// Reads a GraphQL request from an HTTP GET or POST request and its body.
///
/// Checks, in order: the method (GET or POST, else 405), `Accept` (406), for POST the
/// `Content-Type` (415) and body size (413), the JSON and its parameters (400), the document
/// (parse errors: 400 or 200 by media type), and for GET that the operation is not a mutation
/// (405 with `Allow: POST`). Subscriptions are refused here too (they are served over
/// WebSocket). With `documents`, the parsed document is taken from there when it holds one
/// for the same text, and kept there after parsing otherwise.
pub fn parse_request_with(
    req: &HttpRequest,
    body: &[u8],
    documents: Option<&DocumentCache>,
) -> Result<GraphqlRequest, Rejection> {
    let is_get = match *req.method() {
        Method::GET => true,
        Method::POST => false,
        _ => {
            return Err(Rejection::new(
                fallback_media_type(req),
                StatusCode::METHOD_NOT_ALLOWED,
                BAD_USER_INPUT,
                &format!(
                    "method {} is not supported: use GET for queries or POST",
                    req.method()
                ),
            )
            .with_allow("GET, POST"));
        }
    };
    let media_type = negotiate(req)?;
    let bad = |message: &str| {
        Rejection::new(media_type, StatusCode::BAD_REQUEST, BAD_USER_INPUT, message)
    };

    let params = if is_get {
        params_from_query_string(req.query_string()).map_err(|m| bad(&m))?
    } else {
        check_content_type(req).map_err(|message| {
            Rejection::new(
                media_type,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                BAD_USER_INPUT,
                &message,
            )
        })?;
        if body.len() > MAX_BODY_BYTES {
            return Err(body_too_large(req));
        }
        params_from_json_body(body).map_err(|m| bad(&m))?
    };

    let mut request = async_graphql::Request::new(params.query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    request = request.variables(Variables::from_json(Json::Object(params.variables)));
    for (key, value) in params.extensions {
        let value = async_graphql::Value::from_json(value)
            .map_err(|err| bad(&format!("the extensions parameter is not valid: {err}")))?;
        request.extensions.0.insert(key, value);
    }

    // The parser recurses per level: refuse what would overflow the stack first.
    let nesting = crate::graphql::nesting::MAX_NESTING;
    if crate::graphql::nesting::nesting_exceeds(&request.query, nesting) {
        return Err(Rejection::new(
            media_type,
            media_type.document_error_status(),
            BAD_USER_INPUT,
            &crate::graphql::nesting::too_deep_message(),
        ));
    }
    let requested_name = request.operation_name.clone();
    // The text of a document to keep once parsed (a copy: the parse borrows the request).
    let mut keep_as = None;
    // A cached document was checked when it was kept.
    let mut checked = false;
    if let Some(documents) = documents {
        match documents.get(&request.query) {
            Some(document) => {
                request.set_parsed_query(document);
                checked = true;
            }
            None => keep_as = Some(request.query.clone()),
        }
    }
    let (operation_type, root_field) = match request.parsed_query() {
        Err(error) => {
            return Err(Rejection {
                media_type,
                status: media_type.document_error_status(),
                errors: vec![request_error_json(&error)],
                allow: None,
            });
        }
        Ok(document) => {
            // Validation expands every fragment spread: refuse what would cost too much.
            let limit = crate::graphql::expansion::MAX_EXPANDED_FIELDS;
            if !checked && crate::graphql::expansion::expansion_exceeds(document, limit) {
                return Err(Rejection::new(
                    media_type,
                    media_type.document_error_status(),
                    BAD_USER_INPUT,
                    &crate::graphql::expansion::too_large_message(),
                ));
            }
            if let (Some(documents), Some(text)) = (documents, &keep_as) {
                documents.insert(text, document);
            }
            select_operation(&document.operations, requested_name.as_deref())
        }
    };

    match operation_type {
        Some(OperationType::Mutation) if is_get => {
            return Err(Rejection::new(
                media_type,
                StatusCode::METHOD_NOT_ALLOWED,
                BAD_USER_INPUT,
                "mutations cannot be sent with GET: use POST",
            )
            .with_allow("POST"));
        }
        Some(OperationType::Subscription) => {
            return Err(Rejection::new(
                media_type,
                media_type.document_error_status(),
                BAD_USER_INPUT,
                "subscriptions are not served over HTTP: use a WebSocket on this path \
                 with the graphql-transport-ws protocol",
            ));
        }
        _ => {}
    }

    Ok(GraphqlRequest {
        media_type,
        request,
        operation_type,
        root_field,
    })
}

/// Picks the operation the way async-graphql does: by name, or the document's only one.
/// Returns its type and first root field, or `(None, None)` when none is selected.
fn select_operation(
    operations: &DocumentOperations,
    name: Option<&str>,
) -> (Option<OperationType>, Option<String>) {
    selected_operation(operations, name).map_or((None, None), |(_, operation)| {
        let root = operation
            .node
            .selection_set
            .node
            .items
            .first()
            .and_then(|item| match &item.node {
                Selection::Field(field) => Some(field.node.name.node.to_string()),
                _ => None,
            });
        (Some(operation.node.ty), root)
    })
}

/// The operation a request with `operationName` `name` runs, with its name if it has
/// one; `None` when the document selects none (async-graphql's rule).
pub fn selected_operation<'a>(
    operations: &'a DocumentOperations,
    name: Option<&str>,
) -> Option<(Option<&'a str>, &'a Positioned<OperationDefinition>)> {
    match (operations, name) {
        (DocumentOperations::Single(operation), None) => Some((None, operation)),
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Multiple(map), Some(name)) => map
            .get_key_value(name)
            .map(|(name, operation)| (Some(name.as_str()), operation)),
        (DocumentOperations::Multiple(map), None) if map.len() == 1 => map
            .iter()
            .next()
            .map(|(name, operation)| (Some(name.as_str()), operation)),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// `Content-Type` must be `application/json`, with no charset or utf-8.
fn check_content_type(req: &HttpRequest) -> Result<(), String> {
    const EXPECTED: &str = "send the request with Content-Type: application/json";
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return Err(format!("the request has no Content-Type: {EXPECTED}"));
    };
    let Ok(value) = value.to_str() else {
        return Err(format!("the Content-Type is not readable: {EXPECTED}"));
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(format!(
            "Content-Type {essence} is not supported: {EXPECTED}"
        ));
    }
    for (name, charset) in parts.filter_map(|param| param.split_once('=')) {
        let charset = charset.trim().trim_matches('"');
        if name.trim().eq_ignore_ascii_case("charset") && !charset.eq_ignore_ascii_case("utf-8") {
            return Err(format!(
                "charset {charset} is not supported: send the body as utf-8"
            ));
        }
    }
    Ok(())
}

/// The GraphQL-over-HTTP request parameters.
struct Params {
    query: String,
    operation_name: Option<String>,
    variables: Map<String, Json>,
    extensions: Map<String, Json>,
}

fn params_from_json_body(body: &[u8]) -> Result<Params, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("the request body is empty: send a JSON object with a query".to_owned());
    }
    let value: Json = super::strict_json::from_slice(body)
        .map_err(|err| format!("the request body is not valid JSON: {err}"))?;
    let Json::Object(mut object) = value else {
        return Err(
            "the request body must be a JSON object (batched requests are not supported)"
                .to_owned(),
        );
    };
    let query = match object.remove("query") {
        Some(Json::String(query)) => query,
        None | Some(Json::Null) => {
            return Err("the query parameter is missing".to_owned());
        }
        Some(other) => {
            return Err(format!(
                "the query parameter must be a string, not {}",
                json_kind(&other)
            ));
        }
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Json::Null) => None,
        Some(Json::String(name)) => Some(name),
        Some(other) => {
            return Err(format!(
                "the operationName parameter must be a string or null, not {}",
                json_kind(&other)
            ));
        }
    };
    let variables = json_map_param(object.remove("variables"), "variables")?;
    let extensions = json_map_param(object.remove("extensions"), "extensions")?;
    Ok(Params {
        query,
        operation_name,
        variables,
        extensions,
    })
}

fn json_map_param(value: Option<Json>, name: &str) -> Result<Map<String, Json>, String> {
    match value {
        None | Some(Json::Null) => Ok(Map::new()),
        Some(Json::Object(map)) => Ok(map),
        Some(other) => Err(format!(
            "the {name} parameter must be a JSON object or null, not {}",
            json_kind(&other)
        )),
    }
}

fn params_from_query_string(query_string: &str) -> Result<Params, String> {
    let pairs = Query::<Vec<(String, String)>>::from_query(query_string)
        .map_err(|err| format!("the query string is not valid: {err}"))?
        .into_inner();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (key, value) in pairs {
        if matches!(
            key.as_str(),
            "query" | "operationName" | "variables" | "extensions"
        ) && seen.insert(key.clone(), value).is_some()
        {
            return Err(format!("the {key} parameter is given more than once"));
        }
    }
    let Some(query) = seen.remove("query") else {
        return Err("the query parameter is missing".to_owned());
    };
    let operation_name = seen.remove("operationName").filter(|name| !name.is_empty());
    let json_param = |name: &str, text: Option<String>| -> Result<Map<String, Json>, String> {
        match text.filter(|text| !text.trim().is_empty()) {
            None => Ok(Map::new()),
            Some(text) => {
                let value: Json = serde_json::from_str(&text).map_err(|err| {
                    format!("the {name} parameter is not valid URL-encoded JSON: {err}")
                })?;
                json_map_param(Some(value), name)
            }
        }
    };
    let variables = json_param("variables", seen.remove("variables"))?;
    let extensions = json_param("extensions", seen.remove("extensions"))?;
    Ok(Params {
        query,
        operation_name,
        variables,
        extensions,
    })
}

fn json_kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// Builds the HTTP response for an executed request.
///
/// When async-graphql answered before execution (no `data`, and only errors without a path:
/// validation, variable coercion, operation selection), this is a request error: no `data`,
/// `BAD_USER_INPUT` added to errors without a code, status 400 or 200 by media type.
/// Otherwise 200 with `data` (possibly null) and any `errors`.
pub fn respond(media_type: ResponseMediaType, response: async_graphql::Response) -> HttpResponse {
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty());

    let mut builder = if request_error {
        HttpResponse::build(media_type.document_error_status())
    } else {
        HttpResponse::Ok()
    };
    builder.insert_header((header::CONTENT_TYPE, media_type.content_type()));
    if let Some(cache_control) = response.cache_control.value() {
        builder.insert_header((header::CACHE_CONTROL, cache_control));
    }
    for (name, value) in response.http_headers.iter() {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_str().as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            builder.append_header((name, value));
        }
    }

    if let Some(body) = data_body(&response) {
        return builder.body(body);
    }
    let mut body = Map::new();
    if request_error {
        let errors = response.errors.iter().map(request_error_json).collect();
        body.insert("errors".to_owned(), Json::Array(errors));
    } else {
        body.insert("data".to_owned(), to_json(&response.data));
        if !response.errors.is_empty() {
            // Argument coercion errors come from execution (with a path) and no code.
            let errors = response.errors.iter().map(request_error_json).collect();
            body.insert("errors".to_owned(), Json::Array(errors));
        }
    }
    if !response.extensions.is_empty() {
        body.insert("extensions".to_owned(), to_json(&response.extensions));
    }
    builder.body(Json::Object(body).to_string())
}

/// The body of an answer that is all data (no errors, extensions or headers), written
/// straight from the resolved value (in the document's field order); `None` otherwise.
pub fn data_body(response: &async_graphql::Response) -> Option<Bytes> {
    let plain = response.errors.is_empty()
        && response.extensions.is_empty()
        && response.http_headers.is_empty()
        && response.cache_control.value().is_none();
    if !plain {
        return None;
    }
    let mut body = Vec::with_capacity(4096);
    body.extend_from_slice(b"{\"data\":");
    serde_json::to_writer(&mut body, &response.data).ok()?;
    body.push(b'}');
    Some(Bytes::from(body))
}

/// A 200 answer with a body from [`data_body`] (kept, or just written).
pub fn respond_data(media_type: ResponseMediaType, body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, media_type.content_type()))
        .body(body)
}

fn to_json<T: serde::Serialize>(value: &T) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}

/// An error as JSON, with `extensions.code` `BAD_USER_INPUT` unless it has a code.
fn request_error_json(error: &async_graphql::ServerError) -> Json {
    let mut value = to_json(error);
    if let Json::Object(object) = &mut value {
        let extensions = object
            .entry("extensions")
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(extensions) = extensions {
            extensions
                .entry("code")
                .or_insert_with(|| Json::String(BAD_USER_INPUT.to_owned()));
        }
    }
    value
}

/// A response without `data` holding one error with `message` and `extensions.code`.
pub fn error_response(
    media_type: ResponseMediaType,
    status: StatusCode,
    code: &str,
    message: &str,
) -> HttpResponse {
    Rejection::new(media_type, status, code, message).into_response()
}

/// A request refused before execution: an HTTP status and errors, answered without `data`
/// by [`Rejection::into_response`].
#[derive(Debug, Clone)]
pub struct Rejection {
    media_type: ResponseMediaType,
    status: StatusCode,
    errors: Vec<Json>,
    allow: Option<&'static str>,
}

impl Rejection {
    /// A rejection with one error with `message` and `extensions.code` `code`.
    pub fn new(
        media_type: ResponseMediaType,
        status: StatusCode,
        code: &str,
        message: &str,
    ) -> Self {
        Self {
            media_type,
            status,
            errors: vec![json!({ "message": message, "extensions": { "code": code } })],
            allow: None,
        }
    }

    /// Adds an `Allow` header (for 405 answers).
    fn with_allow(mut self, methods: &'static str) -> Self {
        self.allow = Some(methods);
        self
    }

    /// The HTTP response: `{"errors": [...]}` in the media type, with `Allow` for 405.
    pub fn into_response(self) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status);
        builder.insert_header((header::CONTENT_TYPE, self.media_type.content_type()));
        if let Some(methods) = self.allow {
            builder.insert_header((header::ALLOW, methods));
        }
        builder.body(json!({ "errors": self.errors }).to_string())
    }
}

/// The 401 answer to a missing or unknown bearer token: one error with
/// `extensions.code` `UNAUTHENTICATED`, in the negotiated media type (`application/json`
/// when `Accept` allows neither), with `WWW-Authenticate: Bearer`.
pub fn unauthenticated(req: &HttpRequest, message: &str) -> HttpResponse {
    let mut response = error_response(
        fallback_media_type(req),
        StatusCode::UNAUTHORIZED,
        UNAUTHENTICATED,
        message,
    );
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

#[cfg(test)]
mod tests;
