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

/// Wakes the worker after jobs were committed.
pub fn kick(state: &AppState) {
    state.wake_worker.notify_one();
}
