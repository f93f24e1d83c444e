//! The small I/O layer under [`Client`](super::Client): send one HTTP request, open
//! one event stream, tell the time, sleep. Everything else — endpoints, tokens,
//! retries, paging, job waits — is shared code above it, so the native and browser
//! clients behave the same.

use std::future::Future;
use std::time::Duration;

use futures_util::Stream;

use super::error::Error;
use super::request::{AuthMode, Body, Method, Request};
use super::sse::SseEvent;

#[cfg(feature = "browser")]
pub mod browser;
#[cfg(feature = "native")]
pub mod native;

/// A request ready to go: absolute URL, all headers, encoded body.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Headers, including `Authorization` and `Content-Type`.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Body,
}

/// An answer: status and raw body (decoding is shared code).
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// The body's bytes.
    pub body: Vec<u8>,
}

/// What the client needs from the platform.
pub trait Transport {
    /// The server-sent events of one stream, in order; ends when the server closes it.
    type Events: Stream<Item = Result<SseEvent, Error>> + Unpin;

    /// Sends one request; an answer of any status is `Ok`, only "no answer" is an error.
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, Error>>;

    /// Opens `GET url` as `text/event-stream`, authenticated with `bearer`. A 4xx/5xx
    /// answer is the contract's error.
    fn events(&self, url: String, bearer: String) -> impl Future<Output = Result<Self::Events, Error>>;

    /// Milliseconds since the Unix epoch (for token expiry and deadlines).
    fn now_ms(&self) -> u64;

    /// Waits `duration` (between polls).
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;
}

impl HttpRequest {
    /// `request` ready to go to the server at `base`: `Accept: application/json`, its
    /// own headers, and its credentials (`bearer` as the token when it wants one).
    pub fn of<R>(request: &Request<R>, base: &str, bearer: Option<&str>) -> HttpRequest {
        let mut headers: Vec<(&'static str, String)> = vec![("Accept", "application/json".into())];
        headers.extend(request.headers.iter().cloned());
        match (&request.auth, bearer) {
            (AuthMode::Basic(key), _) => headers.push(("Authorization", format!("Basic {key}"))),
            (AuthMode::Bearer, Some(t)) => headers.push(("Authorization", format!("Bearer {t}"))),
            _ => {}
        }
        HttpRequest { method: request.method, url: request.url(base), headers, body: request.body.clone() }
    }
}

/// Sends one endpoint description to the server at `base` over `transport` and reads
/// the answer, with `bearer` as the token when the request wants one: what
/// [`Client`](super::Client) does per attempt.
pub async fn run<R>(transport: &impl Transport, base: &str, request: &Request<R>, bearer: Option<&str>) -> Result<R, Error> {
    let res = transport.send(HttpRequest::of(request, base, bearer)).await?;
    request.read(res.status, &res.body)
}

/// The transport [`Client`](super::Client) uses unless told otherwise: gloo-net in a
/// browser build (wasm32 with `browser`), reqwest otherwise (`native`).
#[cfg(all(feature = "browser", any(target_arch = "wasm32", not(feature = "native"))))]
pub type DefaultTransport = browser::BrowserTransport;

/// The transport [`Client`](super::Client) uses unless told otherwise: gloo-net in a
/// browser build (wasm32 with `browser`), reqwest otherwise (`native`).
#[cfg(all(feature = "native", not(all(feature = "browser", target_arch = "wasm32"))))]
pub type DefaultTransport = native::NativeTransport;
