//! The `duban` executable: see `duban --help`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // Before the runtime's threads exist (see the function).
    duban::memory::limit_arenas();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("duban: could not start the async runtime: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> std::process::ExitCode {
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
