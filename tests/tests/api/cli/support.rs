//! Running the real `duban` binary: building it once (a test cannot depend on another
//! package's binary), a fresh SQLite file per scenario, and a look into that file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use sqlx::{Connection, SqliteConnection};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// The `duban` binary of the profile these tests were built with, built on first use.
pub fn duban_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test executable");
        // target/<profile>/deps/cli-… → target/<profile>
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>")
            .to_path_buf();
        let target_dir = profile_dir.parent().expect("target");
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev".to_string(),
            Some(other) => other.to_string(),
        };
        let cargo = option_env!("CARGO").unwrap_or("cargo");
        let status = Command::new(cargo)
            .current_dir(workspace())
            .args(["build", "--quiet", "-p", "duban", "--bin", "duban"])
            .args(["--profile", &profile, "--target-dir"])
            .arg(target_dir)
            .status()
            .expect("run cargo build");
        assert!(status.success(), "cargo build -p duban --bin duban failed");
        profile_dir.join(format!("duban{}", std::env::consts::EXE_SUFFIX))
    })
}

/// A finished run: exit status and output as text.
#[derive(Debug)]
pub struct Run {
    /// Exit status was success.
    pub ok: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            ok: o.status.success(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `duban ARGS` on the database `db` (an SQLite file path) with the clock at `now`
/// (RFC 3339) when given.
pub fn duban(db: &Path, now: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = Command::new(duban_bin());
    cmd.arg("--database-url").arg(db).args(args);
    cmd.env_remove("DUBAN_DATABASE_URL").env("RUST_LOG", "warn");
    match now {
        Some(now) => cmd.env("DUBAN_NOW", now),
        None => cmd.env_remove("DUBAN_NOW"),
    };
    cmd.output().expect("run duban").into()
}

/// Like [`duban`], asserting success.
pub fn duban_ok(db: &Path, now: Option<&str>, args: &[&str]) -> Run {
    let run = duban(db, now, args);
    assert!(run.ok, "duban {args:?} failed: {run:?}");
    run
}

/// An open connection to the SQLite file.
pub async fn sqlite(db: &Path) -> SqliteConnection {
    let url = format!("sqlite://{}?mode=rw", db.display());
    SqliteConnection::connect(&url)
        .await
        .expect("open the file")
}

/// The number of events in the file, optionally of one type.
pub async fn count(db: &Path, event_type: Option<&str>) -> i64 {
    let mut conn = sqlite(db).await;
    let n: i64 = match event_type {
        None => {
            sqlx::query_scalar("SELECT COUNT(*) FROM events")
                .fetch_one(&mut conn)
                .await
        }
        Some(t) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE event_type = ?")
                .bind(t)
                .fetch_one(&mut conn)
                .await
        }
    }
    .expect("count events");
    conn.close().await.expect("close");
    n
}

/// A text file in the temp directory, deleted on drop.
#[derive(Debug)]
pub struct TempText(PathBuf);

impl TempText {
    /// Writes `bytes` to a new file.
    pub fn new(bytes: &[u8]) -> Self {
        let name = format!("duban-cli-{}.txt", uuid::Uuid::new_v4().simple());
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, bytes).expect("write the file");
        TempText(path)
    }

    /// Its path, as an argument.
    pub fn arg(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temp path")
    }
}

impl Drop for TempText {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A path inside the workspace, as an argument.
pub fn in_workspace(relative: &str) -> String {
    workspace().join(relative).display().to_string()
}
