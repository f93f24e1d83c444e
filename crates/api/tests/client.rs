//! The typed client end to end against the real server, in-process.

mod common;

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use tally_api::client::{
    AccountFilter, Client, Cmp, ConnectionFilter, ConnectionStatus, ErrorKind, JobFilter, StepTitle, TokenSource, TransactionFilter,
    TransactionStatus,
};
use tally_api::{Filter, InstitutionId, NewConnection, NewUser, UpdateConnection};

const WAIT: Duration = Duration::from_secs(30);

fn login(institution: &str, login: &str, password: &str) -> NewConnection {
    NewConnection {
        login_id: login.into(),
        password: password.into(),
        security_code: None,
        secondary_login_id: None,
        institution: InstitutionId { id: institution.into() },
    }
}

fn someone() -> NewUser {
    NewUser { email: Some("ann@example.com".into()), mobile: None, ..Default::default() }
}

async fn backend(t: &common::TestServer) -> Client {
    Client::with_api_key(&t.base, t.api_key().await)
}

#[tokio::test]
async fn institutions_public_and_authenticated() {
    let t = common::start().await;
    let public = Client::public(&t.base).public_institutions().await.unwrap();
    assert!(public.data.iter().any(|i| i.id == "AU00000"));
    let c = backend(&t).await;
    assert_eq!(c.institutions().await.unwrap().data.len(), public.data.len());
    assert_eq!(c.institution("AU00000").await.unwrap().name, "Hooli");
    let e = c.institution("XX99999").await.unwrap_err();
    assert_eq!((e.kind, e.status, e.code()), (ErrorKind::Api, Some(404), "resource-not-found"));
    assert!(e.correlation_id.is_some() && !e.detail().is_empty(), "{e:?}");
    let no_token = Client::public(&t.base).institutions().await.unwrap_err();
    assert_eq!(no_token.kind, ErrorKind::Usage, "no request goes out without a token source");
}

#[tokio::test]
async fn users_create_read_update_delete() {
    let t = common::start().await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    assert_eq!(u.email.as_deref(), Some("ann@example.com"));
    assert_eq!(c.user(&u.id).await.unwrap().id, u.id);
    let changed = c.update_user(&u.id, &NewUser { email: None, mobile: Some("+61410000000".into()), ..Default::default() }).await.unwrap();
    assert_eq!(changed.mobile.as_deref(), Some("+61410000000"));
    c.delete_user(&u.id).await.unwrap();
    assert_eq!(c.user(&u.id).await.unwrap_err().code(), "resource-not-found");
    let bad = c.create_user(&NewUser::default()).await.unwrap_err();
    assert_eq!(bad.status, Some(400), "{bad}");
}

