//! The widget's view of the server, behind a trait so browser tests can inject a fake
//! and end-to-end tests use the real HTTP client ([`crate::http`]). Every method has a
//! default that answers "unsupported", so a fake implements only what its test needs.
//! The views reach the backend through [`BackendContext`].
//!
//! Methods never take a user id: the real backend knows it from the client token, and
//! a fake doesn't care.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use tally_api::{Account, Connection, Institution, Job, List, NewConnection, Transaction};

use crate::options::Options;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// The backend, provided through context so any view can reach it (and tests can swap it).
/// Stored locally: the widget is single-threaded and its backend holds JS values.
#[derive(Clone, Copy)]
pub struct BackendContext(pub StoredValue<Rc<dyn Backend>, LocalStorage>);

impl BackendContext {
    pub fn get() -> Rc<dyn Backend> {
        expect_context::<BackendContext>().0.get_value()
    }
}

/// A failed call: the contract's error `code` (or one of the widget's own: `network`,
/// `aborted`, `bad-response`, `token`, `unsupported`) and a readable message.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendError {
    pub code: String,
    pub message: String,
}

impl BackendError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        BackendError { code: code.into(), message: message.into() }
    }
    /// The widget was destroyed while the call was in flight; nobody is left to tell.
    pub fn aborted() -> Self {
        BackendError::new("aborted", "The request was cancelled.")
    }
}

/// One message of a job's live stream.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEvent {
    /// The job as it is now.
    Snapshot(Job),
    /// The stream failed; the caller falls back to polling.
    Broken,
}

/// Receives a job's live messages.
pub type JobSink = Rc<dyn Fn(JobEvent)>;

/// An open live stream; dropping it closes the stream.
pub struct JobStream(Option<Box<dyn FnOnce()>>);

impl JobStream {
    pub fn new(close: impl FnOnce() + 'static) -> Self {
        JobStream(Some(Box::new(close)))
    }
}

impl Drop for JobStream {
    fn drop(&mut self) {
        if let Some(close) = self.0.take() {
            close();
        }
    }
}

/// A statement file the user picked or dropped, read into memory.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementFile {
    /// The file's name on the user's machine (sent as the part's filename).
    pub name: String,
    /// Its content, exactly as the bank exported it.
    pub bytes: Vec<u8>,
}

/// Hears `(sent, total)` bytes of an upload as the browser hands them to the network.
pub type UploadProgress = Rc<dyn Fn(f64, f64)>;

fn unsupported<T: 'static>(what: &str) -> BoxFuture<Result<T, BackendError>> {
    let e = BackendError::new("unsupported", format!("This backend cannot {what}."));
    Box::pin(async move { Err(e) })
}

/// Everything the widget asks of the server.
pub trait Backend {
    /// `GET /public/institutions`.
    fn institutions(&self) -> BoxFuture<Result<Vec<Institution>, BackendError>> {
        unsupported("list institutions")
    }
    /// `GET /users/{id}/connections`.
    fn connections(&self) -> BoxFuture<Result<Vec<Connection>, BackendError>> {
        unsupported("list connections")
    }
    /// `POST /users/{id}/connections` → the connect job.
    fn create_connection(&self, _body: NewConnection) -> BoxFuture<Result<Job, BackendError>> {
        unsupported("connect a bank")
    }
    /// `POST /users/{id}/connections/{cid}` with new credentials → a job.
    fn update_connection(&self, _connection_id: &str, _body: NewConnection) -> BoxFuture<Result<Job, BackendError>> {
        unsupported("update credentials")
    }
    /// `DELETE /users/{id}/connections/{cid}`.
    fn delete_connection(&self, _connection_id: &str) -> BoxFuture<Result<(), BackendError>> {
        unsupported("delete a connection")
    }
    /// `POST /users/{id}/connections/{cid}/refresh` → a job (possibly one already running).
    fn refresh_connection(&self, _connection_id: &str) -> BoxFuture<Result<Job, BackendError>> {
        unsupported("refresh a connection")
    }
    /// `POST /users/{id}/connections/refresh` → one job per connection.
    fn refresh_all(&self) -> BoxFuture<Result<Vec<Job>, BackendError>> {
        unsupported("refresh connections")
    }
    /// `POST /users/{id}/statements` (multipart `institutionId` + `statement`) → the
    /// job that reads the file, with a connection's three steps. `progress` hears how
    /// much of the file has gone up.
    fn upload_statement(&self, _institution_id: &str, _file: StatementFile, _progress: UploadProgress) -> BoxFuture<Result<Job, BackendError>> {
        unsupported("upload a statement")
    }
    /// `GET /jobs/{id}`.
    fn job(&self, _job_id: &str) -> BoxFuture<Result<Job, BackendError>> {
        unsupported("read a job")
    }
    /// `POST /jobs/{id}/mfa {"mfa-response":[…]}`.
    fn answer_mfa(&self, _job_id: &str, _answers: Vec<String>) -> BoxFuture<Result<(), BackendError>> {
        unsupported("answer a security challenge")
    }
    /// Opens `/jobs/{id}/events` (server-sent events). `None` when the backend cannot
    /// stream; the caller then polls [`Backend::job`].
    fn job_events(&self, _job_id: &str, _sink: JobSink) -> BoxFuture<Option<JobStream>> {
        Box::pin(async { None })
    }
    /// `GET /users/{id}/accounts`.
    fn accounts(&self) -> BoxFuture<Result<Vec<Account>, BackendError>> {
        unsupported("list accounts")
    }
    /// One page of `GET /users/{id}/transactions`; the Expenses view follows `links.next`.
    fn transactions(&self, _page: TransactionsPage) -> BoxFuture<Result<List<Transaction>, BackendError>> {
        unsupported("list transactions")
    }
    /// `PUT /users/{id}/transactions/{txid}/category {"category":"<slug>"}`: the user's
    /// correction, kept by the server.
    fn set_category(&self, _transaction_id: &str, _slug: &str) -> BoxFuture<Result<(), BackendError>> {
        unsupported("change a category")
    }
    /// The host changed the options (e.g. a token URL arrived late).
    fn configure(&self, _options: &Options) {}
    /// The widget is being destroyed: abort whatever is in flight.
    fn shutdown(&self) {}
}

/// Which page of the user's transactions to read (Expenses view).
#[derive(Debug, Clone, PartialEq)]
pub enum TransactionsPage {
    /// The first page, with an optional contract filter such as
    /// `transaction.postDate.bt('2024-01-01','2024-03-31')` (not yet URL-encoded).
    First { filter: Option<String>, limit: u32 },
    /// A later page: the previous page's `links.next`, exactly as the server sent it.
    Next(String),
}
