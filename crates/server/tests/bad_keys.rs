//! Wrong API keys. Before: 100 concurrent `POST /token` calls with a
//! wrong secret for a known application id took the server from 9 MB to 1.13 GB, and
//! another application's `GET /users/{id}` from 2 ms to 3.8 s. This runs the real
//! binary and reads its memory from /proc, alone in its test binary so no other test
//! shares the machine's two cores with it.

mod common;
mod hostile;

use std::time::{Duration, Instant};

use base64::Engine;
use hostile::{percentile_ms, Binary};
use serde_json::Value;

fn basic(key: &str) -> String {
    format!("Basic {key}")
}

async fn token_status(http: &reqwest::Client, base: &str, key: &str) -> (u16, Value) {
    let res = http
        .post(format!("{base}/token"))
        .header("Authorization", basic(key))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("scope=SERVER_ACCESS")
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_bad_keys_cost_bounded_memory_and_do_not_slow_another_application() {
    let server = Binary::start(&[]).await;
    let http = reqwest::Client::new();
    let victim_key = server.api_key("victim");
    let raw = base64::engine::general_purpose::STANDARD.decode(&victim_key).unwrap();
    let victim_id = String::from_utf8(raw).unwrap().split_once(':').unwrap().0.to_string();
    // The victim's own backend is in use: its key was checked once already.
    assert_eq!(token_status(&http, &server.base, &victim_key).await.0, 200);
    let other = server.server_token(&http, &server.api_key("other")).await;
    let other_user = server.create_user(&http, &other).await;
    let get_user = |http: reqwest::Client| {
        let (base, other, user) = (server.base.clone(), other.clone(), other_user.clone());
        async move {
            let t = Instant::now();
            let res = http.get(format!("{base}/users/{user}")).bearer_auth(&other).send().await.unwrap();
            assert_eq!(res.status(), 200);
            t.elapsed()
        }
    };
    for _ in 0..20 {
        get_user(http.clone()).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle_kb = server.status_kb("VmRSS");

    let bad = base64::engine::general_purpose::STANDARD.encode(format!("{victim_id}:x"));
    let burst: Vec<_> = (0..200)
        .map(|_| {
            let (http, base, bad) = (reqwest::Client::new(), server.base.clone(), bad.clone());
            tokio::spawn(async move { token_status(&http, &base, &bad).await })
        })
        .collect();
    let mut latencies = Vec::new();
    let started = Instant::now();
    while latencies.len() < 100 || (!burst.iter().all(|h| h.is_finished()) && started.elapsed() < Duration::from_secs(60)) {
        latencies.push(get_user(http.clone()).await);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut statuses = std::collections::BTreeMap::new();
    for h in burst {
        let (status, body) = h.await.unwrap();
        assert!(matches!(status, 401 | 429), "{status} {body}");
        assert!(body["data"][0]["code"].is_string(), "an error object: {body}");
        *statuses.entry(status).or_insert(0) += 1;
    }
    let peak_kb = server.status_kb("VmHWM");
    let p99 = percentile_ms(&mut latencies, 99.0);
    eprintln!(
        "200 bad keys: answers {statuses:?}; RSS idle {} MB, peak {} MB; another application's GET /users p99 {p99:.1} ms over {} requests",
        idle_kb / 1024,
        peak_kb / 1024,
        latencies.len()
    );
    assert!(peak_kb < idle_kb + 100 * 1024, "peak RSS {} MB over idle {} MB", peak_kb / 1024, idle_kb / 1024);
    // Latency is a benchmark figure, not a test: `cargo xtask bench` (hostile load)
    // measures another application's p99 on the optimised server against its 50 ms
    // target; the debug build's figure is only printed above.
    assert!(statuses.get(&429).copied().unwrap_or(0) > 0, "wrong keys past the limit are refused before hashing");
    // The victim's backend, whose key was verified before, is not locked out.
    assert_eq!(token_status(&http, &server.base, &victim_key).await.0, 200);
}
