//! The 1.0 surface: connections that belong to the application, not to a user.
//! `POST /connections`, `GET|POST|DELETE /connections/{id}`, `/connections/{id}/refresh`,
//! and the connection's accounts and transactions. SERVER_ACCESS only. Jobs are read
//! through the shared `/jobs/{id}`; the operations are `crate::connections`, as for 2.0.

use axum::extract::State;
use axum::http::StatusCode;
use tally_api::{Account, Connection, Job, List, NewConnection, Transaction, UpdateConnection};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ListQuery;
use crate::auth::{Auth, Version};
use crate::connections::{self as ops, Invalid};
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::store::accounts::Owner;
use crate::store::connections::ConnRow;
use crate::{store, views, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(create));
    let r = super::both(r, routes!(one, update, delete));
    let r = super::both(r, routes!(refresh));
    let r = super::both(r, routes!(accounts));
    let r = super::both(r, routes!(account));
    let r = super::both(r, routes!(transactions));
    super::both(r, routes!(transaction))
}

/// An application's connection (1.0 ones, and 2.0 ones too: the application owns all).
async fn app_connection(state: &AppState, auth: &Auth, cid: &str) -> Result<ConnRow, ApiError> {
    auth.require_server()?;
    let mut conn = state.db.acquire().await?;
    store::connections::get(&mut conn, &auth.app_id, cid).await?.ok_or_else(|| ApiError::not_found(format!("Connection '{cid}' does not exist.")))
}

/// New application-owned connections are the 1.0 API; 2.0 makes them under a user.
#[utoipa::path(post, path = "/connections", tag = "1.0", request_body(content = tally_api::NewConnection), responses((status = 202, description = "the job", body = tally_api::Job)), security(("bearer" = [])))]
async fn create(State(state): State<AppState>, auth: Auth, Json(body): Json<NewConnection>) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    auth.require_server()?;
    if auth.version != Version::V1 {
        return Err(ApiError::forbidden(
            "POST /connections is the 1.0 API; with basiq-version 2.0 create connections with POST /users/{id}/connections.",
        ));
    }
    let job = ops::connect(&state, &auth.app_id, None, false, body).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(job)))
}

#[utoipa::path(get, path = "/connections/{cid}", tag = "1.0", params(("cid" = String, Path)), responses((status = 200, description = "the connection", body = tally_api::Connection), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn one(State(state): State<AppState>, auth: Auth, Path(cid): Path<String>) -> Result<axum::Json<Connection>, ApiError> {
    let c = app_connection(&state, &auth, &cid).await?;
    let mut conn = state.db.acquire().await?;
    Ok(axum::Json(ops::view(&mut conn, &c).await?))
}

#[utoipa::path(post, path = "/connections/{cid}", tag = "1.0", params(("cid" = String, Path)), request_body(content = tally_api::UpdateConnection, description = "new credentials"), responses((status = 202, description = "a job checking them", body = tally_api::Job), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(cid): Path<String>,
    Json(body): Json<UpdateConnection>,
) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let c = app_connection(&state, &auth, &cid).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(ops::update_credentials(&state, &c, body).await?)))
}

#[utoipa::path(delete, path = "/connections/{cid}", tag = "1.0", params(("cid" = String, Path)), responses((status = 204, description = "deleted"), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn delete(State(state): State<AppState>, auth: Auth, Path(cid): Path<String>) -> Result<StatusCode, ApiError> {
    let c = app_connection(&state, &auth, &cid).await?;
    ops::remove(&state, &c).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/connections/{cid}/refresh", tag = "1.0", params(("cid" = String, Path)), responses((status = 202, description = "a new job", body = tally_api::Job), (status = 200, description = "the job already running", body = tally_api::Job), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn refresh(State(state): State<AppState>, auth: Auth, Path(cid): Path<String>) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let c = app_connection(&state, &auth, &cid).await?;
    let (job, created) = ops::refresh(&state, &c, Invalid::Refuse).await?;
    Ok((if created { StatusCode::ACCEPTED } else { StatusCode::OK }, axum::Json(job)))
}

#[utoipa::path(get, path = "/connections/{cid}/accounts", tag = "1.0", params(("cid" = String, Path)), responses((status = 200, description = "the connection's accounts", body = tally_api::List<tally_api::Account>), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn accounts(State(state): State<AppState>, auth: Auth, Path(cid): Path<String>) -> Result<axum::Json<List<Account>>, ApiError> {
    let c = app_connection(&state, &auth, &cid).await?;
    let mut conn = state.db.acquire().await?;
    let rows = store::accounts::list(&mut conn, &auth.app_id, &Owner::Connection(&c.id), &Default::default()).await?;
    Ok(axum::Json(List::of(rows.iter().map(views::account).collect())))
}

#[utoipa::path(get, path = "/connections/{cid}/accounts/{aid}", tag = "1.0", params(("cid" = String, Path), ("aid" = String, Path)), responses((status = 200, description = "the account", body = tally_api::Account), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn account(State(state): State<AppState>, auth: Auth, Path((cid, aid)): Path<(String, String)>) -> Result<axum::Json<Account>, ApiError> {
    let c = app_connection(&state, &auth, &cid).await?;
    let mut conn = state.db.acquire().await?;
    store::accounts::get(&mut conn, &auth.app_id, &aid)
        .await?
        .filter(|a| a.connection_id == c.id)
        .map(|a| axum::Json(views::account(&a)))
        .ok_or_else(|| ApiError::not_found(format!("Account '{aid}' does not exist in connection '{cid}'.")))
}

#[utoipa::path(get, path = "/connections/{cid}/transactions", tag = "1.0", params(("cid" = String, Path), ("filter" = Option<String>, Query), ("limit" = Option<u32>, Query), ("next" = Option<String>, Query)), responses((status = 200, description = "a page of transactions", body = tally_api::List<tally_api::Transaction>), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn transactions(State(state): State<AppState>, auth: Auth, Path(cid): Path<String>, Query(q): Query<ListQuery>) -> Result<axum::Json<List<Transaction>>, ApiError> {
    let c = app_connection(&state, &auth, &cid).await?;
    let base = format!("/connections/{}/transactions", c.id);
    Ok(axum::Json(super::transactions::page(&state, &auth.app_id, Owner::Connection(&c.id), &base, q, crate::views::transaction).await?))
}

#[utoipa::path(get, path = "/connections/{cid}/transactions/{tid}", tag = "1.0", params(("cid" = String, Path), ("tid" = String, Path)), responses((status = 200, description = "the transaction", body = tally_api::Transaction), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn transaction(State(state): State<AppState>, auth: Auth, Path((cid, tid)): Path<(String, String)>) -> Result<axum::Json<Transaction>, ApiError> {
    let c = app_connection(&state, &auth, &cid).await?;
    let mut conn = state.db.acquire().await?;
    store::transactions::get(&mut conn, &auth.app_id, &tid)
        .await?
        .filter(|t| t.connection_id == c.id)
        .map(|t| axum::Json(views::transaction(&t)))
        .ok_or_else(|| ApiError::not_found(format!("Transaction '{tid}' does not exist in connection '{cid}'.")))
}
