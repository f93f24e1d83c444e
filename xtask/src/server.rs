//! Starts the real `tally-server` binary for end-to-end tests and benchmarks: a fresh
//! SQLite file in a temporary folder, a free loopback port, killed on drop.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::{cargo, exec, root, target_dir, Result};

pub struct Server {
    child: Child,
    dir: PathBuf,
    pub url: String,
}

/// The debug server binary (already built by the native tests, so this is quick).
pub fn build() -> Result<PathBuf> {
    exec(cargo().args(["build", "-p", "tally-server"]))?;
    Ok(target_dir().join("debug/tally-server"))
}

/// The server built with the `fast` profile, for benchmarks.
pub fn build_fast() -> Result<PathBuf> {
    exec(cargo().args(["build", "--profile", "fast", "-p", "tally-server"]))?;
    Ok(target_dir().join("fast/tally-server"))
}

/// A loopback port free right now (the OS picks it; it is released for the caller).
pub fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).map_err(|e| e.to_string())
}

impl Server {
    /// The server's working folder (its SQLite file is `tally.db` in it, its key in
    /// `data/`): run other `tally-server` subcommands here with [`Server::database_url`].
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The server process, to read its /proc entry.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn database_url(&self) -> String {
        format!("sqlite:{}", self.dir.join("tally.db").display())
    }

    pub fn start(binary: &PathBuf, extra_args: &[&str]) -> Result<Server> {
        Self::start_serving(binary, extra_args, &root())
    }

    /// Like [`Server::start`], with the demo page and the widget's files served from
    /// `static_root` instead of the repository (another build of the widget).
    pub fn start_serving(binary: &PathBuf, extra_args: &[&str], static_root: &std::path::Path) -> Result<Server> {
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("tally-e2e-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .current_dir(&dir)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(extra_args)
            .env("DATABASE_URL", format!("sqlite:{}", dir.join("tally.db").display()))
            .env("TALLY_STATIC_ROOT", static_root)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
        let server = Server { child, dir, url: format!("http://127.0.0.1:{port}") };
        server.wait_ready(port)?;
        Ok(server)
    }

    /// Polls `GET /public/institutions` until it answers 200 (30 s at most).
    fn wait_ready(&self, port: u16) -> Result {
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(30) {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.write_all(b"GET /public/institutions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                let mut head = [0u8; 12];
                if s.read_exact(&mut head).is_ok() && head.ends_with(b"200") {
                    return Ok(());
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("the server did not become ready within 30 s".into())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
