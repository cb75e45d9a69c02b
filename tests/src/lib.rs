//! End-to-end test kit for duban: [`spawn_app`] starts the real server on port 0 over a
//! fresh database (SQLite file or PostgreSQL database) and hands back a client.
//!
//! The tests are one binary, `tests/tests/api/main.rs`, with a module per area; each
//! scenario is an `async fn(Backend)` that [`backend_tests!`] emits once per backend. Without `DUBAN_TEST_POSTGRES_URL` the
//! PostgreSQL half prints `skipped: …` and returns (and fails when `CI` is set).

pub mod backend;
pub mod history;
pub mod log_audit;
pub mod process;
pub mod proxy;
pub mod receiver;

pub use backend::Backend;

use std::net::TcpListener;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use duban::auth::create_token;
use duban::http::{ServerConfig, serve};
use duban::{App, Clock};
use duban_domain::Role;
use duban_domain::ids::DepartmentId;
use duban_store::testing::{TempDbFile, TempPgDatabase, fresh_postgres_db};

/// Keeps a test database alive as long as the app.
#[derive(Debug)]
pub enum DbGuard {
    /// SQLite file.
    Sqlite(TempDbFile),
    /// PostgreSQL database.
    Postgres(TempPgDatabase),
}

impl DbGuard {
    /// The database URL.
    pub fn url(&self) -> String {
        match self {
            DbGuard::Sqlite(f) => f.path().display().to_string(),
            DbGuard::Postgres(db) => db.url().to_string(),
        }
    }
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The application behind the server (for direct store access in assertions).
    pub app: Arc<App>,
    /// An OFFICE token.
    pub office: String,
    /// An AUDITOR token.
    pub auditor: String,
    /// The backend.
    pub backend: Backend,
    /// The database guard; dropped last.
    pub db: DbGuard,
    client: reqwest::Client,
    server: actix_web::dev::ServerHandle,
}

/// The fixed start of the test clock: 2025-07-01 09:00 Asia/Shanghai.
pub fn test_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-07-01T09:00:00+08:00")
        .expect("valid time")
        .with_timezone(&Utc)
}

/// A fresh database of `backend`; `None` when PostgreSQL is not configured.
pub async fn fresh_db(backend: Backend) -> Option<DbGuard> {
    match backend {
        Backend::Sqlite => Some(DbGuard::Sqlite(TempDbFile::new())),
        Backend::Postgres => fresh_postgres_db().await.map(DbGuard::Postgres),
    }
}

/// Starts the server on port 0 over a fresh database, with a fixed clock at
/// [`test_now`]. `None` when the backend is PostgreSQL and no URL is configured.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let db = fresh_db(backend).await?;
    Some(spawn_app_on(backend, db, Clock::fixed(test_now())).await)
}

/// Starts the server over a given database and clock.
pub async fn spawn_app_on(backend: Backend, db: DbGuard, clock: Clock) -> TestApp {
    let url = db.url();
    spawn_app_via(backend, db, &url, clock).await
}

/// Starts the server over a given database, reached at `url` (e.g. through a
/// [`proxy::TcpProxy`]); tokens are created through the same URL.
pub async fn spawn_app_via(backend: Backend, db: DbGuard, url: &str, clock: Clock) -> TestApp {
    let app = App::open(url, clock).await.expect("open the app");
    app.read.spawn_follower();
    app.assessment.spawn_follower();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let port = listener.local_addr().expect("local addr").port();
    let server = serve(Arc::clone(&app), listener, ServerConfig::default()).expect("serve");
    let handle = server.handle();
    tokio::spawn(server);
    let now = app.clock.now();
    let dbh = app.db.clone();
    let (_, office) = create_token(&dbh, "test office", Role::Office, None, now)
        .await
        .expect("office token");
    let (_, auditor) = create_token(&dbh, "test auditor", Role::Auditor, None, now)
        .await
        .expect("auditor token");
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        app,
        office,
        auditor,
        backend,
        db,
        client: reqwest::Client::new(),
        server: handle,
    }
}

