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
//! Typical use in a handler:
//!
//! ```text
//! async fn graphql(
//!     req: HttpRequest,
//!     payload: web::Payload,
//!     schema: web::Data<AppSchema>,
//! ) -> HttpResponse {
//!     let body = match graphql_over_http::read_body(&req, payload).await {
//!         Ok(body) => body,
//!         Err(rejection) => return rejection.into_response(),
//!     };
//!     let Some(viewer) = authenticate(&req) else {
//!         return graphql_over_http::unauthenticated(&req, "missing or unknown bearer token");
//!     };
//!     let parsed = match graphql_over_http::parse_request(&req, &body) {
//!         Ok(parsed) => parsed,
//!         Err(rejection) => return rejection.into_response(),
//!     };
//!     let name = parsed.operation_name().unwrap_or("anonymous").to_owned();
//!     let kind = parsed.operation_type(); // Option<OperationType>; Display gives "query" etc.
//!     let response = parsed.execute(&schema, |request| request.data(viewer)).await;
//!     record_metrics(&name, kind, response.status());
//!     response
//! }
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
    ObjectType, Positioned, Schema, SubscriptionType, Variables,
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
    /// The media type without parameters.
    pub fn essence(self) -> &'static str {
        match self {
            Self::GraphqlResponseJson => "application/graphql-response+json",
            Self::Json => "application/json",
        }
    }

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
    operation_name: Option<String>,
    operation_type: Option<OperationType>,
    root_field: Option<String>,
}

impl GraphqlRequest {
    /// The negotiated response media type.
    pub fn media_type(&self) -> ResponseMediaType {
        self.media_type
    }

