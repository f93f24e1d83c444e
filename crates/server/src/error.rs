//! The server's one error type, turned into the contract's error JSON at the HTTP edge.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use tally_api::{ErrorBody, ErrorItem, ErrorSource};

/// Everything that can go wrong while answering a request. Each variant knows its
/// status code and contract error code, so handlers just return `Result<_, ApiError>`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    NotFound { detail: String },
    /// 400 parameter-not-valid; `parameter` names a query parameter, `pointer` a JSON
    /// pointer into the body.
    #[error("{detail}")]
    Invalid { parameter: Option<String>, pointer: Option<String>, detail: String },
    /// 400 parameter-not-supplied.
    #[error("{detail}")]
    Missing { parameter: Option<String>, pointer: Option<String>, detail: String },
    /// 401 invalid-authorization-token: no token, a forged one, or a bad API key.
    #[error("{0}")]
    Unauthorized(String),
    /// 403 access-denied: a valid token that may not do this (or has expired).
    #[error("{0}")]
    Forbidden(String),
    /// 429 too-many-requests, with how long until a retry may succeed (sent as
    /// `Retry-After`, whole seconds rounded up).
    #[error("{detail}")]
    TooManyRequests { detail: String, retry_after: std::time::Duration },
    /// Any other status with its own code, for the rare cases above don't cover
    /// (405, 413, 415, …).
    #[error("{detail}")]
    Other { status: StatusCode, code: &'static str, title: &'static str, detail: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError::NotFound { detail: detail.into() }
    }

    /// A bad query parameter.
    pub fn invalid_param(parameter: &str, detail: impl Into<String>) -> Self {
        ApiError::Invalid { parameter: Some(parameter.into()), pointer: None, detail: detail.into() }
    }

    /// A bad body field, e.g. `/email`.
    pub fn invalid_body(pointer: &str, detail: impl Into<String>) -> Self {
        ApiError::Invalid { parameter: None, pointer: Some(pointer.into()), detail: detail.into() }
    }

    /// A required body field that was not given.
    pub fn missing_body(pointer: &str, detail: impl Into<String>) -> Self {
        ApiError::Missing { parameter: None, pointer: Some(pointer.into()), detail: detail.into() }
    }

    pub fn missing_param(parameter: &str, detail: impl Into<String>) -> Self {
        ApiError::Missing { parameter: Some(parameter.into()), pointer: None, detail: detail.into() }
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::Forbidden(detail.into())
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        ApiError::Unauthorized(detail.into())
    }

    /// 429 for `what` ("token requests for this API key"), saying when to come back in
    /// the same whole seconds as the `Retry-After` header.
    pub fn too_many_requests(what: &str, retry_after: std::time::Duration) -> Self {
        ApiError::TooManyRequests { detail: format!("Too many {what}; retry in {} s.", retry_after_secs(retry_after)), retry_after }
    }

    pub fn status(&self) -> StatusCode {
        self.parts().0
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str, Option<ErrorSource>) {
        let source = |parameter: &Option<String>, pointer: &Option<String>| {
            (parameter.is_some() || pointer.is_some())
                .then(|| ErrorSource { pointer: pointer.clone(), parameter: parameter.clone() })
        };
        match self {
            ApiError::NotFound { .. } => (StatusCode::NOT_FOUND, "resource-not-found", "Requested resource is not found.", None),
            ApiError::Invalid { parameter, pointer, .. } => {
                (StatusCode::BAD_REQUEST, "parameter-not-valid", "Parameter not valid.", source(parameter, pointer))
            }
            ApiError::Missing { parameter, pointer, .. } => {
                (StatusCode::BAD_REQUEST, "parameter-not-supplied", "Required parameter not supplied.", source(parameter, pointer))
            }
            ApiError::Unauthorized(_) => {
                (StatusCode::UNAUTHORIZED, "invalid-authorization-token", "Invalid authorization token.", None)
            }
            // Basiq's documents require `source` on a 403; there is no parameter to name.
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "access-denied", "Access denied.", Some(ErrorSource::default())),
            ApiError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "too-many-requests", "Too many requests.", None),
            ApiError::Other { status, code, title, .. } => (*status, code, title, None),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal-server-error", "Internal server error.", None),
        }
    }
}

