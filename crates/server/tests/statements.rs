//! Statement upload end to end: the real app, job worker and database (SQLite, or
//! PostgreSQL with TALLY_TEST_DATABASE_URL), a real multipart body, real files.

mod common;

use common::TestServer;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

const COMMBANK: &str = "AU10001";

/// A CommBank NetBank export (no header; date, signed amount, description, balance),
/// newest first as NetBank writes it. `days` rows from 1 March 2026, two of each a day.
fn commbank_csv(first_day: u32, days: u32) -> String {
    let merchants = ["WOOLWORTHS 1234 SYDNEY", "UBER *TRIP HELP.UBER.COM", "NETFLIX.COM MELBOURNE", "COLES 0456 NEWTOWN", "CALTEX STRATHFIELD"];
    let mut rows = Vec::new();
    let mut balance: i64 = 500_000;
    for d in first_day..first_day + days {
        for (i, m) in merchants.iter().enumerate().take(2).map(|(i, _)| (i, merchants[(d as usize + i) % merchants.len()])) {
            let cents = -((d as i64 * 137 + i as i64 * 59) % 9_000 + 450);
            balance += cents;
            rows.push(format!("\"{:02}/03/2026\",\"{}\",\"{m}\",\"+{}\"", d, money(cents), money(balance).trim_start_matches('-')));
        }
    }
    rows.reverse();
    rows.join("\r\n") + "\r\n"
}

fn money(cents: i64) -> String {
    format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100)
}

async fn upload_raw(t: &TestServer, token: &str, user: &str, form: Form) -> (StatusCode, Value) {
    let res = t.http.post(format!("{}/users/{user}/statements", t.base)).bearer_auth(token).multipart(form).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn form(institution: &str, filename: &str, bytes: Vec<u8>) -> Form {
    Form::new().text("institutionId", institution.to_string()).part("statement", Part::bytes(bytes).file_name(filename.to_string()))
}

/// Uploads and waits for the job; returns (job id, finished job).
async fn upload(t: &TestServer, token: &str, user: &str, institution: &str, bytes: &[u8]) -> (String, Value) {
    let (s, job) = upload_raw(t, token, user, form(institution, "statement.csv", bytes.to_vec())).await;
    assert_eq!(s, 202, "{job}");
    assert_eq!(job["type"], "job");
    let id = job["id"].as_str().unwrap().to_string();
    (id.clone(), t.wait_job(token, &id).await)
}

async fn transactions(t: &TestServer, token: &str, user: &str, filter: &str) -> Vec<Value> {
    let (s, page) = t.get(&format!("/users/{user}/transactions?limit=500&filter={}", urlencode(filter)), token).await;
    assert_eq!(s, 200, "{page}");
    page["data"].as_array().unwrap().clone()
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn titles(job: &Value) -> Vec<(String, String)> {
    job["steps"].as_array().unwrap().iter().map(|s| (s["title"].as_str().unwrap().to_string(), s["status"].as_str().unwrap().to_string())).collect()
}

async fn count(t: &TestServer, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&t.state.db).await.unwrap()
}

#[tokio::test]
async fn an_uploaded_commbank_csv_runs_the_three_steps_and_its_transactions_read_like_any_connections() {
    let t = common::start().await;
    let (key, server) = t.server().await;
    let user = t.create_user(&server).await;
    let token = t.client_token(&key, &user).await;
    let csv = commbank_csv(1, 20);
    let (job_id, job) = upload(&t, &token, &user, COMMBANK, csv.as_bytes()).await;
    let expected: Vec<(String, String)> =
        ["verify-credentials", "retrieve-accounts", "retrieve-transactions"].iter().map(|s| (s.to_string(), "success".to_string())).collect();
    assert_eq!(titles(&job), expected, "{job}");
    let cid = job["links"]["source"].as_str().unwrap().rsplit('/').next().unwrap().to_string();

    // The connection says it came from a file, and holds one account whose balance is
    // the file's latest.
    let (s, c) = t.get(&format!("/users/{user}/connections/{cid}"), &token).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["method"], "statement");
    assert_eq!(c["status"], "active");
    assert_eq!(c["institution"]["id"], COMMBANK);
    let (_, accounts) = t.get(&format!("/users/{user}/accounts"), &token).await;
    let accounts = accounts["data"].as_array().unwrap().clone();
    assert_eq!(accounts.len(), 1, "{accounts:?}");
    let latest_balance = csv.lines().next().unwrap().rsplit(',').next().unwrap().trim_matches('"').trim_start_matches('+').to_string();
    assert_eq!(accounts[0]["balance"], latest_balance);

    // Every row is a transaction, posted and classified; filters work on them.
    let all = transactions(&t, &token, &user, &format!("connection.id.eq('{cid}')")).await;
    assert_eq!(all.len(), 40);
    assert!(all.iter().all(|x| x["status"] == "posted" && x["postDate"].is_string() && x["class"].is_string()));
    let woolies = all.iter().find(|x| x["description"].as_str().unwrap().starts_with("WOOLWORTHS")).expect("a Woolworths row");
    assert_eq!(woolies["enrich"]["category"]["id"].as_str().map(|s| s.contains("grocer") || s.contains("supermarket")), Some(true), "{woolies}");
    let early = transactions(&t, &token, &user, "transaction.postDate.bt('2026-03-01','2026-03-05')").await;
    assert_eq!(early.len(), 10);

    // Expenses over the file's month.
    let (s, e) = t.post(&format!("/users/{user}/expenses"), &token, json!({"fromMonth": "2026-03", "toMonth": "2026-03"})).await;
    assert_eq!(s, 201, "{e}");
    assert!(e["payments"].as_array().is_some_and(|p| !p.is_empty()), "{e}");

    // The job is followed like any other, and the file is gone once it ended.
    let (s, _) = t.get(&format!("/jobs/{job_id}"), &token).await;
    assert_eq!(s, 200);
    assert_eq!(count(&t, "statement_uploads").await, 0);
}

