//! Unknown paths and methods answer with the contract's error JSON too.

use axum::http::{Method, StatusCode, Uri};

use crate::error::ApiError;

pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(format!("No resource at '{}'.", uri.path()))
}

pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::Other {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "parameter-not-valid",
        title: "Method not allowed.",
        detail: format!("'{}' does not accept {method}.", uri.path()),
    }
}
