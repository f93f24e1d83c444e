//! `/users/{id}/connections…`: connect (202 job), list, get, update credentials,
//! delete, refresh one and refresh all. The 1.0 surface (legacy.rs) reuses the
//! helpers at the bottom.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use sqlx::AnyConnection;
use tally_api::{Connection, Job, List, NewConnection, UpdateConnection, CONNECTION_FIELDS};

use super::{parse_filter, user_for, ListQuery};
use crate::auth::Auth;
use crate::connector::Credentials;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::store::connections::ConnRow;
use crate::{db, jobs, store, views, AppState};

pub fn router() -> Router<AppState> {
    let r = super::both(Router::new(), "/users/{id}/connections", post(create).get(list));
    let r = super::both(r, "/users/{id}/connections/refresh", post(refresh_all));
    let r = super::both(r, "/users/{id}/refresh", post(refresh_all_short));
    let r = super::both(r, "/users/{id}/connections/{cid}", get(one).post(update).delete(delete));
    super::both(r, "/users/{id}/connections/{cid}/refresh", post(refresh))
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
    let job = connect(&state, &auth.app_id, Some(&user.id), body).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(job)))
}

#[utoipa::path(get, path = "/users/{id}/connections", tag = "connections", params(("id" = String, Path), ("filter" = Option<String>, Query)), responses((status = 200, description = "list of connections", body = tally_api::List<tally_api::Connection>)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<axum::Json<List<Connection>>, ApiError> {
    let filter = parse_filter(q.filter.as_deref(), CONNECTION_FIELDS)?;
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    let mut data = Vec::new();
    for c in store::connections::list_for_user(&mut conn, &auth.app_id, &id).await? {
        let matches = filter.matches(|field| match field {
            "connection.id" => Some(c.id.as_str()),
            "institution.id" => Some(c.institution_id.as_str()),
            "connection.status" => Some(c.status.as_str()),
            _ => None,
        });
        if matches {
            let accounts = store::accounts::ids_for_connection(&mut conn, &c.id).await?;
            data.push(views::connection(&c, &accounts));
        }
    }
    Ok(axum::Json(List::of(data)))
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
async fn one(State(state): State<AppState>, auth: Auth, Path((id, cid)): Path<(String, String)>) -> Result<axum::Json<Connection>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let c = owned(&mut conn, &auth, &id, &cid).await?;
    Ok(axum::Json(connection_view(&mut conn, &c).await?))
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
    let job = update_credentials(&state, &c, body).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(job)))
}

#[utoipa::path(delete, path = "/users/{id}/connections/{cid}", tag = "connections", params(("id" = String, Path), ("cid" = String, Path)), responses((status = 204, description = "deleted with its accounts and transactions; credentials wiped"), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn delete(State(state): State<AppState>, auth: Auth, Path((id, cid)): Path<(String, String)>) -> Result<StatusCode, ApiError> {
    let mut conn = state.db.acquire().await?;
    let c = owned(&mut conn, &auth, &id, &cid).await?;
    drop(conn);
    remove(&state, &c).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/users/{id}/connections/{cid}/refresh", tag = "connections", params(("id" = String, Path), ("cid" = String, Path)), responses((status = 202, description = "a new job", body = tally_api::Job), (status = 200, description = "the job already running", body = tally_api::Job)), security(("bearer" = [])))]
async fn refresh(State(state): State<AppState>, auth: Auth, Path((id, cid)): Path<(String, String)>) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let mut conn = state.db.acquire().await?;
    let c = owned(&mut conn, &auth, &id, &cid).await?;
    drop(conn);
    let (job, created) = refresh_one(&state, &c, true).await?;
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
    let conns = store::connections::list_for_user(&mut conn, &auth.app_id, &id).await?;
    drop(conn);
    let mut data = Vec::new();
    // Statement connections have nothing to re-fetch: they are not in the answer.
    for c in conns.iter().filter(|c| c.status != "invalid" && !c.is_statement()) {
        let (job, _) = refresh_one(&state, c, false).await?;
        data.push(job);
    }
    Ok((StatusCode::ACCEPTED, axum::Json(json!({"type": "list", "data": data}))))
}

// ---- shared with the 1.0 surface ----

pub async fn connection_view(conn: &mut AnyConnection, c: &ConnRow) -> Result<Connection, ApiError> {
    let accounts = store::accounts::ids_for_connection(conn, &c.id).await?;
    Ok(views::connection(c, &accounts))
}

fn credentials_of(body: &NewConnection) -> Result<Credentials, ApiError> {
    if body.login_id.trim().is_empty() {
        return Err(ApiError::missing_body("/loginId", "'loginId' must not be empty."));
    }
    if body.password.is_empty() {
        return Err(ApiError::missing_body("/password", "'password' must not be empty."));
    }
    if body.login_id.len() > 256 || body.password.len() > 256 {
        return Err(ApiError::invalid_body("/loginId", "Credentials are limited to 256 characters each."));
    }
    Ok(Credentials {
        login_id: body.login_id.trim().to_string(),
        password: body.password.clone(),
        security_code: body.security_code.clone(),
        secondary_login_id: body.secondary_login_id.clone(),
    })
}

