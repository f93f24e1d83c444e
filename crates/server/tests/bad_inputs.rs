//! Bad input of every kind gets a 4xx error object with a clear detail: never a 500,
//! never a panic, never axum's plain-text rejection.

#![allow(clippy::type_complexity)]

mod common;

use reqwest::Method;
use serde_json::{json, Value};

enum Body {
    Empty,
    Json(Value),
    Raw(&'static str, &'static str),
    Big,
}

#[tokio::test]
async fn every_bad_input_is_a_4xx_error_object() {
    let t = common::start().await;
    let (key, token) = t.server().await;
    let (user, cid) = t.connected_user(&token, "gavinBelson", "hooli2016").await;
    let other = t.create_user(&token).await;
    let client = t.client_token(&key, &other).await;
    let tx = {
        let (_, l) = t.get(&format!("/users/{user}/transactions?limit=1"), &token).await;
        l["data"][0]["id"].as_str().unwrap().to_string()
    };
    let u = |p: &str| format!("/users/{user}{p}");
    use Body::*;
    let cases: Vec<(&str, Method, String, Option<&str>, Body, u16, &str)> = vec![
        ("bad JSON", Method::POST, "/users".into(), Some(&token), Raw("application/json", "{\"email\":"), 400, "parameter-not-valid"),
        ("not JSON at all", Method::POST, "/users".into(), Some(&token), Raw("application/json", "hello"), 400, "parameter-not-valid"),
        ("no content type", Method::POST, "/users".into(), Some(&token), Raw("text/plain", "{}"), 415, "parameter-not-valid"),
        ("email of wrong type", Method::POST, "/users".into(), Some(&token), Json(json!({"email": 42})), 400, "parameter-not-valid"),
        ("body is an array", Method::POST, "/users".into(), Some(&token), Json(json!([1, 2])), 400, "parameter-not-valid"),
        ("neither email nor mobile", Method::POST, "/users".into(), Some(&token), Json(json!({})), 400, "parameter-not-supplied"),
        ("bad email", Method::POST, "/users".into(), Some(&token), Json(json!({"email": "not-an-email"})), 400, "parameter-not-valid"),
        ("bad mobile", Method::POST, "/users".into(), Some(&token), Json(json!({"mobile": "call me"})), 400, "parameter-not-valid"),
        ("oversized body", Method::POST, "/users".into(), Some(&token), Big, 413, "parameter-not-valid"),
        ("unknown user", Method::GET, "/users/nope".into(), Some(&token), Empty, 404, "resource-not-found"),
        ("update unknown user", Method::POST, "/users/nope".into(), Some(&token), Json(json!({"email": "a@b.co"})), 404, "resource-not-found"),
        ("unknown connection", Method::GET, u("/connections/nope"), Some(&token), Empty, 404, "resource-not-found"),
        ("unknown account", Method::GET, u("/accounts/nope"), Some(&token), Empty, 404, "resource-not-found"),
        ("unknown transaction", Method::GET, u("/transactions/nope"), Some(&token), Empty, 404, "resource-not-found"),
        ("unknown job", Method::GET, "/jobs/nope".into(), Some(&token), Empty, 404, "resource-not-found"),
        ("unknown path", Method::GET, "/no/such/thing".into(), Some(&token), Empty, 404, "resource-not-found"),
        ("wrong method", Method::PUT, "/token".into(), None, Empty, 405, "parameter-not-valid"),
        ("connection without password", Method::POST, u("/connections"), Some(&token), Json(json!({"loginId": "x", "institution": {"id": "AU00000"}})), 400, "parameter-not-valid"),
        ("connection with empty login", Method::POST, u("/connections"), Some(&token), Json(json!({"loginId": " ", "password": "p", "institution": {"id": "AU00000"}})), 400, "parameter-not-supplied"),
        ("connection to unknown institution", Method::POST, u("/connections"), Some(&token), Json(json!({"loginId": "x", "password": "p", "institution": {"id": "XX1"}})), 400, "institution-not-supported"),
        ("institution of wrong type", Method::POST, u("/connections"), Some(&token), Json(json!({"loginId": "x", "password": "p", "institution": "AU00000"})), 400, "parameter-not-valid"),
        ("empty credential update", Method::POST, u(&format!("/connections/{cid}")), Some(&token), Json(json!({})), 400, "parameter-not-supplied"),
        ("multi-byte character in a filter date", Method::GET, u("/transactions?filter=transaction.postDate.eq('2018-01-0%C3%A9')"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("NUL in a path", Method::GET, "/users/%00".into(), Some(&token), Empty, 400, "parameter-not-valid"),
        ("NUL in a filter", Method::GET, u("/transactions?filter=account.id.eq('%00')"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("NUL in an email", Method::POST, "/users".into(), Some(&token), Json(json!({"email": "a\u{0}@b.co"})), 400, "parameter-not-valid"),
        ("NUL in a link body", Method::POST, u("/link"), Some(&token), Json(json!([{"connectionId": "x\u{0}"}])), 400, "parameter-not-valid"),
        ("oversized token body", Method::POST, "/token".into(), None, Big, 413, "parameter-not-valid"),
        ("malformed filter", Method::GET, u("/transactions?filter=account.id.eq("), Some(&token), Empty, 400, "parameter-not-valid"),
        ("unknown filter field", Method::GET, u("/accounts?filter=account.colour.eq('red')"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("bad filter date", Method::GET, u("/transactions?filter=transaction.postDate.gt('last week')"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("bad job filter", Method::GET, u("/jobs?filter=job.status.eq('x')"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("limit not a number", Method::GET, u("/transactions?limit=lots"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("limit too large", Method::GET, u("/transactions?limit=501"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("limit zero", Method::GET, u("/transactions?limit=0"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("forged cursor", Method::GET, u("/transactions?next=abc"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("no token", Method::GET, u(""), None, Empty, 401, "invalid-authorization-token"),
        ("not a bearer token", Method::GET, u(""), Some("Basic abc"), Empty, 401, "invalid-authorization-token"),
        ("garbage token", Method::GET, u(""), Some("Bearer a.b.c"), Empty, 401, "invalid-authorization-token"),
        ("client token, other user", Method::GET, u(&format!("/transactions/{tx}")), Some(&client), Empty, 403, "access-denied"),
        ("client token, create user", Method::POST, "/users".into(), Some(&client), Json(json!({"email": "a@b.co"})), 403, "access-denied"),
        ("empty link list", Method::POST, u("/link"), Some(&token), Json(json!([])), 400, "parameter-not-supplied"),
        ("link item without id", Method::POST, u("/link"), Some(&token), Json(json!([{"id": "x"}])), 400, "parameter-not-valid"),
        ("empty mfa answer", Method::POST, "/jobs/nope/mfa".into(), Some(&token), Json(json!({"mfa-response": []})), 404, "resource-not-found"),
        ("token with unknown scope", Method::POST, "/token".into(), None, Raw("application/x-www-form-urlencoded", "scope=EVERYTHING"), 400, "parameter-not-valid"),
        ("client token without user", Method::POST, "/token".into(), None, Raw("application/x-www-form-urlencoded", "scope=CLIENT_ACCESS"), 400, "parameter-not-supplied"),
        ("client token for unknown user", Method::POST, "/token".into(), None, Raw("application/x-www-form-urlencoded", "scope=CLIENT_ACCESS&userId=nobody"), 400, "parameter-not-valid"),
        ("unknown api version", Method::POST, "/token".into(), None, Raw("application/x-www-form-urlencoded", "version-test"), 400, "parameter-not-valid"),
        ("non-ascii path", Method::GET, format!("/users/{}", "%E2%9C%93%FF"), Some(&token), Empty, 400, "parameter-not-valid"),
        ("demo off", Method::POST, "/demo/token".into(), None, Empty, 404, "resource-not-found"),
    ];
    assert!(cases.len() >= 30);
    for (name, method, path, auth, body, status, code) in cases {
        let mut req = t.http.request(method, format!("{}{}", t.base, path));
        match auth {
            Some(a) if a.starts_with("Basic ") || a.starts_with("Bearer ") => req = req.header("Authorization", a),
            Some(a) => req = req.bearer_auth(a),
            None if path == "/token" => {
                req = req.header("Authorization", format!("Basic {key}"));
                if name == "unknown api version" {
                    req = req.header("basiq-version", "3.7");
                }
            }
            None => {}
        }
        req = match body {
            Empty => req,
            Json(v) => req.json(&v),
            Raw(ct, text) => req.header("Content-Type", ct).body(text),
            Big => req.header("Content-Type", "application/json").body(format!("{{\"email\":\"{}@x.com\"}}", "a".repeat(200_000))),
        };
        let res = req.send().await.unwrap();
        let got = res.status();
        let text = res.text().await.unwrap();
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{name}: not JSON: {text}"));
        assert_eq!(got.as_u16(), status, "{name}: {v}");
        assert_eq!(v["type"], "list", "{name}: {v}");
        assert_eq!(v["data"][0]["code"], code, "{name}: {v}");
        assert!(!v["data"][0]["detail"].as_str().unwrap_or("").is_empty(), "{name}: {v}");
    }
}

#[tokio::test]
async fn demo_token_endpoint_issues_client_tokens_for_demo_users() {
    let mut config = common::test_config();
    config.demo = true;
    let t = common::start_with(common::fresh_db().await, config, tally_server::SecretKey::generate(), None).await;
    let (s, first) = t.call(Method::POST, "/demo/token", None, None).await;
    assert_eq!(s, 200, "{first}");
    assert_eq!(first["expires_in"], 3600);
    let user = first["user_id"].as_str().unwrap().to_string();
    let token = first["access_token"].as_str().unwrap().to_string();
    let (s, _) = t.get(&format!("/users/{user}"), &token).await;
    assert_eq!(s, 200);
    let (s, again) = t.call(Method::POST, &format!("/demo/token?user={user}"), None, None).await;
    assert_eq!(s, 200);
    assert_eq!(again["user_id"], user.as_str(), "reuses the user");
    let (_, fresh) = t.call(Method::POST, "/demo/token?user=unknown", None, None).await;
    assert_ne!(fresh["user_id"], user.as_str());
    // It is a client token: other users and app-wide endpoints are closed.
    let (s, _) = t.get(&format!("/users/{}", fresh["user_id"].as_str().unwrap()), &token).await;
    assert_eq!(s, 403);
    let job = t.connect(&token, &user, "AU00000", "gavinBelson", "hooli2016").await;
    assert!(common::succeeded(&t.wait_job(&token, &job).await));
}
