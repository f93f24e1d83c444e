//! `GET /users/{id}/consents` and `DELETE /users/{id}/consents/{cid}` (3.0). Revoking
//! a consent deletes the connections made under it, with their accounts and
//! transactions (`crate::events` says who gives consents).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use tally_api::v3::Consent;
use tally_api::List;

use super::user_for;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::Path;
use crate::{db, events, store, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(list));
    let r = super::both(r, routes!(auth_link, auth_link_read, auth_link_delete));
    super::both(r, routes!(revoke))
}

/// Basiq's hosted consent page has no counterpart: the user connects, and consents, in
/// Tally's own widget on the host's page. The answer says so, as the contract's error.
#[utoipa::path(post, path = "/users/{id}/auth_link", tag = "consents", params(("id" = String, Path)), responses((status = 404, description = "Tally has no hosted consent page: embed <tally-connect>", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn auth_link(state: State<AppState>, auth: Auth, id: Path<String>) -> Result<StatusCode, ApiError> {
    no_auth_link(state, auth, id).await
}

/// As [`auth_link`]: there is no link to read.
#[utoipa::path(get, path = "/users/{id}/auth_link", tag = "consents", params(("id" = String, Path)), responses((status = 404, description = "Tally has no hosted consent page: embed <tally-connect>", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn auth_link_read(state: State<AppState>, auth: Auth, id: Path<String>) -> Result<StatusCode, ApiError> {
    no_auth_link(state, auth, id).await
}

/// As [`auth_link`]: there is no link to delete.
#[utoipa::path(delete, path = "/users/{id}/auth_link", tag = "consents", params(("id" = String, Path)), responses((status = 404, description = "Tally has no hosted consent page: embed <tally-connect>", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn auth_link_delete(state: State<AppState>, auth: Auth, id: Path<String>) -> Result<StatusCode, ApiError> {
    no_auth_link(state, auth, id).await
}

async fn no_auth_link(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    Err(ApiError::not_found(
        "Tally has no hosted consent page (auth_link). Embed the <tally-connect> widget (npm package tally-connect) on your page and give it a \
         CLIENT_ACCESS token for this user from POST /token: the user connects, and consents, there.",
    ))
}

#[utoipa::path(get, path = "/users/{id}/consents", tag = "consents", params(("id" = String, Path)), responses((status = 200, description = "the user's consents, newest first", body = tally_api::List<tally_api::v3::Consent>), (status = 404, description = "unknown user", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn list(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Result<Json<List<Consent>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    let rows = store::consents::list(&mut conn, &auth.app_id, &id).await?;
    Ok(Json(List::all(rows.iter().map(events::consent_view).collect(), format!("/users/{id}/consents"))))
}

#[utoipa::path(delete, path = "/users/{id}/consents/{cid}", tag = "consents", params(("id" = String, Path), ("cid" = String, Path)), responses((status = 204, description = "revoked; the connections made under it are deleted with their data"), (status = 404, description = "unknown consent", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn revoke(State(state): State<AppState>, auth: Auth, Path((id, cid)): Path<(String, String)>) -> Result<StatusCode, ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    user_for(&mut tx, &auth, &id).await?;
    let c = store::consents::get(&mut tx, &auth.app_id, &id, &cid).await?.ok_or_else(|| ApiError::not_found(format!("Consent '{cid}' does not exist for user '{id}'.")))?;
    let now = state.clock.now();
    for connection in store::consents::connections(&mut tx, &c.id).await? {
        if let Some(row) = store::connections::get(&mut tx, &auth.app_id, &connection).await? {
            let data = crate::views::connection(&row, &[]);
            store::connections::delete(&mut tx, &auth.app_id, &connection).await?;
            events::record(&mut tx, &auth.app_id, &id, "connection.deleted", format!("/users/{id}/connections/{connection}"), &data, now).await?;
        }
    }
    if c.status == "active" {
        store::consents::revoke(&mut tx, &c.id, &events::stamp(now)).await?;
        let revoked = store::consents::get(&mut tx, &auth.app_id, &id, &cid).await?.unwrap_or(c);
        events::record(&mut tx, &auth.app_id, &id, "consent.revoked", format!("/users/{id}/consents/{cid}"), &events::consent_view(&revoked), now).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