fn seal(state: &AppState, creds: &Credentials) -> String {
    state.keys.seal(&serde_json::to_vec(creds).expect("credentials serialise"))
}

/// Creates a connection (of a user, or of the application for 1.0) and queues its
/// first job.
pub async fn connect(state: &AppState, app_id: &str, user_id: Option<&str>, body: NewConnection) -> Result<Job, ApiError> {
    let creds = credentials_of(&body)?;
    if state.connectors.get(&body.institution.id).is_none() {
        return Err(ApiError::Other {
            status: StatusCode::BAD_REQUEST,
            code: "institution-not-supported",
            title: "Institution not supported.",
            detail: match state.connectors.institution(&body.institution.id) {
                Some(i) if i.takes_statements() => format!(
                    "Institution '{}' ({}) has no sign-in here: upload its statement export with POST /users/{{id}}/statements.",
                    i.id, i.name
                ),
                _ => format!("Institution '{}' is not supported; see GET /institutions.", body.institution.id),
            },
        });
    }
    let mut tx = db::begin_write(&state.db).await?;
    if let Some(user) = user_id {
        crate::quota::new_connection(&mut tx, state, user).await?;
    }
    let cid = store::connections::insert(&mut tx, app_id, user_id, &body.institution.id, &seal(state, &creds), &state.now()).await?;
    let c = store::connections::get(&mut tx, app_id, &cid).await?.ok_or_else(|| ApiError::Internal("connection vanished".into()))?;
    let job = jobs::queue_for_user(&mut tx, state, &c, "create").await?;
    tx.commit().await?;
    jobs::kick(state);
    tracing::info!(connection = %cid, job = %job.id, institution = %body.institution.id, "connection created");
    Ok(views::job(&job))
}

/// Replaces what the body gives of the credentials and verifies them with a job.
pub async fn update_credentials(state: &AppState, c: &ConnRow, body: UpdateConnection) -> Result<Job, ApiError> {
    if c.is_statement() {
        return Err(ApiError::invalid_body("/", format!("Connection '{}' holds uploaded statements: it has no credentials to update.", c.id)));
    }
    let old: Credentials = c
        .credentials
        .as_deref()
        .and_then(|s| state.keys.open(s).ok())
        .and_then(|p| serde_json::from_slice(&p).ok())
        .unwrap_or(Credentials { login_id: String::new(), password: String::new(), security_code: None, secondary_login_id: None });
    if body.login_id.is_none() && body.password.is_none() && body.security_code.is_none() && body.secondary_login_id.is_none() {
        return Err(ApiError::missing_body("/password", "Send the new credentials: 'password' and optionally 'loginId', 'securityCode'."));
    }
    let new = NewConnection {
        login_id: body.login_id.unwrap_or(old.login_id),
        password: body.password.unwrap_or(old.password),
        security_code: body.security_code.or(old.security_code),
        secondary_login_id: body.secondary_login_id.or(old.secondary_login_id),
        institution: tally_api::InstitutionId { id: c.institution_id.clone() },
    };
    let creds = credentials_of(&new)?;
    let mut tx = db::begin_write(&state.db).await?;
    store::connections::set_credentials(&mut tx, &c.id, &seal(state, &creds)).await?;
    let job = jobs::queue_for_user(&mut tx, state, c, "update").await?;
    tx.commit().await?;
    jobs::kick(state);
    Ok(views::job(&job))
}

/// Refreshes a connection: the running job if there is one (false), else a new job
/// (true). `strict` refuses invalid connections with a 400 instead of skipping.
pub async fn refresh_one(state: &AppState, c: &ConnRow, strict: bool) -> Result<(Job, bool), ApiError> {
    if c.is_statement() {
        return Err(ApiError::invalid_body(
            "/",
            format!("Connection '{}' holds uploaded statements: there is nothing to re-fetch. Upload a newer statement instead (POST /users/{{id}}/statements).", c.id),
        ));
    }
    if strict && c.status == "invalid" {
        return Err(ApiError::invalid_body(
            "/",
            format!("Connection '{}' has invalid credentials; update them (POST to the connection) before refreshing.", c.id),
        ));
    }
    let mut tx = db::begin_write(&state.db).await?;
    // Locked while we look and queue: two refreshes at once (or a refresh and the
    // scheduler) on PostgreSQL would otherwise both see no job and start two.
    if store::connections::lock_current(&mut tx, &c.id).await?.is_none() {
        return Err(ApiError::not_found(format!("Connection '{}' does not exist.", c.id)));
    }
    if let Some(active) = store::jobs::active_for_connection(&mut tx, &c.id).await? {
        tx.commit().await?;
        return Ok((views::job(&active), false));
    }
    let job = jobs::queue_for_user(&mut tx, state, c, "refresh").await?;
    tx.commit().await?;
    jobs::kick(state);
    Ok((views::job(&job), true))
}

/// Deletes a connection and everything under it; its credentials are wiped.
pub async fn remove(state: &AppState, c: &ConnRow) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    store::connections::delete(&mut tx, &c.app_id, &c.id).await?;
    tx.commit().await?;
    Ok(())
}
