//! `GET /openapi.json` (filled in below once the API settles).

use axum::routing::get;
use axum::{Json, Router};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(serde_json::json!({"openapi": "3.1.0"})) }))
}
