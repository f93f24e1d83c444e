//! The connection operations: connect, update credentials, refresh one, refresh all,
//! remove, and the rule that a connection has at most one unfinished job. The 2.0
//! routes (`/users/{id}/connections…`), the 1.0 routes (`/connections…`) and the
//! scheduler all call these, so each rule is written once; the routes only find the
//! connection the caller may touch and shape the answer.

use axum::http::StatusCode;
use sqlx::AnyConnection;
use tally_api::{Connection, ConnectionStatus, Job, NewConnection, UpdateConnection};

use crate::connector::Credentials;
use crate::error::ApiError;
use crate::store::connections::ConnRow;
use crate::store::jobs::JobRow;
use crate::{db, jobs, store, views, AppState};

/// The connection as the contract shows it, with its accounts.
pub async fn view(conn: &mut AnyConnection, c: &ConnRow) -> Result<Connection, ApiError> {
    let accounts = store::accounts::ids_for_connection(conn, &c.id).await?;
    Ok(views::connection(c, &accounts))
}

/// Who asked for a refresh: a user (their jobs-per-minute quota applies) or the
/// scheduler (no quota; its jobs are marked `scheduled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    User,
    Scheduled,
}

/// What [`one_job`] found or did.
#[derive(Debug)]
pub enum OneJob {
    /// The connection no longer exists.
    Gone,
    /// It already has an unfinished job (queued, running or waiting for MFA): that one.
    Running(JobRow),
    /// A new refresh job, queued in the caller's transaction.
    Queued(JobRow),
    /// The user's quota refused a new job.
    Refused(ApiError),
}

/// One job per connection: locks the connection's row, returns its unfinished job if
/// it has one, else queues a refresh. Call inside a write transaction (`db::begin_write`)
/// and [`jobs::kick`] after commit when a job was queued. The lock serialises two
/// refreshes at once, or a refresh and the scheduler: on PostgreSQL both would
/// otherwise see no job and start two.
pub async fn one_job(tx: &mut AnyConnection, state: &AppState, connection_id: &str, trigger: Trigger) -> Result<OneJob, sqlx::Error> {
    // The row as it is now: a link that happened meanwhile gives the job its new owner.
    let Some(c) = store::connections::lock_current(tx, connection_id).await? else { return Ok(OneJob::Gone) };
    if let Some(active) = store::jobs::active_for_connection(tx, connection_id).await? {
        return Ok(OneJob::Running(active));
    }
    let job = match trigger {
        Trigger::Scheduled => jobs::queue(tx, state, &c, "refresh", "scheduled").await?,
        Trigger::User => match jobs::queue_for_user(tx, state, &c, "refresh").await {
            Ok(job) => job,
            Err(e) => return Ok(OneJob::Refused(e)),
        },
    };
    Ok(OneJob::Queued(job))
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
/// `client`: asked with a CLIENT_ACCESS token (the widget), which the user's consent
/// records as its origin.
pub async fn connect(state: &AppState, app_id: &str, user_id: Option<&str>, client: bool, body: NewConnection) -> Result<Job, ApiError> {
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
    if let Some(user) = user_id {
        crate::events::under_consent(&mut tx, app_id, user, &cid, client, state.clock.now()).await?;
    }
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

/// How a refresh treats a connection whose credentials are invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Refuse with a 400 (refreshing that one connection).
    Refuse,
    /// Refresh it anyway (the caller already left such connections out).
    Allow,
}

/// Refreshes a connection a user asked for: the running job if there is one (false),
/// else a new job (true).
pub async fn refresh(state: &AppState, c: &ConnRow, invalid: Invalid) -> Result<(Job, bool), ApiError> {
    if c.is_statement() {
        return Err(ApiError::invalid_body(
            "/",
            format!("Connection '{}' holds uploaded statements: there is nothing to re-fetch. Upload a newer statement instead (POST /users/{{id}}/statements).", c.id),
        ));
    }
    if invalid == Invalid::Refuse && ConnectionStatus::parse(&c.status) == ConnectionStatus::Invalid {
        return Err(ApiError::invalid_body(
            "/",
            format!("Connection '{}' has invalid credentials; update them (POST to the connection) before refreshing.", c.id),
        ));
    }
    let mut tx = db::begin_write(&state.db).await?;
    match one_job(&mut tx, state, &c.id, Trigger::User).await? {
        OneJob::Gone => Err(ApiError::not_found(format!("Connection '{}' does not exist.", c.id))),
        OneJob::Refused(e) => Err(e),
        OneJob::Running(job) => {
            tx.commit().await?;
            Ok((views::job(&job), false))
        }
        OneJob::Queued(job) => {
            tx.commit().await?;
            jobs::kick(state);
            Ok((views::job(&job), true))
        }
    }
}

/// Refreshes every connection of a user: one job each (reusing any already running),
/// all run concurrently by the worker. Invalid connections are skipped: they need new
/// credentials first; so are statement connections, which have no bank to re-fetch
/// from (they are not in the answer).
pub async fn refresh_all(state: &AppState, app_id: &str, user_id: &str) -> Result<Vec<Job>, ApiError> {
    let conns = {
        let mut conn = state.db.acquire().await?;
        store::connections::list_for_user(&mut conn, app_id, user_id, &Default::default()).await?
    };
    let mut jobs = Vec::new();
    for c in conns.iter().filter(|c| ConnectionStatus::parse(&c.status) != ConnectionStatus::Invalid && !c.is_statement()) {
        let (job, _) = refresh(state, c, Invalid::Allow).await?;
        jobs.push(job);
    }
    Ok(jobs)
}

/// Deletes a connection and everything under it; its credentials are wiped.
pub async fn remove(state: &AppState, c: &ConnRow) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    store::connections::delete(&mut tx, &c.app_id, &c.id).await?;
    if let Some(user) = &c.user_id {
        let data = views::connection(c, &[]);
        crate::events::record(&mut tx, &c.app_id, user, "connection.deleted", format!("/users/{user}/connections/{}", c.id), &data, state.clock.now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes the data a connection brought, its accounts and transactions, and keeps
/// the connection: a later refresh fetches them again (3.0's purge).
pub async fn purge(state: &AppState, c: &ConnRow) -> Result<(), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    store::connections::purge(&mut tx, &c.app_id, &c.id).await?;
    tx.commit().await?;
    Ok(())
}
