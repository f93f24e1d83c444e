//! `GET /institutions`, `GET /institutions/{id}` and the unauthenticated
//! `GET /public/institutions`. Institutions are not secret: no token needed.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use tally_api::{Institution, List};

use crate::error::ApiError;
use crate::extract::Path;
use crate::AppState;

pub fn router() -> Router<AppState> {
    let r = super::both(Router::new(), "/institutions", get(list));
    let r = super::both(r, "/institutions/{id}", get(one));
    let r = super::both(r, "/public/institutions", get(list));
    super::both(r, "/public/institutions/{id}", get(one))
}

#[utoipa::path(get, path = "/institutions", tag = "institutions", responses((status = 200, description = "list of institutions", body = tally_api::List<tally_api::Institution>)))]
async fn list(State(state): State<AppState>) -> Json<List<Institution>> {
    Json(List::of(state.connectors.institutions()))
}

async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Institution>, ApiError> {
    state
        .connectors
        .get(&id)
        .map(|c| Json(c.institution()))
        .ok_or_else(|| ApiError::not_found(format!("Institution '{id}' does not exist.")))
}