#[tokio::test]
async fn re_uploading_a_file_or_an_overlapping_one_adds_only_what_is_new() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let user = t.create_user(&token).await;
    let (_, first) = upload(&t, &token, &user, COMMBANK, commbank_csv(1, 10).as_bytes()).await;
    assert!(common::succeeded(&first), "{first}");
    let before = transactions(&t, &token, &user, "").await;
    assert_eq!(before.len(), 20);

    let (_, again) = upload(&t, &token, &user, COMMBANK, commbank_csv(1, 10).as_bytes()).await;
    assert!(common::succeeded(&again), "{again}");
    let after = transactions(&t, &token, &user, "").await;
    let ids = |v: &[Value]| v.iter().map(|x| x["id"].as_str().unwrap().to_string()).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(ids(&after), ids(&before), "the same file adds nothing and keeps every id");

    // 6..15 March overlaps 6..10: only 11..15 (10 rows) are new.
    let (_, overlap) = upload(&t, &token, &user, COMMBANK, commbank_csv(6, 10).as_bytes()).await;
    assert!(common::succeeded(&overlap), "{overlap}");
    let later = transactions(&t, &token, &user, "").await;
    assert_eq!(later.len(), 30);
    assert!(ids(&before).is_subset(&ids(&later)));
    let (_, conns) = t.get(&format!("/users/{user}/connections"), &token).await;
    assert_eq!(conns["data"].as_array().unwrap().len(), 1, "one connection per institution: {conns}");
    let (_, accounts) = t.get(&format!("/users/{user}/accounts"), &token).await;
    assert_eq!(accounts["data"].as_array().unwrap().len(), 1, "a later file updates the same account");
}

