//! `POST /demo/token[?user=ID]` (only with `--demo`): a CLIENT_ACCESS token for a demo
//! user of the demo application, so the demo page needs no backend of its own. Reuses
//! the user given (if it is a demo user) or makes a fresh one.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tally_api::ClientToken;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, Version, CLIENT_ACCESS};
use crate::error::ApiError;
use crate::extract::Query;
use crate::{store, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    super::both(OpenApiRouter::new(), routes!(token))
}

#[derive(Debug, Deserialize)]
struct DemoQuery {
    user: Option<String>,
}

#[utoipa::path(post, path = "/demo/token", tag = "demo", params(("user" = Option<String>, Query)), responses((status = 200, description = "{access_token, expires_in, user_id}", body = tally_api::ClientToken)))]
async fn token(State(state): State<AppState>, Query(q): Query<DemoQuery>) -> Result<Json<ClientToken>, ApiError> {
    let app_id = state.demo_app.clone().ok_or_else(|| ApiError::not_found("The demo is not enabled."))?;
    state.token_limiter.allow(&state.db, &format!("demo:{app_id}")).await?.map_err(|wait| ApiError::too_many_requests("demo token requests", wait))?;
    let mut conn = state.db.acquire().await?;
    let existing = match q.user.as_deref().filter(|u| !u.is_empty()) {
        Some(u) => store::users::get(&mut conn, &app_id, u).await?,
        None => None,
    };
    let user = match existing {
        Some(u) => u,
        None => store::users::create(&mut conn, &app_id, Some("demo@tally.example"), None, &Default::default(), &state.now()).await?,
    };
    let access_token = auth::issue(&state, &app_id, CLIENT_ACCESS, Some(&user.id), Version::V3);
    Ok(Json(ClientToken { access_token, expires_in: state.config.token_ttl_secs, user_id: user.id }))
}
