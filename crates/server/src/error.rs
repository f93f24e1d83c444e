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
    #[error("{detail}")]
    Invalid { parameter: Option<String>, detail: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError::NotFound { detail: detail.into() }
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str, Option<ErrorSource>) {
        match self {
            ApiError::NotFound { .. } => (StatusCode::NOT_FOUND, "resource-not-found", "Requested resource is not found.", None),
            ApiError::Invalid { parameter, .. } => (
                StatusCode::BAD_REQUEST,
                "parameter-not-valid",
                "Parameter not valid.",
                Some(ErrorSource { pointer: None, parameter: parameter.clone() }),
            ),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal-server-error", "Internal server error.", None),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, title, source) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
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
        (status, Json(body)).into_response()
    }
}
