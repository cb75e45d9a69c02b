//! The application: the store, the command path, the read models, the clock and the
//! metrics, opened once per process and shared by the server, the CLI and the tests.

use std::sync::Arc;

use duban_domain::Actor;
use duban_domain::aggregate::Aggregate;
use duban_store::{Db, EventStore, StreamBound};

use crate::clock::Clock;
use crate::commands::{CommandOptions, CommandService, Executed};
use crate::error::ServiceResult;
use crate::http::documents::DocumentCache;
use crate::http::response_cache::ResponseCache;
use crate::metrics::Metrics;
use crate::ops::dispatch::DispatchCache;
use crate::readmodel::ReadModels;
use crate::readmodel::persist::SqlReadModelStore;
use crate::tokens::TokenCache;

/// Everything a request or a CLI command needs.
pub struct App {
    /// The event store.
    pub store: Arc<dyn EventStore>,
    /// The server's own tables beside the log ([`crate::db`]).
    pub db: Db,
    /// The command path.
    pub commands: CommandService,
    /// The read models.
    pub read: Arc<ReadModels>,
    /// The clock.
    pub clock: Clock,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// Quarterly dispatches already computed.
    pub dispatches: DispatchCache,
    /// Tokens already looked up (see [`TokenCache`] for when they are used).
    pub tokens: TokenCache,
    /// Answers to queries, while they hold (see [`ResponseCache`]).
    pub responses: ResponseCache,
    /// Parsed GraphQL documents by their text (see [`DocumentCache`]).
    pub documents: DocumentCache,
    /// The 优质均衡 assessment: its policy and the surveys it has read.
    pub assessment: Arc<crate::ops::survey_policy::Assessments>,
    /// Notification settings (`serve --allow-private-endpoints`).
    pub notify: crate::notify::NotifySettings,
    /// The runtime the store's connections and background tasks live on; the HTTP
    /// workers run GraphQL requests there, so database I/O is not handed between
    /// runtimes (see `http::endpoints`).
    pub runtime: tokio::runtime::Handle,
}

impl App {
    /// Connects to `database_url` (running migrations) and loads the read models.
    pub async fn open(database_url: &str, clock: Clock) -> ServiceResult<Arc<App>> {
        let store = duban_store::connect(database_url).await?;
        let db = crate::db::open(database_url).await?;
        Self::with_store(store, db, clock).await
    }

    /// Builds the application over an open store and the server's tables in `db`.
    pub async fn with_store(
        store: Arc<dyn EventStore>,
        db: Db,
        clock: Clock,
    ) -> ServiceResult<Arc<App>> {
        let persist = Arc::new(SqlReadModelStore::new(db.clone()));
        let read = ReadModels::open(Arc::clone(&store), persist).await?;
        let catalogue = duban_projections::assessment::Catalogue::builtin()
            .map_err(|e| crate::error::ServiceError::Internal(e.to_string()))?;
        let assessment = Arc::new(crate::ops::survey_policy::Assessments::new(
            Arc::clone(&store),
            clock.clone(),
            catalogue,
        ));
        Ok(Arc::new(App {
            commands: CommandService::new(Arc::clone(&store), clock.clone()),
            store,
            read,
            clock,
            metrics: Metrics::new(),
            dispatches: DispatchCache::default(),
            tokens: TokenCache::new(db.clone()),
            db,
            responses: ResponseCache::default(),
            documents: DocumentCache::default(),
            assessment,
            notify: Default::default(),
            runtime: tokio::runtime::Handle::current(),
        }))
    }

    /// Runs a command on one aggregate and waits until the read models include it.
    pub async fn run<A>(
        &self,
        stream_id: &str,
        actor: &Actor,
        options: &CommandOptions,
        command: A::Command,
    ) -> ServiceResult<Executed<A>>
    where
        A: Aggregate + Send + Sync + 'static,
        A::Command: Send + Sync,
    {
        let executed = self
            .commands
            .execute::<A>(stream_id, actor, options, command)
            .await?;
        if !executed.duplicate {
            self.metrics.events_appended(executed.events.len());
        }
        if let Some(position) = executed.last_position() {
            self.read.wait_for(position).await?;
        }
        Ok(executed)
    }

    /// Loads an aggregate's current state from its stream.
    pub async fn load<A: Aggregate>(&self, stream_id: &str) -> ServiceResult<Option<A>> {
        self.commands.load(stream_id, StreamBound::All).await
    }
}
