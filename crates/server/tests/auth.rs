//! Tokens, versions, scopes and the rate limit.

mod common;

use common::assert_error;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn issues_server_and_client_tokens_with_the_version_fixed() {
    let t = common::start().await;
    let key = t.api_key().await;
    for (version, want) in [(None, "1.0"), (Some("1.0"), "1.0"), (Some("2.0"), "2.0")] {
        let res = t.token_raw(&key, version, "scope=SERVER_ACCESS").await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["expires_in"], 3600);
        assert_eq!(body["token_type"], "Bearer");
        let token = body["access_token"].as_str().unwrap();
        let payload = token.split('.').nth(1).unwrap();
        use base64::Engine;
        let claims: Value = serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(claims["version"], want);
        assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 3600);
    }
    // No body at all means SERVER_ACCESS; a JSON body works too.
    assert_eq!(t.token_raw(&key, None, "").await.status(), 200);
    let user = t.create_user(&t.server_token(&key, "2.0").await).await;
    let res = t
        .http
        .post(format!("{}/token/", t.base))
        .header("Authorization", format!("Basic {key}"))
        .json(&json!({"scope": "CLIENT_ACCESS", "userId": user}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn bad_keys_are_refused() {
    let t = common::start().await;
    let key = t.api_key().await;
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let (app_id, _) = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(&key).unwrap()).unwrap().split_once(':').map(|(a, b)| (a.to_string(), b.to_string())).unwrap();
    for bad in [b64(&format!("{app_id}:wrongsecret")), b64("nosuchapp:secret"), "%%%".into(), b64("nocolon")] {
        let res = t.token_raw(&bad, None, "scope=SERVER_ACCESS").await;
        let status = res.status();
        assert_error(status, &res.json().await.unwrap(), 401, "invalid-authorization-token");
    }
    let res = t.http.post(format!("{}/token", t.base)).send().await.unwrap();
    let status = res.status();
    assert_error(status, &res.json().await.unwrap(), 401, "invalid-authorization-token");
}

#[tokio::test]
async fn token_requests_are_rate_limited_per_key() {
    let mut config = common::test_config();
    config.token_burst = 5;
    config.token_per_second = 0.5;
    let t = common::start_with(common::fresh_db().await, config, tally_server::SecretKey::generate(), None).await;
    let key = t.api_key().await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(t.token_raw(&key, None, "").await.status().as_u16());
    }
    assert_eq!(&statuses[..5], &[200; 5]);
    assert!(statuses[5..].contains(&429), "{statuses:?}");
    let res = t.token_raw(&key, None, "").await;
    let status = res.status();
    // One token every 2 s: the answer says when to come back.
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry_after), "Retry-After: {retry_after}");
    assert_error(status, &res.json().await.unwrap(), 429, "too-many-requests");
    // Another key is not affected.
    let other = t.api_key().await;
    assert_eq!(t.token_raw(&other, None, "").await.status(), 200);
}

#[tokio::test]
async fn expired_and_forged_tokens_are_refused() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    t.clock.advance(chrono::Duration::seconds(3601));
    let (s, b) = t.get("/users/anything", &token).await;
    assert_error(s, &b, 403, "access-denied");
    assert_eq!(b["data"][0]["detail"], "Token has expired");
    // Same claims, another server's key.
    let other = common::start().await;
    let (_, foreign) = other.server().await;
    let (s, b) = t.get("/users/anything", &foreign).await;
    assert_error(s, &b, 401, "invalid-authorization-token");
    let mut tampered = foreign.clone();
    tampered.push('x');
    let (s, b) = t.get("/users/anything", &tampered).await;
    assert_error(s, &b, 401, "invalid-authorization-token");
}

