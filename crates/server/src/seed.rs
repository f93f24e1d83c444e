//! Seeding a user with many transactions quickly, for benchmarks: one application, one
//! user, one sandbox connection with three accounts, and `n` posted transactions spread
//! back in time from today, written with multi-row inserts in one transaction.

use chrono::{Days, NaiveDate};
use sqlx::AnyPool;

use crate::connector::{AccountData, Credentials, TransactionData};
use crate::crypto::Keys;
use crate::sandbox::rng::Rng;
use crate::{db, store};

/// What was made, with the API key to reach it.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub app_id: String,
    pub api_key: String,
    pub user_id: String,
    pub connection_id: String,
    pub transactions: usize,
}

const DESCRIPTIONS: &[(&str, i64, i64, &str)] = &[
    ("VISA PURCHASE WOOLWORTHS 1234 SYDNEY NS AUS Card xx1234", 2_000, 18_000, "payment"),
    ("EFTPOS COLES 0456 BONDI JUNCTION", 1_500, 15_000, "payment"),
    ("VISA PURCHASE SINGLE O SURRY HILLS NS AUS Card xx1234", 450, 1_800, "payment"),
    ("BPAY AGL ENERGY", 20_000, 50_000, "payment"),
    ("DIRECT DEBIT TELSTRA", 8_900, 9_900, "payment"),
    ("OSKO PAYMENT TO J SMITH DINNER", 1_500, 12_000, "transfer"),
    ("ATM WITHDRAWAL CBA ATM BONDI JUNCTION NS", 5_000, 20_000, "cash-withdrawal"),
    ("MONTHLY ACCOUNT FEE", 500, 500, "bank-fee"),
];

/// Seeds `n` transactions for a new user of a new application, dated up to `today`.
pub async fn seed_user(pool: &AnyPool, keys: &Keys, n: usize, today: NaiveDate, now: &str) -> Result<Seeded, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let (app, api_key) = store::apps::create(&mut tx, "seeded", false, now).await?;
    let user = store::users::create(&mut tx, &app.id, Some("seeded@tally.example"), None, &Default::default(), now).await?;
    let creds = Credentials { login_id: "gavinBelson".into(), password: "hooli2016".into(), security_code: None, secondary_login_id: None };
    let sealed = keys.seal(&serde_json::to_vec(&creds).expect("credentials serialise"));
    let cid = store::connections::insert(&mut tx, &app.id, Some(&user.id), "AU00000", &sealed, now).await?;
    store::connections::mark_refreshed(&mut tx, &cid, now).await?;
    let c = store::connections::get(&mut tx, &app.id, &cid).await?.expect("just inserted");
    let accounts: Vec<AccountData> = ["EVD", "SAV", "CC"]
        .iter()
        .map(|k| AccountData {
            external_id: format!("{k}-seed"),
            account_no: format!("062-000 {k}"),
            name: format!("Seeded {k}"),
            currency: "AUD".into(),
            balance: 100_000,
            available_funds: 100_000,
            balance_known: true,
                class_type: if *k == "CC" { "credit-card".into() } else { "transaction".into() },
            product: "Seeded".into(),
        })
        .collect();
    let ids = store::accounts::upsert_all(&mut tx, &c, &accounts, now).await?;
    let mut rng = Rng::from_parts(&["seed", &user.id]);
    let mut rows = Vec::with_capacity(1000);
    let per_day = 12usize;
    for i in 0..n {
        let (desc, lo, hi, class) = DESCRIPTIONS[i % DESCRIPTIONS.len()];
        let date = today - Days::new((i / per_day) as u64);
        let acc = &accounts[i % accounts.len()];
        let t = TransactionData {
            account_external_id: acc.external_id.clone(),
            external_id: format!("seed-{i}"),
            pending: false,
            description: desc.into(),
            amount: -rng.range(lo, hi),
            class: class.into(),
            balance: None,
            transaction_date: date,
            post_date: Some(date),
            mcc: None,
        };
        rows.push(store::transactions::seed_row(&c, &ids[&acc.external_id], &t));
        if rows.len() == 1000 {
            store::transactions::insert_rows(&mut tx, &rows).await?;
            rows.clear();
        }
    }
    store::transactions::insert_rows(&mut tx, &rows).await?;
    tx.commit().await?;
    Ok(Seeded { app_id: app.id, api_key, user_id: user.id, connection_id: cid, transactions: n })
}