#[tokio::test]
async fn connect_wait_and_read_everything() {
    let t = common::start().await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    let job = c.create_connection(&u.id, &login("AU00000", "gavinBelson", "hooli2016")).await.unwrap();
    let verified = c.wait_for_step(&job.id, StepTitle::VerifyCredentials, WAIT).await.unwrap();
    assert!(verified.steps.iter().any(|s| s.title == tally_api::StepTitle::VerifyCredentials && s.status == tally_api::StepStatus::Success));
    let done = c.wait_for_step(&job.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap();
    assert!(done.is_finished());
    let cid = done.links.source.as_deref().and_then(|s| s.rsplit('/').next()).expect("job links its connection").to_string();

    let conns = c.connections(&u.id, ()).await.unwrap();
    assert_eq!(conns.data.len(), 1);
    let active = c.connections(&u.id, ConnectionFilter::new().status(Cmp::eq(ConnectionStatus::Active))).await.unwrap();
    assert_eq!(active.data.len(), 1);
    let invalid = c.connections(&u.id, ConnectionFilter::new().status(Cmp::eq(ConnectionStatus::Invalid))).await.unwrap();
    assert!(invalid.data.is_empty());
    assert_eq!(c.connection(&u.id, &cid).await.unwrap().status, tally_api::ConnectionStatus::Active);

    let accounts = c.accounts(&u.id, ()).await.unwrap();
    assert!(!accounts.data.is_empty());
    let first = &accounts.data[0];
    assert_eq!(c.account(&u.id, &first.id).await.unwrap().id, first.id);
    let only = c.accounts(&u.id, AccountFilter::new().account_id(Cmp::eq(first.id.as_str()))).await.unwrap();
    assert_eq!(only.data.len(), 1);

    let jobs = c.user_jobs(&u.id, JobFilter::new().connection_id(Cmp::eq(cid.as_str()))).await.unwrap();
    assert!(jobs.data.iter().any(|j| j.id == job.id));

    let page = c.transactions_page(&u.id, TransactionFilter::new().account_id(Cmp::eq(first.id.as_str())), Some(5)).await.unwrap();
    assert!(page.data.iter().all(|x| x.account == first.id));
    let tx = &page.data[0];
    assert_eq!(c.transaction(&u.id, &tx.id).await.unwrap().id, tx.id);

    let refresh = c.refresh_connection(&u.id, &cid).await.unwrap();
    c.wait_for_step(&refresh.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap();
    let all = c.refresh_all(&u.id).await.unwrap();
    assert_eq!(all.data.len(), 1);
    c.wait_for_step(&all.data[0].id, StepTitle::RetrieveTransactions, WAIT).await.unwrap();

    let update = c.update_connection(&u.id, &cid, &UpdateConnection { password: Some("hooli2016".into()), ..Default::default() }).await.unwrap();
    c.wait_for_step(&update.id, StepTitle::VerifyCredentials, WAIT).await.unwrap();
    c.delete_connection(&u.id, &cid).await.unwrap();
    assert_eq!(c.connection(&u.id, &cid).await.unwrap_err().status, Some(404));
}

#[tokio::test]
async fn paging_streams_every_transaction_in_order() {
    let t = common::start().await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    let job = c.create_connection(&u.id, &login("AU00000", "richard", "tabsnotspaces")).await.unwrap();
    c.wait_for_step(&job.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap();

    let one_page = c.transactions_page(&u.id, (), Some(500)).await.unwrap();
    let total = one_page.size.expect("lists say their size") as usize;
    assert!(total > 20, "the sandbox has history: {total}");
    let streamed: Vec<_> = c.all_transactions_by(&u.id, &(), Some(7)).try_collect().await.unwrap();
    assert_eq!(streamed.len(), total);
    if total <= 500 {
        let ids: Vec<_> = streamed.iter().map(|t| &t.id).collect();
        let want: Vec<_> = one_page.data.iter().map(|t| &t.id).collect();
        assert_eq!(ids, want, "small pages give the same order as one big page");
    }
    // next_page walks the same links.
    let mut page = c.transactions_page(&u.id, (), Some(50)).await.unwrap();
    let mut seen = page.data.len();
    while let Some(p) = c.next_page(&page).await.unwrap() {
        seen += p.data.len();
        page = p;
    }
    assert_eq!(seen, total);
    let posted: Vec<_> = c.all_transactions(&u.id, &TransactionFilter::new().status(Cmp::eq(TransactionStatus::Posted))).try_collect().await.unwrap();
    assert!(posted.iter().all(|t| t.status == tally_api::TransactionStatus::Posted) && posted.len() <= total);
}

#[tokio::test]
async fn a_bad_filter_is_the_contract_error() {
    let t = common::start().await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    let bad = Filter::parse("transaction.colour.eq('red')").unwrap();
    let e = c.transactions_page(&u.id, bad, None).await.unwrap_err();
    assert_eq!((e.status, e.code()), (Some(400), "parameter-not-valid"));
    assert_eq!(e.source().and_then(|s| s.parameter.as_deref()), Some("filter"));
}

#[tokio::test]
async fn failed_logins_fail_the_wait_with_the_step_error() {
    let t = common::start().await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    for (who, pw, code) in [
        ("bighead", "password", "invalid-credentials"),
        ("erlich", "aviato", "account-not-accessible-requires-user-action"),
        ("jianYang", "nothotdog", "service-unavailable"),
    ] {
        let job = c.create_connection(&u.id, &login("AU00000", who, pw)).await.unwrap();
        let e = c.wait_for_step(&job.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap_err();
        assert_eq!((e.kind, e.code()), (ErrorKind::JobFailed, code), "{who}: {e}");
        assert!(e.job.is_some());
    }
}

#[tokio::test]
async fn mfa_pauses_the_wait_until_answered() {
    let t = common::start().await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    let job = c.create_connection(&u.id, &login("AU00001", "gavinBelson", "hooli2016")).await.unwrap();
    let e = c.wait_for_step(&job.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::MfaRequired, "{e}");
    let waiting = e.job.expect("the job comes with the error");
    let challenge = tally_api::client::jobs::mfa_challenge(&waiting).expect("an open challenge");
    assert_eq!(challenge.response.as_deref(), Some(format!("/jobs/{}/mfa", job.id).as_str()));
    let answer = if challenge.method == "token" { "1234" } else { "Hooli" };
    c.answer_mfa(&job.id, &[answer]).await.unwrap();
    let done = c.wait_for_step(&job.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap();
    assert!(done.is_finished());
}

#[tokio::test]
async fn job_updates_stream_each_change_until_finished() {
    let t = common::start().await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    let job = c.create_connection(&u.id, &login("AU00000", "jared", "django")).await.unwrap();
    let states: Vec<_> = tokio::time::timeout(WAIT, c.job_updates(&job.id).collect::<Vec<_>>()).await.expect("the stream ends");
    let states: Vec<_> = states.into_iter().collect::<Result<_, _>>().unwrap();
    assert!(!states.is_empty());
    assert!(states.last().unwrap().is_finished(), "ends with the finished job");
    let done = |j: &tally_api::Job| j.steps.iter().filter(|s| s.status == tally_api::StepStatus::Success).count();
    assert!(states.windows(2).all(|w| done(&w[0]) <= done(&w[1])), "steps only move forward");
    let unknown = std::pin::pin!(c.job_updates("no-such-job")).next().await.expect("one item");
    assert_eq!(unknown.unwrap_err().status, Some(404));
}

#[tokio::test]
async fn waits_run_on_any_task_and_stop_at_an_unanswered_challenge() {
    let t = common::start().await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    let job = c.create_connection(&u.id, &login("AU00001", "gavinBelson", "hooli2016")).await.unwrap();
    // Waiting for the challenge itself succeeds, from a spawned task: that proves the
    // native futures are Send.
    let (c2, id) = (c.clone(), job.id.clone());
    let waited = tokio::spawn(async move { c2.wait_for_step(&id, StepTitle::MfaChallenge, WAIT).await });
    assert!(waited.await.unwrap().is_ok());
    // Past it nothing moves until the challenge is answered: a wait says so at once
    // instead of running out its time.
    let e = c.wait_for_step(&job.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::MfaRequired, "{e}");
    let e = c.job("nope").await.unwrap_err();
    assert_eq!(e.status, Some(404));
}

#[tokio::test]
async fn a_wait_runs_out_on_a_job_that_does_not_move() {
    // Every sandbox step takes an hour, so the first cannot end while the test waits.
    let t = common::start_slow(Duration::from_secs(3600)).await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    let job = c.create_connection(&u.id, &login("AU00000", "jared", "django")).await.unwrap();
    let e = c.wait_for_step(&job.id, StepTitle::VerifyCredentials, Duration::from_millis(800)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout, "{e}");
    assert!(e.to_string().contains("did not reach 'verify-credentials'"), "{e}");
}

#[tokio::test]
async fn client_tokens_see_only_their_user() {
    let t = common::start().await;
    let c = backend(&t).await;
    let ann = c.create_user(&someone()).await.unwrap();
    let bob = c.create_user(&someone()).await.unwrap();
    let minted = c.mint_client_token(&ann.id).await.unwrap();
    assert_eq!(minted.user_id, ann.id);
    assert!(minted.expires_in > 0);
    // A page reloaded again and again gets the same token while it is fresh, so the
    // host never runs into the server's per-key limit on POST /token.
    for _ in 0..50 {
        let again = c.mint_client_token(&ann.id).await.unwrap();
        assert_eq!(again.access_token, minted.access_token);
        assert!(again.expires_in <= minted.expires_in && again.expires_in > 0);
    }
    assert_ne!(c.mint_client_token(&bob.id).await.unwrap().access_token, minted.access_token, "one token per user");
    let browser = Client::new(&t.base, TokenSource::Fixed { access_token: minted.access_token });
    assert_eq!(browser.user(&ann.id).await.unwrap().id, ann.id);
    let e = browser.connections(&bob.id, ()).await.unwrap_err();
    assert_eq!((e.status, e.code()), (Some(403), "access-denied"));
    let for_ann = c.for_user(&ann.id).unwrap();
    assert_eq!(for_ann.user_id().as_deref(), Some(ann.id.as_str()));
    assert!(for_ann.accounts(&ann.id, ()).await.unwrap().data.is_empty());
    assert_eq!(for_ann.create_user(&someone()).await.unwrap_err().status, Some(403), "client tokens can't make users");
    assert_eq!(browser.mint_client_token(&ann.id).await.unwrap_err().kind, ErrorKind::Usage);
    let wrong_key = Client::with_api_key(&t.base, "bm90OmEta2V5");
    assert_eq!(wrong_key.institutions().await.unwrap_err().status, Some(401));
}

#[tokio::test]
async fn an_expired_token_is_renewed_and_the_call_retried() {
    let t = common::start_manual().await;
    let c = backend(&t).await;
    let u = c.create_user(&someone()).await.unwrap();
    let first = c.access_token().await.unwrap();
    // Two hours later on the server's clock the cached token has expired there.
    let clock = t.clock.as_ref().unwrap();
    clock.advance(chrono::Duration::hours(2));
    assert_eq!(c.user(&u.id).await.unwrap().id, u.id, "renewed transparently");
    assert_ne!(c.access_token().await.unwrap(), first, "a new token is cached");
    // A fixed token can't be renewed: the expiry comes back as the contract's error.
    let fixed = Client::new(&t.base, TokenSource::Fixed { access_token: first });
    let e = fixed.user(&u.id).await.unwrap_err();
    assert_eq!((e.status, e.code()), (Some(403), "access-denied"));
    assert!(e.is_stale_token(), "{e}");
}

#[tokio::test]
async fn a_wait_is_bounded_even_when_the_server_never_answers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // A server without an event stream (404), whose job reads never answer: the wait
    // falls back to polling, and the poll hangs.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut head = [0u8; 1024];
            let n = socket.read(&mut head).await.unwrap_or(0);
            if String::from_utf8_lossy(&head[..n]).lines().next().unwrap_or("").contains("/events") {
                let _ = socket.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n").await;
            }
            open.push(socket);
        }
    });
    let c = Client::new(&base, TokenSource::Fixed { access_token: "t".into() });
    let waited = tokio::time::timeout(Duration::from_secs(20), c.wait_for_step("j1", StepTitle::RetrieveAccounts, Duration::from_millis(500))).await;
    let e = waited.expect("the wait ends by its own deadline").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout, "{e}");
    held.abort();
}

