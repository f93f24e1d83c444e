//! The browser transport: `fetch` through gloo-net, `EventSource` for job events, and
//! `setTimeout` for waits — all things the widget already ships, so using it adds
//! almost nothing to the wasm.
//!
//! Multipart bodies (statement uploads) go as a `FormData`, the file as a `Blob`, so the
//! browser writes the boundary. `fetch` cannot report how much of a body it has sent,
//! so [`BrowserTransport::send_with_progress`] sends through `XMLHttpRequest`, whose
//! `upload` object can: a 10 MB statement on a slow link takes long enough to need a
//! progress bar.

use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use gloo_net::eventsource::futures::EventSource;
use gloo_net::http::RequestBuilder;

use super::{HttpRequest, HttpResponse, Transport};
use crate::client::error::Error;
use crate::client::request::{encode_component, Body, Method, Multipart, PartValue};
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

impl BrowserTransport {
    /// Sends `request` like [`Transport::send`], through `XMLHttpRequest`, calling
    /// `progress(sent, total)` with the body's bytes as the browser hands them to the
    /// network (several times for a large body; at least once, at the end, when the
    /// browser reports any). Aborted by the transport's abort signal like every request.
    pub async fn send_with_progress(&self, request: HttpRequest, progress: impl Fn(f64, f64) + 'static) -> Result<HttpResponse, Error> {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let what = format!("{} {}", request.method, request.url);
        let failed = |e: wasm_bindgen::JsValue| Error::network(format!("{what}: {}", js_text(&e)));
        if self.abort.as_ref().is_some_and(|a| a.aborted()) {
            return Err(Error::network(format!("{what}: aborted")));
        }
        let xhr = web_sys::XmlHttpRequest::new().map_err(failed)?;
        xhr.open_with_async(request.method.as_str(), &request.url, true).map_err(failed)?;
        xhr.set_response_type(web_sys::XmlHttpRequestResponseType::Arraybuffer);
        for (k, v) in &request.headers {
            xhr.set_request_header(k, v).map_err(failed)?;
        }
        let on_progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() {
                progress(e.loaded(), e.total());
            }
        });
        xhr.upload().map_err(failed)?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        // `loadend` comes after load, error, abort and timeout alike; `status` tells them apart.
        let ended = js_sys::Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
        let stop = {
            let xhr = xhr.clone();
            Closure::<dyn Fn()>::new(move || xhr.abort().unwrap_or_default())
        };
        if let Some(signal) = &self.abort {
            signal.add_event_listener_with_callback("abort", stop.as_ref().unchecked_ref()).map_err(failed)?;
        }
        let sent = match &request.body {
            Body::Multipart(form) => xhr.send_with_opt_form_data(Some(&form_data(form)?)),
            Body::Empty => xhr.send(),
            body => {
                if let Some(ct) = body.content_type() {
                    xhr.set_request_header("Content-Type", ct).map_err(failed)?;
                }
                xhr.send_with_opt_str(Some(body.text()))
            }
        };
        if let Err(e) = sent {
            if let Some(signal) = &self.abort {
                let _ = signal.remove_event_listener_with_callback("abort", stop.as_ref().unchecked_ref());
            }
            return Err(failed(e));
        }
        let _ = wasm_bindgen_futures::JsFuture::from(ended).await;
        if let Some(signal) = &self.abort {
            let _ = signal.remove_event_listener_with_callback("abort", stop.as_ref().unchecked_ref());
        }
        drop(on_progress);
        let status = xhr.status().unwrap_or(0);
        if status == 0 {
            return Err(Error::network(format!("{what}: no answer (the request failed or was aborted)")));
        }
        let body = xhr.response().ok().filter(|b| b.is_object()).map(|b| js_sys::Uint8Array::new(&b).to_vec()).unwrap_or_default();
        Ok(HttpResponse { status, body })
    }
}

/// `form` as a browser `FormData`; files become `Blob`s named by their filename.
fn form_data(form: &Multipart) -> Result<web_sys::FormData, Error> {
    let failed = |e: wasm_bindgen::JsValue| Error::usage(format!("building the form: {}", js_text(&e)));
    let data = web_sys::FormData::new().map_err(failed)?;
    for part in &form.parts {
        match &part.value {
            PartValue::Text(t) => data.append_with_str(part.name, t).map_err(failed)?,
            PartValue::File { filename, content_type, bytes } => {
                let options = web_sys::BlobPropertyBag::new();
                options.set_type(content_type);
                let chunks = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
                let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&chunks, &options).map_err(failed)?;
                data.append_with_blob_and_filename(part.name, &blob, filename).map_err(failed)?;
            }
        }
    }
    Ok(data)
}

/// A thrown JS value in words.
fn js_text(e: &wasm_bindgen::JsValue) -> String {
    e.as_string().or_else(|| js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string())).unwrap_or_else(|| format!("{e:?}"))
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
        let req = match (&request.body, request.body.content_type()) {
            (Body::Multipart(form), _) => b.body(form_data(form)?),
            (body, Some(ct)) => b.header("Content-Type", ct).body(body.text().to_string()),
            (_, None) => b.build(),
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
