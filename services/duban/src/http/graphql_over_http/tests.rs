//! Tests of the GraphQL-over-HTTP transport over a small schema of its own: content
//! negotiation, status codes by media type, GET and POST, body limits and the errors'
//! codes, each request answered the way `endpoints::handle` answers it.

use actix_web::{FromRequest, http::header::HeaderMap, test::TestRequest, web};
use async_graphql::{Context, EmptySubscription, Object, Result as GqlResult, Schema};

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

/// Answers a request as `endpoints::handle` does (without its token, metrics and cache),
/// adding `data` to the request before it executes.
async fn handle(
    req: &HttpRequest,
    body: &[u8],
    data: impl FnOnce(async_graphql::Request) -> async_graphql::Request,
) -> HttpResponse {
    match parse_request_with(req, body, None) {
        Ok(parsed) => {
            let media_type = parsed.media_type();
            let request = data(parsed.into_request());
            respond(media_type, schema().execute(request).await)
        }
        Err(rejection) => rejection.into_response(),
    }
}

async fn run((req, body): (HttpRequest, Bytes)) -> Answer {
    Answer::from(handle(&req, &body, |request| request).await).await
}

fn accept(value: &str) -> Result<ResponseMediaType, StatusCode> {
    let req = TestRequest::default()
        .insert_header((header::ACCEPT, value))
        .to_http_request();
    negotiate(&req).map_err(|rejection| rejection.status)
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

    let body = r#"{"query":"{ hello }","variables":null,"operationName":null,"extensions":null}"#;
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
    assert_eq!(rejection.status, StatusCode::PAYLOAD_TOO_LARGE);

    // A declared Content-Length over the limit is refused without reading.
    let req = TestRequest::post()
        .insert_header((header::CONTENT_LENGTH, (MAX_BODY_BYTES * 4).to_string()))
        .insert_header((header::ACCEPT, GQL));
    let rejection = read(req).await.unwrap_err();
    assert_eq!(rejection.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(rejection.media_type, ResponseMediaType::GraphqlResponseJson);
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
fn selected_operation_type_and_root_field() {
    let cases = [
        (
            json!({ "query": "{ hello }" }),
            Some(OperationType::Query),
            Some("hello"),
        ),
        (
            json!({ "query": "query Q { hello }" }),
            Some(OperationType::Query),
            Some("hello"),
        ),
        (
            json!({ "query": "mutation M { bump }" }),
            Some(OperationType::Mutation),
            Some("bump"),
        ),
        (
            json!({ "query": "query A { hello } mutation B { bump }", "operationName": "B" }),
            Some(OperationType::Mutation),
            Some("bump"),
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
    for (body, kind, root) in cases {
        let (req, bytes) = post(None, &body.to_string());
        let parsed = parse_request_with(&req, &bytes, None).expect("parses");
        assert_eq!(parsed.operation_type(), kind, "{body}");
        assert_eq!(parsed.root_field(), root, "{body}");
        assert_eq!(parsed.media_type(), ResponseMediaType::Json);
    }
}

#[actix_web::test]
async fn data_reaches_resolvers() {
    for (accept, viewer) in [(None, "viewer-1"), (Some(GQL), "viewer-2")] {
        let (req, body) = post(accept, r#"{"query":"{ whoami }"}"#);
        let response = handle(&req, &body, |request| request.data(viewer.to_owned())).await;
        let answer = Answer::from(response).await;
        assert!(answer.content_type().starts_with(accept.unwrap_or(JSON)));
        assert_eq!(answer.body, json!({ "data": { "whoami": viewer } }));
    }
}