/// The status tower-http's request timeout answers with; [`timeout_response`] gives it
/// the contract's body.
pub const TIMED_OUT: StatusCode = StatusCode::SERVICE_UNAVAILABLE;

/// tower-http's `TimeoutLayer` answers an empty 503; handlers' own 503s carry a body.
pub async fn timeout_response(response: Response) -> Response {
    let empty = response.status() == TIMED_OUT && !response.headers().contains_key(axum::http::header::CONTENT_TYPE);
    if !empty {
        return response;
    }
    ApiError::Other {
        status: TIMED_OUT,
        code: "service-unavailable",
        title: "Request timed out.",
        detail: "The server took too long to answer this request; try again.".into(),
    }
    .into_response()
}

/// A request body that stopped arriving (tower-http's body-read timeout).
pub fn body_timed_out() -> ApiError {
    ApiError::Other {
        status: StatusCode::REQUEST_TIMEOUT,
        code: "parameter-not-valid",
        title: "Request body timed out.",
        detail: "The request body stopped arriving before it was complete.".into(),
    }
}

/// True when `e` (an extractor's body error) comes from the body-read timeout.
pub fn is_body_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cur = err.source();
    }
    false
}

/// The answer to a handler that panicked: a 500 with the contract's error JSON.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    ApiError::Internal(format!("handler panicked: {what}")).into_response()
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        // PostgreSQL refuses text it cannot store (a NUL character, SQLSTATE 22021;
        // untranslatable, 22P05): that is the client's input, not a server fault. The
        // statement failed, so nothing was written.
        let code = e.as_database_error().and_then(|d| d.code()).map(|c| c.into_owned());
        match code.as_deref() {
            Some("22021" | "22P05") => ApiError::Invalid {
                parameter: None,
                pointer: None,
                detail: "Text in this request contains a character that cannot be stored (such as NUL, \\u0000).".into(),
            },
            _ => ApiError::Internal(e.to_string()),
        }
    }
}

/// Whole seconds to wait, rounded up, at least one.
fn retry_after_secs(d: std::time::Duration) -> u64 {
    (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, title, source) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(%status, code, detail = %self, "request refused");
        }
        let detail = match &self {
            // Never leak internals to clients; the log has them.
            ApiError::Internal(_) => "The server could not complete the request.".to_string(),
            other => other.to_string(),
        };
        let body = ErrorBody {
            kind: "list".into(),
            correlation_id: uuid::Uuid::new_v4().to_string(),
            data: vec![ErrorItem { kind: "error".into(), code: code.into(), title: title.into(), detail, source }],
        };
        let mut response = (status, Json(body)).into_response();
        if let ApiError::TooManyRequests { retry_after, .. } = &self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after_secs(*retry_after).into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_handler_slower_than_the_request_timeout_answers_the_contracts_503() {
        let slow = axum::Router::new()
            .route("/slow", axum::routing::get(|| async { tokio::time::sleep(std::time::Duration::from_secs(5)).await }))
            .route("/busy", axum::routing::get(|| async { ApiError::Other { status: TIMED_OUT, code: "service-unavailable", title: "t", detail: "own".into() } }))
            .layer(tower_http::timeout::TimeoutLayer::with_status_code(TIMED_OUT, std::time::Duration::from_millis(50)))
            .layer(axum::middleware::map_response(timeout_response));
        let req = |p: &str| axum::http::Request::get(p).body(axum::body::Body::empty()).unwrap();
        let res = slow.clone().oneshot(req("/slow")).await.unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["data"][0]["code"], "service-unavailable");
        assert_eq!(v["data"][0]["title"], "Request timed out.");
        // A handler's own 503 keeps its detail.
        let res = slow.oneshot(req("/busy")).await.unwrap();
        let body = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("own"));
    }
}
