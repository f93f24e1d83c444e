//! Small helpers shared by the server benchmarks: running `tally-server` subcommands
//! beside a running server, and the few API calls they need (blocking `ureq`, loopback).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::server::Server;

pub type Res<T> = std::result::Result<T, String>;

/// Runs `tally-server ARGS` in the server's folder on its database; returns stdout.
pub fn tally(binary: &Path, server: &Server, args: &[&str]) -> Res<String> {
    let out = Command::new(binary)
        .current_dir(server.dir())
        .args(args)
        .env("DATABASE_URL", server.database_url())
        .env("RUST_LOG", "warn")
        .output()
        .map_err(|e| format!("could not run {}: {e}", binary.display()))?;
    if !out.status.success() {
        return Err(format!("`tally-server {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().timeout_connect(Duration::from_secs(5)).timeout(Duration::from_secs(120)).build()
}

fn err(e: ureq::Error) -> String {
    match e {
        ureq::Error::Status(code, r) => format!("HTTP {code}: {}", r.into_string().unwrap_or_default()),
        e => e.to_string(),
    }
}

/// `POST /token` with the API key (Basic), scope SERVER_ACCESS: the bearer token.
pub fn server_token(agent: &ureq::Agent, url: &str, api_key: &str) -> Res<String> {
    let body = agent
        .post(&format!("{url}/token"))
        .set("Authorization", &format!("Basic {api_key}"))
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string("scope=SERVER_ACCESS")
        .map_err(err)?
        .into_string()
        .map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_str(&body).map_err(|e| format!("/token: {e}: {body}"))?;
    v["access_token"].as_str().map(str::to_string).ok_or_else(|| format!("/token gave no access_token: {body}"))
}

/// GET with the bearer token: the body bytes.
pub fn get_bytes(agent: &ureq::Agent, url: &str, token: Option<&str>) -> Res<Vec<u8>> {
    let mut req = agent.get(url);
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    let resp = req.call().map_err(err)?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// POST a JSON body with the bearer token: the JSON answer.
pub fn post_json(agent: &ureq::Agent, url: &str, token: &str, body: &serde_json::Value) -> Res<serde_json::Value> {
    let text = agent
        .post(url)
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/json")
        .send_string(&body.to_string())
        .map_err(err)?
        .into_string()
        .map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("{url}: {e}: {text}"))
}

/// Opens a GET stream (for server-sent events) with the bearer token.
pub fn get_stream(agent: &ureq::Agent, url: &str, token: &str) -> Res<Box<dyn std::io::Read + Send + Sync + 'static>> {
    let resp = agent.get(url).set("Authorization", &format!("Bearer {token}")).set("Accept", "text/event-stream").call().map_err(err)?;
    Ok(resp.into_reader())
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Load average (1, 5, 15 min) from /proc/loadavg, for the method text.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_else(|_| "?".into())
}
