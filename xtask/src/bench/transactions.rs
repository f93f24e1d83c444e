//! The transactions endpoint under load: `GET /users/{id}/transactions` with a
//! date filter and `limit=100` on a user with 100,000 transactions, driven by `wrk` on
//! loopback, beside the same bytes served as a static file by the same server.

use std::process::Command;

use super::http::{self, Res};
use super::{Figure, Section};
use crate::server::{self, Server};

const TRANSACTIONS: usize = 100_000;
const RUNS: usize = 3;
const DURATION: &str = "10s";
const THREADS: &str = "2";
const CONNECTIONS: &str = "32";
/// wrk's default (2 s) would drop the slowest requests from its percentiles.
const TIMEOUT: &str = "30s";

pub fn run() -> Section {
    let mut filter_text = String::new();
    let mut body_len = 0;
    let load_before = http::loadavg();
    let outcome = measure(&mut filter_text, &mut body_len);
    let load_after = http::loadavg();
    Section {
        title: "Transactions endpoint under load",
        method: format!(
            "`tally-server seed --user-transactions {TRANSACTIONS}` (one user, one connection, 3 accounts, 12 \
             transactions a day going back from today) on a fresh SQLite file, then the `fast`-profile server \
             (`cargo build --profile fast`, RUST_LOG=warn) on 127.0.0.1. Request: \
             `GET /users/{{id}}/transactions?filter={filter_text}&limit=100` with a SERVER_ACCESS bearer token \
             (a {body_len}-byte JSON page; the endpoint also counts every match for `size`). Load: \
             `wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION} --timeout {TIMEOUT} --latency` (Debian's wrk 4.1, no \
             Lua; the timeout raised from wrk's 2 s so slow requests count in the percentiles instead of \
             being dropped), {RUNS} runs each, the API, the static URL and the API with one connection \
             (`-t1 -c1`: the time one request takes, without queueing) interleaved; one sample per run \
             (p50/p99 are wrk's own percentiles of that run). Static: the exact same response bytes written to `www/bench.json` \
             under a temporary `--static-root`, served by the same server process (tower-http ServeDir, \
             which reads the file on each request) — the ceiling for this HTTP stack on this machine. \
             The machine has 2 cores and wrk shares them with the server, so these are lower bounds of \
             what the server alone would do; it was also shared with other engineers' builds and tests \
             (load average {load_before} before, {load_after} after: 1/5/15 min)."
        ),
        outcome,
    }
}

fn measure(filter_text: &mut String, body_len: &mut usize) -> Res<Vec<Figure>> {
    if !crate::cmd::on_path("wrk") {
        return Err("`wrk` is not installed (cargo xtask setup installs Debian's wrk)".into());
    }
    let binary = server::build_fast()?;
    let static_root = std::env::temp_dir().join(format!("tally-bench-static-{}", std::process::id()));
    std::fs::create_dir_all(static_root.join("www")).map_err(|e| e.to_string())?;
    let _cleanup = RemoveOnDrop(static_root.clone());
    let root_arg = static_root.display().to_string();
    let server = Server::start(&binary, &["--static-root", &root_arg])?;

    let seeded = http::tally(&binary, &server, &["seed", "--user-transactions", &TRANSACTIONS.to_string()])?;
    let field = |k: &str| seeded.lines().find_map(|l| l.strip_prefix(&format!("{k}="))).map(str::to_string);
    let (api_key, user_id) = match (field("api_key"), field("user_id")) {
        (Some(k), Some(u)) => (k, u),
        _ => return Err(format!("`tally-server seed` printed no api_key/user_id: {seeded}")),
    };
    let agent = http::agent();
    let token = http::server_token(&agent, &server.url, &api_key)?;

    // The last twelve months, as the Expenses view asks for them.
    let day = |ago: &str| crate::cmd::output(Command::new("date").args(["-u", "-d", ago, "+%Y-%m-%d"])).map(|s| s.trim().to_string());
    let (from, to) = (day("365 days ago").ok_or("date failed")?, day("today").ok_or("date failed")?);
    *filter_text = format!("transaction.postDate.bt('{from}','{to}')");
    let api_url = format!("{}/users/{user_id}/transactions?filter={}&limit=100", server.url, http::encode(filter_text));
    let body = http::get_bytes(&agent, &api_url, Some(&token))?;
    let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| format!("the page is not JSON: {e}"))?;
    if v["data"].as_array().map(|a| a.len()) != Some(100) {
        return Err(format!("expected a page of 100 transactions, got: {}", String::from_utf8_lossy(&body[..body.len().min(300)])));
    }
    *body_len = body.len();
    std::fs::write(static_root.join("www/bench.json"), &body).map_err(|e| e.to_string())?;
    let static_url = format!("{}/www/bench.json", server.url);
    if http::get_bytes(&agent, &static_url, None)? != body {
        return Err("the static file route did not serve the same bytes".into());
    }

    let auth = format!("Authorization: Bearer {token}");
    let (mut api, mut stat, mut single) = (Runs::default(), Runs::default(), Runs::default());
    for _ in 0..RUNS {
        api.push(wrk(&api_url, Some(&auth), THREADS, CONNECTIONS)?);
        stat.push(wrk(&static_url, None, THREADS, CONNECTIONS)?);
        single.push(wrk(&api_url, Some(&auth), "1", "1")?);
    }
    Ok(vec![
        Figure::new(format!("API, {CONNECTIONS} connections: requests per second"), "/s", api.rps),
        Figure::new("API: latency p50", "ms", api.p50),
        Figure::new("API: latency p99", "ms", api.p99),
        Figure::new("API: socket errors / timeouts per run", "", api.errors),
        Figure::new(format!("static, same bytes, {CONNECTIONS} connections: requests per second"), "/s", stat.rps),
        Figure::new("static: latency p50", "ms", stat.p50),
        Figure::new("static: latency p99", "ms", stat.p99),
        Figure::new("static: socket errors / timeouts per run", "", stat.errors),
        Figure::new("API, one connection (service time): requests per second", "/s", single.rps),
        Figure::new("API, one connection: latency p50", "ms", single.p50),
        Figure::new("API, one connection: latency p99", "ms", single.p99),
    ])
}

