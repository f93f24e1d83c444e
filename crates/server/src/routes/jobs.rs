//! `/jobs/{id}` (poll), `/jobs/{id}/events` (server-sent events), `/jobs/{id}/mfa`
//! (answer a challenge) and `/users/{id}/jobs[?filter=]`.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use tally_api::{Job, List, MfaResponse, JOB_FIELDS};
use tokio::sync::broadcast::error::RecvError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{parse_filter, user_for, ListQuery};
use crate::auth::{Auth, StreamAuth};
use crate::views::Shaped;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::store::jobs::JobRow;
use crate::{jobs, store, views, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(one));
    let r = super::both(r, routes!(events));
    let r = super::both(r, routes!(mfa));
    super::both(r, routes!(list))
}

/// A job the caller may see: its application's, and for a client token its user's.
async fn visible(state: &AppState, auth: &Auth, id: &str) -> Result<JobRow, ApiError> {
    let mut conn = state.db.acquire().await?;
    let job = store::jobs::get(&mut conn, id)
        .await?
        .filter(|j| j.app_id == auth.app_id)
        .ok_or_else(|| ApiError::not_found(format!("Job '{id}' does not exist.")))?;
    if let Some(own) = &auth.user_id {
        if job.user_id.as_deref() != Some(own.as_str()) {
            return Err(ApiError::forbidden("This token is bound to another user."));
        }
    }
    Ok(job)
}

#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs", params(("id" = String, Path)), responses((status = 200, description = "the job and its steps", body = tally_api::Job), (status = 404, description = "unknown job", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn one(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Result<Shaped<Job, tally_api::v3::Job>, ApiError> {
    let j = visible(&state, &auth, &id).await?;
    let institution = institution_of(&state, auth.version, &j.connection_id).await?;
    Ok(Shaped::pick(auth.version, || views::job(&j), || views::v3::job(&j, &institution)))
}

/// The institution of a job's connection, for 3.0's jobs ("" once the connection is gone).
async fn institution_of(state: &AppState, version: crate::auth::Version, connection_id: &str) -> Result<String, ApiError> {
    if version != crate::auth::Version::V3 {
        return Ok(String::new());
    }
    let mut conn = state.db.acquire().await?;
    Ok(store::connections::get_by_id(&mut conn, connection_id).await?.map(|c| c.institution_id).unwrap_or_default())
}

#[utoipa::path(get, path = "/users/{id}/jobs", tag = "jobs", params(("id" = String, Path), ("filter" = Option<String>, Query)), responses((status = 200, description = "the user's jobs, newest first", body = tally_api::List<tally_api::Job>)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Shaped<List<Job>, List<tally_api::v3::Job>>, ApiError> {
    let filter = parse_filter(q.filter.as_deref(), JOB_FIELDS)?;
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    let rows = store::jobs::list(&mut conn, &auth.app_id, &id, &filter).await?;
    // 3.0 names each job's institution; 1.0 and 2.0 pay nothing for it.
    let institutions: std::collections::HashMap<String, String> = match auth.version {
        crate::auth::Version::V3 => store::connections::list_for_user(&mut conn, &auth.app_id, &id, &Default::default())
            .await?
            .into_iter()
            .map(|c| (c.id, c.institution_id))
            .collect(),
        _ => Default::default(),
    };
    let this = format!("/users/{id}/jobs");
    Ok(Shaped::pick(
        auth.version,
        || List::all(rows.iter().map(views::job).collect(), this.clone()),
        || List::all(rows.iter().map(|j| views::v3::job(j, institutions.get(&j.connection_id).map_or("", String::as_str))).collect(), this.clone()),
    ))
}

