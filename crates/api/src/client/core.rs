//! [`Client`]: base URL, transport, token cache. Every endpoint call goes through
//! [`Client::execute`], which adds the token (fetching or renewing it first when
//! needed) and retries once with a fresh token when the server says the old one is
//! stale.

use std::sync::{Arc, Mutex, MutexGuard};

use super::endpoints::{self, ApiVersion};
use super::error::Error;
use super::request::{AuthMode, Request};
use super::token::{Scope, TokenCache, TokenSource};
use super::transport::{DefaultTransport, Transport};
use crate::ClientToken;

/// A client of one Tally (or Connect API v2) server. Cheap to clone: clones share the
/// transport and the token.
pub struct Client<T: Transport = DefaultTransport> {
    inner: Arc<Inner<T>>,
}

impl<T: Transport> Clone for Client<T> {
    fn clone(&self) -> Self {
        Client { inner: self.inner.clone() }
    }
}

impl<T: Transport> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base_url", &self.inner.base).field("source", &self.inner.source).finish()
    }
}

struct Inner<T> {
    base: String,
    transport: T,
    source: Option<TokenSource>,
    cache: Mutex<TokenCache>,
    /// The user a host's token URL said the token is for.
    user_id: Mutex<Option<String>>,
    /// MFA challenges this client answered, by job id: the server shows an answered
    /// challenge as still open until its worker checks the answer, so a wait must not
    /// report it as needing an answer again.
    answered: Mutex<Vec<(String, serde_json::Value)>>,
    /// CLIENT_ACCESS tokens minted for users, reused until due for renewal: a host
    /// backend's `token-url` is called on every widget load, and the server limits
    /// `POST /token` per API key.
    minted: Mutex<std::collections::HashMap<String, TokenCache>>,
    /// The version asked for at `POST /token`: 3.0 unless [`Client::with_version`]
    /// says otherwise.
    version: Mutex<ApiVersion>,
}

/// At most this many users' minted tokens are kept; past it, expired ones are dropped
/// (and if that is not enough, all of them: they are only a saving).
const MINTED_MAX: usize = 10_000;

fn lock<X>(m: &Mutex<X>) -> MutexGuard<'_, X> {
    // A panic elsewhere while holding the lock leaves plain data behind; keep going.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Client<DefaultTransport> {
    /// A client of `base_url` (e.g. `http://127.0.0.1:8080`) getting tokens from `source`.
    pub fn new(base_url: impl Into<String>, source: TokenSource) -> Self {
        Client::with_transport(base_url, Some(source), DefaultTransport::default())
    }

    /// A backend's client: SERVER_ACCESS tokens from the API key, renewed as needed.
    pub fn with_api_key(base_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        Client::new(base_url, TokenSource::ApiKey { api_key: api_key.into(), scope: Scope::Server })
    }

    /// A client without credentials: only public endpoints (`public_institutions`).
    pub fn public(base_url: impl Into<String>) -> Self {
        Client::with_transport(base_url, None, DefaultTransport::default())
    }
}

impl<T: Transport> Client<T> {
    /// A client over a transport of your own (or configured by you).
    pub fn with_transport(base_url: impl Into<String>, source: Option<TokenSource>, transport: T) -> Self {
        let base = base_url.into().trim_end_matches('/').to_string();
        Client {
            inner: Arc::new(Inner {
                base,
                transport,
                source,
                cache: Mutex::default(),
                user_id: Mutex::default(),
                answered: Mutex::default(),
                minted: Mutex::default(),
                version: Mutex::default(),
            }),
        }
    }

    /// The same client speaking `version` (`ApiVersion::V2` for Connect API 2.0): tokens
    /// fetched from now on are fixed to it, so set it before the first call.
    pub fn with_version(self, version: ApiVersion) -> Self {
        *lock(&self.inner.version) = version;
        self.forget_token();
        lock(&self.inner.minted).clear();
        self
    }

    /// The version this client's tokens are asked for.
    pub fn version(&self) -> ApiVersion {
        *lock(&self.inner.version)
    }

    /// The server's base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The transport underneath.
    pub fn transport(&self) -> &T {
        &self.inner.transport
    }

    /// The user the client's token is bound to, when known (a CLIENT_ACCESS scope, or
    /// after a host's token URL answered).
    pub fn user_id(&self) -> Option<String> {
        if let Some(TokenSource::ApiKey { scope: Scope::Client { user_id }, .. }) = &self.inner.source {
            return Some(user_id.clone());
        }
        lock(&self.inner.user_id).clone()
    }

    /// A client for one user, with CLIENT_ACCESS tokens minted from this client's API
    /// key: what a backend uses to act with exactly a user's rights.
    pub fn for_user(&self, user_id: &str) -> Result<Client<T>, Error>
    where
        T: Clone,
    {
        let Some(TokenSource::ApiKey { api_key, .. }) = &self.inner.source else {
            return Err(Error::usage("for_user needs a client made with an API key."));
        };
        let source = TokenSource::ApiKey { api_key: api_key.clone(), scope: Scope::client(user_id) };
        Ok(Client::with_transport(self.inner.base.clone(), Some(source), self.inner.transport.clone()).with_version(self.version()))
    }

