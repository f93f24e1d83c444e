//! `jobs`: persisted so they survive restarts, claimed with a lease so that with
//! several server instances on one PostgreSQL each job runs once.

use sqlx::AnyConnection;

use super::{Sql, Val};
use crate::jobs::machine::{JobState, Steps};

const COLS: &str = "id, app_id, user_id, connection_id, kind, job_trigger, state, steps, mfa_response, mfa_expires, lease_until, attempts, created, updated";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub app_id: String,
    pub user_id: Option<String>,
    pub connection_id: String,
    /// create | refresh | update
    pub kind: String,
    /// user | scheduled
    pub job_trigger: String,
    pub state: String,
    pub steps: String,
    pub mfa_response: Option<String>,
    pub mfa_expires: Option<String>,
    pub lease_until: Option<String>,
    pub attempts: i64,
    pub created: String,
    pub updated: String,
}

impl JobRow {
    pub fn steps(&self) -> Steps {
        Steps::from_json(&self.steps).unwrap_or_default()
    }

    pub fn state(&self) -> JobState {
        JobState::parse(&self.state).unwrap_or(JobState::Queued)
    }
}

/// Queues a job for a connection.
pub async fn insert(conn: &mut AnyConnection, c: &super::connections::ConnRow, kind: &str, trigger: &str, now: &str) -> Result<JobRow, sqlx::Error> {
    let row = JobRow {
        id: super::new_id(),
        app_id: c.app_id.clone(),
        user_id: c.user_id.clone(),
        connection_id: c.id.clone(),
        kind: kind.into(),
        job_trigger: trigger.into(),
        state: JobState::Queued.as_str().into(),
        steps: Steps::new().to_json(),
        mfa_response: None,
        mfa_expires: None,
        lease_until: None,
        attempts: 0,
        created: now.into(),
        updated: now.into(),
    };
    let vals: Vec<Val> = vec![
        row.id.clone().into(),
        row.app_id.clone().into(),
        row.user_id.clone().into(),
        row.connection_id.clone().into(),
        row.kind.clone().into(),
        row.job_trigger.clone().into(),
        row.state.clone().into(),
        row.steps.clone().into(),
        Val::Text(None),
        Val::Text(None),
        Val::Text(None),
        0i64.into(),
        row.created.clone().into(),
        row.updated.clone().into(),
    ];
    Sql::new(format!("INSERT INTO jobs ({COLS}) VALUES (")).bind_list(&vals).push(")").build().execute(conn).await?;
    Ok(row)
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLS} FROM jobs WHERE id = $1")).bind(id).fetch_optional(conn).await
}

/// A user's jobs, newest first, optionally for one connection.
pub async fn list(conn: &mut AnyConnection, app_id: &str, user_id: &str, filter: &tally_api::Filter) -> Result<Vec<JobRow>, sqlx::Error> {
    let mut sql = Sql::new(format!("SELECT {COLS} FROM jobs WHERE app_id = "));
    sql.bind(app_id.to_string()).push(" AND user_id = ").bind(user_id.to_string());
    super::sql::and_filter(&mut sql, filter, &[("connection.id", "connection_id"), ("job.id", "id")]);
    sql.push(" ORDER BY created DESC, id").build_query_as().fetch_all(conn).await
}

/// The connection's unfinished job, if any (refresh returns it instead of a new one).
pub async fn active_for_connection(conn: &mut AnyConnection, connection_id: &str) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM jobs WHERE connection_id = $1 AND state IN ('queued', 'running', 'awaiting-mfa') ORDER BY created DESC LIMIT 1"
    ))
    .bind(connection_id)
    .fetch_optional(conn)
    .await
}

/// The latest job of a connection.
pub async fn latest_for_connection(conn: &mut AnyConnection, connection_id: &str) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLS} FROM jobs WHERE connection_id = $1 ORDER BY created DESC, id LIMIT 1"))
        .bind(connection_id)
        .fetch_optional(conn)
        .await
}

