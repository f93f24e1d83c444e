//! The real backend: the SDK's endpoint descriptions ([`tally_api::client::endpoints`])
//! run against the host's server with the host's client token. [`executor`] sends them
//! (tokens, renewal, abort), [`job_events`] follows a job's live stream, [`token`]
//! gets and keeps the client token.

pub mod executor;
pub mod job_events;
pub mod token;

use std::rc::Rc;

use futures_util::FutureExt;
use tally_api::client::transport::HttpRequest;
use tally_api::client::{endpoints, Request, Transport};
use tally_api::{Account, CategoryCorrection, Connection, Filter, Institution, Job, List, MfaResponse, NewConnection, Transaction, UpdateConnection};

use crate::backend::{Backend, BackendError, BoxFuture, JobSink, JobStream, StatementFile, TransactionsPage, UploadProgress};
use crate::options::Options;
use executor::Executor;

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
