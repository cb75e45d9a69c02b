//! /graphql over HTTP and WebSocket, and GraphiQL. Every request needs a bearer token.

use std::sync::Arc;
use std::time::Instant;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::App;
use crate::auth::TokenInfo;
use crate::error::{ErrorCode, ServiceError};
use crate::graphql::validity::Validity;
use crate::graphql::{DubanSchema, Viewer};

use super::graphql_over_http as goh;
use super::response_cache::{Mark, ResponseCache};

/// The bearer token of a request, if it sent one.
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Authenticates a request: the token's holder, or the response to send instead.
pub async fn viewer_of(app: &App, req: &HttpRequest) -> Result<TokenInfo, HttpResponse> {
    let Some(token) = bearer(req) else {
        app.metrics.error(ErrorCode::Unauthenticated);
        return Err(goh::unauthenticated(
            req,
            "this API needs a bearer token: send Authorization: Bearer <token> (create one with `duban token create`)",
        ));
    };
    match app.tokens.authenticate(app.store.as_ref(), token).await {
        Ok(info) => Ok(info),
        Err(ServiceError::Unauthenticated(message)) => {
            app.metrics.error(ErrorCode::Unauthenticated);
            Err(goh::unauthenticated(req, &message))
        }
        // Fail closed: without the database a token cannot be checked (a revocation may
        // have been missed), so nothing is served; 503 says that trying again may work.
        Err(e) => {
            tracing::error!(error = %e, "authentication failed");
            app.metrics.error(ErrorCode::Internal);
            Err(goh::error_response(
                goh::negotiate(req).unwrap_or(goh::ResponseMediaType::Json),
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Internal.as_str(),
                "the database cannot be reached, so the bearer token cannot be checked; \
                 try again shortly (the cause has been logged for the operators)",
            ))
        }
    }
}

fn wants_html(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

async fn handle(
    req: HttpRequest,
    payload: web::Payload,
    app: web::Data<Arc<App>>,
    schema: web::Data<DubanSchema>,
) -> HttpResponse {
    let started = Instant::now();
    let body = match goh::read_body(&req, payload).await {
        Ok(body) => body,
        Err(rejection) => return rejection.into_response(),
    };
    let token = match viewer_of(&app, &req).await {
        Ok(token) => token,
        Err(response) => return response,
    };
    let mut parsed = match goh::parse_request_with(&req, &body, Some(&app.documents)) {
        Ok(parsed) => parsed,
        Err(rejection) => {
            app.metrics.error(ErrorCode::BadUserInput);
            return rejection.into_response();
        }
    };
    let operation = crate::metrics::operation_label(parsed.operation_type(), parsed.root_field());
    let media_type = parsed.media_type();
    let cache_key = ResponseCache::key(&mut parsed, &token);
    let mark = Mark {
        model: app.read.position(),
        head: *app.store.subscribe().borrow(),
    };
    if let Some(key) = &cache_key
        && let Some(body) = app.responses.get(key, mark, app.clock.now())
    {
        app.metrics.cached_answer();
        app.metrics
            .request(&operation, started.elapsed().as_secs_f64());
        return goh::respond_data(media_type, body);
    }
    // Executed on the application's runtime, where the store's connections and writer
    // task live, rather than on this HTTP worker's own single-threaded runtime.
    let validity = Arc::new(Validity::default());
    let request = parsed
        .into_request()
        .data(Viewer { token })
        .data(Arc::clone(&validity));
    let schema = schema.get_ref().clone();
    let response = match app
        .runtime
        .spawn(async move { schema.execute(request).await })
        .await
    {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "a GraphQL request task failed");
            app.metrics.error(ErrorCode::Internal);
            return goh::error_response(
                media_type,
                actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal.as_str(),
                "internal error; the cause has been logged for the operators",
            );
        }
    };
    for error in &response.errors {
        let code = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .and_then(|c| match c {
                async_graphql::Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_else(|| goh::BAD_USER_INPUT.to_string());
        app.metrics.error(&code);
    }
    app.metrics
        .request(&operation, started.elapsed().as_secs_f64());
    if let Some(key) = cache_key
        && let Some(body) = goh::data_body(&response)
    {
        // `now` after execution: every resolver's answer held at this instant.
        let now = app.clock.now();
        app.responses.put(key, mark, now, &validity, body.clone());
        return goh::respond_data(media_type, body);
    }
    goh::respond(media_type, response)
}

/// POST /graphql.
pub async fn graphql_post(
    req: HttpRequest,
    payload: web::Payload,
    app: web::Data<Arc<App>>,
    schema: web::Data<DubanSchema>,
) -> HttpResponse {
    handle(req, payload, app, schema).await
}

/// GET /graphql: GraphiQL for a browser, else a query over GET.
pub async fn graphql_get(
    req: HttpRequest,
    payload: web::Payload,
    app: web::Data<Arc<App>>,
    schema: web::Data<DubanSchema>,
) -> HttpResponse {
    if wants_html(&req) && req.query_string().is_empty() {
        return graphiql().await;
    }
    handle(req, payload, app, schema).await
}

/// Any other method on /graphql.
pub async fn method_not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "GET, POST"))
        .json(serde_json::json!({
            "errors": [{"message": "use GET for queries or POST for any operation", "extensions": {"code": ErrorCode::BadUserInput.as_str()}}]
        }))
}

/// GraphiQL, pointed at /graphql for queries and subscriptions.
pub async fn graphiql() -> HttpResponse {
    let html = async_graphql::http::GraphiQLSource::build()
        .endpoint("/graphql")
        .subscription_endpoint("/graphql")
        .title("duban 督办")
        .finish();
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html)
}
