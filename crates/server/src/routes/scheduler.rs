//! `GET`/`PUT /scheduler`: the application's scheduled refreshes a day (0 to 5),
//! SERVER_ACCESS only. Body and answer: `{"type":"scheduler","refreshesPerDay":5,…}`.

use axum::extract::State;
use serde_json::{json, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::Json;
use crate::scheduler::settings;
use crate::store::schedules as sstore;
use crate::{db, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    super::both(OpenApiRouter::new(), routes!(show, update))
}

fn view(per_day: u8, chosen: bool) -> Value {
    json!({
        "type": "scheduler",
        "refreshesPerDay": per_day,
        // Whether the application chose it, or it is the server's default.
        "source": if chosen { "application" } else { "default" },
        "links": {"self": "/scheduler"},
    })
}

#[utoipa::path(get, path = "/scheduler", tag = "scheduler", responses((status = 200, description = "{type, refreshesPerDay, source}"), (status = 403, description = "not a SERVER_ACCESS token", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn show(State(state): State<AppState>, auth: Auth) -> Result<axum::Json<Value>, ApiError> {
    auth.require_server()?;
    let mut conn = state.db.acquire().await?;
    let chosen = sstore::per_day(&mut conn, &auth.app_id).await?.is_some();
    let n = settings::per_day(&mut conn, &state.config, &auth.app_id).await?;
    Ok(axum::Json(view(n, chosen)))
}

/// Sets the refreshes a day; every schedule of the application is replanned on the
/// scheduler's next tick (new due times, no burst of refreshes).
#[utoipa::path(put, path = "/scheduler", tag = "scheduler", request_body(content = String, content_type = "application/json", description = "{\"refreshesPerDay\": 0..5}"), responses((status = 200, description = "{type, refreshesPerDay, source}"), (status = 400, description = "not 0 to 5", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn update(State(state): State<AppState>, auth: Auth, Json(body): Json<Value>) -> Result<axum::Json<Value>, ApiError> {
    auth.require_server()?;
    let Some(obj) = body.as_object() else {
        return Err(ApiError::invalid_body("/", "Send a JSON object: {\"refreshesPerDay\": 0..5}."));
    };
    let Some(value) = obj.get("refreshesPerDay") else {
        return Err(ApiError::missing_body("/refreshesPerDay", "'refreshesPerDay' is required: a whole number from 0 to 5."));
    };
    let n = settings::parse(value).map_err(|detail| ApiError::invalid_body("/refreshesPerDay", detail))?;
    let now = state.now();
    let mut tx = db::begin_write(&state.db).await?;
    sstore::set_per_day(&mut tx, &auth.app_id, i64::from(n), &now).await?;
    let replanned = sstore::replan_app(&mut tx, &auth.app_id, &now).await?;
    tx.commit().await?;
    tracing::info!(app = %auth.app_id, refreshes_per_day = n, replanned, "scheduler setting changed");
    Ok(axum::Json(view(n, true)))
}
