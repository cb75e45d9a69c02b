//! /healthz (the process is up), /readyz (the database answers and the read models are
//! not too far behind), /metrics (Prometheus text).

use std::sync::Arc;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::app::App;

use super::ServerConfig;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Ready when the database answers and the projection lag is within the bound.
pub async fn readyz(app: web::Data<Arc<App>>, config: web::Data<ServerConfig>) -> HttpResponse {
    let head = match app.store.head().await {
        Ok(head) => head,
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            return HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "not ready", "database": "unreachable" }));
        }
    };
    let lag = (head - app.read.position()).max(0);
    app.metrics.set_lag(lag);
    let body =
        json!({ "database": "ok", "head": head, "projectionLag": lag, "maxLag": config.max_lag });
    if lag > config.max_lag {
        HttpResponse::ServiceUnavailable().json(json!({ "status": "not ready", "detail": body }))
    } else {
        HttpResponse::Ok().json(json!({ "status": "ready", "detail": body }))
    }
}

/// Prometheus text exposition.
pub async fn metrics(app: web::Data<Arc<App>>) -> HttpResponse {
    if let Ok(head) = app.store.head().await {
        app.metrics.set_lag((head - app.read.position()).max(0));
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(app.metrics.render())
}
