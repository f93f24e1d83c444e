//! The native transport: reqwest (async, tokio). HTTPS needs the crate's `rustls`
//! feature; plain `native` speaks HTTP only, which keeps the build free of C code for
//! local servers and tests.

use std::collections::VecDeque;
use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{Stream, StreamExt};

use super::{HttpRequest, HttpResponse, Transport};
use crate::client::error::Error;
use crate::client::request::{Body, Method, Multipart, PartValue};
use crate::client::sse::{SseEvent, SseParser};

/// reqwest underneath; cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct NativeTransport {
    http: reqwest::Client,
}

impl Default for NativeTransport {
    fn default() -> Self {
        NativeTransport::new()
    }
}

impl NativeTransport {
    /// A transport with a 10 s connect timeout and no overall timeout (event streams
    /// stay open as long as a job runs; job waits have their own deadlines).
    pub fn new() -> Self {
        let http = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).build().unwrap_or_else(|_| reqwest::Client::new());
        NativeTransport { http }
    }

    /// A transport over a reqwest client you configured (proxies, TLS roots, timeouts).
    pub fn with_client(http: reqwest::Client) -> Self {
        NativeTransport { http }
    }

    /// reqwest's form of `form`; reqwest sets the `Content-Type` with its boundary.
    fn form(form: &Multipart) -> reqwest::multipart::Form {
        form.parts.iter().fold(reqwest::multipart::Form::new(), |f, part| match &part.value {
            PartValue::Text(t) => f.text(part.name, t.clone()),
            PartValue::File { filename, content_type, bytes } => {
                let file = || reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(filename.clone());
                // Only a malformed type fails; the server reads the content, not the type.
                f.part(part.name, file().mime_str(content_type).unwrap_or_else(|_| file()))
            }
        })
    }

    fn method(m: Method) -> reqwest::Method {
        match m {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// The native event stream (`Send`, so job waits can run on any tokio task).
pub type NativeEvents = Pin<Box<dyn Stream<Item = Result<SseEvent, Error>> + Send>>;

impl Transport for NativeTransport {
    type Events = NativeEvents;

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let mut b = self.http.request(Self::method(request.method), &request.url);
        for (k, v) in &request.headers {
            b = b.header(*k, v);
        }
        match &request.body {
            Body::Multipart(form) => b = b.multipart(Self::form(form)),
            body => {
                if let Some(ct) = body.content_type() {
                    b = b.header("Content-Type", ct).body(body.text().to_string());
                }
            }
        }
        let res = b.send().await.map_err(|e| Error::network(format!("{} {}: {e}", request.method, request.url)))?;
        let status = res.status().as_u16();
        let body = res.bytes().await.map_err(|e| Error::network(format!("reading the answer of {}: {e}", request.url)))?;
        Ok(HttpResponse { status, body: body.to_vec() })
    }

    async fn events(&self, url: String, bearer: String) -> Result<NativeEvents, Error> {
        let res = self
            .http
            .get(&url)
            .header("Accept", "text/event-stream")
            .header("Authorization", format!("Bearer {bearer}"))
            .send()
            .await
            .map_err(|e| Error::network(format!("GET {url}: {e}")))?;
        let status = res.status().as_u16();
        if status >= 400 {
            let body = res.bytes().await.unwrap_or_default();
            return Err(Error::from_response(status, &body));
        }
        let state = (res.bytes_stream().boxed(), SseParser::new(), VecDeque::new());
        let events = futures_util::stream::unfold(state, |(mut bytes, mut parser, mut queue)| async move {
            loop {
                if let Some(ev) = queue.pop_front() {
                    return Some((Ok(ev), (bytes, parser, queue)));
                }
                match bytes.next().await? {
                    Ok(chunk) => queue.extend(parser.push(&chunk)),
                    Err(e) => {
                        // Report the break once, then end the stream.
                        let end = futures_util::stream::empty().boxed();
                        return Some((Err(Error::network(format!("event stream broke: {e}"))), (end, parser, queue)));
                    }
                }
            }
        });
        Ok(Box::pin(events))
    }

    fn now_ms(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await
    }
}