struct RemoveOnDrop(std::path::PathBuf);
impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[derive(Default)]
struct Runs {
    rps: Vec<f64>,
    p50: Vec<f64>,
    p99: Vec<f64>,
    errors: Vec<f64>,
}

impl Runs {
    fn push(&mut self, r: WrkRun) {
        self.rps.push(r.rps);
        self.p50.push(r.p50_ms);
        self.p99.push(r.p99_ms);
        self.errors.push(r.socket_errors);
    }
}

#[derive(Debug, PartialEq)]
struct WrkRun {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    socket_errors: f64,
}

fn wrk(url: &str, header: Option<&str>, threads: &str, connections: &str) -> Res<WrkRun> {
    let mut c = Command::new("wrk");
    c.args(["-t", threads, "-c", connections, "-d", DURATION, "--timeout", TIMEOUT, "--latency"]);
    if let Some(h) = header {
        c.args(["-H", h]);
    }
    c.arg(url);
    eprintln!("$ wrk -t{threads} -c{connections} -d{DURATION} --timeout {TIMEOUT} --latency {url}");
    let out = c.output().map_err(|e| format!("could not run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("wrk failed: {text} {}", String::from_utf8_lossy(&out.stderr)));
    }
    parse_wrk(&text)
}

/// Reads `Requests/sec:`, the 50% / 99% lines of `--latency` and the socket errors
/// from wrk's report; any non-2xx answer makes the run invalid.
fn parse_wrk(text: &str) -> Res<WrkRun> {
    if let Some(l) = text.lines().find(|l| l.contains("Non-2xx")) {
        return Err(format!("wrk saw error answers ({}):\n{text}", l.trim()));
    }
    // `Socket errors: connect 0, read 0, write 0, timeout 2`
    let socket_errors = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Socket errors:"))
        .map(|l| l.split(',').filter_map(|p| p.split_whitespace().last()?.parse::<f64>().ok()).sum())
        .unwrap_or(0.0);
    let value = |prefix: &str| text.lines().map(str::trim).find_map(|l| l.strip_prefix(prefix)).map(str::trim);
    let rps = value("Requests/sec:").and_then(|v| v.parse::<f64>().ok()).ok_or_else(|| format!("no Requests/sec in wrk's output:\n{text}"))?;
    let latency = |p: &str| value(p).and_then(duration_ms).ok_or_else(|| format!("no {p} latency in wrk's output:\n{text}"));
    Ok(WrkRun { rps, p50_ms: latency("50%")?, p99_ms: latency("99%")?, socket_errors })
}

/// wrk's durations: `812.00us`, `5.21ms`, `1.02s`, `2.00m`.
fn duration_ms(v: &str) -> Option<f64> {
    let split = v.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = v.split_at(split);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "Running 10s test @ http://127.0.0.1:1/x
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.21ms    1.02ms  20.00ms   80.00%
    Req/Sec     3.08k   200.00     3.50k    70.00%
  Latency Distribution
     50%  812.00us
     75%    5.50ms
     90%    6.00ms
     99%    1.02s
  61234 requests in 10.00s, 100.00MB read
Requests/sec:   6123.40
Transfer/sec:     10.00MB
";

    #[test]
    fn reads_wrk_output() {
        assert_eq!(parse_wrk(OUT).unwrap(), WrkRun { rps: 6123.4, p50_ms: 0.812, p99_ms: 1020.0, socket_errors: 0.0 });
        let slow = OUT.replace("Requests/sec", "  Socket errors: connect 0, read 1, write 0, timeout 2\nRequests/sec");
        assert_eq!(parse_wrk(&slow).unwrap().socket_errors, 3.0);
        let bad = OUT.replace("Requests/sec", "  Non-2xx or socket errors: 3\nRequests/sec");
        assert!(parse_wrk(&bad).is_err());
    }
}
