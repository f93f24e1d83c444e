//! Hostile load: what a client that means harm costs the server, read from
//! the server's own /proc entry so nothing the attacker side allocates is counted.
//!
//! - Bad keys: 200 concurrent `POST /token` with a wrong secret for a real application
//!   id (which anyone holding one of its CLIENT tokens can read). Before the fix this
//!   took the server from 9 MB to 1.13 GB and another application's `GET /users/{id}`
//!   from 2 ms to 3.8 s. Recorded: RSS before and peak, and that other application's
//!   latency during the burst beside the same requests with no burst, in one run.
//! - Stalled sockets: 600 connections that never finish a request (partial headers,
//!   idle, kept alive then idle, a body that stops), against a server with a 2 s
//!   header-read and body-read timeout. Recorded: its descriptors before, while they
//!   are open and after they are closed, and how long the last one took to be closed.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine;

use super::http::{self, Res};
use super::report::quantile;
use super::{Figure, Section};
use crate::server::{self, Server};

const RUNS: usize = 3;
const BURST: usize = 200;
const PROBES: usize = 200;

pub fn run() -> Section {
    let load_before = http::loadavg();
    let outcome = (|| {
        let mut figures = bad_keys()?;
        figures.extend(stalled_sockets()?);
        Ok(figures)
    })();
    Section {
        title: "Hostile load",
        method: format!(
            "The `fast`-profile server on a fresh SQLite file on 127.0.0.1; memory (VmRSS, VmHWM) and open \
             descriptors read from its /proc entry. Bad keys, {RUNS} runs, each a new server: {BURST} threads each \
             send `POST /token` with `Basic base64(<real app id>:x)` at once, while one thread sends {PROBES} \
             `GET /users/{{id}}` of another application one after another (each with a fresh connection); the same \
             {PROBES} requests with no burst first give the baseline in the same run. Stalled sockets, {RUNS} runs, \
             each a new server with `--header-read-timeout-secs 2 --body-read-timeout-secs 2`: 300 connections send \
             half a request head, 100 send nothing, 100 make one request then idle, 100 send headers promising \
             1,000 body bytes and one byte; the clock runs until the server has closed all 600. Load average \
             {load_before} before (1/5/15 min; 2 cores shared with other work)."
        ),
        outcome,
    }
}

fn status_kb(pid: u32, field: &str) -> f64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(field).and_then(|r| r.trim_start_matches(':').split_whitespace().next()).and_then(|n| n.parse::<f64>().ok()))
        .unwrap_or(f64::NAN)
}

fn fds(pid: u32) -> f64 {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(f64::NAN, |d| d.count() as f64)
}

fn p99_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    quantile(&samples, 0.99)
}

/// One GET /users/{id} on a fresh connection, in ms.
fn probe(url: &str, token: &str, user: &str) -> Res<f64> {
    let t = Instant::now();
    http::get_bytes(&http::agent(), &format!("{url}/users/{user}"), Some(token))?;
    Ok(t.elapsed().as_secs_f64() * 1000.0)
}

