//! SQL of the scheduler (crate::scheduler): the `schedules` rows (one per connection), their leases, and
//! the per-application setting. Portable except for [`claim`], which picks its SQL by
//! backend: PostgreSQL skips rows another instance is claiming, SQLite has one writer.

use sqlx::AnyConnection;

/// A schedule claimed by this instance, as it was when claimed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub connection_id: String,
    pub app_id: String,
    pub due_at: String,
    pub replan: i64,
    pub last_run_at: Option<String>,
    pub failing_since: Option<String>,
}

const CLAIMED_COLS: &str = "connection_id, app_id, due_at, replan, last_run_at, failing_since";
const DUE: &str = "due_at <= $1 AND (lease_until IS NULL OR lease_until < $1)";

/// Adds a schedule (a placeholder due now, to be replanned) for every connection
/// created since `since` that has none. Statement connections get none: there is no
/// bank to re-fetch them from. `None` looks at every connection (the first
/// tick after start). Several instances may race: the second insert is a no-op.
pub async fn enroll(conn: &mut AnyConnection, since: Option<&str>, now: &str) -> Result<u64, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO schedules (connection_id, app_id, due_at, replan) \
         SELECT c.id, c.app_id, $1, 1 FROM connections c \
         WHERE c.created_date >= $2 AND c.method = 'login' AND NOT EXISTS (SELECT 1 FROM schedules s WHERE s.connection_id = c.id) \
         ON CONFLICT (connection_id) DO NOTHING",
    )
    .bind(now)
    .bind(since.unwrap_or(""))
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}

/// The due batch, oldest first, without claiming it (the benchmark times this apart).
pub async fn find_due(conn: &mut AnyConnection, now: &str, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT connection_id FROM schedules WHERE {DUE} ORDER BY due_at LIMIT $2"))
        .bind(now)
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// Leases up to `limit` due schedules to `owner` until `lease_until` and returns them.
/// One statement: on PostgreSQL `FOR UPDATE SKIP LOCKED` lets concurrent instances
/// take disjoint batches; on SQLite the caller's `BEGIN IMMEDIATE` serialises them.
pub async fn claim(
    conn: &mut AnyConnection,
    postgres: bool,
    owner: &str,
    lease_until: &str,
    now: &str,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let lock = if postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE schedules SET lease_owner = $3, lease_until = $4 WHERE connection_id IN \
         (SELECT connection_id FROM schedules WHERE {DUE} ORDER BY due_at LIMIT $2{lock}) \
         RETURNING {CLAIMED_COLS}"
    );
    sqlx::query_as(&sql).bind(now).bind(limit).bind(owner).bind(lease_until).fetch_all(conn).await
}

/// Puts a claimed schedule back with its next due time (`None`: not scheduled) and
/// releases the lease; `shown` goes to the connection's `nextScheduledRefresh`. When
/// `ran` is given (job id, time) the row remembers the job to learn its outcome.
/// False when the lease was lost meanwhile (another instance now decides).
pub async fn release(
    conn: &mut AnyConnection,
    connection_id: &str,
    owner: &str,
    due_at: Option<&str>,
    shown: Option<&str>,
    ran: Option<(&str, &str)>,
) -> Result<bool, sqlx::Error> {
    let r = match ran {
        None => {
            sqlx::query(
                "UPDATE schedules SET due_at = $1, replan = 0, lease_owner = NULL, lease_until = NULL \
                 WHERE connection_id = $2 AND lease_owner = $3",
            )
            .bind(due_at.map(str::to_string))
            .bind(connection_id)
            .bind(owner)
            .execute(&mut *conn)
            .await?
        }
        Some((job_id, at)) => {
            sqlx::query(
                "UPDATE schedules SET due_at = $1, replan = 0, lease_owner = NULL, lease_until = NULL, \
                 last_run_at = $4, job_id = $5, awaiting_job = 1 \
                 WHERE connection_id = $2 AND lease_owner = $3",
            )
            .bind(due_at.map(str::to_string))
            .bind(connection_id)
            .bind(owner)
            .bind(at)
            .bind(job_id)
            .execute(&mut *conn)
            .await?
        }
    };
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    show_next(conn, connection_id, shown).await?;
    Ok(true)
}

