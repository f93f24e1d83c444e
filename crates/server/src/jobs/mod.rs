//! Asynchronous jobs: the pure state machine, the worker that drives it, and the
//! queueing helpers handlers use.

pub mod machine;
pub mod worker;

use crate::store;
use crate::store::connections::ConnRow;
use crate::store::jobs::JobRow;
use crate::AppState;

/// Queues a job for `c` and wakes the worker. Use inside the caller's transaction
/// through `conn`; call [`kick`] after commit.
pub async fn queue(conn: &mut sqlx::AnyConnection, state: &AppState, c: &ConnRow, kind: &str, trigger: &str) -> Result<JobRow, sqlx::Error> {
    store::jobs::insert(conn, c, kind, trigger, &state.now()).await
}

/// Queues a job the user asked for, within their jobs-per-minute quota (1.0
/// connections, which have no user, are not counted).
pub async fn queue_for_user(conn: &mut sqlx::AnyConnection, state: &AppState, c: &ConnRow, kind: &str) -> Result<JobRow, crate::error::ApiError> {
    if let Some(user) = &c.user_id {
        crate::quota::new_job(conn, state, user).await?;
    }
    Ok(queue(conn, state, c, kind, "user").await?)
}

/// Wakes the worker after jobs were committed.
pub fn kick(state: &AppState) {
    state.wake_worker.notify_one();
}
