//! Categorisation on store, user corrections by merchant, and expenses snapshots.

mod common;

use common::assert_error;
use serde_json::{json, Value};

#[tokio::test]
async fn transactions_are_categorised_and_corrections_stick_to_the_merchant() {
    let t = common::start().await;
    let (key, token) = t.server().await;
    let (user, cid) = t.connected_user(&token, "gavinBelson", "hooli2016").await;
    let (_, all) = t.get(&format!("/users/{user}/transactions?limit=500"), &token).await;
    let data = all["data"].as_array().unwrap();
    let categorised = data.iter().filter(|t| !t["enrich"]["category"].is_null()).count();
    assert!(categorised * 2 > data.len(), "most are categorised: {categorised}/{}", data.len());
    let woolies: Vec<&Value> = data.iter().filter(|t| t["description"].as_str().unwrap().contains("WOOLWORTHS")).collect();
    let w = woolies.first().expect("a Woolworths purchase");
    assert_eq!(w["enrich"]["category"]["id"], "groceries", "{w}");
    assert!(w["subClass"]["code"].is_string());
    assert!(w["enrich"]["merchant"]["businessName"].is_string());

    // The user moves the merchant they buy from most to another category: all of its
    // transactions follow. (The most frequent one, so that the later refresh below
    // surely brings more of it: the sandbox data is deterministic.)
    let merchant_of = |t: &Value| t["enrich"]["merchant"]["businessName"].as_str().map(str::to_string);
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for t in data.iter().filter(|t| t["enrich"]["category"]["id"] != "home") {
        if let Some(m) = merchant_of(t) {
            *counts.entry(m).or_default() += 1;
        }
    }
    let top = counts.iter().max_by_key(|(_, n)| **n).map(|(m, _)| m.clone()).expect("merchants");
    let same: Vec<&Value> = data.iter().filter(|t| merchant_of(t).as_deref() == Some(top.as_str())).collect();
    let w = same[0];
    let client = t.client_token(&key, &user).await;
    let id = w["id"].as_str().unwrap();
    let (s, fixed) = t.call(reqwest::Method::PUT, &format!("/users/{user}/transactions/{id}/category"), Some(&client), Some(json!({"category": "home"}))).await;
    assert_eq!(s, 200, "{fixed}");
    assert_eq!(fixed["enrich"]["category"]["id"], "home");
    assert_eq!(fixed["enrich"]["category"]["source"], "correction");
    let (_, w2) = t.get(&format!("/users/{user}/transactions/{}", same.last().unwrap()["id"].as_str().unwrap()), &token).await;
    assert_eq!(w2["enrich"]["category"]["id"], "home");
    // …and so do later ones, fetched on a later refresh.
    t.clock.advance(chrono::Duration::days(30));
    let token = t.server_token(&key, "2.0").await;
    let (_, job) = t.post(&format!("/users/{user}/connections/{cid}/refresh"), &token, json!({})).await;
    t.wait_job(&token, job["id"].as_str().unwrap()).await;
    let (_, recent) = t.get(&format!("/users/{user}/transactions?filter=transaction.postDate.gt('2024-06-14')&limit=500"), &token).await;
    let later: Vec<&Value> = recent["data"].as_array().unwrap().iter().filter(|t| t["enrich"]["merchant"] == w["enrich"]["merchant"]).collect();
    assert!(!later.is_empty() && later.iter().all(|t| t["enrich"]["category"]["id"] == "home"), "{later:?}");
    assert!(later.iter().all(|t| t["enrich"]["category"]["source"] == "correction"), "one word for a correction, then and later: {later:?}");

    let (s, b) = t.call(reqwest::Method::PUT, &format!("/users/{user}/transactions/{id}/category"), Some(&token), Some(json!({"category": "yachts"}))).await;
    assert_error(s, &b, 400, "parameter-not-valid");
}

#[tokio::test]
async fn expenses_are_summarised_into_a_stored_snapshot() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let (user, _) = t.connected_user(&token, "richard", "tabsnotspaces").await;
    let (s, e) = t.post(&format!("/users/{user}/expenses"), &token, json!({"fromMonth": "2024-01", "toMonth": "2024-05"})).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e["type"], "expenses");
    let divisions = e["payments"].as_array().unwrap();
    assert!(divisions.len() > 3, "{e}");
    let categories: usize = divisions.iter().map(|d| d["subCategory"].as_array().unwrap().len()).sum();
    assert!(categories >= divisions.len());
    // Money as the contract writes it: decimal strings.
    for amount in [&e["total"], &e["averageMonthly"], &divisions[0]["total"], &divisions[0]["subCategory"][0]["history"][0]["amount"], &e["bankFees"]["total"]] {
        let text = amount.as_str().unwrap_or_else(|| panic!("{amount} is not a string"));
        assert!(text.parse::<f64>().is_ok() && text.split_once('.').is_some_and(|(_, c)| c.len() == 2), "{text}");
    }
    let sid = e["id"].as_str().unwrap();
    let (s, again) = t.get(&format!("/users/{user}/expenses/{sid}"), &token).await;
    assert_eq!(s, 200);
    assert_eq!(again, e);
    let (s, b) = t.post(&format!("/users/{user}/expenses"), &token, json!({"fromMonth": "2024-13", "toMonth": "2024-05"})).await;
    assert_error(s, &b, 400, "parameter-not-valid");
    let (s, b) = t.post(&format!("/users/{user}/expenses"), &token, json!({"fromMonth": "2024-06", "toMonth": "2024-01"})).await;
    assert_error(s, &b, 400, "parameter-not-valid");
    let (s, b) = t.get(&format!("/users/{user}/expenses/nope"), &token).await;
    assert_error(s, &b, 404, "resource-not-found");
}
