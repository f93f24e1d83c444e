//! Expenses, category corrections, the scheduler, and tokens from a host's token URL.

mod common;


use tally_api::client::{Client, ErrorKind, TokenSource};
use tally_api::{ExpensesRequest, NewUser};

async fn connected(c: &Client) -> String {
    common::connected_user(c, "e@example.com").await
}

#[tokio::test]
async fn expenses_snapshots_and_category_corrections() {
    let t = common::start().await;
    let c = Client::with_api_key(&t.base, t.api_key().await);
    let user = connected(&c).await;
    let page = c.transactions_page(&user, (), Some(100)).await.unwrap();
    let tx = page.data.iter().find(|t| t.direction == tally_api::Direction::Debit).expect("some spending");
    let months = {
        let d = tx.post_date.clone().or(tx.transaction_date.clone()).unwrap();
        d[..7].to_string()
    };
    let snap = c.expenses(&user, &ExpensesRequest { from_month: months.clone(), to_month: months.clone(), accounts: None }).await.unwrap();
    // Typed: the server's answer decodes into the SDK's wire type, field for field.
    assert_eq!(snap.kind, "expenses");
    assert_eq!((snap.from_month.as_str(), snap.months), (months.as_str(), 1));
    assert!(!snap.payments.is_empty(), "{snap:?}");
    let spent: f64 = snap.total.parse().unwrap();
    let by_division: f64 = snap.payments.iter().map(|d| d.total.parse::<f64>().unwrap()).sum();
    assert!((spent - by_division).abs() < 0.005, "divisions add up to the total: {spent} vs {by_division}");
    assert!(snap.payments.iter().all(|d| !d.sub_category.is_empty() && d.sub_category.iter().all(|c| c.history.len() == 1)));
    assert_eq!(snap.bank_fees.history[0].date, months);
    assert_eq!(c.expenses_snapshot(&user, &snap.id).await.unwrap(), snap);
    let bad = c.expenses(&user, &ExpensesRequest { from_month: "2024-13".into(), to_month: months, accounts: None }).await.unwrap_err();
    assert_eq!((bad.status, bad.code()), (Some(400), "parameter-not-valid"));
    assert_eq!(bad.source().and_then(|s| s.pointer.as_deref()), Some("/fromMonth"));

    let fixed = c.correct_category(&user, &tx.id, "groceries").await.unwrap();
    assert_eq!(fixed.id, tx.id);
    assert_eq!(fixed.enrich.and_then(|e| e.category).map(|c| c.id).as_deref(), Some("groceries"));
    let unknown = c.correct_category(&user, &tx.id, "not-a-category").await.unwrap_err();
    assert_eq!(unknown.status, Some(400));
}

#[tokio::test]
async fn the_scheduler_is_read_and_set_with_server_tokens() {
    let t = common::start().await;
    let c = Client::with_api_key(&t.base, t.api_key().await);
    let before = c.scheduler().await.unwrap();
    assert!(before.refreshes_per_day <= 5);
    let after = c.set_refreshes_per_day(2).await.unwrap();
    assert_eq!((after.refreshes_per_day, after.source.as_str()), (2, "application"));
    assert_eq!(c.scheduler().await.unwrap().refreshes_per_day, 2);
    let e = c.set_refreshes_per_day(9).await.unwrap_err();
    assert_eq!(e.status, Some(400));
    let u = c.create_user(&NewUser { email: Some("s@example.com".into()), mobile: None, ..Default::default() }).await.unwrap();
    assert_eq!(c.for_user(&u.id).unwrap().scheduler().await.unwrap_err().status, Some(403));
}

#[tokio::test]
async fn tokens_from_a_host_token_url() {
    let t = common::start_demo().await;
    // `/demo/token` speaks the widget's token-url protocol: POST → ClientToken.
    let browser = Client::new(&t.base, TokenSource::Url { url: "/demo/token".into() });
    assert_eq!(browser.user_id(), None, "unknown until the host answers");
    let token = browser.access_token().await.unwrap();
    let user = browser.user_id().expect("the host said whose token it is");
    assert_eq!(browser.user(&user).await.unwrap().id, user);
    assert_eq!(browser.access_token().await.unwrap(), token, "cached, not fetched again");
    let absolute = Client::new(&t.base, TokenSource::Url { url: format!("{}/demo/token", t.base) });
    assert!(absolute.access_token().await.is_ok());
    let nowhere = Client::new(&t.base, TokenSource::Url { url: "/no/such/token-url".into() });
    let e = nowhere.institutions().await.unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Api, Some(404)));
}
