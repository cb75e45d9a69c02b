//! A private PostgreSQL instance for the outage test: initdb into a temporary directory
//! (as the `postgres` user when run as root), started on a free port with its socket in
//! that directory and trust authentication, so it can be stopped without touching the
//! shared server.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A private PostgreSQL instance in a temporary directory; stopped and removed on drop.
pub struct PrivatePg {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl PrivatePg {
    /// Runs initdb; `Err(reason)` when that is not possible here.
    pub fn create() -> Result<PrivatePg, String> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|e| format!("no /usr/lib/postgresql: {e}"))?
            .filter_map(Result::ok)
            .map(|entry| entry.path().join("bin"))
            .filter(|bin| bin.join("initdb").exists() && bin.join("pg_ctl").exists())
            .max()
            .ok_or("no initdb/pg_ctl under /usr/lib/postgresql/*/bin")?;
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map_err(|e| e.to_string())?;
        let as_postgres = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        let dir = std::env::temp_dir().join(format!("duban-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let pg = PrivatePg {
            dir,
            bin,
            port,
            as_postgres,
        };
        if as_postgres {
            pg.check(Command::new("chown").args(["postgres:", &pg.dir.display().to_string()]))?;
        }
        let data = pg.data();
        pg.check(
            pg.tool("initdb")
                .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
                .arg(&data),
        )?;
        Ok(pg)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// A PostgreSQL tool, run as `postgres` when we are root.
    fn tool(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        }
    }

    fn check(&self, cmd: &mut Command) -> Result<(), String> {
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{cmd:?}: {}", String::from_utf8_lossy(&out.stderr)))
        }
    }

    pub fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("postgres.log");
        self.check(
            self.tool("pg_ctl")
                .args(["start", "-w", "-D"])
                .arg(self.data())
                .args(["-o", &options, "-l"])
                .arg(&log),
        )
        .expect("start the private PostgreSQL");
    }

    pub fn stop_immediately(&self) -> Result<(), String> {
        self.check(
            self.tool("pg_ctl")
                .args(["stop", "-m", "immediate", "-w", "-D"])
                .arg(self.data()),
        )
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let _ = self.stop_immediately();
        let _ = std::fs::remove_dir_all(Path::new(&self.dir));
    }
}
