//! Quickstart: create a user, connect the sandbox bank, wait for the transactions,
//! and print the last month's spending by category.
//!
//! Against a local server (`cargo xtask demo`, which serves http://127.0.0.1:8080):
//!
//! ```text
//! # an API key for a new application, from the same database the demo uses:
//! DATABASE_URL=sqlite:data/tally.db cargo run -p tally-server -- app create quickstart
//! TALLY_URL=http://127.0.0.1:8080 TALLY_API_KEY=<key> \
//!     cargo run -p tally-api --features native --example quickstart
//! # or: cargo run -p tally-api --features native --example quickstart -- <url> <key>
//! ```
//!
//! The test suite runs [`run`] against a server started in-process
//! (crates/api/tests/quickstart.rs).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::TryStreamExt;
use tally_api::client::{Client, Cmp, Date, Direction, Error, StepTitle, TransactionFilter};
use tally_api::{InstitutionId, NewConnection, NewUser, Transaction};

/// What the quickstart found: spending per category in cents, over `from..=to`.
#[derive(Debug)]
pub struct Spending {
    pub user_id: String,
    pub from: Date,
    pub to: Date,
    pub by_category: BTreeMap<String, i64>,
}

/// Runs the whole flow against `base_url` with `api_key`, printing as it goes.
pub async fn run(base_url: &str, api_key: &str) -> Result<Spending, Error> {
    // A backend client: SERVER_ACCESS tokens from the API key, cached and renewed.
    let server = Client::with_api_key(base_url, api_key);

    let user = server.create_user(&NewUser { email: Some("quickstart@example.com".into()), mobile: None, ..Default::default() }).await?;
    println!("created user {}", user.id);

    // Hooli (AU00000) is the sandbox bank; gavinBelson/hooli2016 always logs in.
    let job = server
        .create_connection(
            &user.id,
            &NewConnection {
                login_id: "gavinBelson".into(),
                password: "hooli2016".into(),
                security_code: None,
                secondary_login_id: None,
                institution: InstitutionId { id: "AU00000".into() },
            },
        )
        .await?;
    println!("connecting to Hooli (job {})…", job.id);
    server.wait_for_step(&job.id, StepTitle::VerifyCredentials, Duration::from_secs(60)).await?;
    println!("  credentials verified");
    server.wait_for_step(&job.id, StepTitle::RetrieveTransactions, Duration::from_secs(120)).await?;
    println!("  transactions retrieved");

    // Read as the user would: a CLIENT_ACCESS client sees only this user's data.
    let as_user = server.for_user(&user.id)?;
    let today = today().unwrap_or_else(|| Date::new(2024, 1, 1).expect("a real date"));
    let from = today.add_days(-30).unwrap_or(today);
    let money_out = TransactionFilter::new().post_date(Cmp::between(from, today)).direction(Cmp::eq(Direction::Debit));
    let spent: Vec<Transaction> = as_user.all_transactions(&user.id, &money_out).try_collect().await?;

    let mut by_category: BTreeMap<String, i64> = BTreeMap::new();
    for t in &spent {
        *by_category.entry(category(t)).or_default() += cents(&t.amount).map(i64::abs).unwrap_or(0);
    }
    println!("\nspending {from} to {today} ({} transactions):", spent.len());
    let mut rows: Vec<(&String, &i64)> = by_category.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (name, c) in rows {
        println!("  {name:<40} {:>10}.{:02}", c / 100, c % 100);
    }
    Ok(Spending { user_id: user.id, from, to: today, by_category })
}

/// The transaction's category: the classifier's title, else the ANZSIC title.
fn category(t: &Transaction) -> String {
    t.enrich
        .as_ref()
        .and_then(|e| e.category.as_ref())
        .map(|c| c.title.clone())
        .or_else(|| t.sub_class.as_ref().map(|s| s.title.clone()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Uncategorised".into())
}

/// `"-12.34"` → `-1234`; money on the wire is a decimal string.
fn cents(amount: &str) -> Option<i64> {
    let (neg, digits) = amount.strip_prefix('-').map_or((false, amount), |d| (true, d));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    let v = whole.parse::<i64>().ok()? * 100 + frac.get(..2)?.parse::<i64>().ok()?;
    Some(if neg { -v } else { v })
}

fn today() -> Option<Date> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Date::from_unix_days((secs / 86_400) as i64)
}

#[allow(dead_code)] // the tests include this file for `run` only
#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let base = args.next().or_else(|| std::env::var("TALLY_URL").ok()).unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let Some(key) = args.next().or_else(|| std::env::var("TALLY_API_KEY").ok()) else {
        eprintln!("quickstart: give an API key as TALLY_API_KEY or the second argument");
        eprintln!("  (make one: DATABASE_URL=sqlite:data/tally.db cargo run -p tally-server -- app create quickstart)");
        std::process::exit(2);
    };
    if let Err(e) = run(&base, &key).await {
        eprintln!("quickstart: {e}");
        std::process::exit(1);
    }
}
