//! The `duban` executable: see `duban --help`.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    duban::telemetry::init();
    let cli = duban::cli::Cli::parse();
    match duban::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("duban: {} ({})", e, e.code());
            std::process::ExitCode::FAILURE
        }
    }
}