impl TestApp {
    /// The GraphQL endpoint.
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.base)
    }

    /// The WebSocket endpoint.
    pub fn ws_url(&self) -> String {
        format!("{}/graphql", self.base.replacen("http", "ws", 1))
    }

    /// A client for other requests.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// POSTs a GraphQL request with `token` (none when `None`); returns the HTTP status
    /// and the JSON body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(self.graphql_url())
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("send");
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// POSTs `body` as it is (JSON content type) with `token`; returns the HTTP status
    /// and the JSON answer, for bodies [`TestApp::gql`] would not build.
    pub async fn post_raw(&self, token: &str, body: String) -> (u16, Value) {
        let response = self
            .client
            .post(self.graphql_url())
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("send");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Like [`TestApp::gql`], asserting success; returns `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, body) = self.gql(Some(token), query, variables).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// Asserts the request failed with this error code; returns the body.
    pub async fn fails(&self, token: &str, query: &str, variables: Value, code: &str) -> Value {
        let (_, body) = self.gql(Some(token), query, variables).await;
        let codes: Vec<&str> = body["errors"]
            .as_array()
            .map(|errs| {
                errs.iter()
                    .filter_map(|e| e["extensions"]["code"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert!(codes.contains(&code), "expected {code}, got {body}");
        body
    }

    /// Registers a department as the office; returns its id.
    pub async fn department(&self, name: &str) -> String {
        let data = self
            .ok(
                &self.office,
                "mutation($n: String!) { registerDepartment(input: {name: $n, kind: BUREAU}) { id } }",
                json!({ "n": name }),
            )
            .await;
        data["registerDepartment"]["id"]
            .as_str()
            .expect("id")
            .to_string()
    }

    /// A DEPARTMENT token for the department with this id.
    pub async fn department_token(&self, department_id: &str) -> String {
        let id = DepartmentId::parse("department", department_id).expect("department id");
        let (_, token) = create_token(
            &self.app.db,
            &format!("dept {department_id}"),
            Role::Department,
            Some(id),
            self.app.clock.now(),
        )
        .await
        .expect("department token");
        token
    }

    /// The number of events in the log.
    pub async fn event_count(&self) -> i64 {
        self.app.store.head().await.expect("head")
    }

    /// Stops the server.
    pub async fn stop(self) {
        self.server.stop(true).await;
    }
}

/// A plan with one measure, as [`TestApp::plan_with_task`] builds it.
#[derive(Debug, Clone)]
pub struct PlanWithTask {
    /// The plan's id.
    pub plan_id: String,
    /// The measure's id (status DEFINED).
    pub task_id: String,
}

/// A measure assigned to a department, as [`TestApp::assigned_task`] builds it.
#[derive(Debug, Clone)]
pub struct AssignedTask {
    /// The plan's id.
    pub plan_id: String,
    /// The measure's id (status ASSIGNED, due 2025-09-30).
    pub task_id: String,
    /// The lead department's id.
    pub department_id: String,
    /// A DEPARTMENT token of the lead department.
    pub token: String,
}

/// The due date [`TestApp::assigned_task`] gives: after [`test_now`].
pub const ASSIGNED_DUE: &str = "2025-09-30";

/// Builders of common starting points, all through the GraphQL API as the office.
impl TestApp {
    /// Drafts a plan for 2025 with two phases (启动准备, 实施创建); returns its id.
    pub async fn draft_plan(&self, title: &str) -> String {
        let data = self
            .ok(
                &self.office,
                "mutation($t: String!) { draftPlan(input: {title: $t, region: \"鲤城区\", \
                 periodStart: \"2025-01-01\", periodEnd: \"2025-12-31\", phases: [\
                 {name: \"启动准备\", starts: \"2025-01-01\", ends: \"2025-03-31\"}, \
                 {name: \"实施创建\", starts: \"2025-04-01\", ends: \"2025-12-31\"}]}) { id } }",
                json!({ "t": title }),
            )
            .await;
        data["draftPlan"]["id"]
            .as_str()
            .expect("plan id")
            .to_string()
    }

    /// Defines a measure with this code and title in a plan; returns its id.
    pub async fn define_measure(&self, plan_id: &str, code: &str, title: &str) -> String {
        let data = self
            .ok(
                &self.office,
                "mutation($p: ID!, $c: String, $t: String!) { \
                 defineMeasure(input: {planId: $p, code: $c, title: $t}) { id } }",
                json!({ "p": plan_id, "c": code, "t": title }),
            )
            .await;
        data["defineMeasure"]["id"]
            .as_str()
            .expect("task id")
            .to_string()
    }

    /// Assigns a task to a lead department with a due date; returns the task's
    /// `status` and `version`.
    pub async fn assign(&self, task_id: &str, lead_id: &str, due: &str) -> Value {
        let data = self
            .ok(
                &self.office,
                "mutation($t: ID!, $l: ID!, $d: Date!) { \
                 assignTask(input: {taskId: $t, leadId: $l, due: $d}) { status version } }",
                json!({ "t": task_id, "l": lead_id, "d": due }),
            )
            .await;
        data["assignTask"].clone()
    }

    /// A fresh plan with one measure (code `一(一)1`), not yet assigned.
    pub async fn plan_with_task(&self) -> PlanWithTask {
        let plan_id = self.draft_plan("义务教育优质均衡发展实施方案").await;
        let task_id = self
            .define_measure(&plan_id, "一(一)1", "改善办学条件")
            .await;
        PlanWithTask { plan_id, task_id }
    }

    /// A fresh plan with one measure assigned to a new department named `department`
    /// (due [`ASSIGNED_DUE`]), and that department's token.
    pub async fn assigned_task(&self, department: &str) -> AssignedTask {
        let PlanWithTask { plan_id, task_id } = self.plan_with_task().await;
        let department_id = self.department(department).await;
        self.assign(&task_id, &department_id, ASSIGNED_DUE).await;
        let token = self.department_token(&department_id).await;
        AssignedTask {
            plan_id,
            task_id,
            department_id,
            token,
        }
    }
}

/// The `extensions.code` of every error in a GraphQL response body.
pub fn error_codes(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `{...F0} fragment F0 on Query{...F1 ...F1} … fragment F<n> on Query{me{name}}`: about
/// 36 bytes a level, and 2^(n+1) fields once its fragments are expanded.
pub fn doubling_fragments(levels: usize) -> String {
    let mut query = String::from("{...F0}");
    for level in 0..levels {
        query.push_str(&format!(
            " fragment F{level} on Query{{...F{next} ...F{next}}}",
            next = level + 1
        ));
    }
    query.push_str(&format!(" fragment F{levels} on Query{{me{{name}}}}"));
    query
}
