//! Axum's extractors with their rejections turned into the contract's error JSON, so
//! a bad body, path or query is a 4xx error object with a clear detail, never axum's
//! plain-text answer.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;

use crate::error::ApiError;

/// `axum::Json` whose rejections are [`ApiError`]s.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

/// `axum::extract::Path` with contract errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// `axum::extract::Query` with contract errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::Form` with contract errors.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Form), rejection(ApiError))]
pub struct Form<T>(pub T);

/// The raw body (for `/token`, which reads its form by hand), with contract errors:
/// an oversized body is a 413 error object, not axum's plain text.
#[derive(Debug)]
pub struct Body(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        axum::body::Bytes::from_request(req, state).await.map(Body).map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else if crate::error::is_body_timeout(&e) {
                crate::error::body_timed_out()
            } else {
                ApiError::invalid_body("/", e.body_text())
            }
        })
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::MissingJsonContentType(_) => ApiError::Other {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "parameter-not-valid",
                title: "Unsupported content type.",
                detail: "Send the body as JSON with 'Content-Type: application/json'.".into(),
            },
            JsonRejection::JsonSyntaxError(e) => ApiError::invalid_body("/", format!("The body is not valid JSON: {}", e.body_text())),
            JsonRejection::JsonDataError(e) => {
                // serde's message names the field and the expected type.
                ApiError::invalid_body("/", format!("The body does not match what this endpoint takes: {}", e.body_text()))
            }
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large(),
            JsonRejection::BytesRejection(e) if crate::error::is_body_timeout(&e) => crate::error::body_timed_out(),
            other => ApiError::invalid_body("/", other.body_text()),
        }
    }
}

impl From<FormRejection> for ApiError {
    fn from(r: FormRejection) -> Self {
        match r {
            FormRejection::InvalidFormContentType(_) => ApiError::Other {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "parameter-not-valid",
                title: "Unsupported content type.",
                detail: "Send the body as 'application/x-www-form-urlencoded'.".into(),
            },
            FormRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large(),
            FormRejection::BytesRejection(e) if crate::error::is_body_timeout(&e) => crate::error::body_timed_out(),
            other => ApiError::invalid_body("/", other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::Invalid { parameter: None, pointer: None, detail: format!("Bad path: {}", r.body_text()) }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::Invalid { parameter: None, pointer: None, detail: format!("Bad query string: {}", r.body_text()) }
    }
}

/// Middleware: a percent-encoded NUL anywhere in the path or query is refused before
/// any extractor decodes it (no id, filter or parameter of the contract contains one),
/// the same on every database.
pub async fn refuse_nul_in_uri(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let uri = req.uri();
    let has_nul = |s: &str| s.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"%00"));
    if has_nul(uri.path()) || uri.query().is_some_and(has_nul) {
        return ApiError::Invalid { parameter: None, pointer: None, detail: "The URL contains a NUL character (%00).".into() }.into_response();
    }
    next.run(req).await
}

pub fn too_large() -> ApiError {
    ApiError::Other {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: "parameter-not-valid",
        title: "Request body too large.",
        detail: "The request body is larger than this server accepts.".into(),
    }
}