#[tokio::test]
async fn a_file_that_cannot_be_read_fails_verification_naming_the_line_and_changes_nothing() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let user = t.create_user(&token).await;

    // A first, refused upload leaves no connection behind.
    let mut bad = commbank_csv(1, 10);
    bad = bad.replacen("\"03/03/2026\"", "\"32/13/2026\"", 1);
    let bad_line = bad.lines().position(|l| l.contains("32/13/2026")).unwrap() + 1;
    let (_, job) = upload(&t, &token, &user, COMMBANK, bad.as_bytes()).await;
    let verify = &job["steps"][0];
    assert_eq!(verify["status"], "failed", "{job}");
    assert_eq!(verify["result"]["code"], "statement-not-readable");
    let detail = verify["result"]["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("line {bad_line}")) && detail.contains("32/13/2026"), "{detail}");
    assert_eq!(job["steps"][1]["status"], "pending");
    let (_, conns) = t.get(&format!("/users/{user}/connections"), &token).await;
    assert_eq!(conns["data"].as_array().unwrap().len(), 0, "{conns}");
    assert_eq!(count(&t, "transactions").await, 0);

    // After a good upload, a bad one leaves the earlier data untouched.
    let (_, good) = upload(&t, &token, &user, COMMBANK, commbank_csv(1, 10).as_bytes()).await;
    assert!(common::succeeded(&good), "{good}");
    let before = transactions(&t, &token, &user, "").await;
    let (_, accounts_before) = t.get(&format!("/users/{user}/accounts"), &token).await;
    for bytes in [bad.into_bytes(), Vec::new(), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec(), (0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()] {
        let (_, job) = upload(&t, &token, &user, COMMBANK, &bytes).await;
        assert_eq!(job["steps"][0]["status"], "failed", "{job}");
        assert!(!job["steps"][0]["result"]["detail"].as_str().unwrap().is_empty());
    }
    assert_eq!(transactions(&t, &token, &user, "").await, before);
    let (_, accounts_after) = t.get(&format!("/users/{user}/accounts"), &token).await;
    assert_eq!(accounts_after["data"], accounts_before["data"]);
    let (_, conns) = t.get(&format!("/users/{user}/connections"), &token).await;
    assert_eq!(conns["data"].as_array().unwrap().len(), 1);
    assert_eq!(count(&t, "statement_uploads").await, 0);
}

#[tokio::test]
async fn uploads_are_refused_with_a_clear_error_when_http_can_tell() {
    let t = common::start().await;
    let (key, token) = t.server().await;
    let user = t.create_user(&token).await;
    let csv = commbank_csv(1, 3).into_bytes();

    let (s, e) = upload_raw(&t, &token, &user, form("AU00000", "s.csv", csv.clone())).await;
    assert_eq!(s, 400, "the sandbox takes no statements: {e}");
    assert_eq!(e["data"][0]["code"], "institution-not-supported");
    let (s, e) = upload_raw(&t, &token, &user, form("XX99999", "s.csv", csv.clone())).await;
    assert_eq!(s, 400, "{e}");
    let (s, e) = upload_raw(&t, &token, &user, Form::new().part("statement", Part::bytes(csv.clone()))).await;
    assert_eq!(s, 400, "{e}");
    assert_eq!(e["data"][0]["source"]["parameter"], "institutionId");
    let (s, e) = upload_raw(&t, &token, &user, Form::new().text("institutionId", COMMBANK)).await;
    assert_eq!(s, 400, "{e}");
    assert_eq!(e["data"][0]["source"]["parameter"], "statement");
    let (s, e) = t.post(&format!("/users/{user}/statements"), &token, json!({"institutionId": COMMBANK})).await;
    assert_eq!(s, 415, "JSON is not a form: {e}");

    // Over 10 MiB: the 413 error object, and nothing made.
    let big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let (s, e) = upload_raw(&t, &token, &user, form(COMMBANK, "big.csv", big)).await;
    assert_eq!(s, 413, "{e}");
    assert_eq!(e["type"], "list", "{e}");
    assert!(e["data"][0]["detail"].as_str().unwrap().contains("10 MiB"), "{e}");

    // Another user's CLIENT token may not upload for this one; theirs may.
    let other = t.create_user(&token).await;
    let other_token = t.client_token(&key, &other).await;
    let (s, _) = upload_raw(&t, &other_token, &user, form(COMMBANK, "s.csv", csv.clone())).await;
    assert_eq!(s, 403);
    let (s, _) = upload_raw(&t, &other_token, &other, form(COMMBANK, "s.csv", csv)).await;
    assert_eq!(s, 202);
    let (_, conns) = t.get(&format!("/users/{user}/connections"), &token).await;
    assert_eq!(conns["data"].as_array().unwrap().len(), 0, "{conns}");
}

#[tokio::test]
async fn a_statement_connection_is_not_refreshed_and_deleting_it_deletes_what_it_brought() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let user = t.create_user(&token).await;
    let (_, job) = upload(&t, &token, &user, COMMBANK, commbank_csv(1, 5).as_bytes()).await;
    assert!(common::succeeded(&job), "{job}");
    let cid = job["links"]["source"].as_str().unwrap().rsplit('/').next().unwrap().to_string();

    let (s, e) = t.post(&format!("/users/{user}/connections/{cid}/refresh"), &token, json!({})).await;
    assert_eq!(s, 400, "{e}");
    assert!(e["data"][0]["detail"].as_str().unwrap().contains("nothing to re-fetch"), "{e}");
    let (s, all) = t.post(&format!("/users/{user}/connections/refresh"), &token, json!({})).await;
    assert_eq!(s, 202);
    assert_eq!(all["data"].as_array().unwrap().len(), 0, "refresh all skips it: {all}");
    let mut c = t.state.db.acquire().await.unwrap();
    tally_server::store::schedules::enroll(&mut c, None, &t.state.now()).await.unwrap();
    drop(c);
    assert_eq!(count(&t, "schedules").await, 0, "the scheduler skips it");

    let (s, _) = t.delete(&format!("/users/{user}/connections/{cid}"), &token).await;
    assert_eq!(s, 204);
    assert_eq!(count(&t, "accounts").await, 0);
    assert_eq!(count(&t, "transactions").await, 0);
}

