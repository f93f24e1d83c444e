//! A throwaway PostgreSQL for the test suite: `initdb` into a temporary folder, start
//! on a free loopback port, drop everything when the guard goes out of scope.

use std::path::PathBuf;
use std::process::Command;

use crate::cmd::{output, exec, Result};

pub struct Postgres {
    dir: PathBuf,
    bin: PathBuf,
    pub url: String,
}

/// The folder holding initdb / pg_ctl, whether on PATH or in Debian's versioned folder.
fn bin_dir() -> Option<PathBuf> {
    if let Some(p) = crate::cmd::find("pg_ctl") {
        return p.parent().map(|d| d.to_path_buf());
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql").ok()?.flatten().map(|e| e.path().join("bin")).collect();
    versions.sort();
    versions.pop().filter(|d| d.join("pg_ctl").exists())
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

impl Postgres {
    /// Starts a fresh cluster, or None when PostgreSQL is not installed.
    pub fn start() -> Result<Option<Postgres>> {
        let Some(bin) = bin_dir() else { return Ok(None) };
        let dir = std::env::temp_dir().join(format!("tally-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        // PostgreSQL refuses to run as root: run it as the `postgres` user when we are root.
        let as_root = output(Command::new("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false);
        if as_root {
            exec(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir))?;
        }
        let port = free_port()?;
        let pg = |tool: &str| {
            let mut c = if as_root {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
                c
            } else {
                Command::new(bin.join(tool))
            };
            c.current_dir(&dir);
            c
        };
        let data = dir.join("data");
        exec(pg("initdb").args(["-A", "trust", "-U", "tally", "--no-sync", "-D"]).arg(&data).stdout(std::process::Stdio::null()))?;
        let opts = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", dir.display());
        exec(pg("pg_ctl").args(["-w", "-D"]).arg(&data).args(["-o", &opts, "-l"]).arg(dir.join("log")).arg("start").stdout(std::process::Stdio::null()))?;
        let this = Postgres { dir: dir.clone(), bin, url: format!("postgres://tally@127.0.0.1:{port}/postgres") };
        Ok(Some(this))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let mut stop = Command::new("runuser");
        stop.args(["-u", "postgres", "--"]).arg(self.bin.join("pg_ctl")).args(["-m", "fast", "-D"]).arg(&data).arg("stop");
        if output(Command::new("id").arg("-u")).map(|s| s.trim() != "0").unwrap_or(true) {
            stop = Command::new(self.bin.join("pg_ctl"));
            stop.args(["-m", "fast", "-D"]).arg(&data).arg("stop");
        }
        let _ = stop.stdout(std::process::Stdio::null()).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