#[tokio::test]
async fn new_clients_speak_3_0_and_a_2_0_client_reads_the_same_data_in_2_0_shapes() {
    let t = common::start().await;
    let key = t.api_key().await;
    let v3 = Client::with_api_key(&t.base, key.clone());
    assert_eq!(v3.version(), tally_api::client::ApiVersion::V3);
    let u = v3.create_user(&someone()).await.unwrap();
    let job = v3.create_connection(&u.id, &login("AU00000", "gavinBelson", "hooli2016")).await.unwrap();
    let done = v3.wait_for_step(&job.id, StepTitle::RetrieveTransactions, WAIT).await.unwrap();
    assert!(done.is_finished());
    let v2 = Client::with_api_key(&t.base, key).with_version(tally_api::client::ApiVersion::V2);
    // 3.0 writes an account's class as a word, 2.0 as {type, product}: the one type reads both.
    let (a3, a2) = (v3.accounts(&u.id, ()).await.unwrap(), v2.accounts(&u.id, ()).await.unwrap());
    assert_eq!(a3.data.len(), a2.data.len());
    assert_eq!(a3.data[0].class.kind, a2.data[0].class.kind);
    assert!(a3.data[0].class.product.is_empty() && !a2.data[0].class.product.is_empty(), "only 2.0 names the product");
    let (c3, c2) = (v3.connections(&u.id, ()).await.unwrap(), v2.connections(&u.id, ()).await.unwrap());
    assert_eq!(c3.data[0].method, c2.data[0].method, "3.0's 'web' is 2.0's 'login'");
    let (t3, t2) = (v3.transactions_page(&u.id, (), Some(50)).await.unwrap(), v2.transactions_page(&u.id, (), Some(50)).await.unwrap());
    assert_eq!(t3.data.iter().map(|t| &t.id).collect::<Vec<_>>(), t2.data.iter().map(|t| &t.id).collect::<Vec<_>>());
}
