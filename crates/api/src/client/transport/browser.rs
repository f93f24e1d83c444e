//! The browser transport: `fetch` through gloo-net, `EventSource` for job events, and
//! `setTimeout` for waits — all things the widget already ships, so using it adds
//! almost nothing to the wasm.

use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use gloo_net::eventsource::futures::EventSource;
use gloo_net::http::RequestBuilder;

use super::{HttpRequest, HttpResponse, Transport};
use crate::client::error::Error;
use crate::client::request::{encode_component, Method};
use crate::client::sse::SseEvent;

/// `fetch` and `EventSource` underneath.
#[derive(Debug, Clone, Default)]
pub struct BrowserTransport {
    /// Aborts every request in flight when signalled (e.g. the widget's teardown).
    abort: Option<web_sys::AbortSignal>,
}

impl BrowserTransport {
    /// A transport with no abort signal.
    pub fn new() -> Self {
        BrowserTransport::default()
    }

    /// A transport whose requests are all aborted when `signal` fires.
    pub fn with_abort_signal(signal: web_sys::AbortSignal) -> Self {
        BrowserTransport { abort: Some(signal) }
    }
}

/// The merged event subscriptions of one `EventSource`.
type EventStream = Pin<Box<dyn Stream<Item = Result<SseEvent, Error>>>>;

/// Keeps the `EventSource` open while its events are read; dropping it closes it.
pub struct BrowserEvents {
    _source: EventSource,
    events: EventStream,
}

impl Stream for BrowserEvents {
    type Item = Result<SseEvent, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.events.as_mut().poll_next(cx)
    }
}

/// The event names `GET /jobs/{id}/events` sends.
const EVENT_NAMES: [&str; 3] = ["job", "deleted", "message"];

impl Transport for BrowserTransport {
    type Events = BrowserEvents;

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let method = match request.method {
            Method::Get => gloo_net::http::Method::GET,
            Method::Post => gloo_net::http::Method::POST,
            Method::Put => gloo_net::http::Method::PUT,
            Method::Delete => gloo_net::http::Method::DELETE,
        };
        let mut b = RequestBuilder::new(&request.url).method(method).abort_signal(self.abort.as_ref());
        for (k, v) in &request.headers {
            b = b.header(k, v);
        }
        let req = match request.body.content_type() {
            Some(ct) => b.header("Content-Type", ct).body(request.body.text().to_string()),
            None => b.build(),
        }
        .map_err(|e| Error::network(format!("{} {}: {e}", request.method, request.url)))?;
        let res = req.send().await.map_err(|e| Error::network(format!("{} {}: {e}", request.method, request.url)))?;
        let status = res.status();
        let body = res.binary().await.map_err(|e| Error::network(format!("reading the answer of {}: {e}", request.url)))?;
        Ok(HttpResponse { status, body })
    }

    /// `EventSource` cannot send headers, so the token goes in `?access_token=` (the
    /// server accepts it there on the events endpoint only).
    async fn events(&self, url: String, bearer: String) -> Result<BrowserEvents, Error> {
        let sep = if url.contains('?') { '&' } else { '?' };
        let full = format!("{url}{sep}access_token={}", encode_component(&bearer));
        let mut source = EventSource::new(&full).map_err(|e| Error::network(format!("EventSource {url}: {e}")))?;
        let mut merged: Option<EventStream> = None;
        for name in EVENT_NAMES {
            let sub = source.subscribe(name).map_err(|e| Error::network(format!("EventSource {url}: {e}")))?;
            let mapped = sub.map(|item| match item {
                Ok((event, msg)) => Ok(SseEvent { event, data: msg.data().as_string().unwrap_or_default(), id: None }),
                Err(e) => Err(Error::network(format!("event stream broke: {e}"))),
            });
            merged = Some(match merged {
                None => Box::pin(mapped),
                Some(prev) => Box::pin(futures_util::stream::select(prev, mapped)),
            });
        }
        let events = merged.unwrap_or_else(|| Box::pin(futures_util::stream::empty()));
        Ok(BrowserEvents { _source: source, events })
    }

    fn now_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }

    async fn sleep(&self, duration: Duration) {
        let ms = duration.as_millis().min(i32::MAX as u128) as i32;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}
