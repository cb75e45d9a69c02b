//! The `duban` command line: one binary, one subcommand per job.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

use duban_domain::ids::DepartmentId;
use duban_domain::{Actor, Role};

use crate::app::App;
use crate::auth;
use crate::clock::Clock;
use crate::error::{ServiceError, ServiceResult};
use crate::http::{ServerConfig, serve};
use crate::ops::import_plan::ImportOptions;
use crate::progress::bar;

/// duban (督办): event-sourced supervision of county education plans.
#[derive(Parser, Debug)]
#[command(name = "duban", version, about)]
pub struct Cli {
    /// Database: an SQLite file path (default duban.db) or postgres://…
    #[arg(
        long,
        env = "DUBAN_DATABASE_URL",
        default_value = "duban.db",
        global = true
    )]
    pub database_url: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Runs the GraphQL server (and the overdue clock).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "DUBAN_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Loads the demo data set once (Licheng plan, rectification items, 2023–2025 history).
        #[arg(long)]
        demo: bool,
        /// Seconds between passes of the overdue clock.
        #[arg(long, env = "DUBAN_CLOCK_INTERVAL", default_value_t = 60)]
        clock_interval: u64,
        /// Projection lag (events) above which /readyz reports not ready.
        #[arg(long, env = "DUBAN_MAX_LAG", default_value_t = 10_000)]
        max_lag: i64,
        /// Also serve /metrics without a token on this address (e.g. 127.0.0.1:9464);
        /// on the API's address /metrics needs an office or auditor token.
        #[arg(long, env = "DUBAN_METRICS_LISTEN")]
        metrics_listen: Option<String>,
        /// Notification delivery.
        #[command(flatten)]
        delivery: crate::notify::cli::DeliveryArgs,
    },
    /// Manages bearer tokens.
    Token {
        /// create, list or revoke.
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Manages notification endpoints (see docs/notifications.md).
    Endpoint {
        /// add, list, pause, resume or remove.
        #[command(subcommand)]
        action: crate::notify::cli::EndpointAction,
    },
    /// Imports a plan document (.txt in any Chinese encoding, .docx, .xlsx, .xls, .csv) as a
    /// plan with measures and departments; `--dry-run` previews it and records nothing.
    ImportPlan {
        /// The document.
        file: PathBuf,
        /// Print what the document reads as (code, title, lead, cooperating, due,
        /// warnings) and the lines it could not place; record nothing.
        #[arg(long)]
        dry_run: bool,
        /// With --dry-run (implied), print the preview as the contract's PlanImportPreview JSON.
        #[arg(long)]
        json: bool,
        /// Record only if the document still reads as the preview with this digest.
        #[arg(long)]
        preview_digest: Option<String>,
        /// Title instead of the document's first line.
        #[arg(long)]
        title: Option<String>,
        /// Region instead of the one in the title.
        #[arg(long)]
        region: Option<String>,
        /// Idempotency key: a repeated import with it records nothing new.
        #[arg(long)]
        command_id: Option<String>,
    },
    /// Imports a school statistics table (.csv) for the 优质均衡 assessment; the policy
    /// raises each shortfall as a rectification item once.
    ImportSurvey {
        /// The table.
        file: PathBuf,
        /// The school year (2024 = 2024-2025).
        #[arg(long)]
        year: i32,
        /// Reads and checks only.
        #[arg(long)]
        dry_run: bool,
        /// A TOML map of other header spellings: `[columns]` then `"学校" = "学校名称"`.
        #[arg(long)]
        columns: Option<PathBuf>,
        /// Idempotency key: a repeated import with it records nothing new.
        #[arg(long)]
        command_id: Option<String>,
    },
    /// Runs one pass of the overdue, reminder and bulletin clocks and exits.
    Tick,
    /// Read-model maintenance.
    Projections {
        /// rebuild.
        #[command(subcommand)]
        action: ProjectionAction,
    },
    /// Checks every stream's hash chain and the global positions.
    Verify,
    /// Prints the GraphQL schema (SDL).
    Schema,
    /// Writes the whole event log as JSON Lines (one event per line, exactly as stored).
    ExportEvents {
        /// Output file (must not exist); stdout when absent.
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// Loads an export into an EMPTY database, verifying every hash chain, then rebuilds
    /// the read models.
    ImportEvents {
        /// The JSON Lines file written by export-events.
        file: PathBuf,
    },
    /// Copies an SQLite database online and consistently (VACUUM INTO); PostgreSQL: use
    /// pg_dump.
    Backup {
        /// The copy (must not exist).
        #[arg(long)]
        to: PathBuf,
    },
}

/// Token subcommands.
#[derive(Subcommand, Debug)]
pub enum TokenAction {
    /// Creates a token and prints it once.
    Create {
        /// Who holds it.
        #[arg(long)]
        name: String,
        /// office, department or auditor.
        #[arg(long)]
        role: String,
        /// For department tokens: the department's name or id.
        #[arg(long)]
        department: Option<String>,
        /// Also prints the console's sign-in link; the value is the server's address
        /// (default `DUBAN_LISTEN` or 127.0.0.1:8080), e.g. `--link https://duban.county`.
        #[arg(long, num_args = 0..=1, default_missing_value = "")]
        link: Option<String>,
    },
    /// Lists tokens (never their secrets).
    List,
    /// Revokes a token by id or name.
    Revoke {
        /// Token id or name.
        id_or_name: String,
    },
}

/// Projection subcommands.
#[derive(Subcommand, Debug)]
pub enum ProjectionAction {
    /// Rebuilds from position zero and swaps the result in when complete.
    Rebuild {
        /// The projection (there is one: core).
        #[arg(long, default_value = crate::readmodel::CORE)]
        name: String,
    },
}

/// The actor the command line acts as.
fn cli_actor() -> Actor {
    let user = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    Actor::office(format!("cli:{user}"))
}

/// Runs the command line.
pub async fn run(cli: Cli) -> ServiceResult<()> {
    let clock = Clock::from_env().map_err(|e| ServiceError::invalid("DUBAN_NOW", e))?;
    match cli.command {
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::Serve {
            listen,
            demo,
            clock_interval,
            max_lag,
            metrics_listen,
            delivery,
        } => {
            let delivery = delivery.config()?;
            let app = App::open(&cli.database_url, clock).await?;
            app.notify.set_allow_private(delivery.allow_private);
            if demo {
                crate::demo::load(&app).await?;
                crate::notify::cli::demo_endpoint(&app).await?;
            }
            let listener = TcpListener::bind(&listen)
                .map_err(|e| ServiceError::Internal(format!("cannot listen on {listen}: {e}")))?;
            let addr = listener
                .local_addr()
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            app.read.spawn_follower();
            app.assessment.spawn_follower();
            app.spawn_clock(Duration::from_secs(clock_interval.max(1)));
            let _delivery = app.spawn_delivery(delivery)?;
            println!(
                "duban serving on http://{addr}/graphql (console: http://{addr}/, GraphiQL: http://{addr}/graphiql)"
            );
            if demo {
                crate::demo::print_tokens(&app, &addr.to_string()).await?;
            }
            let server = serve(Arc::clone(&app), listener, ServerConfig { max_lag })
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            let stopped = match metrics_listen {
                None => server.await,
                Some(address) => {
                    let listener = TcpListener::bind(&address).map_err(|e| {
                        ServiceError::Internal(format!("cannot listen on {address}: {e}"))
                    })?;
                    println!("metrics on http://{address}/metrics");
                    let metrics = crate::http::serve_metrics(Arc::clone(&app), listener)
                        .map_err(|e| ServiceError::Internal(e.to_string()))?;
                    let metrics_handle = metrics.handle();
                    let stopped = futures::future::select(server, metrics).await;
                    metrics_handle.stop(true).await;
                    match stopped {
                        futures::future::Either::Left((result, _))
                        | futures::future::Either::Right((result, _)) => result,
                    }
                }
            }
            .map_err(|e| ServiceError::Internal(e.to_string()));
            // Save what the follower folded but had not saved yet.
            app.read.flush().await?;
            stopped
        }
        Command::Token { action } => {
            let app = App::open(&cli.database_url, clock).await?;
            token(&app, action).await
        }
        Command::Endpoint { action } => {
            let app = App::open(&cli.database_url, clock).await?;
            crate::notify::cli::run(&app, &cli_actor(), action).await?;
            app.read.flush().await?;
            Ok(())
        }
        Command::ImportPlan {
            file,
            dry_run,
            json,
            preview_digest,
            title,
            region,
            command_id,
        } => {
            let bytes = std::fs::read(&file).map_err(|e| {
                ServiceError::invalid("file", format!("cannot read {}: {e}", file.display()))
            })?;
            let options = ImportOptions {
                title,
                region,
                command_id,
                file_name: file.display().to_string(),
                preview_digest,
            };
            if dry_run || json {
                let read = crate::ops::import_plan::preview(&bytes, &options)?;
                if json {
                    let out = serde_json::to_string_pretty(&read)
                        .map_err(|e| ServiceError::Internal(e.to_string()))?;
                    println!("{out}");
                } else {
                    print!("{}", crate::ops::import_preview::render(&read));
                }
                return Ok(());
            }
            let app = App::open(&cli.database_url, clock).await?;
            let progress = bar("measures");
            let done = app
                .import_plan(&cli_actor(), &bytes, options, &|done, total| {
                    progress.set_length(total);
                    progress.set_position(done);
                })
                .await?;
            progress.finish_and_clear();
            app.read.flush().await?;
            println!(
                "imported plan {} ({}): {} measures, {} departments created, {} unrecognised lines",
                done.plan.title,
                done.plan.id.stream(),
                done.measures.len(),
                done.departments_created.len(),
                done.unrecognised.len()
            );
            for line in &done.unrecognised {
                println!("  unrecognised: {line}");
            }
            Ok(())
        }
        Command::ImportSurvey {
            file,
            year,
            dry_run,
            columns,
            command_id,
        } => {
            let app = App::open(&cli.database_url, clock).await?;
            crate::ops::survey::import_file(
                &app,
                &cli_actor(),
                &file,
                year,
                dry_run,
                columns,
                command_id,
            )
            .await
        }
        Command::Tick => {
            let app = App::open(&cli.database_url, clock).await?;
            let pass = app.run_clocks_once().await?;
            println!("overdue clock: {} task(s) marked overdue", pass.marked);
            println!("reminder clock: {} reminder(s) recorded", pass.reminded);
            println!("bulletin clock: {} bulletin(s) recorded", pass.bulletins);
            Ok(())
        }
        Command::Projections {
            action: ProjectionAction::Rebuild { name },
        } => {
            if name != crate::readmodel::CORE {
                return Err(ServiceError::invalid(
                    "name",
                    format!("there is no projection '{name}' (there is: core)"),
                ));
            }
            let app = App::open(&cli.database_url, clock).await?;
            let progress = bar("events");
            let rebuilt = app
                .read
                .rebuild(&|done, total| {
                    progress.set_length(total as u64);
                    progress.set_position(done as u64);
                })
                .await?;
            progress.finish_and_clear();
            let docs = rebuilt.documents;
            println!(
                "projection {name} rebuilt up to position {}: {} documents written, \
                 {} unchanged, {} removed",
                rebuilt.position, docs.written, docs.unchanged, docs.removed
            );
            Ok(())
        }
        Command::ExportEvents { to } => {
            crate::transfer::run_export(&cli.database_url, to.as_deref()).await
        }
        Command::ImportEvents { file } => {
            crate::transfer::run_import(&cli.database_url, &file, clock).await
        }
        Command::Backup { to } => crate::transfer::run_backup(&cli.database_url, &to).await,
        Command::Verify => {
            let app = App::open(&cli.database_url, clock).await?;
            let report = app.store.verify().await?;
            if report.ok {
                println!(
                    "ok: {} events checked, every hash chain intact",
                    report.events_checked
                );
                Ok(())
            } else {
                let position = report
                    .first_broken_position
                    .map_or_else(|| "unknown".to_string(), |p| p.to_string());
                Err(ServiceError::Internal(format!(
                    "integrity broken: first broken position {position} after {} events checked{}",
                    report.events_checked,
                    report.detail.map(|d| format!(" ({d})")).unwrap_or_default()
                )))
            }
        }
    }
}

async fn token(app: &App, action: TokenAction) -> ServiceResult<()> {
    let db = app.db.clone();
    match action {
        TokenAction::Create {
            name,
            role,
            department,
            link,
        } => {
            let role = Role::parse(&role)
                .filter(|r| *r != Role::System)
                .ok_or_else(|| ServiceError::invalid("role", "office, department or auditor"))?;
            let department = match department {
                Some(raw) => Some(resolve_department(app, &raw)?),
                None => None,
            };
            let (info, secret) =
                auth::create_token(&db, &name, role, department, app.clock.now()).await?;
            println!("{secret}");
            if let Some(base) = link {
                let base = Some(base)
                    .filter(|b| !b.trim().is_empty())
                    .or_else(|| std::env::var("DUBAN_LISTEN").ok())
                    .unwrap_or_else(|| "127.0.0.1:8080".into());
                println!("{}", crate::http::console::sign_in_link(&base, &secret));
            }
            eprintln!(
                "token {} for {} ({}) created; it is shown only once",
                info.id,
                info.name,
                info.role.as_str()
            );
            Ok(())
        }
        TokenAction::List => {
            for t in auth::list_tokens(&db).await? {
                let dept = t
                    .department
                    .map(|d| app.read.read(|m| m.department_name(d)));
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.name,
                    t.role.as_str(),
                    dept.unwrap_or_default(),
                    if t.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    }
                );
            }
            Ok(())
        }
        TokenAction::Revoke { id_or_name } => {
            let n = auth::revoke_token(&db, &id_or_name, app.clock.now()).await?;
            if n == 0 {
                return Err(ServiceError::not_found("token", id_or_name));
            }
            println!("revoked {n} token(s)");
            Ok(())
        }
    }
}

/// A department by id or exact name.
pub(crate) fn resolve_department(app: &App, raw: &str) -> ServiceResult<DepartmentId> {
    if let Ok(id) = DepartmentId::parse("department", raw) {
        return Ok(id);
    }
    app.read
        .read(|m| {
            m.departments
                .values()
                .find(|d| d.name == raw.trim())
                .map(|d| d.id)
        })
        .ok_or_else(|| ServiceError::not_found("department", raw))
}