    /// The name of the operation to run (`operationName`, or the name of the document's only
    /// operation); `None` for an anonymous operation or when no operation is selected.
    /// Clients choose these names: cap their number before using them as metric labels.
    pub fn operation_name(&self) -> Option<&str> {
        self.operation_name.as_deref()
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

    /// The async-graphql request (its document is already parsed).
    pub fn request(&self) -> &async_graphql::Request {
        &self.request
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

    /// Executes the request on `schema` after passing it through `data` (to add per-request
    /// data such as the authenticated viewer), and builds the HTTP response.
    pub async fn execute<Q, M, S>(
        self,
        schema: &Schema<Q, M, S>,
        data: impl FnOnce(async_graphql::Request) -> async_graphql::Request,
    ) -> HttpResponse
    where
        Q: ObjectType + 'static,
        M: ObjectType + 'static,
        S: SubscriptionType + 'static,
    {
        let response = schema.execute(data(self.request)).await;
        respond(self.media_type, response)
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
/// WebSocket).
pub fn parse_request(req: &HttpRequest, body: &[u8]) -> Result<GraphqlRequest, Rejection> {
    parse_request_with(req, body, None)
}

/// [`parse_request`], taking the parsed document from `documents` when it holds one for
/// the same text, and keeping it there after parsing otherwise.
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
    let (operation_name, operation_type, root_field) = match request.parsed_query() {
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
        operation_name,
        operation_type,
        root_field,
    })
}

/// Picks the operation the way async-graphql does: by name, or the document's only one.
/// Returns its name (if it has one), type and first root field, or `(None, None, None)`
/// when none is selected.
fn select_operation(
    operations: &DocumentOperations,
    name: Option<&str>,
) -> (Option<String>, Option<OperationType>, Option<String>) {
    selected_operation(operations, name).map_or((None, None, None), |(name, operation)| {
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
        (name.map(str::to_owned), Some(operation.node.ty), root)
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

/// A request refused before execution: an HTTP status and errors, answered without `data`.
///
/// Turn it into the response with [`Rejection::into_response`] or `HttpResponse::from`; it is
/// also an actix-web `ResponseError`, so `?` works in handlers returning `actix_web::Result`.
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

    /// The HTTP status code of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The media type of the answer.
    pub fn media_type(&self) -> ResponseMediaType {
        self.media_type
    }

    /// The errors of the answer, as GraphQL error JSON objects.
    pub fn errors(&self) -> &[Json] {
        &self.errors
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

impl From<Rejection> for HttpResponse {
    fn from(rejection: Rejection) -> Self {
        rejection.into_response()
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = self
            .errors
            .first()
            .and_then(|error| error.get("message"))
            .and_then(Json::as_str)
            .unwrap_or("request refused");
        write!(f, "{} {message}", self.status.as_u16())
    }
}

impl actix_web::ResponseError for Rejection {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        self.clone().into_response()
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

/// Reads, checks and executes a GraphQL-over-HTTP request in one call.
///
/// `body` should come from [`read_body`] (or a `web::Bytes` extractor whose
/// `web::PayloadConfig` limit is at least [`MAX_BODY_BYTES`]); `data` adds per-request data.
/// Use [`parse_request`] and [`GraphqlRequest::execute`] instead to see the operation first.
pub async fn execute<Q, M, S>(
    schema: &Schema<Q, M, S>,
    req: &HttpRequest,
    body: Bytes,
    data: impl FnOnce(async_graphql::Request) -> async_graphql::Request,
) -> HttpResponse
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    match parse_request(req, &body) {
        Ok(request) => request.execute(schema, data).await,
        Err(rejection) => rejection.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use actix_web::{FromRequest, http::header::HeaderMap, test::TestRequest, web};
    use async_graphql::{Context, EmptySubscription, Object, Result as GqlResult};

    use super::*;

    struct Query;

    #[Object]
    impl Query {
        async fn hello(&self) -> &str {
            "world"
        }

        async fn greet(&self, name: String) -> String {
            format!("hello {name}")
        }

        /// Nullable field whose resolver fails.
        async fn fail(&self) -> GqlResult<Option<i32>> {
            Err("boom".into())
        }

        /// Non-null field whose resolver fails: the error bubbles up to `data: null`.
        async fn strict(&self) -> GqlResult<i32> {
            Err("strict boom".into())
        }

        async fn whoami(&self, ctx: &Context<'_>) -> Option<String> {
            ctx.data_opt::<String>().cloned()
        }
    }

    struct Mutation;

    #[Object]
    impl Mutation {
        async fn bump(&self) -> i32 {
            1
        }
    }

    type TestSchema = Schema<Query, Mutation, EmptySubscription>;

    fn schema() -> TestSchema {
        Schema::new(Query, Mutation, EmptySubscription)
    }

    const GQL: &str = "application/graphql-response+json";
    const JSON: &str = "application/json";

    struct Answer {
        status: StatusCode,
        headers: HeaderMap,
        body: Json,
    }

    impl Answer {
        async fn from(response: HttpResponse) -> Self {
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = actix_web::body::to_bytes(response.into_body())
                .await
                .expect("body");
            let body = serde_json::from_slice(&bytes).expect("response body is JSON");
            Self {
                status,
                headers,
                body,
            }
        }

        fn content_type(&self) -> &str {
            self.headers
                .get(header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
        }

        fn has_data(&self) -> bool {
            self.body.get("data").is_some()
        }

        fn first_code(&self) -> Option<&str> {
            self.body["errors"][0]["extensions"]["code"].as_str()
        }
    }

    fn post(accept: Option<&str>, body: &str) -> (HttpRequest, Bytes) {
        let mut req = TestRequest::post()
            .uri("/graphql")
            .insert_header((header::CONTENT_TYPE, JSON));
        if let Some(accept) = accept {
            req = req.insert_header((header::ACCEPT, accept));
        }
        (req.to_http_request(), Bytes::from(body.to_owned()))
    }

    fn get(accept: Option<&str>, query_string: &str) -> (HttpRequest, Bytes) {
        let mut req = TestRequest::get().uri(&format!("/graphql?{query_string}"));
        if let Some(accept) = accept {
            req = req.insert_header((header::ACCEPT, accept));
        }
        (req.to_http_request(), Bytes::new())
    }

    async fn run((req, body): (HttpRequest, Bytes)) -> Answer {
        Answer::from(execute(&schema(), &req, body, |request| request).await).await
    }

    fn accept(value: &str) -> Result<ResponseMediaType, StatusCode> {
        let req = TestRequest::default()
            .insert_header((header::ACCEPT, value))
            .to_http_request();
        negotiate(&req).map_err(|rejection| rejection.status())
    }

    #[test]
    fn negotiates_accept() {
        use ResponseMediaType::{GraphqlResponseJson as G, Json as J};
        assert_eq!(
            negotiate(&TestRequest::default().to_http_request()).ok(),
            Some(J)
        );
        assert_eq!(accept("*/*"), Ok(J));
        assert_eq!(accept("application/*"), Ok(J));
        assert_eq!(accept(JSON), Ok(J));
        assert_eq!(accept(GQL), Ok(G));
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Ok(G)
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json"),
            Ok(G)
        );
        assert_eq!(
            accept("application/json;q=0.5, application/graphql-response+json;q=0.4"),
            Ok(J)
        );
        assert_eq!(accept("application/json;q=0, */*"), Ok(G));
        assert_eq!(accept("text/html, */*;q=0.1"), Ok(J));
        assert_eq!(accept("APPLICATION/JSON; charset=utf-8"), Ok(J));
        assert_eq!(accept("text/html"), Err(StatusCode::NOT_ACCEPTABLE));
        assert_eq!(
            accept("application/json;q=0"),
            Err(StatusCode::NOT_ACCEPTABLE)
        );
        assert_eq!(
            accept("application/json; charset=latin1"),
            Err(StatusCode::NOT_ACCEPTABLE)
        );
    }

    #[actix_web::test]
    async fn not_acceptable_is_406() {
        let answer = run(post(Some("text/html"), r#"{"query":"{ hello }"}"#)).await;
        assert_eq!(answer.status, StatusCode::NOT_ACCEPTABLE);
        assert_eq!(answer.first_code(), Some(BAD_USER_INPUT));
        assert!(!answer.has_data());
    }

    #[actix_web::test]
    async fn post_query_in_each_media_type() {
        for (accept, expected) in [
            (None, JSON),
            (Some("*/*"), JSON),
            (Some(JSON), JSON),
            (Some(GQL), GQL),
        ] {
            let answer = run(post(accept, r#"{"query":"{ hello }"}"#)).await;
            assert_eq!(answer.status, StatusCode::OK);
            assert_eq!(answer.content_type(), format!("{expected}; charset=utf-8"));
            assert_eq!(answer.body, json!({ "data": { "hello": "world" } }));
        }
    }

    #[actix_web::test]
    async fn post_with_variables_operation_name_and_extensions() {
        let body = json!({
            "query": "query A { hello } query B($n: String!) { greet(name: $n) }",
            "operationName": "B",
            "variables": { "n": "duban" },
            "extensions": { "some": "value" },
        });
        let answer = run(post(Some(GQL), &body.to_string())).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body, json!({ "data": { "greet": "hello duban" } }));

        let body =
            r#"{"query":"{ hello }","variables":null,"operationName":null,"extensions":null}"#;
        let answer = run(post(Some(JSON), body)).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body, json!({ "data": { "hello": "world" } }));
    }

    #[actix_web::test]
    async fn post_mutation_runs() {
        let answer = run(post(None, r#"{"query":"mutation { bump }"}"#)).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body, json!({ "data": { "bump": 1 } }));
    }

    #[actix_web::test]
    async fn content_type_must_be_json() {
        for (content_type, status) in [
            (Some("application/json; charset=UTF-8"), StatusCode::OK),
            (Some("Application/JSON;charset=\"utf-8\""), StatusCode::OK),
            (
                Some("application/json; charset=latin1"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                Some("text/plain;charset=UTF-8"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                Some("application/graphql"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                Some("application/x-www-form-urlencoded"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (None, StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ] {
            let mut req = TestRequest::post().uri("/graphql");
            if let Some(content_type) = content_type {
                req = req.insert_header((header::CONTENT_TYPE, content_type));
            }
            let body = Bytes::from_static(br#"{"query":"{ hello }"}"#);
            let answer = run((req.to_http_request(), body)).await;
            assert_eq!(answer.status, status, "{content_type:?}");
            if status != StatusCode::OK {
                assert!(!answer.has_data());
                assert_eq!(answer.first_code(), Some(BAD_USER_INPUT));
            }
        }
    }

    #[actix_web::test]
    async fn bad_json_and_bad_parameters_are_400_without_data() {
        let cases = [
            "",
            "   ",
            "{ \"not a JSON",
            "[{\"query\":\"{ hello }\"}]",
            "\"{ hello }\"",
            r#"{"notquery":"{ hello }"}"#,
            r#"{"query":null}"#,
            r#"{"query":{"obj":"ect"}}"#,
            r#"{"query":0}"#,
            r#"{"query":false}"#,
            r#"{"query":["array"]}"#,
            r#"{"query":"{ hello }","operationName":0}"#,
            r#"{"query":"{ hello }","operationName":{}}"#,
            r#"{"query":"{ hello }","variables":"string"}"#,
            r#"{"query":"{ hello }","variables":["array"]}"#,
            r#"{"query":"{ hello }","variables":false}"#,
            r#"{"query":"{ hello }","extensions":"string"}"#,
            r#"{"query":"{ hello }","extensions":0}"#,
        ];
        for accept in [Some(JSON), Some(GQL)] {
            for body in cases {
                let answer = run(post(accept, body)).await;
                assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
                assert!(!answer.has_data(), "{body}");
                assert_eq!(answer.first_code(), Some(BAD_USER_INPUT), "{body}");
                assert!(answer.body["errors"][0]["message"].is_string());
            }
        }
    }

    #[actix_web::test]
    async fn document_errors_depend_on_media_type() {
        let cases = [
            // parse failure
            json!({ "query": "{" }),
            // validation failure
            json!({ "query": "{ 8f31403dfe404bccbb0e835f2629c6a7 }" }),
            // variable coercion failure
            json!({ "query": "query C($id: ID!) { __typename }", "variables": { "id": null } }),
            // unknown operation name
            json!({ "query": "query A { hello }", "operationName": "B" }),
            // several operations, no name
            json!({ "query": "query A { hello } query B { hello }" }),
        ];
        for body in cases {
            for (accept, status) in [(GQL, StatusCode::BAD_REQUEST), (JSON, StatusCode::OK)] {
                let answer = run(post(Some(accept), &body.to_string())).await;
                assert_eq!(answer.status, status, "{body} {accept}");
                assert!(answer.content_type().starts_with(accept));
                assert!(!answer.has_data(), "{body} {accept}: {}", answer.body);
                assert_eq!(answer.first_code(), Some(BAD_USER_INPUT), "{body}");
            }
        }
    }

    #[actix_web::test]
    async fn parse_error_keeps_locations() {
        let answer = run(post(Some(GQL), r#"{"query":"{"}"#)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(answer.body["errors"][0]["locations"].is_array());
    }

    #[actix_web::test]
    async fn execution_errors_are_200_with_data() {
        for accept in [GQL, JSON] {
            let answer = run(post(Some(accept), r#"{"query":"{ hello fail }"}"#)).await;
            assert_eq!(answer.status, StatusCode::OK);
            assert_eq!(answer.body["data"]["hello"], "world");
            // async-graphql 7.2 leaves a failed nullable field out rather than null.
            assert!(answer.body["data"]["fail"].is_null());
            assert_eq!(answer.body["errors"][0]["message"], "boom");
            assert_eq!(answer.body["errors"][0]["path"], json!(["fail"]));

            // A non-null field error bubbles up to `data: null`: still an execution result.
            let answer = run(post(Some(accept), r#"{"query":"{ strict }"}"#)).await;
            assert_eq!(answer.status, StatusCode::OK);
            assert!(answer.has_data());
            assert_eq!(answer.body["data"], Json::Null);
            assert_eq!(answer.body["errors"][0]["message"], "strict boom");
        }
    }

    #[actix_web::test]
    async fn get_queries() {
        let answer = run(get(None, "query=%7B%20hello%20%7D")).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body, json!({ "data": { "hello": "world" } }));

        let query_string = "query=query%20Q(%24n%3A%20String!)%20%7B%20greet(name%3A%20%24n)%20%7D\
            &operationName=Q&variables=%7B%22n%22%3A%22x%22%7D&extensions=%7B%7D";
        let answer = run(get(Some(GQL), query_string)).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(
            answer.content_type(),
            "application/graphql-response+json; charset=utf-8"
        );
        assert_eq!(answer.body, json!({ "data": { "greet": "hello x" } }));
    }

    #[actix_web::test]
    async fn get_bad_parameters_are_400() {
        for query_string in [
            "",
            "notquery=%7B%20hello%20%7D",
            "query=%7B%20hello%20%7D&query=%7B%20hello%20%7D",
            "query=%7B%20hello%20%7D&variables=%7Bnot%20json",
            "query=%7B%20hello%20%7D&variables=%5B1%5D",
            "query=%7B%20hello%20%7D&extensions=%22s%22",
        ] {
            let answer = run(get(Some(GQL), query_string)).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query_string}");
            assert!(!answer.has_data());
            assert_eq!(answer.first_code(), Some(BAD_USER_INPUT));
        }
    }

    #[actix_web::test]
    async fn get_mutation_is_405_allow_post() {
        for query_string in [
            "query=mutation%20%7B%20bump%20%7D",
            "query=mutation%20%7B%20__typename%20%7D",
            "query=query%20A%20%7B%20hello%20%7D%20mutation%20B%20%7B%20bump%20%7D&operationName=B",
        ] {
            for accept in [GQL, JSON] {
                let answer = run(get(Some(accept), query_string)).await;
                assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
                assert_eq!(answer.headers.get(header::ALLOW).unwrap(), "POST");
                assert!(!answer.has_data());
                assert_eq!(answer.first_code(), Some(BAD_USER_INPUT));
            }
        }
        // The query of the same document is fine over GET.
        let query_string =
            "query=query%20A%20%7B%20hello%20%7D%20mutation%20B%20%7B%20bump%20%7D&operationName=A";
        let answer = run(get(None, query_string)).await;
        assert_eq!(answer.status, StatusCode::OK);
    }

    #[actix_web::test]
    async fn other_methods_are_405() {
        let req = TestRequest::put().uri("/graphql").to_http_request();
        let answer = run((req, Bytes::new())).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(answer.headers.get(header::ALLOW).unwrap(), "GET, POST");
    }

    #[actix_web::test]
    async fn subscriptions_are_refused() {
        let answer = run(post(Some(GQL), r#"{"query":"subscription { tick }"}"#)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(!answer.has_data());
        let message = answer.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("WebSocket"), "{message}");
    }

    #[actix_web::test]
    async fn body_over_the_limit_is_413() {
        let big = format!(
            r#"{{"query":"{{ hello }}","x":"{}"}}"#,
            " ".repeat(MAX_BODY_BYTES)
        );
        let answer = run(post(Some(GQL), &big)).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(!answer.has_data());
        let message = answer.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(&MAX_BODY_BYTES.to_string()), "{message}");
    }

    async fn read(req: TestRequest) -> Result<Bytes, Rejection> {
        let (req, mut payload) = req.to_http_parts();
        let payload = web::Payload::from_request(&req, &mut payload)
            .await
            .expect("payload");
        read_body(&req, payload).await
    }

    #[actix_web::test]
    async fn read_body_limits() {
        let body = read(TestRequest::post().set_payload("{}"))
            .await
            .expect("small body");
        assert_eq!(&body[..], b"{}");

        let at_limit = vec![b' '; MAX_BODY_BYTES];
        let body = read(TestRequest::post().set_payload(at_limit))
            .await
            .expect("at limit");
        assert_eq!(body.len(), MAX_BODY_BYTES);

        let over = vec![b' '; MAX_BODY_BYTES + 1];
        let rejection = read(TestRequest::post().set_payload(over))
            .await
            .unwrap_err();
        assert_eq!(rejection.status(), StatusCode::PAYLOAD_TOO_LARGE);

        // A declared Content-Length over the limit is refused without reading.
        let req = TestRequest::post()
            .insert_header((header::CONTENT_LENGTH, (MAX_BODY_BYTES * 4).to_string()))
            .insert_header((header::ACCEPT, GQL));
        let rejection = read(req).await.unwrap_err();
        assert_eq!(rejection.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            rejection.media_type(),
            ResponseMediaType::GraphqlResponseJson
        );
        let answer = Answer::from(rejection.into_response()).await;
        assert_eq!(answer.first_code(), Some(BAD_USER_INPUT));
    }

    #[actix_web::test]
    async fn unauthenticated_is_401() {
        for (accept, expected) in [(None, JSON), (Some(GQL), GQL), (Some("text/html"), JSON)] {
            let mut req = TestRequest::post();
            if let Some(accept) = accept {
                req = req.insert_header((header::ACCEPT, accept));
            }
            let response = unauthenticated(&req.to_http_request(), "missing bearer token");
            let answer = Answer::from(response).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
            assert!(answer.content_type().starts_with(expected));
            assert_eq!(
                answer.headers.get(header::WWW_AUTHENTICATE).unwrap(),
                "Bearer"
            );
            assert_eq!(
                answer.body,
                json!({ "errors": [{
                    "message": "missing bearer token",
                    "extensions": { "code": UNAUTHENTICATED },
                }] })
            );
        }
    }

    #[test]
    fn operation_name_and_type() {
        let cases = [
            (
                json!({ "query": "{ hello }" }),
                None,
                Some(OperationType::Query),
            ),
            (
                json!({ "query": "query Q { hello }" }),
                Some("Q"),
                Some(OperationType::Query),
            ),
            (
                json!({ "query": "mutation M { bump }" }),
                Some("M"),
                Some(OperationType::Mutation),
            ),
            (
                json!({ "query": "query A { hello } mutation B { bump }", "operationName": "B" }),
                Some("B"),
                Some(OperationType::Mutation),
            ),
            (
                json!({ "query": "query A { hello } query B { hello }" }),
                None,
                None,
            ),
            (
                json!({ "query": "query A { hello }", "operationName": "Nope" }),
                None,
                None,
            ),
            (
                json!({ "query": "{ hello }", "operationName": "Nope" }),
                None,
                None,
            ),
        ];
        for (body, name, kind) in cases {
            let (req, bytes) = post(None, &body.to_string());
            let parsed = parse_request(&req, &bytes).expect("parses");
            assert_eq!(parsed.operation_name(), name, "{body}");
            assert_eq!(parsed.operation_type(), kind, "{body}");
            assert_eq!(parsed.media_type(), ResponseMediaType::Json);
        }
    }

    #[actix_web::test]
    async fn data_reaches_resolvers() {
        let (req, body) = post(None, r#"{"query":"{ whoami }"}"#);
        let parsed = parse_request(&req, &body).expect("parses");
        let response = parsed
            .execute(&schema(), |request| request.data("viewer-1".to_owned()))
            .await;
        let answer = Answer::from(response).await;
        assert_eq!(answer.body, json!({ "data": { "whoami": "viewer-1" } }));

        // The same by hand: into_request, execute, respond.
        let (req, body) = post(Some(GQL), r#"{"query":"{ whoami }"}"#);
        let parsed = parse_request(&req, &body).expect("parses");
        let media_type = parsed.media_type();
        let request = parsed.into_request().data("viewer-2".to_owned());
        let answer = Answer::from(respond(media_type, schema().execute(request).await)).await;
        assert!(answer.content_type().starts_with(GQL));
        assert_eq!(answer.body, json!({ "data": { "whoami": "viewer-2" } }));
    }

    #[actix_web::test]
    async fn rejection_is_a_response_error() {
        let rejection = Rejection::new(
            ResponseMediaType::Json,
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "no",
        );
        assert_eq!(rejection.to_string(), "403 no");
        let error = actix_web::Error::from(rejection);
        let answer = Answer::from(error.error_response()).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(answer.first_code(), Some("FORBIDDEN"));
    }
}
