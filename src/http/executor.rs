//! Runs the SDK's endpoint descriptions ([`tally_api::client::endpoints`]) for
//! [`super::HttpBackend`], over the SDK's [`BrowserTransport`], so the widget
//! and the Rust SDK speak to the server through the same code.
//!
//! The widget keeps one thing of its own: tokens. The SDK's `Client` takes a fixed
//! token, an API key or a token URL; the widget must also take the host page's
//! `getToken()` function, and wait for a token source the host provides late
//! ([`TokenProvider`]). So this runs each request with a token from the provider,
//! renews a stale one and retries once, aborts everything on `destroy()`, and turns
//! the SDK's error into the [`BackendError`] the UI reads.

use std::cell::RefCell;
use std::rc::Rc;

use tally_api::client::transport::browser::BrowserTransport;
use tally_api::client::transport::{HttpRequest, HttpResponse, Transport};
use tally_api::client::{Error, ErrorKind, Request};

use super::token::policy::HeldToken;
use super::token::TokenProvider;
use crate::backend::{BackendError, BoxFuture, UploadProgress};
use crate::options::TokenSource;

/// A request for a token (and its user) on the server at an API base.
pub type Describe = Box<dyn Fn(&HeldToken, &str) -> HttpRequest>;

pub struct Executor {
    api_base: RefCell<String>,
    tokens: TokenProvider,
    abort: Option<web_sys::AbortController>,
    /// Fetches with `abort`'s signal, so `shutdown` cancels them all.
    transport: BrowserTransport,
}

impl Executor {
    pub fn new(api_base: String, source: Option<TokenSource>) -> Self {
        let tokens = TokenProvider::default();
        tokens.set_source(source);
        let abort = web_sys::AbortController::new().ok();
        let transport = abort.as_ref().map(|a| BrowserTransport::with_abort_signal(a.signal())).unwrap_or_default();
        Executor { api_base: RefCell::new(api_base), tokens, abort, transport }
    }

    /// Applies changed options (a token URL that arrived late, another server).
    pub fn configure(&self, api_base: String, source: Option<TokenSource>) {
        *self.api_base.borrow_mut() = api_base;
        self.tokens.set_source(source);
    }

    /// Aborts every request in flight and refuses new ones.
    pub fn shutdown(&self) {
        if let Some(a) = &self.abort {
            a.abort();
        }
    }

    fn signal(&self) -> Result<web_sys::AbortSignal, BackendError> {
        let signal = self.abort.as_ref().map(|a| a.signal()).ok_or_else(BackendError::aborted)?;
        if signal.aborted() {
            return Err(BackendError::aborted());
        }
        Ok(signal)
    }

    /// The server's base URL, as the host gave it.
    pub fn api_base(&self) -> String {
        self.api_base.borrow().clone()
    }

    /// The transport the requests go through (also opens event streams).
    pub fn transport(&self) -> &BrowserTransport {
        &self.transport
    }

    /// The current user id and a valid token (waits for a token source if there is none yet).
    pub async fn session(&self) -> Result<HeldToken, BackendError> {
        self.tokens.token(&self.signal()?).await
    }

    /// Runs a request that needs no token (`GET /public/institutions`).
    pub async fn public<T>(&self, request: Request<T>) -> Result<T, BackendError> {
        self.signal()?;
        let res = self.send(HttpRequest::of(&request, &self.api_base(), None), None).await?;
        request.read(res.status, &res.body).map_err(|e| self.error(e))
    }

    /// The answer to the request `http` describes for the held token (and the API
    /// base), and the user it was for. When the server calls the token stale, it is
    /// renewed and the request sent once more. With `progress`, the request goes through
    /// `XMLHttpRequest` to hear how much of its body has gone up (a statement upload).
    /// Not generic, and boxed: the wasm holds this once, not once per endpoint (callers
    /// decode the answer with [`Request::read`]).
    pub fn answer(self: &Rc<Self>, http: Describe, progress: Option<UploadProgress>) -> BoxFuture<Result<(HttpResponse, String), BackendError>> {
        let this = self.clone();
        Box::pin(async move {
            let token = this.session().await?;
            let res = this.send(http(&token, &this.api_base()), progress.clone()).await?;
            if res.status < 400 || !Error::from_response(res.status, &res.body).is_stale_token() {
                return Ok((res, token.user_id));
            }
            this.tokens.invalidate(&token);
            let fresh = this.session().await?;
            Ok((this.send(http(&fresh, &this.api_base()), progress).await?, fresh.user_id))
        })
    }

    async fn send(&self, http: HttpRequest, progress: Option<UploadProgress>) -> Result<HttpResponse, BackendError> {
        let sent = match progress {
            Some(p) => self.transport.send_with_progress(http, move |sent, total| p(sent, total)).await,
            None => self.transport.send(http).await,
        };
        sent.map_err(|e| self.error(e))
    }

    /// The SDK's error as the widget reports it. Codes the UI branches on: `aborted`
    /// (the widget is gone: say nothing), `network` (offer a retry), `bad-response`;
    /// the server's own codes pass through.
    pub fn error(&self, e: Error) -> BackendError {
        if self.abort.as_ref().is_some_and(|a| a.signal().aborted()) {
            return BackendError::aborted();
        }
        match e.kind {
            ErrorKind::Network => BackendError::new("network", format!("Could not reach the Tally server: {}", e.detail())),
            ErrorKind::UnexpectedResponse => BackendError::new("bad-response", format!("The server's answer could not be read: {}", e.detail())),
            _ => BackendError::new(e.code(), if e.detail().is_empty() { e.title() } else { e.detail() }),
        }
    }
}
