//! `duban endpoint add|list|pause|resume|remove`.

use clap::Subcommand;

use duban_domain::Actor;
use duban_domain::endpoint::{EndpointCommand, EndpointKind};

use crate::app::App;
use crate::error::{ServiceError, ServiceResult};
use crate::ops::endpoint::AddEndpoint;

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
