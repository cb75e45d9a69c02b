//! Rebuilds the crate when a migration file changes, so `sqlx::migrate!` embeds it.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
