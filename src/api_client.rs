//! The HTTP plumbing under [`crate::backend::HttpBackend`]: base URL, bearer token,
//! renew-and-retry-once on a stale token, aborting everything on `destroy()`, and
//! turning the contract's error JSON into a [`BackendError`]. Every backend method goes
//! through [`ApiClient::call`], so each gets all of that for free.

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use tally_api::ErrorBody;

use crate::backend::BackendError;
use crate::token::policy::{is_stale_token, HeldToken};
use crate::token::{TokenProvider, TokenSource};

/// HTTP method of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

pub struct ApiClient {
    api_base: RefCell<String>,
    tokens: TokenProvider,
    abort: Option<web_sys::AbortController>,
}

impl ApiClient {
    pub fn new(api_base: String, source: Option<TokenSource>) -> Self {
        let tokens = TokenProvider::default();
        tokens.set_source(source);
        ApiClient { api_base: RefCell::new(api_base), tokens, abort: web_sys::AbortController::new().ok() }
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

    /// The URL of `path` on the server; no token needed (public endpoints).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.api_base.borrow(), path)
    }

    /// The current user id and a valid token (waits for a token source if there is none yet).
    pub async fn session(&self) -> Result<HeldToken, BackendError> {
        self.tokens.token(&self.signal()?).await
    }

    /// An unauthenticated GET (e.g. `/public/institutions`).
    pub async fn public_get<T: DeserializeOwned>(&self, path: &str) -> Result<T, BackendError> {
        let signal = self.signal()?;
        let res = gloo_net::http::Request::get(&self.url(path))
            .header("Accept", "application/json")
            .abort_signal(Some(&signal))
            .send()
            .await
            .map_err(network_error)?;
        let (status, text) = read(res).await?;
        decode(status, &text)
    }

    /// An authenticated call. `{user}` in `path` is replaced by the token's user id.
    /// A stale token is renewed and the call retried once.
    pub async fn call<T: DeserializeOwned>(&self, method: Method, path: &str, body: Option<serde_json::Value>) -> Result<T, BackendError> {
        let signal = self.signal()?;
        let body = body.map(|b| b.to_string());
        let mut retried = false;
        loop {
            let token = self.tokens.token(&signal).await?;
            let url = self.url(&path.replace("{user}", &encode(&token.user_id)));
            let builder = match method {
                Method::Get => gloo_net::http::Request::get(&url),
                Method::Post => gloo_net::http::Request::post(&url),
                Method::Put => gloo_net::http::Request::put(&url),
                Method::Delete => gloo_net::http::Request::delete(&url),
            }
            .header("Accept", "application/json")
            .header("Authorization", &format!("Bearer {}", token.access_token))
            .abort_signal(Some(&signal));
            let request = match &body {
                Some(b) => builder.header("Content-Type", "application/json").body(b.as_str()),
                None => builder.build(),
            }
            .map_err(network_error)?;
            let res = request.send().await.map_err(network_error)?;
            let (status, text) = read(res).await?;
            if !retried && status >= 400 {
                let err = error_from(status, &text);
                if is_stale_token(status, &err.code, &err.message) {
                    self.tokens.invalidate(&token);
                    retried = true;
                    continue;
                }
            }
            return decode(status, &text);
        }
    }
}

/// Percent-encodes a path segment (ids are plain, but never trust that).
pub fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}

async fn read(res: gloo_net::http::Response) -> Result<(u16, String), BackendError> {
    let status = res.status();
    let text = res.text().await.map_err(network_error)?;
    Ok((status, text))
}

/// Success JSON into `T` (an empty body reads as `null`, so `()` works for 204s);
/// anything else into the contract's error.
fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, BackendError> {
    if !(200..300).contains(&status) {
        return Err(error_from(status, text));
    }
    let text = if text.trim().is_empty() { "null" } else { text };
    serde_json::from_str(text).map_err(|e| BackendError::new("bad-response", format!("The server's answer could not be read: {e}")))
}

fn error_from(status: u16, text: &str) -> BackendError {
    let item = serde_json::from_str::<ErrorBody>(text).ok().and_then(|b| b.data.into_iter().next());
    match item {
        Some(e) => {
            let message = if e.detail.is_empty() { e.title } else { e.detail };
            BackendError::new(e.code, message)
        }
        None => BackendError::new("http", format!("The server answered with status {status}.")),
    }
}

fn network_error(e: gloo_net::Error) -> BackendError {
    let text = e.to_string();
    if text.contains("AbortError") || text.contains("aborted") {
        return BackendError::aborted();
    }
    BackendError::new("network", format!("Could not reach the Tally server: {text}"))
}
