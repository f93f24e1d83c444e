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

    // The user moves the ten merchants they bought from most in the last three months
    // to another category: all of their transactions follow, and so do later ones.
    // (Ten, because the sandbox's merchants change over time, so any one of them may
    // be absent from the 30 days refreshed below; three whole months are counted, not
    // a page, because ids, and with them the order within a day, are random.)
    let merchant_of = |t: &Value| t["enrich"]["merchant"]["businessName"].as_str().map(str::to_string);
    let (_, lately) = t.get(&format!("/users/{user}/transactions?filter=transaction.postDate.gt('2024-03-14')&limit=500"), &token).await;
    assert!(lately["links"]["next"].is_null(), "three months fit one page");
    let lately = lately["data"].as_array().unwrap().clone();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for t in lately.iter().filter(|t| t["enrich"]["category"]["id"] != "home") {
        if let Some(m) = merchant_of(t) {
            *counts.entry(m).or_default() += 1;
        }
    }
    let mut by_count: Vec<(String, usize)> = counts.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let moved: Vec<String> = by_count.into_iter().take(10).map(|(m, _)| m).collect();
    let client = t.client_token(&key, &user).await;
    let mut id = String::new();
    for m in &moved {
        let same: Vec<&Value> = lately.iter().filter(|t| merchant_of(t).as_deref() == Some(m.as_str())).collect();
        id = same[0]["id"].as_str().unwrap().to_string();
        let (s, fixed) = t.call(reqwest::Method::PUT, &format!("/users/{user}/transactions/{id}/category"), Some(&client), Some(json!({"category": "home"}))).await;
        assert_eq!(s, 200, "{fixed}");
        assert_eq!(fixed["enrich"]["category"]["id"], "home");
        assert_eq!(fixed["enrich"]["category"]["source"], "correction");
        let (_, other) = t.get(&format!("/users/{user}/transactions/{}", same.last().unwrap()["id"].as_str().unwrap()), &token).await;
        assert_eq!(other["enrich"]["category"]["id"], "home", "every transaction of {m} follows");
    }
    // …and so do later ones, fetched on a later refresh.
    t.clock.advance(chrono::Duration::days(30));
    let token = t.server_token(&key, "2.0").await;
    let (_, job) = t.post(&format!("/users/{user}/connections/{cid}/refresh"), &token, json!({})).await;
    t.wait_job(&token, job["id"].as_str().unwrap()).await;
    let (_, recent) = t.get(&format!("/users/{user}/transactions?filter=transaction.postDate.gt('2024-06-14')&limit=500"), &token).await;
    let later: Vec<&Value> = recent["data"].as_array().unwrap().iter().filter(|t| merchant_of(t).is_some_and(|m| moved.contains(&m))).collect();
    assert!(!later.is_empty(), "some of the ten came back in 30 days: {moved:?}");
    assert!(later.iter().all(|t| t["enrich"]["category"]["id"] == "home"), "{later:?}");
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
