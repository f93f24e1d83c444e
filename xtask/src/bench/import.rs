//! Statement import: how fast the importer reads a big file, how much memory
//! it takes doing so, and how long a user waits from uploading a year of statements to
//! the job being done.
//!
//! Parse figures come from `tally-import`'s `throughput` example, run in its own
//! process per format so its peak RSS (VmHWM) is the importer's alone: it generates a
//! 100k-transaction OFX or CSV (deterministic), reads it back, and prints JSON. The
//! upload figure is the real `fast`-profile server on loopback: `POST
//! /users/{id}/statements` with a one-year CommBank-style CSV (~2,000 rows), watched
//! through `GET /jobs/{id}/events` until every step succeeded.

use std::io::BufRead;
use std::time::Instant;

use super::http::{self, Res};
use super::{Figure, Section};
use crate::cmd::cargo;
use crate::server::{self, Server};

const PARSE_RUNS: usize = 5;
const UPLOAD_RUNS: usize = 10;

pub fn run() -> Section {
    let load_before = http::loadavg();
    let outcome = (|| {
        let mut figures = parse()?;
        figures.extend(upload()?);
        Ok(figures)
    })();
    Section {
        title: "Statement import",
        method: format!(
            "Parse: `cargo run --profile fast -p tally-import --example throughput -- <format> 100000`, {PARSE_RUNS} \
             runs per format, each a new process: it generates the file in memory, then times `tally_import::import` \
             on it (the MB/s and transactions/s of that call) and reports the process's peak RSS (VmHWM) over the \
             file's size, with the generated file and its copy included in the peak. Upload: the `fast`-profile \
             server on a fresh SQLite file on 127.0.0.1, {UPLOAD_RUNS} runs, each a new user: the clock runs from \
             sending `POST /users/{{id}}/statements` (multipart, a one-year CommBank-style CSV of ~2,000 rows, \
             ~110 KB) to the job's event stream showing every step `success`; a second upload of the same file \
             (which adds nothing) is timed the same way. Load average {load_before} before (1/5/15 min; 2 cores \
             shared with other work)."
        ),
        outcome,
    }
}

fn parse() -> Res<Vec<Figure>> {
    let mut figures = Vec::new();
    for format in ["ofx", "csv"] {
        let (mut mbs, mut txs, mut mem) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..PARSE_RUNS {
            let out = cargo()
                .args(["run", "-q", "--profile", "fast", "-p", "tally-import", "--example", "throughput", "--", format, "100000"])
                .output()
                .map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(format!("the throughput example failed: {}", String::from_utf8_lossy(&out.stderr)));
            }
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out.stdout)))?;
            mbs.push(v["mbPerSecond"].as_f64().unwrap_or(f64::NAN));
            txs.push(v["transactionsPerSecond"].as_f64().unwrap_or(f64::NAN));
            mem.push(v["peakRssOverFileSize"].as_f64().unwrap_or(f64::NAN));
        }
        let name = format.to_uppercase();
        figures.push(Figure::new(format!("{name} parse, 100k transactions"), "MB/s", mbs).target(">= 50 MB/s"));
        figures.push(Figure::new(format!("{name} parse, 100k transactions"), "tx/s", txs));
        figures.push(Figure::new(format!("{name} parse, peak RSS of the process over the file's size"), "×", mem).target("< 10 ×"));
    }
    Ok(figures)
}

/// A year of a CommBank NetBank export: no header, newest first, ~5.5 rows a day.
fn one_year_csv() -> Vec<u8> {
    const MERCHANTS: [&str; 8] = [
        "WOOLWORTHS 1234 SYDNEY", "COLES 0456 NEWTOWN", "UBER *TRIP HELP.UBER.COM", "NETFLIX.COM MELBOURNE",
        "CALTEX STRATHFIELD", "TRANSPORTFORNSW OPAL", "MCDONALDS BROADWAY", "BUNNINGS 7890 ALEXANDRIA",
    ];
    let mut rows = Vec::new();
    let mut balance: i64 = 1_000_000;
    let mut n: i64 = 0;
    for day in 0..365 {
        let date = chrono_like(day);
        for i in 0..(5 + day % 2) {
            n += 1;
            let cents = -((n * 7_919) % 12_000 + 300);
            balance += cents;
            let m = MERCHANTS[((day + i * 3) % 8) as usize];
            rows.push(format!("\"{date}\",\"{}\",\"{m}\",\"+{}\"", money(cents), money(balance)));
        }
    }
    rows.reverse();
    (rows.join("\r\n") + "\r\n").into_bytes()
}