/// Copies the next refresh time into the connection row, for its JSON.
async fn show_next(conn: &mut AnyConnection, connection_id: &str, shown: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET next_scheduled_refresh = $1 WHERE id = $2")
        .bind(shown.map(str::to_string))
        .bind(connection_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops the schedule of a deleted connection.
pub async fn forget(conn: &mut AnyConnection, connection_id: &str, owner: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM schedules WHERE connection_id = $1 AND lease_owner = $2").bind(connection_id).bind(owner).execute(conn).await?;
    Ok(())
}

/// A scheduled job that has ended (or vanished) and whose outcome is not yet applied.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Finished {
    pub connection_id: String,
    pub job_id: String,
    pub failing_since: Option<String>,
    /// `None`: the job row is gone.
    pub state: Option<String>,
    pub steps: Option<String>,
    pub updated: Option<String>,
}

pub async fn finished_jobs(conn: &mut AnyConnection, limit: i64) -> Result<Vec<Finished>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.connection_id, s.job_id, s.failing_since, j.state, j.steps, j.updated \
         FROM schedules s LEFT JOIN jobs j ON j.id = s.job_id \
         WHERE s.awaiting_job = 1 AND (j.id IS NULL OR j.state IN ('success', 'failed')) LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The job's outcome as it changes the schedule.
#[derive(Debug, Clone, Copy)]
pub enum Applied<'a> {
    /// Normal slots (clears any backoff).
    Settled,
    /// Retry at `at`; failing since `since`.
    Retry { at: &'a str, since: &'a str },
    /// No more attempts until the connection is refreshed some other way.
    GiveUp { now: &'a str },
}

/// Applies a finished job's outcome, unless a newer job was queued meanwhile.
pub async fn apply_outcome(conn: &mut AnyConnection, connection_id: &str, job_id: &str, outcome: Applied<'_>) -> Result<bool, sqlx::Error> {
    let guard = "WHERE connection_id = $1 AND job_id = $2 AND awaiting_job = 1";
    let (r, shown) = match outcome {
        Applied::Settled => (
            sqlx::query(&format!("UPDATE schedules SET awaiting_job = 0, failing_since = NULL {guard}"))
                .bind(connection_id)
                .bind(job_id)
                .execute(&mut *conn)
                .await?,
            None,
        ),
        Applied::Retry { at, since } => (
            sqlx::query(&format!("UPDATE schedules SET awaiting_job = 0, failing_since = $3, due_at = $4, replan = 0 {guard}"))
                .bind(connection_id)
                .bind(job_id)
                .bind(since)
                .bind(at)
                .execute(&mut *conn)
                .await?,
            Some(Some(at)),
        ),
        Applied::GiveUp { now } => (
            sqlx::query(&format!("UPDATE schedules SET awaiting_job = 0, due_at = NULL, given_up_at = $3 {guard}"))
                .bind(connection_id)
                .bind(job_id)
                .bind(now)
                .execute(&mut *conn)
                .await?,
            Some(None),
        ),
    };
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some(shown) = shown {
        show_next(conn, connection_id, shown).await?;
    }
    Ok(true)
}

/// Given-up connections that were refreshed since (by the user, or after new
/// credentials) go back on the schedule.
pub async fn resume_recovered(conn: &mut AnyConnection, now: &str) -> Result<u64, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE schedules SET given_up_at = NULL, failing_since = NULL, due_at = $1, replan = 1 \
         WHERE given_up_at IS NOT NULL AND connection_id IN \
         (SELECT c.id FROM connections c JOIN schedules s ON s.connection_id = c.id \
          WHERE s.given_up_at IS NOT NULL AND c.last_refreshed > s.given_up_at)",
    )
    .bind(now)
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}

/// After the application changed its refreshes a day: every schedule not waiting for a
/// backoff retry is replanned on the next tick (a new due time, no refresh burst). One
/// in backoff whose retry was dropped (0 a day) is replanned too, or it would never
/// come back.
pub async fn replan_app(conn: &mut AnyConnection, app_id: &str, now: &str) -> Result<u64, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE schedules SET due_at = $1, replan = 1 \
         WHERE app_id = $2 AND given_up_at IS NULL AND (failing_since IS NULL OR due_at IS NULL)",
    )
    .bind(now)
    .bind(app_id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}

/// The application's chosen refreshes a day, if it chose.
pub async fn per_day(conn: &mut AnyConnection, app_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT refreshes_per_day FROM scheduler_settings WHERE app_id = $1").bind(app_id).fetch_optional(conn).await
}

pub async fn set_per_day(conn: &mut AnyConnection, app_id: &str, n: i64, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO scheduler_settings (app_id, refreshes_per_day, updated) VALUES ($1, $2, $3) \
         ON CONFLICT (app_id) DO UPDATE SET refreshes_per_day = $2, updated = $3",
    )
    .bind(app_id)
    .bind(n)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
