//! The prepared world of the role matrix: a plan with tasks where department A leads
//! and B cooperates, tasks of an unrelated department C, a token per role, and builders
//! of fresh tasks in each lifecycle state (so a successful command never spoils the
//! next cell).

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use duban_tests::{Backend, TestApp, spawn_app};

/// Who sends a request of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// No `Authorization` header.
    NoToken,
    /// A bearer token the server never issued.
    BadToken,
    /// The leadership group's office.
    Office,
    /// Department A: lead of the world's tasks.
    Lead,
    /// Department B: cooperating on the world's tasks.
    Cooperating,
    /// Department C: neither lead nor cooperating on them (it leads tasks of its own).
    Other,
    /// An auditor.
    Auditor,
}

impl Who {
    /// Every column of the matrix.
    pub const ALL: [Who; 7] = [
        Who::NoToken,
        Who::BadToken,
        Who::Office,
        Who::Lead,
        Who::Cooperating,
        Who::Other,
        Who::Auditor,
    ];
}

/// The server and the ids the request builders use.
pub struct World {
    /// The running server.
    pub app: TestApp,
    /// The plan of every task.
    pub plan: String,
    /// Department A (lead).
    pub dept_a: String,
    /// Department C (unrelated).
    pub dept_c: String,
    tokens: [String; 3],
    /// A measure led by A with B cooperating (ASSIGNED).
    pub measure: String,
    /// The event stream of `measure`.
    pub measure_stream: String,
    /// A measure led by C (ASSIGNED).
    pub other_measure: String,
    /// A rectification item led by A with B cooperating (ASSIGNED).
    pub rectification: String,
    /// A rectification item led by C (ASSIGNED).
    pub other_rectification: String,
    dept_b: String,
    counter: AtomicUsize,
}

const ASSIGN: &str = "mutation($t: ID!, $l: ID!, $c: [ID!]) { assignTask(input: \
    {taskId: $t, leadId: $l, cooperatingIds: $c, due: \"2025-09-30\"}) { id } }";

impl World {
    /// Builds the world on a fresh server; `None` when the backend is not configured.
    pub async fn build(backend: Backend) -> Option<World> {
        let app = spawn_app(backend).await?;
        let plan = app.draft_plan("义务教育优质均衡发展实施方案").await;
        let dept_a = app.department("县教育局").await;
        let dept_b = app.department("县财政局").await;
        let dept_c = app.department("海滨街道").await;
        let tokens = [
            app.department_token(&dept_a).await,
            app.department_token(&dept_b).await,
            app.department_token(&dept_c).await,
        ];
        let mut world = World {
            app,
            plan,
            dept_a,
            dept_c,
            tokens,
            measure: String::new(),
            measure_stream: String::new(),
            other_measure: String::new(),
            rectification: String::new(),
            other_rectification: String::new(),
            dept_b,
            counter: AtomicUsize::new(0),
        };
        world.measure = world.fresh_assigned().await;
        world.other_measure = world.fresh_measure().await;
        world.assign(&world.other_measure, &world.dept_c, &[]).await;
        world.rectification = world.fresh_rectification().await;
        world
            .assign(&world.rectification, &world.dept_a, &[&world.dept_b])
            .await;
        world.other_rectification = world.fresh_rectification().await;
        world
            .assign(&world.other_rectification, &world.dept_c, &[])
            .await;
        let history = world
            .office(
                "query($id: ID!) { task(id: $id) { history { nodes { streamId } } } }",
                json!({ "id": world.measure }),
            )
            .await;
        world.measure_stream = history["task"]["history"]["nodes"][0]["streamId"]
            .as_str()
            .expect("stream id")
            .to_string();
        world.app.app.read.catch_up().await.expect("catch up");
        Some(world)
    }

    /// The bearer token `who` sends, if any.
    pub fn token(&self, who: Who) -> Option<String> {
        match who {
            Who::NoToken => None,
            Who::BadToken => Some("dbn_this-token-was-never-issued".to_string()),
            Who::Office => Some(self.app.office.clone()),
            Who::Auditor => Some(self.app.auditor.clone()),
            Who::Lead => Some(self.tokens[0].clone()),
            Who::Cooperating => Some(self.tokens[1].clone()),
            Who::Other => Some(self.tokens[2].clone()),
        }
    }

    /// A name no earlier request used.
    pub fn unique(&self, stem: &str) -> String {
        format!("{stem}{}", self.counter.fetch_add(1, Ordering::Relaxed))
    }

    /// Runs a request as the office, asserting success; returns `data`.
    pub async fn office(&self, query: &str, variables: Value) -> Value {
        self.app.ok(&self.app.office, query, variables).await
    }

    async fn assign(&self, task: &str, lead: &str, cooperating: &[&str]) {
        self.office(ASSIGN, json!({ "t": task, "l": lead, "c": cooperating }))
            .await;
    }

    /// A new measure of the plan (DEFINED).
    pub async fn fresh_measure(&self) -> String {
        let code = self.unique("一(一)");
        self.app
            .define_measure(&self.plan, &code, "改善办学条件")
            .await
    }

    /// A new rectification item of the plan (DEFINED).
    pub async fn fresh_rectification(&self) -> String {
        let data = self
            .office(
                "mutation($p: ID!) { raiseRectification(input: {source: SUPERVISION, \
                 finding: \"音乐教室面积不足\", standard: \"96㎡\", measured: \"72㎡\", \
                 unit: \"实验小学\", planId: $p}) { id } }",
                json!({ "p": self.plan }),
            )
            .await;
        id_of(&data["raiseRectification"])
    }

    /// A new measure led by A with B cooperating (ASSIGNED).
    pub async fn fresh_assigned(&self) -> String {
        let task = self.fresh_measure().await;
        self.assign(&task, &self.dept_a, &[&self.dept_b]).await;
        task
    }

    /// A new measure led by A with B cooperating, submitted (PENDING_VERIFICATION).
    pub async fn fresh_pending(&self) -> String {
        let task = self.fresh_assigned().await;
        self.submit(&task).await;
        task
    }

    /// A new rectification item led by A with B cooperating, verified (CLOSED).
    pub async fn fresh_closed_rectification(&self) -> String {
        let task = self.fresh_rectification().await;
        self.assign(&task, &self.dept_a, &[&self.dept_b]).await;
        self.submit(&task).await;
        self.office(
            "mutation($t: ID!) { verifyTask(input: {taskId: $t, verdict: ACCEPTED}) { id } }",
            json!({ "t": task }),
        )
        .await;
        task
    }

    async fn submit(&self, task: &str) {
        self.office(
            "mutation($t: ID!) { submitForVerification(input: {taskId: $t, \
             summary: \"已完成\"}) { id } }",
            json!({ "t": task }),
        )
        .await;
    }
}

/// The `id` of an object in a response.
pub fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}
