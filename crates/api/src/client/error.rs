//! The client's one error type. Every error, whether the server sent it or the
//! client found it (network down, a job that failed, a timeout), carries the
//! contract's error object — `code`, `title`, `detail`, `source` — so callers branch on
//! `code()` the same way in every case and can show `detail()` to a person.

use std::fmt;

use crate::{ErrorBody, ErrorItem, ErrorSource, Job};

/// What kind of failure an [`Error`] is; finer distinctions are in [`Error::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The server answered 4xx/5xx with the contract's error list.
    Api,
    /// The request never got an answer (connection refused, DNS, aborted, …).
    Network,
    /// The server answered something that is not what the contract promises.
    UnexpectedResponse,
    /// A job step failed; `job` holds the job and the item is the step's error.
    JobFailed,
    /// A job waits for a multi-factor answer (`POST /jobs/{id}/mfa`); `job` holds it.
    MfaRequired,
    /// A wait ran past its deadline.
    Timeout,
    /// The client was used in a way it can't serve (e.g. minting a token without an
    /// API key); nothing was sent.
    Usage,
}

/// An error of the typed client: the contract's error object(s) plus context.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// What kind of failure this is.
    pub kind: ErrorKind,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// The server's `correlationId`, to quote when reporting a problem.
    pub correlation_id: Option<String>,
    /// The error objects; never empty (the first is the main one).
    pub errors: Vec<ErrorItem>,
    /// The job concerned, for [`ErrorKind::JobFailed`] and [`ErrorKind::MfaRequired`].
    pub job: Option<Box<Job>>,
}

fn item(code: &str, title: &str, detail: impl Into<String>) -> ErrorItem {
    ErrorItem { kind: "error".into(), code: code.into(), title: title.into(), detail: detail.into(), source: None }
}

impl Error {
    fn new(kind: ErrorKind, item: ErrorItem) -> Self {
        Error { kind, status: None, correlation_id: None, errors: vec![item], job: None }
    }

    /// The error of a 4xx/5xx answer. A body that is not the contract's error list
    /// (a proxy's HTML page, say) still becomes an error object, named after the status.
    pub fn from_response(status: u16, body: &[u8]) -> Self {
        if let Some(parsed) = std::str::from_utf8(body).ok().and_then(|t| super::request::from_json::<ErrorBody>(t).ok()) {
            if !parsed.data.is_empty() {
                return Error {
                    kind: ErrorKind::Api,
                    status: Some(status),
                    correlation_id: Some(parsed.correlation_id).filter(|c| !c.is_empty()),
                    errors: parsed.data,
                    job: None,
                };
            }
        }
        let (code, title) = match status {
            400 => ("parameter-not-valid", "Bad request"),
            401 => ("invalid-authorization-token", "Not authorised"),
            403 => ("access-denied", "Access denied"),
            404 => ("resource-not-found", "Not found"),
            429 => ("too-many-requests", "Too many requests"),
            503 => ("service-unavailable", "Service unavailable"),
            _ => ("internal-server-error", "Server error"),
        };
        let text = String::from_utf8_lossy(&body[..body.len().min(200)]).trim().to_string();
        let detail = if text.is_empty() { format!("HTTP {status} with no error body.") } else { format!("HTTP {status}: {text}") };
        Error { status: Some(status), ..Error::new(ErrorKind::Api, item(code, title, detail)) }
    }

    /// An answer that could not be decoded as the contract's type.
    pub fn decode(status: u16, err: impl fmt::Display, body: &[u8]) -> Self {
        let start = String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned();
        Error {
            status: Some(status),
            ..Error::new(ErrorKind::UnexpectedResponse, item("unexpected-response", "Unexpected response", format!("Could not read the answer ({err}); it starts with: {start}")))
        }
    }

    /// The request got no answer.
    pub fn network(detail: impl fmt::Display) -> Self {
        Error::new(ErrorKind::Network, item("network-error", "Network error", detail.to_string()))
    }

