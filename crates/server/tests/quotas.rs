//! Per-user quotas: each repro from outside is a test here, and each
//! refusal names its limit.

mod common;

use reqwest::StatusCode;
use serde_json::json;
use tally_server::quota::Quotas;
use tally_server::Config;

async fn start(quotas: Quotas) -> common::TestServer {
    common::start_with(common::fresh_db().await, Config { quotas, ..common::test_config() }, tally_server::SecretKey::generate(), None).await
}

async fn count(t: &common::TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&t.state.db).await.unwrap()
}

#[tokio::test]
async fn a_user_cannot_make_more_connections_than_the_limit_and_the_error_names_it() {
    let t = start(Quotas { connections_per_user: 3, ..Quotas::default() }).await;
    let (_, token) = t.server().await;
    let user = t.create_user(&token).await;
    for _ in 0..3 {
        t.connect(&token, &user, "AU00000", "gavinBelson", "hooli2016").await;
    }
    let body = json!({"loginId": "gavinBelson", "password": "hooli2016", "institution": {"id": "AU00000"}});
    let (s, e) = t.post(&format!("/users/{user}/connections"), &token, body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["data"][0]["detail"].as_str().unwrap().contains("max-connections-per-user = 3"), "{e}");
    assert_eq!(count(&t, "SELECT COUNT(*) FROM connections").await, 3);
    // Another user is not held back by this one.
    let other = t.create_user(&token).await;
    t.connect(&token, &other, "AU00000", "gavinBelson", "hooli2016").await;
}

#[tokio::test]
async fn a_user_cannot_start_more_jobs_a_minute_than_the_limit() {
    let t = start(Quotas { jobs_per_user_per_minute: 4, ..Quotas::default() }).await;
    let (_, token) = t.server().await;
    let (user, cid) = t.connected_user(&token, "gavinBelson", "hooli2016").await;
    let mut refused = None;
    for _ in 0..6 {
        let (s, e) = t.post(&format!("/users/{user}/connections/{cid}/refresh"), &token, json!({})).await;
        if s == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(e);
            break;
        }
        let id = e["id"].as_str().unwrap().to_string();
        t.wait_job(&token, &id).await;
    }
    let e = refused.expect("the fifth job in a minute is refused");
    assert!(e["data"][0]["detail"].as_str().unwrap().contains("max-jobs-per-user-per-minute"), "{e}");
    assert_eq!(count(&t, "SELECT COUNT(*) FROM jobs").await, 4);
    // A minute later the user may go on.
    t.clock.advance(chrono::Duration::seconds(61));
    let (s, e) = t.post(&format!("/users/{user}/connections/{cid}/refresh"), &token, json!({})).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{e}");
}

#[tokio::test]
async fn expenses_keep_a_bounded_number_of_snapshots_and_refuse_a_century_of_months() {
    let t = start(Quotas { snapshots_per_user: 5, ..Quotas::default() }).await;
    let (_, token) = t.server().await;
    let user = t.create_user(&token).await;
    let (s, e) = t.post(&format!("/users/{user}/expenses"), &token, json!({"fromMonth": "1926-01", "toMonth": "2026-01"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["data"][0]["detail"].as_str().unwrap().contains("max-expense-months"), "{e}");
    let mut last = String::new();
    for _ in 0..12 {
        let (s, e) = t.post(&format!("/users/{user}/expenses"), &token, json!({"fromMonth": "2024-01", "toMonth": "2024-06"})).await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
        last = e["id"].as_str().unwrap().to_string();
    }
    assert_eq!(count(&t, "SELECT COUNT(*) FROM expense_snapshots").await, 5);
    let (s, _) = t.get(&format!("/users/{user}/expenses/{last}"), &token).await;
    assert_eq!(s, StatusCode::OK, "the newest is always kept");
}

#[tokio::test]
async fn a_user_cannot_upload_more_statements_an_hour_than_the_limit() {
    let t = start(Quotas { uploads_per_user_per_hour: 2, ..Quotas::default() }).await;
    let (_, token) = t.server().await;
    let user = t.create_user(&token).await;
    let upload = || async {
        let csv = "\"01/03/2026\",\"-4.50\",\"OPAL TRANSPORT\",\"+95.50\"\r\n";
        let form = reqwest::multipart::Form::new()
            .text("institutionId", "AU10001")
            .part("statement", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("s.csv"));
        let res = t.http.post(format!("{}/users/{user}/statements", t.base)).bearer_auth(&token).multipart(form).send().await.unwrap();
        (res.status(), res.json::<serde_json::Value>().await.unwrap())
    };
    assert_eq!(upload().await.0, StatusCode::ACCEPTED);
    assert_eq!(upload().await.0, StatusCode::ACCEPTED);
    let (s, e) = upload().await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{e}");
    assert!(e["data"][0]["detail"].as_str().unwrap().contains("max-uploads-per-user-per-hour"), "{e}");
    assert_eq!(count(&t, "SELECT COUNT(*) FROM jobs").await, 2);
}
