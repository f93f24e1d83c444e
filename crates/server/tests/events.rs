//! `GET /jobs/{id}/events`: server-sent events, one per step change.

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;

/// Reads `event: job` payloads until the stream ends.
async fn read_events(res: reqwest::Response) -> Vec<Value> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut body = res.bytes_stream();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while let Ok(Some(chunk)) = tokio::time::timeout_at(deadline, body.next()).await {
        buf.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if block.lines().any(|l| l == "event: job") {
                let data: String = block.lines().filter_map(|l| l.strip_prefix("data: ")).collect();
                out.push(serde_json::from_str(&data).unwrap());
            }
        }
    }
    out
}

#[tokio::test]
async fn streams_each_step_change_until_the_job_ends() {
    let t = common::start_slow(Duration::from_millis(150)).await;
    let (key, server) = t.server().await;
    let user = t.create_user(&server).await;
    let client = t.client_token(&key, &user).await;
    let job = t.connect(&client, &user, "AU00000", "gavinBelson", "hooli2016").await;
    // As a browser's EventSource would: token in the query.
    let res = t.http.get(format!("{}/jobs/{job}/events?access_token={client}", t.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let events = read_events(res).await;
    assert!(events.len() >= 4, "{events:?}");
    let last = events.last().unwrap();
    assert!(common::succeeded(last), "{last}");
    // Each step is seen in progress before it is done.
    for title in ["retrieve-accounts", "retrieve-transactions"] {
        assert!(events.iter().any(|e| common::step(e, title)["status"] == "in-progress"), "{title}");
    }
    // The header works too, and a finished job's stream ends after one event.
    let res = t.http.get(format!("{}/jobs/{job}/events", t.base)).bearer_auth(&client).send().await.unwrap();
    assert_eq!(read_events(res).await.len(), 1);
    // Without a token: 401; another user's token: 403.
    let (s, b) = t.call(reqwest::Method::GET, &format!("/jobs/{job}/events"), None, None).await;
    common::assert_error(s, &b, 401, "invalid-authorization-token");
    let other = t.create_user(&server).await;
    let other_token = t.client_token(&key, &other).await;
    let (s, b) = t.get(&format!("/jobs/{job}/events?access_token={other_token}"), &other_token).await;
    common::assert_error(s, &b, 403, "access-denied");
}
