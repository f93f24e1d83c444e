//! A request described as plain data: method, path (with its encoded query), body,
//! how to authenticate, and how to read the answer.
//!
//! Endpoints ([`super::endpoints`]) build these without doing any I/O, so every
//! endpoint is defined once and both transports (reqwest natively, gloo-net in the
//! browser) execute the same descriptions.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::Error;

/// HTTP method of a [`Request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a request proves who sends it.
#[derive(Clone, PartialEq, Eq)]
pub enum AuthMode {
    /// No credentials (public endpoints).
    None,
    /// `Authorization: Bearer <token>`, with the client's current token.
    Bearer,
    /// `Authorization: Basic <api key>` (only `POST /token`); the key is sent as issued.
    Basic(String),
}

// Hand-written so an API key never ends up in a log line.
impl fmt::Debug for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthMode::None => f.write_str("None"),
            AuthMode::Bearer => f.write_str("Bearer"),
            AuthMode::Basic(_) => f.write_str("Basic(<api key>)"),
        }
    }
}

/// A request body, already encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// `application/json`
    Json(String),
    /// `application/x-www-form-urlencoded` (only `POST /token`, as the contract has it).
    Form(String),
    /// `multipart/form-data` (only `POST /users/{id}/statements`, as Basiq has it). The
    /// transport encodes it (reqwest's multipart form, the browser's `FormData`), since
    /// the `Content-Type` must name the boundary it picks.
    Multipart(Multipart),
}

/// The parts of a `multipart/form-data` body, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    /// Each named part.
    pub parts: Vec<Part>,
}

impl Multipart {
    /// No parts yet.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text part.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.parts.push(Part { name, value: PartValue::Text(value.into()) });
        self
    }

    /// Adds a file part: its name as the user's machine had it, and its bytes.
    pub fn file(mut self, name: &'static str, filename: impl Into<String>, content_type: &'static str, bytes: Arc<[u8]>) -> Self {
        self.parts.push(Part { name, value: PartValue::File { filename: filename.into(), content_type, bytes } });
        self
    }
}

/// One part of a [`Multipart`] body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The form field's name (`institutionId`, `statement`).
    pub name: &'static str,
    /// Its value.
    pub value: PartValue,
}

/// What a [`Part`] holds.
#[derive(Clone, PartialEq, Eq)]
pub enum PartValue {
    /// A text field.
    Text(String),
    /// A file. The bytes are shared, so retrying a request (a renewed token) or
    /// cloning it does not copy a 10 MB statement.
    File {
        /// The file's name, sent as the part's `filename`.
        filename: String,
        /// The part's `Content-Type`.
        content_type: &'static str,
        /// The file's content.
        bytes: Arc<[u8]>,
    },
}

// Hand-written: a derived Debug would print every byte of the file.
impl fmt::Debug for PartValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartValue::Text(t) => f.debug_tuple("Text").field(t).finish(),
            PartValue::File { filename, content_type, bytes } => {
                write!(f, "File {{ filename: {filename:?}, content_type: {content_type:?}, bytes: <{} bytes> }}", bytes.len())
            }
        }
    }
}

impl Body {
    /// JSON of `value`. Every wire type of this crate serialises infallibly (no maps
    /// with non-string keys), so a failure here is a programming error reported as
    /// JSON `null`, which the server then refuses with a clear 400.
    pub fn json<B: Serialize + ?Sized>(value: &B) -> Body {
        Body::Json(serde_json::to_string(value).unwrap_or_else(|_| "null".into()))
    }

    /// The `Content-Type` of a text body; `None` for [`Body::Empty`] and for
    /// [`Body::Multipart`] (whose type the transport sets, with its boundary).
    pub fn content_type(&self) -> Option<&'static str> {
        match self {
            Body::Empty | Body::Multipart(_) => None,
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
        }
    }

    /// The encoded text (empty for [`Body::Empty`] and [`Body::Multipart`]).
    pub fn text(&self) -> &str {
        match self {
            Body::Empty | Body::Multipart(_) => "",
            Body::Json(s) | Body::Form(s) => s,
        }
    }
}

/// Reads a successful answer's body into the endpoint's result type.
pub type Decoder<T> = fn(status: u16, body: &[u8]) -> Result<T, Error>;

/// One call of the API, described as data. `T` is what a successful answer decodes to.
pub struct Request<T> {
    /// HTTP method.
    pub method: Method,
    /// Path relative to the base URL, starting with `/`, with its query already encoded.
    pub path: String,
    /// The encoded body.
    pub body: Body,
    /// Which credentials to send.
    pub auth: AuthMode,
    /// Extra headers (e.g. `basiq-version` on `POST /token`).
    pub headers: Vec<(&'static str, String)>,
    decode: Decoder<T>,
}

// Hand-written: a derive would ask `T: Clone`, though only the decoder depends on `T`.
impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request { method: self.method, path: self.path.clone(), body: self.body.clone(), auth: self.auth.clone(), headers: self.headers.clone(), decode: self.decode }
    }
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body", &self.body)
            .field("auth", &self.auth)
            .finish()
    }
}

