//! Job latency through the sandbox with zero institution delay: from
//! `POST /users/{id}/connections` to the job's last step succeeding, each run a new user
//! so it is a full first fetch, watched through `GET /jobs/{id}/events` (SSE).

use std::io::BufRead;
use std::time::Instant;

use super::http::{self, Res};
use super::{Figure, Section};
use crate::server::{self, Server};

const RUNS: usize = 20;
/// Runs watched by polling `GET /jobs/{id}` instead, as a check on the SSE figures.
const POLL_RUNS: usize = 10;
const POLL_EVERY_MS: u64 = 10;

pub fn run() -> Section {
    let mut fetched = String::from("?");
    let load_before = http::loadavg();
    let outcome = measure(&mut fetched);
    let load_after = http::loadavg();
    Section {
        title: "Connection job latency (sandbox, zero institution delay)",
        method: format!(
            "The `fast`-profile server (`cargo build --profile fast`) on a fresh SQLite file with \
             `--sandbox-latency-ms 0`, on 127.0.0.1. {RUNS} runs, each for a new user: `POST /users`, then \
             the clock starts, `POST /users/{{id}}/connections` with gavinBelson/hooli2016 at AU00000, and \
             `GET /jobs/{{id}}/events` (server-sent events, pushed by the worker as each step changes) is \
             read until an event shows every step `success`; the clock stops when that event arrives. \
             Each run is a full first fetch ({fetched}). As a check that the event stream adds no \
             delay, {POLL_RUNS} more runs, interleaved (every third), watch the job by polling `GET /jobs/{{id}}` every {POLL_EVERY_MS} ms \
             instead (so up to {POLL_EVERY_MS} ms late, and the polling itself loads the server). Client: blocking ureq in xtask, one request at a \
             time. The machine (2 cores) was shared with other engineers' builds and tests (load average \
             {load_before} before, {load_after} after: 1/5/15 min)."
        ),
        outcome,
    }
}

fn measure(fetched: &mut String) -> Res<Vec<Figure>> {
    let binary = server::build_fast()?;
    let server = Server::start(&binary, &["--sandbox-latency-ms", "0"])?;
    let api_key = http::tally(&binary, &server, &["app", "create", "bench"])?.trim().to_string();
    let agent = http::agent();
    let token = http::server_token(&agent, &server.url, &api_key)?;
    let (mut total, mut credentials, mut accounts, mut polled) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // Interleaved, so both ways of watching see the same machine: every third run polls.
    for i in 0..RUNS + POLL_RUNS {
        let poll = i % 3 == 2 && polled.len() < POLL_RUNS || total.len() == RUNS;
        let user = http::post_json(&agent, &format!("{}/users", server.url), &token, &serde_json::json!({ "email": format!("bench{i}@tally.example") }))?;
        let uid = user["id"].as_str().ok_or_else(|| format!("POST /users gave no id: {user}"))?.to_string();
        let body = serde_json::json!({ "loginId": "gavinBelson", "password": "hooli2016", "institution": { "id": "AU00000" } });
        let t0 = Instant::now();
        let job = http::post_json(&agent, &format!("{}/users/{uid}/connections", server.url), &token, &body)?;
        let jid = job["id"].as_str().ok_or_else(|| format!("POST /connections gave no job id: {job}"))?.to_string();
        if poll {
            polled.push(watch_polling(&agent, &server.url, &token, &jid, t0)?);
        } else {
            let (cred, acc, done) = watch_events(&agent, &server.url, &token, &jid, t0)?;
            total.push(done);
            credentials.push(cred);
            accounts.push(acc);
        }
        if i == 0 {
            let page = http::get_bytes(&agent, &format!("{}/users/{uid}/transactions?limit=1", server.url), Some(&token))?;
            let v: serde_json::Value = serde_json::from_slice(&page).map_err(|e| e.to_string())?;
            *fetched = format!("{} transactions on the user's accounts after the job", v["size"].as_u64().map(|n| n.to_string()).unwrap_or("?".into()));
        }
    }
    Ok(vec![
        Figure::new("POST connection → every step success (job done)", "ms", total),
        Figure::new(format!("… the same, watched by polling GET /jobs/{{id}} every {POLL_EVERY_MS} ms"), "ms", polled),
        Figure::new("POST connection → verify-credentials success", "ms", credentials),
        Figure::new("POST connection → retrieve-accounts success", "ms", accounts),
    ])
}

fn steps_of(v: &serde_json::Value) -> Res<Vec<serde_json::Value>> {
    let steps = v["steps"].as_array().cloned().unwrap_or_default();
    if steps.iter().any(|s| s["status"] == "failed") {
        return Err(format!("the job failed: {v}"));
    }
    Ok(steps)
}

fn all_done(steps: &[serde_json::Value]) -> bool {
    !steps.is_empty() && steps.iter().all(|s| s["status"] == "success")
}

/// Reads the job's event stream until every step succeeded: (credentials verified,
/// accounts retrieved, done) in ms since `t0`.
fn watch_events(agent: &ureq::Agent, url: &str, token: &str, jid: &str, t0: Instant) -> Res<(f64, f64, f64)> {
    let stream = http::get_stream(agent, &format!("{url}/jobs/{jid}/events"), token)?;
    let (mut t_cred, mut t_acc) = (None, None);
    let mut last = String::new();
    for line in std::io::BufReader::new(stream).lines() {
        let line = line.map_err(|e| format!("reading the job's events: {e}"))?;
        let Some(data) = line.strip_prefix("data:") else { continue };
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        let v: serde_json::Value = serde_json::from_str(data.trim()).map_err(|e| format!("event is not JSON: {e}: {data}"))?;
        let steps = steps_of(&v)?;
        let ok = |title: &str| steps.iter().any(|s| s["title"] == title && s["status"] == "success");
        if ok("verify-credentials") && t_cred.is_none() {
            t_cred = Some(ms);
        }
        if ok("retrieve-accounts") && t_acc.is_none() {
            t_acc = Some(ms);
        }
        if all_done(&steps) {
            return Ok((t_cred.unwrap_or(f64::NAN), t_acc.unwrap_or(f64::NAN), ms));
        }
        last = data.trim().to_string();
    }
    Err(format!("the event stream ended before the job finished; last event: {last}"))
}

/// Polls `GET /jobs/{id}` until every step succeeded: ms since `t0`.
fn watch_polling(agent: &ureq::Agent, url: &str, token: &str, jid: &str, t0: Instant) -> Res<f64> {
    loop {
        let bytes = http::get_bytes(agent, &format!("{url}/jobs/{jid}"), Some(token))?;
        let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        if all_done(&steps_of(&v)?) {
            return Ok(t0.elapsed().as_secs_f64() * 1000.0);
        }
        if t0.elapsed().as_secs() > 120 {
            return Err(format!("the job did not finish within 120 s: {v}"));
        }
        std::thread::sleep(std::time::Duration::from_millis(POLL_EVERY_MS));
    }
}
