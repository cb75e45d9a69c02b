//! The `duban` executable: see `duban --help`.

use clap::Parser;

/// jemalloc instead of glibc malloc: it hands freed pages back to the OS (a cold
/// quarterly dispatch folds a model of the whole county and drops it; glibc kept those
/// pages, so RSS stayed high) and allocates faster across threads under GraphQL load.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
