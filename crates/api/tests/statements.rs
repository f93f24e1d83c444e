//! `upload_statement` against the real server (in-process, fresh SQLite): a bank's CSV
//! export goes up as multipart, its job runs a connection's three steps, and the file's
//! accounts and transactions read back like any connection's; a broken file fails the
//! first step with the line in the detail; the contract's refusals arrive as errors.

mod common;

use std::time::Duration;

use tally_api::client::{Client, ErrorKind, StepTitle};
use tally_api::{ConnectMethod, NewUser, StatementUpload};

/// CommBank NetBank's export: no header, `"dd/mm/yyyy","signed amount","text","balance"`.
const COMMBANK_CSV: &str = "\
\"03/03/2026\",\"-84.20\",\"WOOLWORTHS 1234 SYDNEY NS AUS Card xx1234\",\"+4915.80\"
\"04/03/2026\",\"-23.10\",\"UBER *TRIP HELP.UBER.COM NS AUS Card xx1234\",\"+4892.70\"
\"05/03/2026\",\"+3200.00\",\"SALARY ACME PTY LTD\",\"+8092.70\"
\"06/03/2026\",\"-16.99\",\"NETFLIX.COM MELBOURNE VI AUS Card xx1234\",\"+8075.71\"
";

/// The same layout with a date that cannot be one, on line 3.
const BROKEN_CSV: &str = "\
\"03/03/2026\",\"-84.20\",\"WOOLWORTHS 1234 SYDNEY\",\"+4915.80\"
\"04/03/2026\",\"-23.10\",\"UBER *TRIP\",\"+4892.70\"
\"32/13/2026\",\"-16.99\",\"NETFLIX.COM\",\"+4875.71\"
";

const WAIT: Duration = Duration::from_secs(60);

/// An institution that takes statements (not the sandbox's login-only banks).
async fn statement_bank(c: &Client) -> String {
    let list = c.institutions().await.unwrap().data;
    let hooli = list.iter().find(|i| i.id == "AU00000").expect("the sandbox bank is listed");
    assert!(hooli.has_login() && !hooli.takes_statements(), "the sandbox is login-only: {:?}", hooli.methods);
    assert!(list.iter().any(|i| i.id == "AU19999" && i.takes_statements()), "'Other bank' takes any file");
    list.into_iter().find(|i| i.takes_statements() && i.id != "AU19999").expect("a real bank that takes statements").id
}

#[tokio::test]
async fn an_uploaded_csv_runs_a_connections_three_steps_and_its_transactions_read_back() {
    let t = common::start().await;
    let server = Client::with_api_key(&t.base, t.api_key().await);
    let user = server.create_user(&NewUser { email: Some("csv@example.com".into()), mobile: None, ..Default::default() }).await.unwrap().id;
    let bank = statement_bank(&server).await;
    // What a browser holds: a CLIENT_ACCESS token of that user.
    let c = server.for_user(&user).unwrap();

    let job = c.upload_statement(&user, &bank, "CSVData.csv", COMMBANK_CSV.as_bytes()).await.unwrap();
    let done = c.wait_for_step(&job.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap();
    let titles: Vec<&str> = done.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["verify-credentials", "retrieve-accounts", "retrieve-transactions"]);
    assert!(done.steps.iter().all(|s| s.status == tally_api::StepStatus::Success), "{:?}", done.steps);

    let source = done.links.source.clone().expect("the job names its connection");
    let cid = source.rsplit('/').next().unwrap().to_string();
    assert_eq!(source, format!("/users/{user}/connections/{cid}"));
    let conn = c.connection(&user, &cid).await.unwrap();
    assert_eq!((conn.method, conn.institution.id.as_str()), (ConnectMethod::Statement, bank.as_str()));

    let accounts = c.accounts(&user, ()).await.unwrap().data;
    assert_eq!(accounts.len(), 1, "a CSV is one account: {accounts:?}");
    let txs = c.transactions_page(&user, (), Some(100)).await.unwrap().data;
    assert_eq!(txs.len(), 4, "{txs:?}");
    assert!(txs.iter().any(|t| t.description.contains("WOOLWORTHS") && t.amount == "-84.20"), "{txs:?}");

    // The same file again adds nothing.
    let again = c.upload_statement(&user, &bank, "CSVData.csv", COMMBANK_CSV.as_bytes().to_vec()).await.unwrap();
    c.wait_for_step(&again.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap();
    assert_eq!(c.transactions_page(&user, (), Some(100)).await.unwrap().data.len(), 4);
    assert_eq!(c.connections(&user, ()).await.unwrap().data.len(), 1, "the connection is reused");
}

#[tokio::test]
async fn a_broken_file_fails_the_first_step_naming_the_line_and_stores_nothing() {
    let t = common::start().await;
    let c = Client::with_api_key(&t.base, t.api_key().await);
    let user = c.create_user(&NewUser { email: Some("bad@example.com".into()), mobile: None, ..Default::default() }).await.unwrap().id;
    let job = c.upload_statement(&user, "AU19999", "broken.csv", BROKEN_CSV.as_bytes()).await.unwrap();
    let e = c.wait_for_step(&job.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap_err();
    assert_eq!((e.kind, e.code()), (ErrorKind::JobFailed, "statement-not-readable"), "{e:?}");
    assert!(e.detail().contains("line 3"), "the detail says where: {}", e.detail());
    assert!(c.transactions_page(&user, (), Some(10)).await.unwrap().data.is_empty());
}

#[tokio::test]
async fn the_contracts_refusals_arrive_as_errors() {
    let t = common::start().await;
    let server = Client::with_api_key(&t.base, t.api_key().await);
    let ann = server.create_user(&NewUser { email: Some("ann@example.com".into()), mobile: None, ..Default::default() }).await.unwrap().id;
    let bob = server.create_user(&NewUser { email: Some("bob@example.com".into()), mobile: None, ..Default::default() }).await.unwrap().id;
    let csv = COMMBANK_CSV.as_bytes();

    let login_only = server.upload_statement(&ann, "AU00000", "x.csv", csv).await.unwrap_err();
    assert_eq!((login_only.status, login_only.code()), (Some(400), "institution-not-supported"));

    let too_big = vec![b'x'; StatementUpload::MAX_BYTES + 1];
    let e = server.upload_statement(&ann, "AU19999", "huge.csv", too_big).await.unwrap_err();
    assert_eq!(e.status, Some(413), "{e:?}");

    let bobs_token = server.for_user(&bob).unwrap();
    let e = bobs_token.upload_statement(&ann, "AU19999", "x.csv", csv).await.unwrap_err();
    assert_eq!(e.status, Some(403), "another user's CLIENT_ACCESS token: {e:?}");
}
