//! The real `tally-server` binary as a separate process, for the hostile-load tests:
//! memory and file descriptors are read from the server's own /proc entry, so nothing
//! the test client allocates or opens is counted. It listens on 127.0.0.1 only.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{self, Db};

pub struct Binary {
    child: Child,
    pub base: String,
    pub addr: std::net::SocketAddr,
    db: Db,
    secret: String,
    _dir: tempfile::TempDir,
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(dir: &std::path::Path, db: &Db, secret: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tally-server"));
    c.current_dir(dir).env("DATABASE_URL", &db.url).env("TALLY_SECRET_KEY", secret).env("RUST_LOG", "warn,sqlx=error").stdin(Stdio::null());
    c
}

impl Binary {
    /// Starts the server on a fresh database (SQLite, or PostgreSQL when
    /// TALLY_TEST_DATABASE_URL is set) with these extra environment variables.
    pub async fn start(env: &[(&str, &str)]) -> Binary {
        let db = common::fresh_db().await;
        let dir = tempfile::tempdir().expect("tempdir");
        let secret = "ab".repeat(32);
        let mut cmd = command(dir.path(), &db, &secret);
        cmd.arg("serve").env("TALLY_LISTEN", "127.0.0.1:0").stdout(Stdio::piped()).stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start tally-server");
        let stdout = child.stdout.take().expect("stdout");
        let line = tokio::task::spawn_blocking(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            for _ in 0..100 {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.contains("ready at") {
                    break;
                }
            }
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in reader.lines() {});
            line
        });
        let line = tokio::time::timeout(Duration::from_secs(120), line).await.expect("server started in time").unwrap();
        let base = line.trim().rsplit(' ').next().unwrap_or("").trim_end_matches('/').to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "unexpected start line: {line:?}");
        let addr = base.trim_start_matches("http://").parse().unwrap();
        Binary { child, base, addr, db, secret, _dir: dir }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A new application's API key (`tally-server app create`).
    pub fn api_key(&self, name: &str) -> String {
        let out = command(self._dir.path(), &self.db, &self.secret).args(["app", "create", name]).stderr(Stdio::null()).output().unwrap();
        assert!(out.status.success(), "app create failed");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// A field of /proc/PID/status in kB (VmRSS, VmHWM).
    pub fn status_kb(&self, field: &str) -> u64 {
        proc_status_kb(self.pid(), field)
    }

    /// Open file descriptors of the server.
    pub fn fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid())).map(|d| d.count()).unwrap_or(0)
    }

    /// A SERVER_ACCESS token (2.0) for `key`.
    pub async fn server_token(&self, http: &reqwest::Client, key: &str) -> String {
        let res = http
            .post(format!("{}/token", self.base))
            .header("Authorization", format!("Basic {key}"))
            .header("basiq-version", "2.0")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("scope=SERVER_ACCESS")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }

    /// A user of the token's application.
    pub async fn create_user(&self, http: &reqwest::Client, token: &str) -> String {
        let res = http.post(format!("{}/users", self.base)).bearer_auth(token).json(&json!({"email": "a@b.example"})).send().await.unwrap();
        assert_eq!(res.status(), 201);
        res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
    }
}

pub fn proc_status_kb(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines().find_map(|l| l.strip_prefix(field).and_then(|r| r.trim_start_matches(':').split_whitespace().next()).and_then(|n| n.parse().ok())).unwrap_or(0)
}

/// The `p`-th percentile (0..=100) of durations, in milliseconds.
pub fn percentile_ms(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    if samples.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (samples.len() - 1) as f64).round() as usize;
    samples[i].as_secs_f64() * 1000.0
}
