//! The widget's view of the server, behind a trait so browser tests can inject a fake
//! and end-to-end tests use the real HTTP client.

use std::future::Future;
use std::pin::Pin;

use tally_api::{Account, ErrorBody, Institution, List, Transaction};

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// A failed call, already phrased for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendError {
    pub code: String,
    pub message: String,
}

/// Which page of a user's transactions to read.
#[derive(Debug, Clone, PartialEq)]
pub enum TransactionsPage {
    /// The first page, with an optional contract filter such as
    /// `transaction.postDate.bt('2024-01-01','2024-03-31')` (not yet URL-encoded).
    First { filter: Option<String>, limit: u32 },
    /// A later page: the previous page's `links.next`, exactly as the server sent it.
    Next(String),
}

/// Everything the widget asks of the server. Methods added after the first have
/// defaults that fail with `not-supported`, so test fakes implement only what they use.
pub trait Backend {
    fn institutions(&self) -> BoxFuture<Result<Vec<Institution>, BackendError>>;

    /// `GET /users/{id}/accounts`.
    fn accounts(&self) -> BoxFuture<Result<Vec<Account>, BackendError>> {
        not_supported("reading accounts")
    }

    /// One page of `GET /users/{id}/transactions`; follow `links.next` for the rest.
    fn transactions(&self, _page: TransactionsPage) -> BoxFuture<Result<List<Transaction>, BackendError>> {
        not_supported("reading transactions")
    }

    /// `PUT /users/{id}/transactions/{txid}/category {"category":"<slug>"}`: the user's
    /// correction, kept by the server.
    fn set_category(&self, _transaction_id: &str, _slug: &str) -> BoxFuture<Result<(), BackendError>> {
        not_supported("changing a category")
    }
}

fn not_supported<T: 'static>(what: &str) -> BoxFuture<Result<T, BackendError>> {
    let e = BackendError { code: "not-supported".into(), message: format!("This widget's backend does not support {what}.") };
    Box::pin(async move { Err(e) })
}

/// The real backend: HTTP with gloo-net against `api_base`.
pub struct HttpBackend {
    api_base: String,
}

impl HttpBackend {
    pub fn new(api_base: String) -> Self {
        HttpBackend { api_base }
    }
}

impl Backend for HttpBackend {
    fn institutions(&self) -> BoxFuture<Result<Vec<Institution>, BackendError>> {
        let url = format!("{}/public/institutions", self.api_base);
        Box::pin(async move {
            let res = gloo_net::http::Request::get(&url).send().await.map_err(network_error)?;
            if !res.ok() {
                return Err(error_from_body(res.status(), res.json::<ErrorBody>().await.ok()));
            }
            let list: List<Institution> = res.json().await.map_err(|e| BackendError {
                code: "bad-response".into(),
                message: format!("The server's answer could not be read: {e}"),
            })?;
            Ok(list.data)
        })
    }
}

fn network_error(e: gloo_net::Error) -> BackendError {
    BackendError { code: "network".into(), message: format!("Could not reach the Tally server: {e}") }
}

fn error_from_body(status: u16, body: Option<ErrorBody>) -> BackendError {
    match body.and_then(|b| b.data.into_iter().next()) {
        Some(e) => BackendError { code: e.code, message: e.detail },
        None => BackendError { code: "http".into(), message: format!("The server answered with status {status}.") },
    }
}
