//! Users CRUD with cascading delete, the 1.0 surface, and the 1.0 → 2.0 migration.

mod common;

use common::{assert_error, succeeded};
use serde_json::json;

#[tokio::test]
async fn users_are_created_read_updated_and_deleted_with_everything_under_them() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let (s, u) = t.post("/users/", &token, json!({"mobile": "+61410888666"})).await;
    assert_eq!(s, 201, "{u}");
    assert_eq!(u["type"], "user");
    assert_eq!(u["mobile"], "+61410888666");
    assert!(u["email"].is_null());
    let id = u["id"].as_str().unwrap().to_string();
    assert_eq!(u["links"]["self"], format!("/users/{id}"));
    let (s, u) = t.post(&format!("/users/{id}"), &token, json!({"email": "gavin@hooli.com"})).await;
    assert_eq!(s, 200);
    assert_eq!(u["email"], "gavin@hooli.com");
    assert_eq!(u["mobile"], "+61410888666");
    let job = t.connect(&token, &id, "AU00000", "jared", "django").await;
    assert!(succeeded(&t.wait_job(&token, &job).await));
    let (_, u) = t.get(&format!("/users/{id}/"), &token).await;
    assert_eq!(u["connections"]["data"].as_array().unwrap().len(), 1);
    assert!(u["accounts"]["data"].as_array().unwrap().len() >= 3);

    let (s, _) = t.delete(&format!("/users/{id}"), &token).await;
    assert_eq!(s, 204);
    let (s, b) = t.get(&format!("/users/{id}"), &token).await;
    assert_error(s, &b, 404, "resource-not-found");
    let mut c = t.state.db.acquire().await.unwrap();
    for table in ["connections", "accounts", "transactions", "jobs"] {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1")).bind(&id).fetch_one(&mut *c).await.unwrap();
        assert_eq!(n, 0, "{table}");
    }
    let (s, b) = t.delete(&format!("/users/{id}"), &token).await;
    assert_error(s, &b, 404, "resource-not-found");
}

/// A 1.0 application connects without users, then migrates as the announcement says.
#[tokio::test]
async fn version_1_connections_migrate_to_a_user_without_refetching() {
    let t = common::start().await;
    let key = t.api_key().await;
    let v1 = t.server_token(&key, "1.0").await;
    let (s, job) = t.post("/connections", &v1, json!({"loginId": "gavinBelson", "password": "hooli2016", "institution": {"id": "AU00000"}})).await;
    assert_eq!(s, 202, "{job}");
    let j = t.wait_job(&v1, job["id"].as_str().unwrap()).await;
    assert!(succeeded(&j), "{j}");
    let source = j["links"]["source"].as_str().unwrap().to_string();
    assert!(source.starts_with("/connections/"), "{source}");
    let cid = source.rsplit('/').next().unwrap().to_string();
    let (s, c) = t.get(&source, &v1).await;
    assert_eq!(s, 200);
    assert_eq!(c["status"], "active");
    let (_, accounts) = t.get(&format!("/connections/{cid}/accounts"), &v1).await;
    let acc = accounts["data"][0]["id"].as_str().unwrap().to_string();
    let (s, _) = t.get(&format!("/connections/{cid}/accounts/{acc}"), &v1).await;
    assert_eq!(s, 200);
    let (_, txs) = t.get(&format!("/connections/{cid}/transactions?limit=50"), &v1).await;
    let tx_ids: Vec<String> = txs["data"].as_array().unwrap().iter().filter(|t| t["status"] == "posted").map(|t| t["id"].as_str().unwrap().to_string()).collect();
    let total = txs["size"].as_u64().unwrap();
    let (s, _) = t.get(&format!("/connections/{cid}/transactions/{}", tx_ids[0]), &v1).await;
    assert_eq!(s, 200);
    // A second 1.0 connection, and one of another application.
    let (_, job2) = t.post("/connections", &v1, json!({"loginId": "jared", "password": "django", "institution": {"id": "AU00000"}})).await;
    let j2 = t.wait_job(&v1, job2["id"].as_str().unwrap()).await;
    let cid2 = j2["links"]["source"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let other_key = t.api_key().await;
    let other = t.server_token(&other_key, "1.0").await;
    let (_, job3) = t.post("/connections", &other, json!({"loginId": "richard", "password": "tabsnotspaces", "institution": {"id": "AU00000"}})).await;
    let j3 = t.wait_job(&other, job3["id"].as_str().unwrap()).await;
    let foreign = j3["links"]["source"].as_str().unwrap().rsplit('/').next().unwrap().to_string();

    // 2.0 tokens can't make application-owned connections.
    let v2 = t.server_token(&key, "2.0").await;
    let (s, b) = t.post("/connections", &v2, json!({"loginId": "jared", "password": "django", "institution": {"id": "AU00000"}})).await;
    assert_error(s, &b, 403, "access-denied");

    // Migration: create a user, link.
    let user = t.create_user(&v1).await;
    // Unknown or foreign ids: refused, nothing moves.
    for bad in [json!([{"connectionId": cid}, {"connectionId": "nope"}]), json!([{"connectionId": cid}, {"connectionId": foreign}])] {
        let (s, b) = t.post(&format!("/users/{user}/link"), &v1, bad).await;
        assert_error(s, &b, 404, "resource-not-found");
        let (_, u) = t.get(&format!("/users/{user}"), &v1).await;
        assert_eq!(u["connections"]["data"].as_array().unwrap().len(), 0, "all or nothing");
    }
    let (s, linked) = t.post(&format!("/users/{user}/link"), &v1, json!([{"connectionId": cid}, {"connectionId": cid2}])).await;
    assert_eq!(s, 200, "{linked}");
    assert_eq!(linked["data"].as_array().unwrap().len(), 2);

    // Now under the user, with the very same transactions (ids kept, nothing fetched).
    let (_, u) = t.get(&format!("/users/{user}"), &v2).await;
    assert_eq!(u["connections"]["data"].as_array().unwrap().len(), 2);
    let (_, utx) = t.get(&format!("/users/{user}/transactions?filter=connection.id.eq('{cid}')&limit=50"), &v2).await;
    assert_eq!(utx["size"].as_u64().unwrap(), total);
    for id in &tx_ids {
        let (s, _) = t.get(&format!("/users/{user}/transactions/{id}"), &v2).await;
        assert_eq!(s, 200);
    }
    let (_, jobs) = t.get(&format!("/users/{user}/jobs"), &v2).await;
    assert_eq!(jobs["data"].as_array().unwrap().len(), 2, "jobs moved too; none were added");
    // Linking a connection that belongs to another user is refused.
    let user2 = t.create_user(&v2).await;
    let (s, b) = t.post(&format!("/users/{user2}/link"), &v2, json!([{"connectionId": cid}])).await;
    assert_error(s, &b, 400, "parameter-not-valid");
    // 1.0 refresh and delete still work on the application's connections.
    let (s, rj) = t.post(&format!("/connections/{cid2}/refresh"), &v1, json!({})).await;
    assert_eq!(s, 202);
    t.wait_job(&v1, rj["id"].as_str().unwrap()).await;
    let (s, _) = t.delete(&format!("/connections/{cid2}"), &v1).await;
    assert_eq!(s, 204);
}
