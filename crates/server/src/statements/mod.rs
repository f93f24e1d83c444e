//! Statement upload: a user's own bank export, in through `POST /users/{id}/statements`
//! (routes/statements.rs), out as the same accounts and transactions a connector gives.
//!
//! The route seals the file into `statement_uploads` and queues a job of kind
//! [`JOB_KIND`] on the user's statement connection for that institution (made on the
//! first upload, reused after, so a later file updates the same accounts). The job
//! worker runs it like any other job, through a [`source::StatementSource`] standing
//! in for the institution's connector: `verify-credentials` parses the file with
//! `tally_import` (the pure importer), `retrieve-accounts` and `retrieve-transactions`
//! store what it holds, classified like every transaction. Rows already held are not
//! added again (their keys are stable across uploads, and the insert skips a key it
//! has). A file that cannot be read fails the first step with the importer's detail
//! ("line 14: …") and stores nothing; a connection made for that upload alone is
//! removed again. The file is deleted when its job ends.

pub mod institutions;
pub mod source;

use crate::store;
use crate::store::connections::ConnRow;
use crate::store::jobs::JobRow;
use crate::AppState;

/// `jobs.kind` of an upload's job.
pub const JOB_KIND: &str = "statement";

/// After an upload's job ended: its file goes; a failed first upload leaves no
/// connection behind (it has no accounts, and no other upload is under way), so a
/// refused file changes nothing the user can see. The failed job itself stays readable.
pub async fn finish(state: &AppState, job: &JobRow, c: &ConnRow, failed: bool) -> Result<(), sqlx::Error> {
    let mut tx = crate::db::begin_write(&state.db).await?;
    store::statement_uploads::delete(&mut tx, &job.id).await?;
    if failed && store::connections::lock_current(&mut tx, &c.id).await?.is_some() {
        let accounts = store::accounts::ids_for_connection(&mut tx, &c.id).await?;
        let others = store::jobs::active_for_connection(&mut tx, &c.id).await?.filter(|j| j.id != job.id);
        if accounts.is_empty() && others.is_none() {
            store::connections::delete_empty(&mut tx, &c.app_id, &c.id).await?;
            tracing::info!(connection = %c.id, job = %job.id, "statement refused: its new connection was removed");
        }
    }
    tx.commit().await
}
