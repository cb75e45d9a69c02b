//! `duban endpoint add|list|pause|resume|remove`.

use std::time::Duration;

use clap::{Args, Subcommand};

use duban_domain::Actor;
use duban_domain::endpoint::{EndpointCommand, EndpointKind};

use crate::app::App;
use crate::error::{ServiceError, ServiceResult};
use crate::notify::notifier::DeliveryConfig;
use crate::ops::endpoint::AddEndpoint;

/// `duban serve`'s delivery options.
#[derive(Args, Debug, Clone)]
pub struct DeliveryArgs {
    /// Allows endpoints on loopback, private and link-local addresses (registered
    /// through the API, and called).
    #[arg(long, env = "DUBAN_ALLOW_PRIVATE_ENDPOINTS")]
    pub allow_private_endpoints: bool,
    /// Seconds a delivery is retried before it is FAILED and its endpoint failing.
    #[arg(long, env = "DUBAN_DELIVERY_GIVE_UP", default_value_t = 86_400.0)]
    pub delivery_give_up: f64,
    /// Seconds a receiver has to answer an attempt (connecting: at most 5).
    #[arg(long, env = "DUBAN_DELIVERY_TIMEOUT", default_value_t = 10.0)]
    pub delivery_timeout: f64,
    /// The longest delay between retries, in seconds (the first is 1 s, then doubling).
    #[arg(long, env = "DUBAN_DELIVERY_MAX_BACKOFF", default_value_t = 600.0)]
    pub delivery_max_backoff: f64,
    /// Seconds a server's claim on an endpoint lasts unless renewed (another server
    /// takes over a crashed one's endpoints after this).
    #[arg(long, env = "DUBAN_DELIVERY_LEASE", default_value_t = 30.0)]
    pub delivery_lease: f64,
}

fn seconds(what: &'static str, s: f64) -> ServiceResult<Duration> {
    Duration::try_from_secs_f64(s)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| ServiceError::invalid(what, "a positive number of seconds"))
}

impl DeliveryArgs {
    /// The delivery worker's configuration.
    pub fn config(&self) -> ServiceResult<DeliveryConfig> {
        let answer = seconds("delivery-timeout", self.delivery_timeout)?;
        let lease = seconds("delivery-lease", self.delivery_lease)?;
        if lease <= answer {
            return Err(ServiceError::invalid(
                "delivery-lease",
                "must be longer than --delivery-timeout (a worker renews it between attempts)",
            ));
        }
        let max_backoff = seconds("delivery-max-backoff", self.delivery_max_backoff)?;
        Ok(DeliveryConfig {
            allow_private: self.allow_private_endpoints,
            connect_timeout: answer.min(Duration::from_secs(5)),
            answer_timeout: answer,
            give_up: seconds("delivery-give-up", self.delivery_give_up)?,
            min_backoff: Duration::from_secs(1).min(max_backoff),
            max_backoff,
            lease,
            scan: Duration::from_secs(1),
        })
    }
}

/// The demo's LOG endpoint: every notice from now on is written to the server's log.
pub async fn demo_endpoint(app: &App) -> ServiceResult<()> {
    const NAME: &str = "演示：服务器日志";
    let listed = app.list_endpoints().await?;
    if listed.iter().any(|e| e.endpoint.name == NAME) {
        return Ok(());
    }
    let (ep, _) = app
        .add_endpoint(
            &Actor::office("demo"),
            AddEndpoint {
                name: NAME.into(),
                kind: EndpointKind::Log,
                url: None,
                department_id: None,
                event_types: vec![],
                secret: None,
                allow_private: false,
                command_id: Some("demo:endpoint-log".into()),
            },
        )
        .await?;
    tracing::info!(endpoint = %ep.id.stream(), "demo LOG endpoint: notices appear in this log");
    Ok(())
}

