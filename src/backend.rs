//! The widget's view of the server, behind a trait so browser tests can inject a fake
//! and end-to-end tests use the real HTTP client. Every method has a default that
//! answers "unsupported", so a fake implements only what its test needs.
//!
//! Methods never take a user id: the real backend knows it from the client token, and
//! a fake doesn't care.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde_json::json;
use tally_api::{Account, Connection, Institution, Job, List, MfaResponse, NewConnection, Transaction, UpdateConnection};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::api_client::{encode, ApiClient, Method};
use crate::options::Options;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// A failed call: the contract's error `code` (or one of the widget's own: `network`,
/// `aborted`, `bad-response`, `http`, `token`, `unsupported`) and a readable message.
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

/// The real backend: HTTP with gloo-net against `api_base`, authenticated with the
/// host's client token (see [`ApiClient`]).
pub struct HttpBackend {
    client: Rc<ApiClient>,
}

impl HttpBackend {
    pub fn new(options: &Options) -> Self {
        HttpBackend { client: Rc::new(ApiClient::new(options.api_base.clone(), options.token.clone())) }
    }

    /// A `links.next` as a path under the API base (it may be absolute or a path).
    fn path_of(&self, link: &str) -> String {
        let base = self.client.url("");
        if let Some(rest) = link.strip_prefix(&base) {
            return rest.to_string();
        }
        match link.split_once("://") {
            // Another origin's spelling of the same server: keep the path.
            Some((_, after)) => after.find('/').map(|i| after[i..].to_string()).unwrap_or_else(|| "/".into()),
            None => link.to_string(),
        }
    }

    fn call<T: serde::de::DeserializeOwned + 'static>(&self, method: Method, path: String, body: Option<serde_json::Value>) -> BoxFuture<Result<T, BackendError>> {
        let client = self.client.clone();
        Box::pin(async move { client.call(method, &path, body).await })
    }
}

