//! `/users`: create, read, update, delete, and `/users/{id}/link` (1.0 → 2.0 migration).

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{json, Value};
use tally_api::{LinkConnection, NewUser, User};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::user_for;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::store::connections::LinkError;
use crate::views::Shaped;
use crate::{db, store, views, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(create));
    let r = super::both(r, routes!(update, get, delete));
    super::both(r, routes!(link))
}

/// Checks email and mobile; at least one must be given (`require_one`).
fn validate(u: &NewUser, require_one: bool) -> Result<(Option<String>, Option<String>), ApiError> {
    let email = u.email.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let mobile = u.mobile.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if require_one && email.is_none() && mobile.is_none() {
        return Err(ApiError::missing_body("/email", "A user needs an 'email' or a 'mobile'."));
    }
    if let Some(e) = email {
        let ok = e.len() <= 254
            && !e.chars().any(|c| c.is_whitespace() || c.is_control())
            && e.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'));
        if !ok {
            return Err(ApiError::invalid_body("/email", format!("'{e}' is not an email address.")));
        }
    }
    if let Some(m) = mobile {
        let digits = m.strip_prefix('+').unwrap_or(m).replace([' ', '-'], "");
        if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::invalid_body("/mobile", format!("'{m}' is not a mobile number (8 to 15 digits, optional leading +).")));
        }
    }
    Ok((email.map(Into::into), mobile.map(Into::into)))
}

type UserBody = Shaped<User, tally_api::v3::User>;

async fn view(conn: &mut sqlx::AnyConnection, auth: &Auth, u: &store::users::UserRow) -> Result<UserBody, ApiError> {
    let conns = store::connections::list_for_user(conn, &u.app_id, &u.id, &Default::default()).await?;
    let accounts = store::accounts::list(conn, &u.app_id, &store::accounts::Owner::User(&u.id), &Default::default()).await?;
    let ids: Vec<(String, String)> = accounts.into_iter().map(|a| (a.id, a.connection_id)).collect();
    Ok(Shaped::pick(auth.version, || views::user(u, &conns, &ids), || views::v3::user(u, &conns, &ids)))
}

fn names(u: &NewUser) -> store::users::Names {
    let clean = |n: &Option<String>| n.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    store::users::Names { first: clean(&u.first_name), middle: clean(&u.middle_name), last: clean(&u.last_name) }
}

#[utoipa::path(post, path = "/users", tag = "users", request_body(content = tally_api::NewUser, description = "{email?, mobile?}: one required"), responses((status = 201, description = "the user", body = tally_api::User), (status = 400, description = "neither email nor mobile, or malformed", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn create(State(state): State<AppState>, auth: Auth, Json(body): Json<NewUser>) -> Result<(StatusCode, UserBody), ApiError> {
    auth.require_server()?;
    let (email, mobile) = validate(&body, true)?;
    let mut conn = state.db.acquire().await?;
    let u = store::users::create(&mut conn, &auth.app_id, email.as_deref(), mobile.as_deref(), &names(&body), &state.now()).await?;
    Ok((StatusCode::CREATED, view(&mut conn, &auth, &u).await?))
}

#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = String, Path)), responses((status = 200, description = "the user with its connections and accounts", body = tally_api::User), (status = 404, description = "unknown user", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn get(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Result<UserBody, ApiError> {
    let mut conn = state.db.acquire().await?;
    let u = user_for(&mut conn, &auth, &id).await?;
    view(&mut conn, &auth, &u).await
}

#[utoipa::path(post, path = "/users/{id}", tag = "users", params(("id" = String, Path)), request_body(content = tally_api::NewUser), responses((status = 200, description = "the updated user", body = tally_api::User)), security(("bearer" = [])))]
async fn update(State(state): State<AppState>, auth: Auth, Path(id): Path<String>, Json(body): Json<NewUser>) -> Result<UserBody, ApiError> {
    let names = names(&body);
    // A body of names alone is an update too; otherwise an email or a mobile is needed.
    let (email, mobile) = validate(&body, names.first.is_none() && names.middle.is_none() && names.last.is_none())?;
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    store::users::update(&mut conn, &auth.app_id, &id, email.as_deref(), mobile.as_deref(), &names).await?;
    let u = user_for(&mut conn, &auth, &id).await?;
    view(&mut conn, &auth, &u).await
}

#[utoipa::path(delete, path = "/users/{id}", tag = "users", params(("id" = String, Path)), responses((status = 204, description = "deleted with everything under it")), security(("bearer" = [])))]
async fn delete(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    auth.require_server()?;
    let mut tx = db::begin_write(&state.db).await?;
    if !store::users::delete_cascade(&mut tx, &auth.app_id, &id).await? {
        return Err(ApiError::not_found(format!("User '{id}' does not exist.")));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Moves 1.0 connections under the user, with their accounts and transactions, without
/// fetching anything again. All or nothing: an unknown or foreign id changes nothing.
#[utoipa::path(post, path = "/users/{id}/link", tag = "users", params(("id" = String, Path)), request_body(content = Vec<tally_api::LinkConnection>, description = "[{connectionId}]"), responses((status = 200, description = "the linked connections", body = tally_api::List<tally_api::Connection>), (status = 404, description = "unknown connection; nothing linked", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn link(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<Vec<LinkConnection>>,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    auth.require_server()?;
    if body.is_empty() {
        return Err(ApiError::missing_body("/0/connectionId", "Send a list of {\"connectionId\": \"…\"} to link."));
    }
    if let Some(i) = body.iter().position(|l| l.connection_id.trim().is_empty()) {
        return Err(ApiError::invalid_body(&format!("/{i}/connectionId"), "Empty connection id."));
    }
    if let Some(i) = body.iter().position(|l| l.connection_id.chars().any(char::is_control)) {
        return Err(ApiError::invalid_body(&format!("/{i}/connectionId"), "A connection id has no control characters."));
    }
    let ids: Vec<String> = body.into_iter().map(|l| l.connection_id).collect();
    let mut tx = db::begin_write(&state.db).await?;
    user_for(&mut tx, &auth, &id).await?;
    match store::connections::link(&mut tx, &auth.app_id, &id, &ids).await? {
        Ok(_) => {}
        Err(LinkError::Unknown(cid)) => return Err(ApiError::not_found(format!("Connection '{cid}' does not exist; nothing was linked."))),
        Err(LinkError::Foreign(cid)) => {
            return Err(ApiError::invalid_body("/connectionId", format!("Connection '{cid}' already belongs to another user; nothing was linked.")))
        }
    }
    tx.commit().await?;
    let mut conn = state.db.acquire().await?;
    let mut data = Vec::new();
    for cid in &ids {
        if let Some(c) = store::connections::get(&mut conn, &auth.app_id, cid).await? {
            let accounts = store::accounts::ids_for_connection(&mut conn, cid).await?;
            data.push(serde_json::to_value(views::connection(&c, &accounts)).map_err(|e| ApiError::Internal(e.to_string()))?);
        }
    }
    Ok((StatusCode::OK, axum::Json(json!({"type": "list", "data": data}))))
}