/// Endpoint subcommands.
#[derive(Subcommand, Debug)]
pub enum EndpointAction {
    /// Registers an endpoint; prints its id, and its signing secret once.
    Add {
        /// A name for people, e.g. 教育局工作群.
        #[arg(long)]
        name: String,
        /// webhook, wecom, dingtalk, feishu or log.
        #[arg(long)]
        kind: String,
        /// The URL (not for log).
        #[arg(long)]
        url: Option<String>,
        /// Only this department's tasks (id or name).
        #[arg(long)]
        department: Option<String>,
        /// An event type to send (repeatable); none means the notices.
        #[arg(long = "event-type")]
        event_types: Vec<String>,
        /// The robot's secret (钉钉 加签, 飞书 签名校验).
        #[arg(long)]
        secret: Option<String>,
        /// Allows loopback, private and link-local addresses.
        #[arg(long)]
        allow_private_endpoints: bool,
    },
    /// Lists endpoints (never their secrets).
    List,
    /// Pauses an endpoint.
    Pause {
        /// The endpoint's id.
        id: String,
    },
    /// Resumes a paused endpoint.
    Resume {
        /// The endpoint's id.
        id: String,
    },
    /// Removes an endpoint.
    Remove {
        /// The endpoint's id.
        id: String,
    },
}

fn kind(raw: &str) -> ServiceResult<EndpointKind> {
    Ok(match raw.to_ascii_lowercase().as_str() {
        "webhook" => EndpointKind::Webhook,
        "wecom" => EndpointKind::Wecom,
        "dingtalk" => EndpointKind::Dingtalk,
        "feishu" => EndpointKind::Feishu,
        "log" => EndpointKind::Log,
        _ => {
            return Err(ServiceError::invalid(
                "kind",
                "webhook, wecom, dingtalk, feishu or log",
            ));
        }
    })
}

/// Runs an endpoint subcommand as `actor`.
pub async fn run(app: &App, actor: &Actor, action: EndpointAction) -> ServiceResult<()> {
    let change = |id: String, command| async move {
        let ep = app.change_endpoint(actor, &id, command).await?;
        println!("{} {}", ep.id.stream(), state(ep.paused, ep.removed, false));
        Ok(())
    };
    match action {
        EndpointAction::Add {
            name,
            kind: raw_kind,
            url,
            department,
            event_types,
            secret,
            allow_private_endpoints,
        } => {
            let department_id = match department {
                Some(raw) => Some(crate::cli::resolve_department(app, &raw)?.stream()),
                None => None,
            };
            let (ep, secret) = app
                .add_endpoint(
                    actor,
                    AddEndpoint {
                        name,
                        kind: kind(&raw_kind)?,
                        url,
                        department_id,
                        event_types,
                        secret,
                        allow_private: allow_private_endpoints,
                        command_id: None,
                    },
                )
                .await?;
            println!("{}", ep.id.stream());
            if let Some(secret) = secret {
                println!("secret: {secret}");
                eprintln!("the signing secret is shown only once");
            }
            Ok(())
        }
        EndpointAction::List => {
            for entry in app.list_endpoints().await? {
                let ep = entry.endpoint;
                let dept = ep
                    .department
                    .map(|d| app.read.read(|m| m.department_name(d)));
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    ep.id.stream(),
                    ep.name,
                    ep.kind.as_str(),
                    ep.url.as_deref().unwrap_or("-"),
                    dept.as_deref().unwrap_or("office"),
                    state(ep.paused, ep.removed, entry.failing)
                );
            }
            Ok(())
        }
        EndpointAction::Pause { id } => change(id, EndpointCommand::Pause).await,
        EndpointAction::Resume { id } => change(id, EndpointCommand::Resume).await,
        EndpointAction::Remove { id } => change(id, EndpointCommand::Remove).await,
    }
}

fn state(paused: bool, removed: bool, failing: bool) -> &'static str {
    match (removed, paused, failing) {
        (true, ..) => "removed",
        (_, true, _) => "paused",
        (_, _, true) => "failing",
        _ => "active",
    }
}
