//! The HTTP server: GraphQL over HTTP and WebSocket on /graphql, GraphiQL, health,
//! readiness, metrics and the ledger exports.
//!
//! - [`graphql_over_http`]: the spec-conforming transport (content negotiation, status
//!   codes, GET rules).
//! - [`endpoints`]: /graphql over HTTP, GraphiQL, and authentication; [`websocket`]:
//!   /graphql over WebSocket, with its limits and revocation.
//! - [`ops`]: /healthz, /readyz, /metrics; [`refusal`]: service errors answered
//!   outside GraphQL.
//! - [`response_cache`]: whole answers to the dashboard queries, while they hold.
//! - [`documents`]: parsed GraphQL documents by their text.
//! - [`export`]: /export/ledger.csv and /export/ledger.xlsx.
//! - [`strict_json`]: JSON bodies read with duplicate keys refused.
//! - [`export`]: /export/ledger.csv and /export/ledger.xlsx; [`assessment`]:
//!   /export/assessment.csv and .xlsx, the county table of a school year.
//! - [`circular`]: /export/circular.md and /export/circular.docx.
//! - [`console`]: the web console at / (embedded static files).

pub mod assessment;
pub mod circular;
pub mod console;
pub mod documents;
pub mod endpoints;
pub mod export;
pub mod graphql_over_http;
pub mod ops;
pub mod refusal;
pub mod response_cache;
pub mod strict_json;
pub mod websocket;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App as ActixApp, HttpServer, web};

use crate::app::App;
use crate::graphql::{DubanSchema, Transport, WebSocketSchema, build_schema};

/// Settings of the HTTP server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The projection lag (events) above which /readyz says not ready.
    pub max_lag: i64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self { max_lag: 10_000 }
    }
}

/// Starts the server on an already bound listener (port 0 in tests).
pub fn serve(
    app: Arc<App>,
    listener: TcpListener,
    config: ServerConfig,
) -> std::io::Result<Server> {
    let schema: DubanSchema = build_schema(Some(Arc::clone(&app)), Transport::Http);
    let websocket = WebSocketSchema(build_schema(Some(Arc::clone(&app)), Transport::WebSocket));
    // One count of WebSocket operations for all workers.
    let slots = web::Data::new(websocket::Slots::default());
    let server = HttpServer::new(move || {
        ActixApp::new()
            .app_data(slots.clone())
            .app_data(web::Data::new(Arc::clone(&app)))
            .app_data(web::Data::new(schema.clone()))
            .app_data(web::Data::new(websocket.clone()))
            .app_data(web::Data::new(config.clone()))
            .service(
                web::resource("/graphql")
                    .route(
                        web::get()
                            .guard(actix_web::guard::Header("upgrade", "websocket"))
                            .to(websocket::websocket),
                    )
                    .route(web::get().to(endpoints::graphql_get))
                    .route(web::post().to(endpoints::graphql_post))
                    .route(web::route().to(endpoints::method_not_allowed)),
            )
            .route("/graphiql", web::get().to(endpoints::graphiql))
            .route("/healthz", web::get().to(ops::healthz))
            .route("/readyz", web::get().to(ops::readyz))
            .route("/metrics", web::get().to(ops::metrics))
            .route("/export/ledger.csv", web::get().to(export::ledger_csv))
            .route("/export/ledger.xlsx", web::get().to(export::ledger_xlsx))
            .route(
                "/export/assessment.csv",
                web::get().to(assessment::table_csv),
            )
            .route(
                "/export/assessment.xlsx",
                web::get().to(assessment::table_xlsx),
            )
            .route("/export/circular.md", web::get().to(circular::circular_md))
            .route(
                "/export/circular.docx",
                web::get().to(circular::circular_docx_export),
            )
            .route("/", web::get().to(console::index))
            .route("/console/{path:.*}", web::get().to(console::asset))
    })
    .listen(listener)?
    .shutdown_timeout(5)
    .run();
    Ok(server)
}

/// Serves /metrics alone, without a token, on a listener of its own (`serve
/// --metrics-listen`): for a scraper on an internal network, where the API's address
/// asks for a token.
pub fn serve_metrics(app: Arc<App>, listener: TcpListener) -> std::io::Result<Server> {
    let server = HttpServer::new(move || {
        ActixApp::new()
            .app_data(web::Data::new(Arc::clone(&app)))
            .route("/metrics", web::get().to(ops::open_metrics))
    })
    .workers(1)
    .listen(listener)?
    .shutdown_timeout(1)
    .run();
    Ok(server)
}
