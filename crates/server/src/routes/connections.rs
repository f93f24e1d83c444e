//! `/users/{id}/connections…`: connect (202 job), list, get, update credentials,
//! delete, refresh one and refresh all. The operations themselves are
//! `crate::connections`, shared with the 1.0 surface (legacy.rs) and the scheduler;
//! here the user's connection is found and the answer shaped.

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::AnyConnection;
use tally_api::{Connection, Job, List, NewConnection, UpdateConnection, CONNECTION_FIELDS};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{parse_filter, user_for, ListQuery};
use crate::auth::Auth;
use crate::connections::{self as ops, Invalid};
use crate::views::Shaped;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::store::connections::ConnRow;
use crate::{store, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(create, list));
    let r = super::both(r, routes!(refresh_all));
    let r = super::both(r, routes!(refresh_all_short));
    let r = super::both(r, routes!(one, update, delete));
    let r = super::both(r, routes!(purge));
    super::both(r, routes!(refresh))
}

/// Deletes what a connection brought, its accounts and transactions, and keeps the
/// connection: a later refresh fetches them again (3.0's purge).
#[utoipa::path(post, path = "/users/{id}/connections/{cid}/purge", tag = "connections", params(("id" = String, Path), ("cid" = String, Path)), responses((status = 204, description = "its accounts and transactions deleted"), (status = 404, description = "unknown connection", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn purge(State(state): State<AppState>, auth: Auth, Path((id, cid)): Path<(String, String)>) -> Result<StatusCode, ApiError> {
    let mut conn = state.db.acquire().await?;
    let c = owned(&mut conn, &auth, &id, &cid).await?;
    drop(conn);
    ops::purge(&state, &c).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/users/{id}/connections", tag = "connections", params(("id" = String, Path)), request_body(content = tally_api::NewConnection, description = "{loginId, password, securityCode?, institution:{id}}"), responses((status = 202, description = "the job", body = tally_api::Job), (status = 400, description = "malformed body or unknown institution", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<NewConnection>,
) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let mut conn = state.db.acquire().await?;
    let user = user_for(&mut conn, &auth, &id).await?;
    drop(conn);
    let job = ops::connect(&state, &auth.app_id, Some(&user.id), !auth.is_server(), body).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(job)))
}

#[utoipa::path(get, path = "/users/{id}/connections", tag = "connections", params(("id" = String, Path), ("filter" = Option<String>, Query)), responses((status = 200, description = "list of connections", body = tally_api::List<tally_api::Connection>)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Shaped<List<Connection>, List<tally_api::v3::Connection>>, ApiError> {
    let filter = parse_filter(q.filter.as_deref(), CONNECTION_FIELDS)?;
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    let mut data = Vec::new();
    let mut data3 = Vec::new();
    for c in store::connections::list_for_user(&mut conn, &auth.app_id, &id, &filter).await? {
        match shaped(&mut conn, &auth, &c).await? {
            Shaped::Classic(one) => data.push(one),
            Shaped::V3(one) => data3.push(one),
        }
    }
    let this = format!("/users/{id}/connections");
    Ok(Shaped::pick(auth.version, || List::all(data, this.clone()), || List::all(data3, this.clone())))
}

/// The user's connection `cid`, or 404.
async fn owned(conn: &mut AnyConnection, auth: &Auth, user_id: &str, cid: &str) -> Result<ConnRow, ApiError> {
    user_for(conn, auth, user_id).await?;
    store::connections::get(conn, &auth.app_id, cid)
        .await?
        .filter(|c| c.user_id.as_deref() == Some(user_id))
        .ok_or_else(|| ApiError::not_found(format!("Connection '{cid}' does not exist for user '{user_id}'.")))
}

#[utoipa::path(get, path = "/users/{id}/connections/{cid}", tag = "connections", params(("id" = String, Path), ("cid" = String, Path)), responses((status = 200, description = "the connection", body = tally_api::Connection), (status = 404, description = "unknown connection", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn one(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, cid)): Path<(String, String)>,
) -> Result<Shaped<Connection, tally_api::v3::Connection>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let c = owned(&mut conn, &auth, &id, &cid).await?;
    shaped(&mut conn, &auth, &c).await
}

/// A connection in the caller's version's shape.
async fn shaped(conn: &mut AnyConnection, auth: &Auth, c: &ConnRow) -> Result<Shaped<Connection, tally_api::v3::Connection>, ApiError> {
    Ok(match auth.version {
        crate::auth::Version::V3 => {
            let accounts = store::accounts::list(conn, &auth.app_id, &store::accounts::Owner::Connection(&c.id), &Default::default()).await?;
            Shaped::V3(crate::views::v3::connection(c, &accounts))
        }
        _ => Shaped::Classic(ops::view(conn, c).await?),
    })
}

#[utoipa::path(post, path = "/users/{id}/connections/{cid}", tag = "connections", params(("id" = String, Path), ("cid" = String, Path)), request_body(content = tally_api::UpdateConnection, description = "new credentials"), responses((status = 202, description = "a job checking them", body = tally_api::Job), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, cid)): Path<(String, String)>,
    Json(body): Json<UpdateConnection>,
) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let mut conn = state.db.acquire().await?;
    let c = owned(&mut conn, &auth, &id, &cid).await?;
    drop(conn);
    let job = ops::update_credentials(&state, &c, body).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(job)))
}

#[utoipa::path(delete, path = "/users/{id}/connections/{cid}", tag = "connections", params(("id" = String, Path), ("cid" = String, Path)), responses((status = 204, description = "deleted with its accounts and transactions; credentials wiped"), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn delete(State(state): State<AppState>, auth: Auth, Path((id, cid)): Path<(String, String)>) -> Result<StatusCode, ApiError> {
    let mut conn = state.db.acquire().await?;
    let c = owned(&mut conn, &auth, &id, &cid).await?;
    drop(conn);
    ops::remove(&state, &c).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/users/{id}/connections/{cid}/refresh", tag = "connections", params(("id" = String, Path), ("cid" = String, Path)), responses((status = 202, description = "a new job", body = tally_api::Job), (status = 200, description = "the job already running", body = tally_api::Job)), security(("bearer" = [])))]
async fn refresh(State(state): State<AppState>, auth: Auth, Path((id, cid)): Path<(String, String)>) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let mut conn = state.db.acquire().await?;
    let c = owned(&mut conn, &auth, &id, &cid).await?;
    drop(conn);
    let (job, created) = ops::refresh(&state, &c, Invalid::Refuse).await?;
    Ok((if created { StatusCode::ACCEPTED } else { StatusCode::OK }, axum::Json(job)))
}

/// The same as `/users/{id}/connections/refresh`, at the shorter path the contract
/// also names.
#[utoipa::path(post, path = "/users/{id}/refresh", tag = "connections", params(("id" = String, Path)), responses((status = 202, description = "one job per connection", body = tally_api::List<tally_api::Job>)), security(("bearer" = [])))]
async fn refresh_all_short(state: State<AppState>, auth: Auth, id: Path<String>) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    refresh_all(state, auth, id).await
}

/// One job per connection (reusing any already running), all run concurrently by the
/// worker. Invalid connections are skipped: they need new credentials first; so are
/// statement connections, which have no bank to re-fetch from.
#[utoipa::path(post, path = "/users/{id}/connections/refresh", tag = "connections", params(("id" = String, Path)), responses((status = 202, description = "one job per connection", body = tally_api::List<tally_api::Job>)), security(("bearer" = [])))]
async fn refresh_all(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    drop(conn);
    let data = ops::refresh_all(&state, &auth.app_id, &id).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(json!({"type": "list", "data": data}))))
}