#[utoipa::path(post, path = "/jobs/{id}/mfa", tag = "jobs", params(("id" = String, Path)), request_body(content = tally_api::MfaResponse, description = "{\"mfa-response\": [\"…\"]}"), responses((status = 202, description = "answer taken", body = tally_api::Job), (status = 400, description = "no challenge open, or malformed answer", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn mfa(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<MfaResponse>,
) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let job = visible(&state, &auth, &id).await?;
    if body.mfa_response.is_empty() || body.mfa_response.iter().any(|a| a.trim().is_empty() || a.len() > 256) {
        return Err(ApiError::invalid_body("/mfa-response", "Send one non-empty answer per challenge input."));
    }
    // Sealed like the credentials: the answer is a secret until the worker uses it.
    let answer = serde_json::to_vec(&body.mfa_response).map_err(|e| ApiError::Internal(e.to_string()))?;
    let sealed = state.keys.seal(&answer);
    let mut conn = state.db.acquire().await?;
    if !store::jobs::answer_mfa(&mut conn, &job.id, &sealed, &state.now()).await? {
        return Err(ApiError::invalid_body("/mfa-response", format!("Job '{id}' is not waiting for a multi-factor answer.")));
    }
    state.job_changed(&job.id);
    jobs::kick(&state);
    let job = store::jobs::get(&mut conn, &id).await?.ok_or_else(|| ApiError::not_found("The job is gone."))?;
    Ok((StatusCode::ACCEPTED, axum::Json(views::job(&job))))
}

/// Streams the job as `event: job` / `data: <Job JSON>` each time a step changes,
/// starting with its current state, and ends after the job finishes (`event: deleted`
/// if it disappears). Changes come from this server's worker at once; a 1 s re-read
/// also catches jobs run by another instance sharing the database.
#[utoipa::path(get, path = "/jobs/{id}/events", tag = "jobs", params(("id" = String, Path), ("access_token" = Option<String>, Query)), responses((status = 200, description = "text/event-stream of `job` events")), security(("bearer" = [])))]
async fn events(
    State(state): State<AppState>,
    StreamAuth(auth): StreamAuth,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let rx = state.job_events.subscribe();
    let first = visible(&state, &auth, &id).await?;
    let init = Feed { state, id, rx, last: None, pending: Some(first), done: false, seq: 0 };
    let stream = futures_util::stream::unfold(init, |mut f| async move {
        let ev = f.next_event().await?;
        Some((Ok(ev), f))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// The state of one event stream.
struct Feed {
    state: AppState,
    id: String,
    rx: tokio::sync::broadcast::Receiver<String>,
    /// (steps, state) last sent, to send only changes.
    last: Option<(String, String)>,
    pending: Option<JobRow>,
    done: bool,
    seq: u64,
}

impl Feed {
    /// Waits until this job (probably) changed, then re-reads it.
    async fn reload(&mut self) -> Option<JobRow> {
        loop {
            match tokio::time::timeout(Duration::from_secs(1), self.rx.recv()).await {
                Ok(Ok(changed)) if changed != self.id => continue,
                Ok(Err(RecvError::Closed)) => tokio::time::sleep(Duration::from_secs(1)).await,
                _ => {}
            }
            break;
        }
        let mut c = self.state.db.acquire().await.ok()?;
        store::jobs::get(&mut c, &self.id).await.ok().flatten()
    }

    async fn next_event(&mut self) -> Option<Event> {
        loop {
            if self.done {
                return None;
            }
            let row = match self.pending.take() {
                Some(r) => Some(r),
                None => self.reload().await,
            };
            let Some(row) = row else {
                self.done = true;
                return Some(Event::default().event("deleted").data("{}"));
            };
            let key = (row.steps.clone(), row.state.clone());
            if self.last.as_ref() == Some(&key) {
                continue;
            }
            self.last = Some(key);
            self.done = row.state().is_finished();
            self.seq += 1;
            let json = serde_json::to_string(&views::job(&row)).unwrap_or_else(|_| "{}".into());
            return Some(Event::default().event("job").id(self.seq.to_string()).data(json));
        }
    }
}
