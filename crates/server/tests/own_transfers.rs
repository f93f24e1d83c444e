//! Transfers between a user's own accounts: paired where they are stored (across
//! connections and statement uploads), marked `links.transfer`, and kept out of the
//! expenses summary's spending, which says what it left out.

mod common;

use std::collections::HashMap;

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

async fn all_transactions(t: &common::TestServer, token: &str, user: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next = Some(format!("/users/{user}/transactions?limit=500"));
    while let Some(path) = next.take() {
        let (s, page) = t.get(&path, token).await;
        assert_eq!(s, 200, "{page}");
        out.extend(page["data"].as_array().unwrap().iter().cloned());
        next = page["links"]["next"].as_str().map(|n| n.trim_start_matches(t.base.as_str()).to_string());
    }
    out
}

fn cents(t: &Value) -> i64 {
    let s = t["amount"].as_str().unwrap();
    let (whole, frac) = s.split_once('.').unwrap();
    let c = whole.trim_start_matches('-').parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
    if s.starts_with('-') { -c } else { c }
}

fn partner_id(t: &Value) -> Option<&str> {
    t["links"]["transfer"].as_str().map(|l| l.rsplit('/').next().unwrap())
}

#[tokio::test]
async fn the_two_sides_of_a_transfer_between_own_accounts_point_at_each_other() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let (user, _) = t.connected_user(&token, "gavinBelson", "hooli2016").await;
    let txs = all_transactions(&t, &token, &user).await;
    let by_id: HashMap<&str, &Value> = txs.iter().map(|t| (t["id"].as_str().unwrap(), t)).collect();
    let paired: Vec<&Value> = txs.iter().filter(|t| partner_id(t).is_some()).collect();
    assert!(paired.len() >= 10, "the sandbox moves money between its accounts every month: {} paired", paired.len());
    for &a in &paired {
        let b = by_id[partner_id(a).unwrap()];
        assert_eq!(partner_id(b), a["id"].as_str(), "pairs point both ways");
        assert_eq!(cents(a), -cents(b), "{a} / {b}");
        assert_ne!(a["account"], b["account"]);
        let (debit, credit) = if cents(a) < 0 { (a, b) } else { (b, a) };
        let to_loan = credit["description"] == "LOAN REPAYMENT THANK YOU";
        assert_eq!(debit["class"], if to_loan { "loan-repayment" } else { "transfer" }, "{debit}");
        assert_eq!(credit["class"], "transfer", "{credit}");
    }
    for t in &txs {
        let d = t["description"].as_str().unwrap();
        if d.starts_with("PAYMENT TO CREDIT CARD") || d.starts_with("TRANSFER TO NETSAVER") || d == "LOAN REPAYMENT THANK YOU" {
            if t["status"] == "posted" {
                assert!(partner_id(t).is_some(), "an own-account transfer left unpaired: {t}");
            }
        }
        if d.starts_with("OSKO PAYMENT TO") || d.starts_with("OSKO DEPOSIT FROM") {
            assert!(partner_id(t).is_none(), "money to or from other people is not an own transfer: {t}");
        }
    }
}

#[tokio::test]
async fn the_expenses_summary_leaves_own_transfers_out_and_says_how_much() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let (user, _) = t.connected_user(&token, "gavinBelson", "hooli2016").await;
    let txs = all_transactions(&t, &token, &user).await;
    let (from, to) = ("2024-01", "2024-05");
    let in_range = |t: &&Value| t["status"] == "posted" && t["postDate"].as_str().is_some_and(|d| &d[..7] >= from && &d[..7] <= to);
    let sum = |pick: &dyn Fn(&Value) -> bool| -> i64 { txs.iter().filter(in_range).filter(|t| pick(t)).map(|t| -cents(t)).sum() };
    let own = sum(&|t| cents(t) < 0 && partner_id(t).is_some() && t["class"] == "transfer");
    let external = sum(&|t| cents(t) < 0 && partner_id(t).is_none() && t["class"] == "transfer");
    let repayments = sum(&|t| cents(t) < 0 && t["class"] == "loan-repayment");
    let (s, e) = t.post(&format!("/users/{user}/expenses"), &token, json!({"fromMonth": from, "toMonth": to})).await;
    assert_eq!(s, 201, "{e}");
    let total = |v: &Value| cents(&json!({"amount": v["total"]}));
    assert!(own > 0, "the sandbox user moves money between accounts");
    assert_eq!(total(&e["ownTransfers"]), own, "{}", e["ownTransfers"]);
    assert_eq!(total(&e["externalTransfers"]), external, "only money sent to other people");
    assert_eq!(total(&e["loanRepayments"]), repayments, "the loan's own credit does not cancel the repayment");
}

#[tokio::test]
async fn a_statement_upload_pairs_with_a_connected_banks_transfer() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let (user, _) = t.connected_user(&token, "gavinBelson", "hooli2016").await;
    let txs = all_transactions(&t, &token, &user).await;
    // Money the Hooli account sent out that nothing at Hooli received: now the user
    // shows where it went, by uploading the other bank's statement.
    let sent = txs
        .iter()
        .find(|t| t["status"] == "posted" && t["description"].as_str().unwrap().starts_with("OSKO PAYMENT TO") && partner_id(t).is_none())
        .expect("an outgoing payment");
    let (day, amount) = (sent["postDate"].as_str().unwrap(), -cents(sent));
    let (y, m, d) = (&day[0..4], &day[5..7], &day[8..10]);
    let csv = format!("Date,Description,Amount\r\n{d}/{m}/{y},TRANSFER FROM HOOLI EVERYDAY,{}.{:02}\r\n", amount / 100, amount % 100);
    let form = Form::new().text("institutionId", "AU19999").part("statement", Part::bytes(csv.into_bytes()).file_name("other.csv"));
    let res = t.http.post(format!("{}/users/{user}/statements", t.base)).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 202);
    let job: Value = res.json().await.unwrap();
    let job = t.wait_job(&token, job["id"].as_str().unwrap()).await;
    assert!(common::succeeded(&job), "{job}");
    let after = all_transactions(&t, &token, &user).await;
    let sent_now = after.iter().find(|t| t["id"] == sent["id"]).unwrap();
    let other = partner_id(sent_now).unwrap_or_else(|| panic!("paired with the upload: {sent_now}"));
    let received = after.iter().find(|t| t["id"] == other).unwrap();
    assert_eq!(received["description"], "TRANSFER FROM HOOLI EVERYDAY");
    assert_eq!((&sent_now["class"], &received["class"]), (&json!("transfer"), &json!("transfer")));
}