fn bad_keys() -> Res<Vec<Figure>> {
    let binary = server::build_fast()?;
    let (mut idle_mb, mut peak_mb, mut calm_p99, mut burst_p99, mut ratio, mut refused) = (vec![], vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..RUNS {
        let server = Server::start(&binary, &[])?;
        let victim = http::tally(&binary, &server, &["app", "create", "victim"])?.trim().to_string();
        let other_key = http::tally(&binary, &server, &["app", "create", "other"])?.trim().to_string();
        let agent = http::agent();
        let other = http::server_token(&agent, &server.url, &other_key)?;
        let user = http::post_json(&agent, &format!("{}/users", server.url), &other, &serde_json::json!({"email": "other@tally.example"}))?;
        let user = user["id"].as_str().ok_or("POST /users gave no id")?.to_string();
        let raw = base64::engine::general_purpose::STANDARD.decode(&victim).map_err(|e| e.to_string())?;
        let app_id = String::from_utf8_lossy(&raw).split_once(':').map(|(a, _)| a.to_string()).ok_or("an API key is app:secret")?;
        let bad = base64::engine::general_purpose::STANDARD.encode(format!("{app_id}:x"));

        let calm: Vec<f64> = (0..PROBES).map(|_| probe(&server.url, &other, &user)).collect::<Res<_>>()?;
        std::thread::sleep(Duration::from_millis(300));
        let pid = server.pid();
        let idle = status_kb(pid, "VmRSS");
        let gate = std::sync::Arc::new(std::sync::Barrier::new(BURST + 1));
        let attackers: Vec<_> = (0..BURST)
            .map(|_| {
                let (url, bad, gate) = (server.url.clone(), bad.clone(), gate.clone());
                std::thread::spawn(move || {
                    gate.wait();
                    let r = http::agent()
                        .post(&format!("{url}/token"))
                        .set("Authorization", &format!("Basic {bad}"))
                        .set("Content-Type", "application/x-www-form-urlencoded")
                        .send_string("scope=SERVER_ACCESS");
                    match r {
                        Err(ureq::Error::Status(code, _)) => code,
                        Ok(_) => 200,
                        Err(_) => 0,
                    }
                })
            })
            .collect();
        gate.wait();
        let during: Vec<f64> = (0..PROBES).map(|_| probe(&server.url, &other, &user)).collect::<Res<_>>()?;
        let codes: Vec<u16> = attackers.into_iter().map(|h| h.join().unwrap_or(0)).collect();
        if let Some(bad) = codes.iter().find(|c| !matches!(c, 401 | 429)) {
            return Err(format!("a bad-key request was answered {bad}"));
        }
        let peak = status_kb(pid, "VmHWM");
        idle_mb.push(idle / 1024.0);
        peak_mb.push(peak / 1024.0);
        let (c, b) = (p99_ms(calm), p99_ms(during));
        calm_p99.push(c);
        burst_p99.push(b);
        ratio.push(b / c);
        refused.push(codes.iter().filter(|c| **c == 429).count() as f64);
    }
    Ok(vec![
        Figure::new("bad keys: server RSS before the burst", "MB", idle_mb),
        Figure::new(format!("bad keys: server peak RSS (VmHWM) after {BURST} concurrent bad keys"), "MB", peak_mb).target("< 100 MB above idle"),
        Figure::new(format!("bad keys: of {BURST}, refused 429 before hashing"), "requests", refused),
        Figure::new("another application's GET /users p99, no burst", "ms", calm_p99),
        Figure::new("another application's GET /users p99, during the burst", "ms", burst_p99).target("< 50 ms"),
        Figure::new("… during the burst over no burst", "×", ratio),
    ])
}

fn stalled_sockets() -> Res<Vec<Figure>> {
    let binary = server::build_fast()?;
    let (mut before, mut open, mut after, mut closed_in) = (vec![], vec![], vec![], vec![]);
    for _ in 0..RUNS {
        let server = Server::start(&binary, &["--header-read-timeout-secs", "2", "--body-read-timeout-secs", "2"])?;
        let key = http::tally(&binary, &server, &["app", "create", "bench"])?.trim().to_string();
        let token = http::server_token(&http::agent(), &server.url, &key)?;
        let addr = server.url.trim_start_matches("http://").to_string();
        std::thread::sleep(Duration::from_millis(300));
        let pid = server.pid();
        before.push(fds(pid));
        let started = Instant::now();
        let mut sockets = Vec::new();
        let connect = || TcpStream::connect(&addr).map_err(|e| e.to_string());
        for _ in 0..300 {
            let mut s = connect()?;
            s.write_all(b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n").map_err(|e| e.to_string())?;
            sockets.push(s);
        }
        for _ in 0..100 {
            sockets.push(connect()?);
        }
        for _ in 0..100 {
            let mut s = connect()?;
            s.write_all(b"GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").map_err(|e| e.to_string())?;
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf);
            sockets.push(s);
        }
        for _ in 0..100 {
            let mut s = connect()?;
            let head = format!("POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{");
            s.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
            sockets.push(s);
        }
        std::thread::sleep(Duration::from_millis(200));
        open.push(fds(pid));
        // Each socket is read until the server closes it (EOF or reset), 20 s at most.
        let mut last = Duration::ZERO;
        for mut s in sockets {
            s.set_read_timeout(Some(Duration::from_secs(20))).map_err(|e| e.to_string())?;
            let mut buf = [0u8; 4096];
            loop {
                match s.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                        return Err(format!("a stalled socket was still open after {:.0} s", started.elapsed().as_secs_f64()));
                    }
                    Err(_) => break,
                }
            }
            last = started.elapsed();
        }
        closed_in.push(last.as_secs_f64());
        std::thread::sleep(Duration::from_millis(300));
        after.push(fds(pid));
    }
    Ok(vec![
        Figure::new("stalled sockets: server descriptors before", "fds", before),
        Figure::new("stalled sockets: server descriptors with 600 stalled connections open", "fds", open).target("≤ max connections (512) + baseline"),
        Figure::new("stalled sockets: server descriptors after they were closed", "fds", after).target("back to the baseline"),
        Figure::new("stalled sockets: until the server had closed all 600 (2 s timeouts)", "s", closed_in),
    ])
}