/// dd/mm/yyyy of day `d` of 2025 (no leap day in 2025).
fn chrono_like(d: i64) -> String {
    const LEN: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut m, mut rest) = (0, d);
    while rest >= LEN[m] {
        rest -= LEN[m];
        m += 1;
    }
    format!("{:02}/{:02}/2025", rest + 1, m + 1)
}

fn money(c: i64) -> String {
    format!("{}{}.{:02}", if c < 0 { "-" } else { "" }, c.abs() / 100, c.abs() % 100)
}

fn upload() -> Res<Vec<Figure>> {
    let binary = server::build_fast()?;
    let server = Server::start(&binary, &[])?;
    let api_key = http::tally(&binary, &server, &["app", "create", "bench"])?.trim().to_string();
    let agent = http::agent();
    let token = http::server_token(&agent, &server.url, &api_key)?;
    let file = one_year_csv();
    let (mut first, mut again) = (Vec::new(), Vec::new());
    for i in 0..UPLOAD_RUNS {
        let user = http::post_json(&agent, &format!("{}/users", server.url), &token, &serde_json::json!({ "email": format!("import{i}@tally.example") }))?;
        let uid = user["id"].as_str().ok_or_else(|| format!("POST /users gave no id: {user}"))?.to_string();
        for times in [&mut first, &mut again] {
            let t0 = Instant::now();
            let job = post_statement(&agent, &server.url, &token, &uid, &file)?;
            times.push(watch(&agent, &server.url, &token, &job, t0)?);
        }
    }
    let rows = file.iter().filter(|b| **b == b'\n').count();
    Ok(vec![
        Figure::new(format!("upload → job done, one-year CSV ({rows} rows, {} KB)", file.len() / 1000), "ms", first).target("< 1,000 ms"),
        Figure::new("… the same file again (adds nothing)", "ms", again),
    ])
}

/// The multipart body by hand: ureq 2 has no form builder, and this client sends one
/// fixed form.
fn post_statement(agent: &ureq::Agent, url: &str, token: &str, user: &str, file: &[u8]) -> Res<String> {
    let boundary = "tally-bench-7d1f0c2b";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"institutionId\"\r\n\r\nAU10001\r\n").into_bytes();
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"statement\"; filename=\"year.csv\"\r\nContent-Type: text/csv\r\n\r\n").bytes());
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    let resp = agent
        .post(&format!("{url}/users/{user}/statements"))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", &format!("multipart/form-data; boundary={boundary}"))
        .send_bytes(&body)
        .map_err(|e| format!("POST statements: {e}"))?;
    let v: serde_json::Value = serde_json::from_str(&resp.into_string().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    v["id"].as_str().map(str::to_string).ok_or_else(|| format!("no job id: {v}"))
}

/// ms from `t0` until the job's events show every step `success`.
fn watch(agent: &ureq::Agent, url: &str, token: &str, job: &str, t0: Instant) -> Res<f64> {
    let stream = http::get_stream(agent, &format!("{url}/jobs/{job}/events"), token)?;
    for line in std::io::BufReader::new(stream).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let Some(data) = line.strip_prefix("data:") else { continue };
        let v: serde_json::Value = serde_json::from_str(data.trim()).map_err(|e| e.to_string())?;
        let steps = v["steps"].as_array().cloned().unwrap_or_default();
        if steps.iter().any(|s| s["status"] == "failed") {
            return Err(format!("the upload's job failed: {v}"));
        }
        if !steps.is_empty() && steps.iter().all(|s| s["status"] == "success") {
            return Ok(t0.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Err("the event stream ended before the job finished".into())
}