impl Backend for HttpBackend {
    fn institutions(&self) -> BoxFuture<Result<Vec<Institution>, BackendError>> {
        let client = self.client.clone();
        Box::pin(async move { client.public_get::<List<Institution>>("/public/institutions").await.map(|l| l.data) })
    }
    fn connections(&self) -> BoxFuture<Result<Vec<Connection>, BackendError>> {
        let list = self.call::<List<Connection>>(Method::Get, "/users/{user}/connections".into(), None);
        Box::pin(async move { list.await.map(|l| l.data) })
    }
    fn create_connection(&self, body: NewConnection) -> BoxFuture<Result<Job, BackendError>> {
        self.call(Method::Post, "/users/{user}/connections".into(), serde_json::to_value(body).ok())
    }
    fn update_connection(&self, connection_id: &str, body: NewConnection) -> BoxFuture<Result<Job, BackendError>> {
        // The contract's update body is the credentials alone (no institution).
        let update = UpdateConnection { login_id: Some(body.login_id), password: Some(body.password), security_code: body.security_code, secondary_login_id: body.secondary_login_id };
        self.call(Method::Post, format!("/users/{{user}}/connections/{}", encode(connection_id)), serde_json::to_value(update).ok())
    }
    fn delete_connection(&self, connection_id: &str) -> BoxFuture<Result<(), BackendError>> {
        let done = self.call::<serde_json::Value>(Method::Delete, format!("/users/{{user}}/connections/{}", encode(connection_id)), None);
        Box::pin(async move { done.await.map(|_| ()) })
    }
    fn refresh_connection(&self, connection_id: &str) -> BoxFuture<Result<Job, BackendError>> {
        self.call(Method::Post, format!("/users/{{user}}/connections/{}/refresh", encode(connection_id)), None)
    }
    fn refresh_all(&self) -> BoxFuture<Result<Vec<Job>, BackendError>> {
        let list = self.call::<List<Job>>(Method::Post, "/users/{user}/connections/refresh".into(), None);
        Box::pin(async move { list.await.map(|l| l.data) })
    }
    fn job(&self, job_id: &str) -> BoxFuture<Result<Job, BackendError>> {
        self.call(Method::Get, format!("/jobs/{}", encode(job_id)), None)
    }
    fn answer_mfa(&self, job_id: &str, answers: Vec<String>) -> BoxFuture<Result<(), BackendError>> {
        let done = self.call::<serde_json::Value>(Method::Post, format!("/jobs/{}/mfa", encode(job_id)), serde_json::to_value(MfaResponse { mfa_response: answers }).ok());
        Box::pin(async move { done.await.map(|_| ()) })
    }
    fn job_events(&self, job_id: &str, sink: JobSink) -> BoxFuture<Option<JobStream>> {
        let client = self.client.clone();
        let job_id = job_id.to_string();
        Box::pin(async move {
            let token = client.session().await.ok()?;
            // EventSource cannot send headers: the contract takes the token in the query.
            let url = client.url(&format!("/jobs/{}/events?access_token={}", encode(&job_id), encode(&token.access_token)));
            open_event_source(&url, sink)
        })
    }
    fn accounts(&self) -> BoxFuture<Result<Vec<Account>, BackendError>> {
        let list = self.call::<List<Account>>(Method::Get, "/users/{user}/accounts".into(), None);
        Box::pin(async move { list.await.map(|l| l.data) })
    }
    fn transactions(&self, page: TransactionsPage) -> BoxFuture<Result<List<Transaction>, BackendError>> {
        let path = match page {
            TransactionsPage::First { filter, limit } => {
                let mut path = format!("/users/{{user}}/transactions?limit={limit}");
                if let Some(f) = filter.filter(|f| !f.is_empty()) {
                    path.push_str("&filter=");
                    path.push_str(&encode(&f));
                }
                path
            }
            TransactionsPage::Next(link) => self.path_of(&link),
        };
        self.call(Method::Get, path, None)
    }
    fn set_category(&self, transaction_id: &str, slug: &str) -> BoxFuture<Result<(), BackendError>> {
        let path = format!("/users/{{user}}/transactions/{}/category", encode(transaction_id));
        let done = self.call::<serde_json::Value>(Method::Put, path, Some(json!({ "category": slug })));
        Box::pin(async move { done.await.map(|_| ()) })
    }
    fn configure(&self, options: &Options) {
        self.client.configure(options.api_base.clone(), options.token.clone());
    }
    fn shutdown(&self) {
        self.client.shutdown();
    }
}

/// Listens to a job's server-sent events. Each event's data is the job JSON; events
/// that don't parse are skipped. On error the stream is closed (rather than letting the
/// browser reconnect forever with a token that may have expired) and `Broken` is sent.
fn open_event_source(url: &str, sink: JobSink) -> Option<JobStream> {
    let source = web_sys::EventSource::new(url).ok()?;
    let on_message = {
        let sink = sink.clone();
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(job) = e.data().as_string().and_then(|d| serde_json::from_str(&d).ok()) {
                sink(JobEvent::Snapshot(job));
            }
        })
    };
    let on_error = {
        let source = source.clone();
        Closure::<dyn Fn()>::new(move || {
            source.close();
            sink(JobEvent::Broken);
        })
    };
    // The server names its events `job` (and `deleted` when the job disappears, which
    // ends the stream like an error); unnamed "message" events are accepted too.
    let _ = source.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("job", on_message.as_ref().unchecked_ref());
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let _ = source.add_event_listener_with_callback("deleted", on_error.as_ref().unchecked_ref());
    Some(JobStream::new(move || {
        source.close();
        source.set_onerror(None);
        let _ = source.remove_event_listener_with_callback("deleted", on_error.as_ref().unchecked_ref());
        let _ = source.remove_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        let _ = source.remove_event_listener_with_callback("job", on_message.as_ref().unchecked_ref());
        drop(on_message);
        drop(on_error);
    }))
}