/// Jobs a worker may take: queued, or running with a lease that ran out (its worker
/// died). Returns candidates with the state and lease seen, for [`claim`].
pub async fn claimable(conn: &mut AnyConnection, now: &str, limit: i64) -> Result<Vec<(String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, state, lease_until FROM jobs WHERE state = 'queued' OR (state = 'running' AND lease_until < $1) ORDER BY created LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Takes a job if it is still as seen (compare-and-set: exactly one worker wins).
/// Taking over a running job counts as an attempt.
pub async fn claim(conn: &mut AnyConnection, id: &str, seen_state: &str, seen_lease: Option<&str>, lease_until: &str, now: &str) -> Result<bool, sqlx::Error> {
    let bump = if seen_state == "running" { 1i64 } else { 0 };
    let r = sqlx::query(
        "UPDATE jobs SET state = 'running', lease_until = $1, updated = $2, attempts = attempts + $3 \
         WHERE id = $4 AND state = $5 AND COALESCE(lease_until, '') = $6",
    )
    .bind(lease_until)
    .bind(now)
    .bind(bump)
    .bind(id)
    .bind(seen_state)
    .bind(seen_lease.unwrap_or("").to_string())
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Keeps the lease while a long step runs.
pub async fn renew(conn: &mut AnyConnection, id: &str, lease_until: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET lease_until = $1 WHERE id = $2 AND state = 'running'").bind(lease_until).bind(id).execute(conn).await?;
    Ok(())
}

/// Writes the steps and the state they lead to.
pub async fn save(
    conn: &mut AnyConnection,
    id: &str,
    steps: &Steps,
    state: JobState,
    lease_until: Option<&str>,
    mfa_expires: Option<&str>,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET steps = $1, state = $2, lease_until = $3, mfa_expires = $4, updated = $5 WHERE id = $6")
        .bind(steps.to_json())
        .bind(state.as_str())
        .bind(lease_until.map(str::to_string))
        .bind(mfa_expires.map(str::to_string))
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores the user's MFA answer (sealed by the caller, `Keys::seal` of its JSON) and
/// queues the job again; false when the job is not waiting for one.
pub async fn answer_mfa(conn: &mut AnyConnection, id: &str, sealed_answer: &str, now: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE jobs SET mfa_response = $1, state = 'queued', updated = $2 WHERE id = $3 AND state = 'awaiting-mfa'")
        .bind(sealed_answer)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Forgets a used MFA answer. On SQLite the old row version also lives in the WAL
/// until a checkpoint copies it over (and `secure_delete` zeroes the freed bytes of
/// the main file), so the WAL is checkpointed and truncated at once; a checkpoint
/// that readers hold back is left to SQLite's next automatic one.
pub async fn clear_mfa(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET mfa_response = NULL WHERE id = $1").bind(id).execute(&mut *conn).await?;
    if crate::db::Backend::of_conn(conn) == crate::db::Backend::Sqlite {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
    }
    Ok(())
}

/// Jobs whose MFA challenge expired unanswered.
pub async fn expired_mfa(conn: &mut AnyConnection, now: &str) -> Result<Vec<JobRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLS} FROM jobs WHERE state = 'awaiting-mfa' AND mfa_expires < $1")).bind(now).fetch_all(conn).await
}

/// Fails an expired MFA job if nobody answered meanwhile.
pub async fn fail_if_awaiting(conn: &mut AnyConnection, id: &str, steps: &Steps, now: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE jobs SET steps = $1, state = 'failed', updated = $2 WHERE id = $3 AND state = 'awaiting-mfa'")
        .bind(steps.to_json())
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// How many jobs a connection has had (its first job makes it "created").
pub async fn count_for_connection(conn: &mut AnyConnection, connection_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE connection_id = $1").bind(connection_id).fetch_one(conn).await
}