#[tokio::test]
async fn client_tokens_see_only_their_own_user() {
    let t = common::start().await;
    let (key, server) = t.server().await;
    let (alice, alice_conn) = t.connected_user(&server, "gavinBelson", "hooli2016").await;
    let (bob, bob_conn) = t.connected_user(&server, "jared", "django").await;
    let alice_token = t.client_token(&key, &alice).await;

    // Alice's own data: fine.
    for path in [
        format!("/users/{alice}"),
        format!("/users/{alice}/connections"),
        format!("/users/{alice}/connections/{alice_conn}"),
        format!("/users/{alice}/accounts"),
        format!("/users/{alice}/transactions"),
        format!("/users/{alice}/jobs"),
        "/institutions".to_string(),
    ] {
        let (s, b) = t.get(&path, &alice_token).await;
        assert_eq!(s, 200, "{path}: {b}");
    }
    let job = t.connect(&alice_token, &alice, "AU00000", "richard", "tabsnotspaces").await;
    assert!(common::succeeded(&t.wait_job(&alice_token, &job).await));

    // Bob's data and application-wide endpoints: 403.
    let (_, bob_jobs) = t.get(&format!("/users/{bob}/jobs"), &server).await;
    let bob_job = bob_jobs["data"][0]["id"].as_str().unwrap().to_string();
    let denied: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/users/{bob}"), None),
        (Method::GET, format!("/users/{bob}/connections"), None),
        (Method::GET, format!("/users/{bob}/connections/{bob_conn}"), None),
        (Method::DELETE, format!("/users/{bob}/connections/{bob_conn}"), None),
        (Method::POST, format!("/users/{bob}/connections/{bob_conn}/refresh"), Some(json!({}))),
        (Method::POST, format!("/users/{bob}/refresh"), Some(json!({}))),
        (Method::GET, format!("/users/{bob}/accounts"), None),
        (Method::GET, format!("/users/{bob}/transactions"), None),
        (Method::GET, format!("/jobs/{bob_job}"), None),
        (Method::GET, format!("/jobs/{bob_job}/events"), None),
        (Method::POST, "/users".into(), Some(json!({"email": "x@y.com"}))),
        (Method::DELETE, format!("/users/{alice}"), None),
        (Method::POST, format!("/users/{alice}/link"), Some(json!([{"connectionId": bob_conn}]))),
        (Method::GET, format!("/connections/{alice_conn}"), None),
    ];
    for (method, path, body) in denied {
        let (s, b) = t.call(method.clone(), &path, Some(&alice_token), body).await;
        assert_error(s, &b, 403, "access-denied");
    }
    // Nothing of Bob's changed.
    let (_, c) = t.get(&format!("/users/{bob}/connections/{bob_conn}"), &server).await;
    assert_eq!(c["status"], "active");
}

#[tokio::test]
async fn applications_are_isolated_from_each_other() {
    let t = common::start().await;
    let (_, one) = t.server().await;
    let (_, two) = t.server().await;
    let (user, cid) = t.connected_user(&one, "gavinBelson", "hooli2016").await;
    for path in [format!("/users/{user}"), format!("/users/{user}/connections/{cid}"), format!("/connections/{cid}")] {
        let (s, b) = t.get(&path, &two).await;
        assert_error(s, &b, 404, "resource-not-found");
    }
}

/// Two servers on one PostgreSQL database share the token limit: a key gets its burst
/// once for the deployment, not once per instance. (On SQLite one process owns the
/// file and the limit is that process's, as the README says.)
#[tokio::test]
async fn on_postgresql_the_token_limit_holds_across_instances() {
    let db = common::fresh_db().await;
    if db.url.starts_with("sqlite:") {
        return;
    }
    let mut config = common::test_config();
    config.token_burst = 4;
    config.token_per_second = 0.1;
    let secret = tally_server::SecretKey::generate();
    let a = common::start_with(db.clone(), config.clone(), secret.clone(), None).await;
    let b = common::start_with(db, config, secret, None).await;
    let key = a.api_key().await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let t = if i % 2 == 0 { &a } else { &b };
        statuses.push(t.token_raw(&key, None, "").await.status().as_u16());
    }
    assert_eq!(&statuses[..4], &[200; 4], "{statuses:?}");
    assert_eq!(&statuses[4..], &[429; 4], "the fifth request, on either instance, is over the shared burst: {statuses:?}");
}