    /// Mints a CLIENT_ACCESS token bound to `user_id`, with the API key: exactly what
    /// a host backend's `token-url` returns to the widget (serialise it as JSON).
    ///
    /// A token minted earlier for the same user is handed out again while it is not
    /// yet due for renewal, with `expires_in` counting down, so a page reloaded many
    /// times does not run into the server's per-key limit on `POST /token`.
    pub async fn mint_client_token(&self, user_id: &str) -> Result<ClientToken, Error> {
        let Some(TokenSource::ApiKey { api_key, .. }) = &self.inner.source else {
            return Err(Error::usage("Minting client tokens needs a client made with an API key; keep that on your server."));
        };
        let now = self.inner.transport.now_ms();
        let cached = lock(&self.inner.minted).get(user_id).and_then(|c| Some((c.fresh(now)?.to_string(), c.current()?.expires_at_ms?)));
        if let Some((access_token, expires_at_ms)) = cached {
            let expires_in = expires_at_ms.saturating_sub(now) / 1000;
            return Ok(ClientToken { access_token, expires_in, user_id: user_id.to_string() });
        }
        let t = self.execute(endpoints::token(api_key, &Scope::client(user_id), self.version())).await?;
        {
            let now = self.inner.transport.now_ms();
            let mut minted = lock(&self.inner.minted);
            if minted.len() >= MINTED_MAX {
                minted.retain(|_, c| c.fresh(now).is_some());
                if minted.len() >= MINTED_MAX {
                    minted.clear();
                }
            }
            minted.entry(user_id.to_string()).or_default().store(t.access_token.clone(), Some(t.expires_in), now);
        }
        Ok(ClientToken { access_token: t.access_token, expires_in: t.expires_in, user_id: user_id.to_string() })
    }

    /// A bearer token valid for a while yet: the cached one, or a new one.
    pub async fn access_token(&self) -> Result<String, Error> {
        let now = self.inner.transport.now_ms();
        if let Some(t) = lock(&self.inner.cache).fresh(now) {
            return Ok(t.to_string());
        }
        let (token, expires_in) = self.fetch_token().await?;
        lock(&self.inner.cache).store(token.clone(), expires_in, self.inner.transport.now_ms());
        Ok(token)
    }

    /// Forgets the cached token; the next call gets a new one.
    pub fn forget_token(&self) {
        lock(&self.inner.cache).clear();
    }

    async fn fetch_token(&self) -> Result<(String, Option<u64>), Error> {
        match &self.inner.source {
            None => Err(Error::usage("This client has no token source; only public endpoints work.")),
            Some(TokenSource::Fixed { access_token }) => Ok((access_token.clone(), None)),
            Some(TokenSource::ApiKey { api_key, scope }) => {
                let t = self.send(&endpoints::token(api_key, scope, self.version()), None).await?;
                Ok((t.access_token, Some(t.expires_in)))
            }
            Some(TokenSource::Url { url }) => {
                let t = self.send(&endpoints::host_token(url), None).await?;
                *lock(&self.inner.user_id) = Some(t.user_id);
                Ok((t.access_token, Some(t.expires_in)))
            }
        }
    }

    /// Notes that this client answered the challenge open in `job`.
    pub(crate) fn remember_answer(&self, job: &crate::Job) {
        if let Some(ch) = open_challenge(job) {
            let mut a = lock(&self.inner.answered);
            a.retain(|(id, _)| id != &job.id);
            a.push((job.id.clone(), ch.clone()));
        }
    }

    /// Whether the challenge open in `job` is one this client already answered;
    /// forgets answers to challenges no longer open.
    pub(crate) fn answered_already(&self, job: &crate::Job) -> bool {
        let open = open_challenge(job);
        let mut a = lock(&self.inner.answered);
        let hit = a.iter().any(|(id, ch)| id == &job.id && Some(ch) == open);
        if !hit {
            a.retain(|(id, _)| id != &job.id);
        }
        hit
    }

    fn renewable(&self) -> bool {
        matches!(&self.inner.source, Some(TokenSource::ApiKey { .. } | TokenSource::Url { .. }))
    }

    /// Runs one endpoint description. Bearer requests get the current token; if the
    /// server calls it stale (401, or 403 "Token has expired") and the source can make
    /// another, the request is retried once with a new one.
    pub async fn execute<R>(&self, request: Request<R>) -> Result<R, Error> {
        if request.auth != AuthMode::Bearer {
            return self.send(&request, None).await;
        }
        let token = self.access_token().await?;
        match self.send(&request, Some(&token)).await {
            Err(e) if e.is_stale_token() && self.renewable() => {
                self.forget_token();
                let token = self.access_token().await?;
                self.send(&request, Some(&token)).await
            }
            other => other,
        }
    }

    async fn send<R>(&self, request: &Request<R>, bearer: Option<&str>) -> Result<R, Error> {
        super::transport::run(&self.inner.transport, &self.inner.base, request, bearer).await
    }
}

/// The `result` of the job's in-progress `mfa-challenge` step.
fn open_challenge(job: &crate::Job) -> Option<&serde_json::Value> {
    job.steps.iter().find(|s| s.title == crate::StepTitle::MfaChallenge && s.status == crate::StepStatus::InProgress).and_then(|s| s.result.as_ref())
}