    /// The answer was not what the contract promises (e.g. a broken event stream).
    pub fn unexpected(detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::UnexpectedResponse, item("unexpected-response", "Unexpected response", detail))
    }

    /// A wait ran out of time.
    pub fn timeout(detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Timeout, item("timeout", "Timed out", detail))
    }

    /// The client was asked for something it can't do as configured.
    pub fn usage(detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Usage, item("client-usage", "Client misuse", detail))
    }

    /// A job step failed with `failure` (the step's `result`).
    pub fn job_failed(job: &Job, step: &str, failure: Option<&serde_json::Value>) -> Self {
        let text = |k: &str| failure.and_then(|v| v.get(k)).and_then(|v| v.as_str()).map(str::to_string);
        let e = ErrorItem {
            kind: "error".into(),
            code: text("code").unwrap_or_else(|| "job-failed".into()),
            title: text("title").unwrap_or_else(|| format!("Step '{step}' failed")),
            detail: text("detail").unwrap_or_else(|| format!("Job '{}' failed at step '{step}'.", job.id)),
            source: Some(ErrorSource { pointer: Some(format!("/steps/{step}")), parameter: None }),
        };
        Error { job: Some(Box::new(job.clone())), ..Error::new(ErrorKind::JobFailed, e) }
    }

    /// A job waits for a multi-factor answer.
    pub fn mfa_required(job: &Job) -> Self {
        let e = item("mfa-required", "Answer needed", format!("Job '{}' waits for a multi-factor answer: POST /jobs/{}/mfa.", job.id, job.id));
        Error { job: Some(Box::new(job.clone())), ..Error::new(ErrorKind::MfaRequired, e) }
    }

    /// The main error object.
    pub fn item(&self) -> &ErrorItem {
        // `errors` is never empty by construction; the fallback keeps this panic-free.
        static NONE: std::sync::OnceLock<ErrorItem> = std::sync::OnceLock::new();
        self.errors.first().unwrap_or_else(|| NONE.get_or_init(|| item("unknown", "Unknown error", "")))
    }

    /// The contract's error code, e.g. `resource-not-found`, `invalid-credentials`.
    pub fn code(&self) -> &str {
        &self.item().code
    }

    /// A short human title.
    pub fn title(&self) -> &str {
        &self.item().title
    }

    /// What went wrong and, often, what to do about it.
    pub fn detail(&self) -> &str {
        &self.item().detail
    }

    /// Which part of the request was at fault (`source.parameter`, `source.pointer`).
    pub fn source(&self) -> Option<&ErrorSource> {
        self.item().source.as_ref()
    }

    /// True when renewing the token and retrying may help: 401, or 403 "Token has expired".
    pub fn is_stale_token(&self) -> bool {
        match self.status {
            Some(401) => true,
            Some(403) => self.detail().to_ascii_lowercase().contains("expired"),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.item();
        write!(f, "{}: {} ({}", e.title, e.detail, e.code)?;
        if let Some(s) = self.status {
            write!(f, ", HTTP {s}")?;
        }
        if let Some(p) = e.source.as_ref().and_then(|s| s.parameter.as_deref()) {
            write!(f, ", parameter '{p}'")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_contract_error_object() {
        let body = br#"{"type":"list","correlationId":"c-1","data":[{"type":"error","code":"parameter-not-valid","title":"Bad filter","detail":"Unknown operator","source":{"parameter":"filter"}}]}"#;
        let e = Error::from_response(400, body);
        assert_eq!((e.kind, e.status, e.code()), (ErrorKind::Api, Some(400), "parameter-not-valid"));
        assert_eq!(e.correlation_id.as_deref(), Some("c-1"));
        assert_eq!(e.source().and_then(|s| s.parameter.as_deref()), Some("filter"));
        assert_eq!(e.to_string(), "Bad filter: Unknown operator (parameter-not-valid, HTTP 400, parameter 'filter')");
    }

    #[test]
    fn names_non_contract_answers_by_status() {
        let e = Error::from_response(503, b"<html>down</html>");
        assert_eq!(e.code(), "service-unavailable");
        assert!(e.detail().contains("down"));
        assert_eq!(Error::from_response(404, b"").code(), "resource-not-found");
    }

    #[test]
    fn recognises_stale_tokens() {
        let expired = br#"{"type":"list","correlationId":"c","data":[{"type":"error","code":"access-denied","title":"Forbidden","detail":"Token has expired"}]}"#;
        assert!(Error::from_response(403, expired).is_stale_token());
        assert!(Error::from_response(401, b"").is_stale_token());
        let other = br#"{"type":"list","correlationId":"c","data":[{"type":"error","code":"access-denied","title":"Forbidden","detail":"Another user"}]}"#;
        assert!(!Error::from_response(403, other).is_stale_token());
    }

    #[test]
    fn job_failures_carry_the_step_error() {
        let job: Job = serde_json::from_str(r#"{"type":"job","id":"j1","steps":[]}"#).unwrap();
        let fail = serde_json::json!({"code":"invalid-credentials","title":"Wrong password","detail":"Check the login"});
        let e = Error::job_failed(&job, "verify-credentials", Some(&fail));
        assert_eq!((e.kind, e.code(), e.detail()), (ErrorKind::JobFailed, "invalid-credentials", "Check the login"));
        assert_eq!(e.job.as_ref().map(|j| j.id.as_str()), Some("j1"));
        assert_eq!(Error::job_failed(&job, "x", None).code(), "job-failed");
    }
}