#[tokio::test]
async fn the_institution_list_has_the_australian_banks_as_statement_only_and_an_other_bank() {
    let t = common::start().await;
    let (_, token) = t.server().await;
    let (s, list) = t.get("/institutions", &token).await;
    assert_eq!(s, 200);
    let list = list["data"].as_array().unwrap().clone();
    let find = |name: &str| list.iter().find(|i| i["name"] == name).unwrap_or_else(|| panic!("{name} missing")).clone();
    for name in ["Commonwealth Bank of Australia", "Westpac Banking Corporation", "National Australia Bank", "Up", "ubank", "Other bank"] {
        let i = find(name);
        assert_eq!(i["methods"], json!(["statement"]), "{i}");
        let logo = i["logo"]["links"]["square"].as_str().unwrap();
        let res = reqwest::get(format!("{}{logo}", t.base)).await.unwrap();
        assert_eq!(res.status(), 200, "{logo}");
    }
    assert_eq!(find("Hooli")["methods"], json!(["login"]));
}

/// The classifier hears where the statement is from: a bank's country (Australia for
/// CommBank), or none for "Other bank", whose files come from anywhere. The same
/// foreign brand can then be read differently, as the engine itself reads it.
#[tokio::test]
async fn transactions_are_categorised_for_the_country_of_their_bank() {
    use tally_classify::{Classifier, Country, Input};
    let engine = Classifier::load().unwrap();
    let category = |description: &str, country: Option<Country>| {
        let r = engine.classify(&Input { description, amount_cents: -1250, mcc: None, country }, None);
        r.category.map(|c| c.slug.to_string())
    };
    // A brand that trades abroad but not in Australia.
    let description = ["TESCO STORES 3012 LONDON", "CARREFOUR MARKET PARIS", "TARGET 00012345 MINNEAPOLIS MN", "WALGREENS #1234"]
        .into_iter()
        .find(|d| category(d, Country::from_code("AU")) != category(d, None))
        .expect("one description the country changes");
    let t = common::start().await;
    let (_, token) = t.server().await;
    let csv = format!("\"05/03/2026\",\"-12.50\",\"{description}\",\"+100.00\"\r\n").into_bytes();
    for (institution, country) in [(COMMBANK, Country::from_code("AU")), ("AU19999", None)] {
        let user = t.create_user(&token).await;
        let (_, job) = upload(&t, &token, &user, institution, &csv).await;
        assert!(titles(&job).iter().all(|(_, s)| s == "success"), "{job}");
        let txs = transactions(&t, &token, &user, "").await;
        let stored = txs[0]["enrich"]["category"]["id"].as_str().map(str::to_string);
        assert_eq!(stored, category(description, country), "{institution}: {description} {}", txs[0]);
    }
}
