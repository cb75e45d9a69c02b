//! A service error answered outside GraphQL (the exports): the contract's error body
//! with the status of its code, counted on /metrics; an internal cause is logged and
//! not shown.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use crate::app::App;
use crate::error::ServiceError;

/// The response refusing a request for `error`.
pub fn refuse(app: &App, error: &ServiceError) -> HttpResponse {
    let code = error.code();
    app.metrics.error(code);
    if error.is_internal() {
        tracing::error!(error = %error, "internal error");
    }
    let status =
        StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status).json(serde_json::json!({
        "errors": [{ "message": error.public_message(), "extensions": { "code": code.as_str() } }]
    }))
}
