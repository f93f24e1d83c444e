//! Slow and idle sockets. With `axum::serve` hyper ran without a
//! timer: 1,500 partial-header connections, 300 idle and 200 slow-body ones were all
//! still open after 30 s, and the server's descriptors went from 19 to 2,019.
//!
//! These run the real binary with 2 s timeouts and count its descriptors in
//! /proc/PID/fd, so the test's own sockets are not counted.

mod common;
mod hostile;

use std::time::{Duration, Instant};

use hostile::Binary;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TIMEOUT_SECS: u64 = 2;

fn short_timeouts() -> Vec<(&'static str, &'static str)> {
    vec![
        ("TALLY_HEADER_READ_TIMEOUT_SECS", "2"),
        ("TALLY_BODY_READ_TIMEOUT_SECS", "2"),
        ("TALLY_REQUEST_TIMEOUT_SECS", "10"),
    ]
}

/// Reads until the server closes the socket (EOF or reset); the time it took, or None
/// if it was still open at `deadline`.
async fn closed_by_server(mut s: TcpStream, started: Instant, deadline: Duration) -> Option<Duration> {
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.checked_sub(started.elapsed())?;
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_sockets_are_closed_within_the_timeouts_and_descriptors_return_to_baseline() {
    let server = Binary::start(&short_timeouts()).await;
    let http = reqwest::Client::new();
    let token = server.server_token(&http, &server.api_key("app")).await;
    assert_eq!(http.get(format!("{}/openapi.json", server.base)).send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (base_fds, base_kb) = (server.fds(), server.status_kb("VmRSS"));

    let started = Instant::now();
    let mut sockets = Vec::new();
    // Partial headers: a request line and one header, never the blank line.
    for _ in 0..300 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        s.write_all(b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.unwrap();
        sockets.push(("partial headers", s));
    }
    // Idle from the start: connected, nothing sent.
    for _ in 0..100 {
        sockets.push(("idle", TcpStream::connect(server.addr).await.unwrap()));
    }
    // Idle after one request on a kept-alive connection.
    for _ in 0..100 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        s.write_all(b"GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.unwrap();
        let mut buf = [0u8; 1024];
        let n = s.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 404"), "{}", String::from_utf8_lossy(&buf[..n]));
        sockets.push(("kept alive, then idle", s));
    }
    // Slow body: headers promise 1000 bytes, one arrives.
    for _ in 0..100 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        let head = format!(
            "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        sockets.push(("slow body", s));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let open_fds = server.fds();

    // Everything is closed by the server within the timeout (plus slack for a loaded
    // machine and the time it took to open them all).
    let opened_in = started.elapsed();
    let deadline = opened_in + Duration::from_secs(TIMEOUT_SECS + 8);
    let waits = futures_util::future::join_all(sockets.into_iter().map(|(kind, s)| async move { (kind, closed_by_server(s, started, deadline).await) })).await;
    let still_open: Vec<&str> = waits.iter().filter(|(_, w)| w.is_none()).map(|(k, _)| *k).collect();
    let slowest = waits.iter().filter_map(|(_, w)| *w).max().unwrap_or_default();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (after_fds, after_kb) = (server.fds(), server.status_kb("VmRSS"));
    eprintln!(
        "600 stalled sockets (opened in {:.1} s): server fds {base_fds} → {open_fds} while open → {after_fds} after; RSS {} → {} MB; slowest closed after {:.1} s; {} still open",
        opened_in.as_secs_f64(),
        base_kb / 1024,
        after_kb / 1024,
        slowest.as_secs_f64(),
        still_open.len()
    );
    assert!(still_open.is_empty(), "{} sockets still open, e.g. {:?}", still_open.len(), &still_open[..still_open.len().min(5)]);
    assert!(after_fds <= base_fds + 5, "descriptors {base_fds} → {after_fds}");
    assert!(after_kb < base_kb + 50 * 1024, "RSS {} → {} MB", base_kb / 1024, after_kb / 1024);
    // And the server still answers.
    assert_eq!(http.get(format!("{}/openapi.json", server.base)).send().await.unwrap().status(), 200);
}

/// Past the connection limit, new connections wait in the listen backlog instead of
/// each taking a descriptor and a task; they are served once others close.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_limit_wait_instead_of_taking_descriptors() {
    let mut env = short_timeouts();
    env.push(("TALLY_MAX_CONNECTIONS", "50"));
    let server = Binary::start(&env).await;
    let http = reqwest::Client::new();
    assert_eq!(http.get(format!("{}/openapi.json", server.base)).send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let base_fds = server.fds();
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(TcpStream::connect(server.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let held = server.fds();
    eprintln!("200 idle connections with a limit of 50: server fds {base_fds} → {held}");
    assert!(held <= base_fds + 50 + 2, "the server holds {} descriptors above its baseline", held - base_fds);
    // A real request gets through once the idle ones time out.
    let t = Instant::now();
    let res = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap().get(format!("{}/openapi.json", server.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    eprintln!("a request queued behind them was answered after {:.1} s", t.elapsed().as_secs_f64());
    drop(idle);
}

/// A slow body is answered with the contract's 408 error object, then closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_arriving_gets_a_408_error_object() {
    let server = Binary::start(&short_timeouts()).await;
    let http = reqwest::Client::new();
    let token = server.server_token(&http, &server.api_key("app")).await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(TIMEOUT_SECS + 8), s.read_to_end(&mut answer)).await.expect("closed in time").ok();
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"type\":\"list\"") && text.contains("Request body timed out."), "{text}");
}

/// The request timeout ends slow answers, not event streams that have begun: a job's
/// events keep coming for longer than it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_stream_outlives_the_request_timeout() {
    let server = Binary::start(&[("TALLY_REQUEST_TIMEOUT_SECS", "1"), ("TALLY_SANDBOX_LATENCY_MS", "800")]).await;
    let http = reqwest::Client::new();
    let token = server.server_token(&http, &server.api_key("app")).await;
    let user = server.create_user(&http, &token).await;
    let body = serde_json::json!({"loginId": "gavinBelson", "password": "hooli2016", "institution": {"id": "AU00000"}});
    let res = http.post(format!("{}/users/{user}/connections", server.base)).bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let job = res.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let started = Instant::now();
    let res = http.get(format!("{}/jobs/{job}/events", server.base)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = tokio::time::timeout(Duration::from_secs(30), res.text()).await.expect("the stream ends when the job does").unwrap();
    let took = started.elapsed();
    let last = text.lines().filter_map(|l| l.strip_prefix("data:")).last().expect("events");
    let last: serde_json::Value = serde_json::from_str(last.trim()).unwrap();
    let steps = last["steps"].as_array().unwrap();
    assert!(steps.iter().all(|s| s["status"] == "success"), "{last}");
    assert!(took > Duration::from_millis(1500), "the stream lasted {took:?}, beyond the 1 s request timeout");
}