impl<T: DeserializeOwned> Request<T> {
    /// A bearer-authenticated request whose answer is JSON of `T`.
    pub fn json(method: Method, path: impl Into<String>) -> Self {
        Request { method, path: path.into(), body: Body::Empty, auth: AuthMode::Bearer, headers: Vec::new(), decode: decode_json::<T> }
    }
}

impl Request<()> {
    /// A bearer-authenticated request whose answer has no body we need (`204`).
    pub fn no_content(method: Method, path: impl Into<String>) -> Self {
        Request { method, path: path.into(), body: Body::Empty, auth: AuthMode::Bearer, headers: Vec::new(), decode: |_, _| Ok(()) }
    }
}

impl<T> Request<T> {
    /// The same request with a body.
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// The same request with other credentials.
    pub fn with_auth(mut self, auth: AuthMode) -> Self {
        self.auth = auth;
        self
    }

    /// The same request with one more header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The full URL under `base` (a trailing `/` on `base` is ignored). A path that is
    /// already an absolute URL (a host's token URL) is used as is.
    pub fn url(&self, base: &str) -> String {
        if self.path.starts_with("http://") || self.path.starts_with("https://") {
            return self.path.clone();
        }
        format!("{}{}", base.trim_end_matches('/'), self.path)
    }

    /// Turns an answer into the result: the contract's error object for a 4xx/5xx,
    /// the decoded value otherwise.
    pub fn read(&self, status: u16, body: &[u8]) -> Result<T, Error> {
        if status >= 400 {
            return Err(Error::from_response(status, body));
        }
        (self.decode)(status, body)
    }
}

fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    let text = std::str::from_utf8(body).map_err(|e| Error { status: Some(status), ..Error::unexpected(format!("The answer is not UTF-8 text: {e}")) })?;
    from_json(text).map_err(|e| Error::decode(status, e, body))
}

/// JSON text into `T`. In the browser, the browser's own `JSON.parse` parses and
/// serde-wasm-bindgen reads the result: the widget's gzipped wasm is 9 KB smaller than
/// with serde_json parsing each answer type. Safe for the contract: `JSON.parse` reads
/// numbers as doubles, and the contract keeps ids and money in strings.
#[cfg(all(feature = "browser", target_arch = "wasm32"))]
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|e| e.as_string().unwrap_or_else(|| "JSON.parse refused it".into()))?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// JSON text into `T` (serde_json; `from_str` rather than `from_slice` because
/// serde_json's code is generic over its input, and one kind of input keeps one copy).
#[cfg(not(all(feature = "browser", target_arch = "wasm32")))]
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Percent-encodes one path segment or query value: everything but the unreserved
/// characters of RFC 3986, so ids and filters (quotes, commas, parentheses) arrive as
/// sent.
pub fn encode_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - _ . ~`).
const COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Builds a query string from pairs, skipping `None` values.
#[derive(Debug, Default, Clone)]
pub struct Query {
    pairs: Vec<(&'static str, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Query::default()
    }

    /// Adds `name=value` when `value` is given and not empty.
    pub fn opt(mut self, name: &'static str, value: Option<String>) -> Self {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.pairs.push((name, v));
        }
        self
    }

    /// `path` followed by `?a=b&…`, or `path` alone when nothing was added.
    pub fn on(&self, path: &str) -> String {
        if self.pairs.is_empty() {
            return path.to_string();
        }
        let mut out = path.to_string();
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(k);
            out.push('=');
            out.push_str(&encode_component(v));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_filters_and_ids() {
        assert_eq!(encode_component("account.id.eq('a 1'),x"), "account.id.eq%28%27a%201%27%29%2Cx");
        assert_eq!(encode_component("a/b?c"), "a%2Fb%3Fc");
        assert_eq!(encode_component("ü"), "%C3%BC");
    }

    #[test]
    fn query_skips_missing_values() {
        let q = Query::new().opt("filter", None).opt("limit", Some("10".into())).opt("next", Some(String::new()));
        assert_eq!(q.on("/x"), "/x?limit=10");
        assert_eq!(Query::new().on("/x"), "/x");
    }

    #[test]
    fn reads_errors_and_values() {
        let r: Request<crate::User> = Request::json(Method::Get, "/users/u1");
        assert_eq!(r.url("http://h:1/"), "http://h:1/users/u1");
        let err = r.read(404, br#"{"type":"list","correlationId":"c","data":[{"type":"error","code":"resource-not-found","title":"Not found","detail":"No user"}]}"#).unwrap_err();
        assert_eq!(err.code(), "resource-not-found");
        let bad = r.read(200, b"{").unwrap_err();
        assert_eq!(bad.code(), "unexpected-response");
        assert_eq!(r.read(200, b"\xff").unwrap_err().status, Some(200));
        let none = Request::no_content(Method::Delete, "/users/u1");
        assert!(none.read(204, b"").is_ok());
    }

    #[test]
    fn debug_hides_the_api_key() {
        let r: Request<()> = Request::no_content(Method::Post, "/token").with_auth(AuthMode::Basic("secret".into()));
        assert!(!format!("{r:?}").contains("secret"));
    }
}
