//! `GET /institutions`, `GET /institutions/{id}` and the unauthenticated
//! `GET /public/institutions`.

use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use tally_api::{Institution, List};

use crate::error::ApiError;
use crate::sandbox;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/institutions", get(list))
        .route("/institutions/", get(list))
        .route("/institutions/{id}", get(one))
        .route("/public/institutions", get(list))
        .route("/public/institutions/", get(list))
        .route("/public/institutions/{id}", get(one))
}

async fn list() -> Json<List<Institution>> {
    Json(List::of(sandbox::institutions::all()))
}

async fn one(Path(id): Path<String>) -> Result<Json<Institution>, ApiError> {
    sandbox::institutions::by_id(&id)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("Institution '{id}' does not exist.")))
}
