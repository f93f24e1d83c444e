//! Accounts and transactions: lists, paging, order, every filter field and operator.

mod common;

use common::assert_error;
use serde_json::Value;

fn ids(v: &Value) -> Vec<String> {
    v["data"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn pages_through_everything_in_the_contract_order() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let (user, _) = t.connected_user(&token, "richard", "tabsnotspaces").await;
    let (_, first) = t.get(&format!("/users/{user}/transactions?limit=100"), &token).await;
    let total = first["size"].as_u64().unwrap() as usize;
    let mut all: Vec<Value> = Vec::new();
    let mut page = first;
    loop {
        assert!(page["count"].as_u64().unwrap() <= 100);
        all.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["links"]["next"].as_str() {
            Some(next) => page = t.get(next, &token).await.1,
            None => break,
        }
    }
    assert_eq!(all.len(), total, "paging visits every transaction once");
    let mut seen = std::collections::HashSet::new();
    assert!(all.iter().all(|t| seen.insert(t["id"].as_str().unwrap().to_string())));
    // Order: account, then pending first, then post date descending.
    let key = |t: &Value| {
        let pending = t["status"] == "pending";
        (t["account"].as_str().unwrap().to_string(), !pending, std::cmp::Reverse(t["postDate"].as_str().unwrap_or("9999").to_string()))
    };
    for w in all.windows(2) {
        assert!(key(&w[0]) <= key(&w[1]), "{} before {}", w[0], w[1]);
    }
    // The default and largest page is 500.
    let (_, big) = t.get(&format!("/users/{user}/transactions"), &token).await;
    assert_eq!(big["count"].as_u64().unwrap() as usize, total.min(500));
    let tx = &all[3];
    assert_eq!(tx["type"], "transaction");
    assert!(tx["amount"].as_str().unwrap().parse::<f64>().is_ok());
    assert_eq!(tx["direction"], if tx["amount"].as_str().unwrap().starts_with('-') { "debit" } else { "credit" });
    let (s, one) = t.get(&format!("/users/{user}/transactions/{}", tx["id"].as_str().unwrap()), &token).await;
    assert_eq!(s, 200);
    assert_eq!(&one, tx);
}

#[tokio::test]
async fn every_filter_field_and_operator_works() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let (user, cid) = t.connected_user(&token, "gavinBelson", "hooli2016").await;
    let get = |q: String| {
        let t = &t;
        let token = token.clone();
        let user = user.clone();
        async move {
            let (s, b) = t.get(&format!("/users/{user}/transactions?limit=500&filter={q}"), &token).await;
            assert_eq!(s, 200, "{q}: {b}");
            b
        }
    };
    let (_, accounts) = t.get(&format!("/users/{user}/accounts"), &token).await;
    let acc = accounts["data"][0]["id"].as_str().unwrap().to_string();
    let acc2 = accounts["data"][1]["id"].as_str().unwrap().to_string();
    let all = get(String::new()).await;
    let total = all["size"].as_u64().unwrap();

    let by_acc = get(format!("account.id.eq('{acc}')")).await;
    assert!(by_acc["data"].as_array().unwrap().iter().all(|t| t["account"] == acc.as_str()));
    let not_acc = get(format!("account.id.ne('{acc}')")).await;
    assert_eq!(by_acc["size"].as_u64().unwrap() + not_acc["size"].as_u64().unwrap(), total);
    let two = get(format!("account.id.in('{acc}','{acc2}')")).await;
    assert!(two["size"].as_u64().unwrap() > by_acc["size"].as_u64().unwrap());
    assert_eq!(get(format!("connection.id.eq('{cid}')")).await["size"].as_u64().unwrap(), total);
    assert_eq!(get("institution.id.eq('AU00000')".into()).await["size"].as_u64().unwrap(), total);
    assert_eq!(get("institution.id.eq('AU00001')".into()).await["size"].as_u64().unwrap(), 0);
    let some_id = all["data"][7]["id"].as_str().unwrap();
    assert_eq!(ids(&get(format!("transaction.id.eq('{some_id}')")).await), vec![some_id.to_string()]);

    let feb = get("transaction.postDate.bt('2024-02-01','2024-02-29')".into()).await;
    assert!(feb["size"].as_u64().unwrap() > 20);
    assert!(feb["data"].as_array().unwrap().iter().all(|t| {
        let d = t["postDate"].as_str().unwrap();
        ("2024-02-01"..="2024-02-29").contains(&d)
    }));
    let gt = get("transaction.postDate.gt('2024-06-01')".into()).await;
    assert!(gt["data"].as_array().unwrap().iter().all(|t| t["postDate"].as_str().unwrap() > "2024-06-01"));
    let gteq = get("transaction.postDate.gteq('2024-06-01')".into()).await;
    assert!(gteq["size"].as_u64().unwrap() >= gt["size"].as_u64().unwrap());
    let lt = get("transaction.postDate.lt('2023-07-01')".into()).await;
    assert!(lt["data"].as_array().unwrap().iter().all(|t| t["postDate"].as_str().unwrap() < "2023-07-01"));
    let lteq = get("transaction.postDate.lteq('2023-07-01T00:00:00Z')".into()).await;
    assert!(lteq["size"].as_u64().unwrap() >= lt["size"].as_u64().unwrap());
    let tdate = get("transaction.transactionDate.eq('2024-03-01')".into()).await;
    assert!(tdate["data"].as_array().unwrap().iter().all(|t| t["transactionDate"] == "2024-03-01"));

    let pending = get("transaction.status.eq('pending')".into()).await;
    assert!(pending["data"].as_array().unwrap().iter().all(|t| t["status"] == "pending" && t["postDate"].is_null()));
    let debits = get("transaction.direction.eq('debit')".into()).await;
    assert!(debits["data"].as_array().unwrap().iter().all(|t| t["amount"].as_str().unwrap().starts_with('-')));
    let fees = get("transaction.class.in('bank-fee','cash-withdrawal')".into()).await;
    assert!(fees["size"].as_u64().unwrap() > 0);
    assert!(fees["data"].as_array().unwrap().iter().all(|t| t["class"] == "bank-fee" || t["class"] == "cash-withdrawal"));
    // Several conditions AND together, and the filter is kept in the next link.
    let both = get(format!("account.id.eq('{acc}'),transaction.direction.eq('credit')")).await;
    assert!(both["data"].as_array().unwrap().iter().all(|t| t["account"] == acc.as_str() && t["direction"] == "credit"));
    let (_, paged) = t.get(&format!("/users/{user}/transactions?limit=5&filter=account.id.eq('{acc}')"), &token).await;
    let next = paged["links"]["next"].as_str().unwrap();
    assert!(next.contains("filter="));
    let (_, page2) = t.get(next, &token).await;
    assert!(page2["data"].as_array().unwrap().iter().all(|t| t["account"] == acc.as_str()));

    // Accounts filter too.
    let (_, a) = t.get(&format!("/users/{user}/accounts?filter=account.id.eq('{acc}')"), &token).await;
    assert_eq!(ids(&a), vec![acc.clone()]);
    let (s, one) = t.get(&format!("/users/{user}/accounts/{acc}"), &token).await;
    assert_eq!(s, 200);
    assert_eq!(one["type"], "account");
    let (_, conns) = t.get(&format!("/users/{user}/connections?filter=institution.id.eq('AU00000')"), &token).await;
    assert_eq!(conns["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn malformed_filters_are_400_naming_the_filter() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let user = t.create_user(&token).await;
    for bad in [
        "account.id",
        "account.id.eq('a'",
        "account.id.like('a')",
        "account.id.eq(a)",
        "transaction.postDate.eq('yesterday')",
        "transaction.status.eq('cleared')",
        "transaction.amount.gt('10')",
        "account.id.bt('a')",
        "account.id.eq('a'),",
    ] {
        let (s, b) = t.get(&format!("/users/{user}/transactions?filter={bad}"), &token).await;
        assert_error(s, &b, 400, "parameter-not-valid");
        assert_eq!(b["data"][0]["source"]["parameter"], "filter", "{bad}");
    }
}

#[tokio::test]
async fn a_seeded_user_with_100k_transactions_pages_fast() {
    let t = common::start().await;
    let seeded = tally_server::seed::seed_user(&t.state.db, &t.state.keys, 20_000, tally_server::Clock::today(t.clock.as_ref()), &t.state.now()).await.unwrap();
    let token = t.server_token(&seeded.api_key, "2.0").await;
    let (_, first) = t.get(&format!("/users/{}/transactions?limit=500", seeded.user_id), &token).await;
    assert_eq!(first["size"], 20_000);
    let mut next = first["links"]["next"].as_str().unwrap().to_string();
    for _ in 0..20 {
        let (_, p) = t.get(&next, &token).await;
        next = p["links"]["next"].as_str().unwrap().to_string();
    }
    // Deep pages cost what shallow ones do (keyset, not OFFSET).
    let start = std::time::Instant::now();
    let (s, deep) = t.get(&next, &token).await;
    assert_eq!(s, 200);
    assert_eq!(deep["count"], 500);
    assert!(start.elapsed() < std::time::Duration::from_secs(3), "{:?}", start.elapsed());
}
