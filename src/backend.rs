//! The widget's view of the server, behind a trait so browser tests can inject a fake
//! and end-to-end tests use the real HTTP client. Every method has a default that
//! answers "unsupported", so a fake implements only what its test needs.
//!
//! Methods never take a user id: the real backend knows it from the client token, and
//! a fake doesn't care.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures_util::FutureExt;
use tally_api::client::transport::HttpRequest;
use tally_api::client::{endpoints, Request, Transport};
use tally_api::{Account, CategoryCorrection, Connection, Filter, Institution, Job, List, MfaResponse, NewConnection, Transaction, UpdateConnection};

use crate::executor::Executor;
use crate::job_events;
use crate::options::Options;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

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

/// The real backend: the SDK's endpoint descriptions run against `api_base` with the
/// host's client token (see [`Executor`]). The user id in the paths is the token's.
pub struct HttpBackend {
    executor: Rc<Executor>,
}

impl HttpBackend {
    pub fn new(options: &Options) -> Self {
        HttpBackend { executor: Rc::new(Executor::new(options.api_base.clone(), options.token.clone())) }
    }

    /// Runs `build`'s request for the token's user and hands its answer to `then`.
    /// Only the decoding is generic: the sending, shared by every endpoint, is one
    /// boxed future ([`Executor::answer`]).
    fn run<T: 'static, R: 'static>(&self, build: impl Fn(&str) -> Request<T> + 'static, then: fn(T) -> R) -> BoxFuture<Result<R, BackendError>> {
        self.run_with(build, then, None)
    }

    /// [`HttpBackend::run`], telling `progress` how much of the body has gone up.
    fn run_with<T: 'static, R: 'static>(&self, build: impl Fn(&str) -> Request<T> + 'static, then: fn(T) -> R, progress: Option<UploadProgress>) -> BoxFuture<Result<R, BackendError>> {
        let executor = self.executor.clone();
        let build = Rc::new(build);
        let describe = build.clone();
        let answer = executor.answer(Box::new(move |t, base| HttpRequest::of(&describe(&t.user_id), base, Some(&t.access_token))), progress);
        Box::pin(answer.map(move |answer| {
            let (res, user) = answer?;
            // The description of the request that got this answer knows how to read it.
            build(&user).read(res.status, &res.body).map(then).map_err(|e| executor.error(e))
        }))
    }
}

// What `run` hands on: the answer itself, a list's items, or nothing.

fn same<T>(t: T) -> T {
    t
}

fn data<T>(list: List<T>) -> Vec<T> {
    list.data
}

fn nothing<T>(_: T) {}

impl Backend for HttpBackend {
    fn institutions(&self) -> BoxFuture<Result<Vec<Institution>, BackendError>> {
        let executor = self.executor.clone();
        Box::pin(async move { executor.public(endpoints::public_institutions()).await.map(data) })
    }
    fn connections(&self) -> BoxFuture<Result<Vec<Connection>, BackendError>> {
        self.run(|user| endpoints::connections(user, &Filter::default()), data)
    }
    fn create_connection(&self, body: NewConnection) -> BoxFuture<Result<Job, BackendError>> {
        self.run(move |user| endpoints::create_connection(user, &body), same)
    }
    fn update_connection(&self, connection_id: &str, body: NewConnection) -> BoxFuture<Result<Job, BackendError>> {
        // The contract's update body is the credentials alone (no institution).
        let update = UpdateConnection { login_id: Some(body.login_id), password: Some(body.password), security_code: body.security_code, secondary_login_id: body.secondary_login_id };
        let id = connection_id.to_string();
        self.run(move |user| endpoints::update_connection(user, &id, &update), same)
    }
    fn delete_connection(&self, connection_id: &str) -> BoxFuture<Result<(), BackendError>> {
        let id = connection_id.to_string();
        self.run(move |user| endpoints::delete_connection(user, &id), same)
    }
    fn refresh_connection(&self, connection_id: &str) -> BoxFuture<Result<Job, BackendError>> {
        let id = connection_id.to_string();
        self.run(move |user| endpoints::refresh_connection(user, &id), same)
    }
    fn refresh_all(&self) -> BoxFuture<Result<Vec<Job>, BackendError>> {
        self.run(endpoints::refresh_all, data)
    }
    fn upload_statement(&self, institution_id: &str, file: StatementFile, progress: UploadProgress) -> BoxFuture<Result<Job, BackendError>> {
        let institution = institution_id.to_string();
        // Shared, so a retry with a renewed token sends the same bytes without a copy.
        let bytes: std::sync::Arc<[u8]> = file.bytes.into();
        let name = file.name;
        self.run_with(move |user| endpoints::upload_statement(user, &institution, &name, bytes.clone()), same, Some(progress))
    }
    fn job(&self, job_id: &str) -> BoxFuture<Result<Job, BackendError>> {
        let id = job_id.to_string();
        self.run(move |_| endpoints::job(&id), same)
    }
    fn answer_mfa(&self, job_id: &str, answers: Vec<String>) -> BoxFuture<Result<(), BackendError>> {
        let id = job_id.to_string();
        let answers = MfaResponse { mfa_response: answers };
        self.run(move |_| endpoints::answer_mfa(&id, &answers), nothing)
    }
    fn job_events(&self, job_id: &str, sink: JobSink) -> BoxFuture<Option<JobStream>> {
        let executor = self.executor.clone();
        let path = endpoints::job_events_path(job_id);
        Box::pin(async move {
            let token = executor.session().await.ok()?;
            let url = format!("{}{path}", executor.api_base().trim_end_matches('/'));
            let events = executor.transport().events(url, token.access_token).await.ok()?;
            Some(job_events::follow(events, sink))
        })
    }
    fn accounts(&self) -> BoxFuture<Result<Vec<Account>, BackendError>> {
        self.run(|user| endpoints::accounts(user, &Filter::default()), data)
    }
    fn transactions(&self, page: TransactionsPage) -> BoxFuture<Result<List<Transaction>, BackendError>> {
        match page {
            TransactionsPage::First { filter, limit } => {
                let filter = filter.unwrap_or_default();
                self.run(move |user| endpoints::transactions_matching(user, &filter, Some(limit)), same)
            }
            TransactionsPage::Next(link) => match endpoints::transactions_next(&self.executor.api_base(), &link) {
                Ok(request) => self.run(move |_| request.clone(), same),
                Err(e) => {
                    let e = self.executor.error(e);
                    Box::pin(async move { Err(e) })
                }
            },
        }
    }
    fn set_category(&self, transaction_id: &str, slug: &str) -> BoxFuture<Result<(), BackendError>> {
        let id = transaction_id.to_string();
        let correction = CategoryCorrection { category: slug.to_string() };
        self.run(move |user| endpoints::correct_category(user, &id, &correction), nothing)
    }
    fn configure(&self, options: &Options) {
        self.executor.configure(options.api_base.clone(), options.token.clone());
    }
    fn shutdown(&self) {
        self.executor.shutdown();
    }
}
