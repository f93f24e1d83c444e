//! Per-user quotas: how much one user's token can make the server store or do. Without
//! them, 100 `POST /users/{id}/connections` in 8 s made 100 connections and 90,528
//! transactions (350 MB), and 200 expense requests over a century of months stored
//! 201 snapshots (149 MB) — measured from outside against the seed's server.
//!
//! Each is counted in the database, inside the caller's write transaction, so several
//! instances on one PostgreSQL share the count (no per-process state), and each refusal
//! is an error object that names the limit and the setting that raises it. 1.0
//! connections belong to no user and are not counted.

use std::time::Duration;

use sqlx::AnyConnection;

use crate::clock::stamp;
use crate::error::ApiError;
use crate::AppState;

/// The limits; each is a server setting (`--max-connections-per-user`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Quotas {
    /// Connections (sign-in or statement) one user may have.
    pub connections_per_user: u32,
    /// Jobs a user may start in a minute (connect, update, refresh, upload).
    pub jobs_per_user_per_minute: u32,
    /// Statements a user may upload in an hour.
    pub uploads_per_user_per_hour: u32,
    /// Expense snapshots kept per user; older ones are pruned as new ones are made.
    pub snapshots_per_user: u32,
    /// Months one expenses request may span.
    pub expense_months: u32,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas { connections_per_user: 25, jobs_per_user_per_minute: 60, uploads_per_user_per_hour: 60, snapshots_per_user: 50, expense_months: 120 }
    }
}

/// A user may add one more connection.
pub async fn new_connection(conn: &mut AnyConnection, state: &AppState, user_id: &str) -> Result<(), ApiError> {
    let limit = state.config.quotas.connections_per_user;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM connections WHERE user_id = $1").bind(user_id).fetch_one(conn).await?;
    if n >= i64::from(limit) {
        return Err(ApiError::invalid_body(
            "/",
            format!("User '{user_id}' already has {n} connections, the most this server allows (max-connections-per-user = {limit}); delete one first."),
        ));
    }
    Ok(())
}

/// A user may start one more job now.
pub async fn new_job(conn: &mut AnyConnection, state: &AppState, user_id: &str) -> Result<(), ApiError> {
    let limit = state.config.quotas.jobs_per_user_per_minute;
    within(conn, state, "SELECT COUNT(*) FROM jobs WHERE user_id = $1 AND job_trigger = 'user' AND created > $2", user_id, Duration::from_secs(60), limit, "jobs started (max-jobs-per-user-per-minute)").await
}

/// A user may upload one more statement now.
pub async fn new_upload(conn: &mut AnyConnection, state: &AppState, user_id: &str) -> Result<(), ApiError> {
    let limit = state.config.quotas.uploads_per_user_per_hour;
    let sql = format!("SELECT COUNT(*) FROM jobs WHERE user_id = $1 AND kind = '{}' AND created > $2", crate::statements::JOB_KIND);
    within(conn, state, &sql, user_id, Duration::from_secs(3600), limit, "statement uploads (max-uploads-per-user-per-hour)").await
}

/// At most `limit` rows counted by `sql` (user, since) in the last `window`; else a
/// 429 whose Retry-After is the whole window (the oldest counted row leaves it by then).
async fn within(conn: &mut AnyConnection, state: &AppState, sql: &str, user_id: &str, window: Duration, limit: u32, what: &str) -> Result<(), ApiError> {
    let since = stamp(state.clock.now() - chrono::Duration::from_std(window).unwrap_or_default());
    let n: i64 = sqlx::query_scalar(sql).bind(user_id).bind(&since).fetch_one(conn).await?;
    if n >= i64::from(limit) {
        return Err(ApiError::too_many_requests(&format!("{what}: at most {limit} per {} s for one user", window.as_secs()), window));
    }
    Ok(())
}

/// An expenses request spans at most `expense_months` months (`from`, `to` are YYYY-MM).
pub fn expense_range(state: &AppState, from: &str, to: &str) -> Result<(), ApiError> {
    let months = |m: &str| m[..4].parse::<i64>().unwrap_or(0) * 12 + m[5..7].parse::<i64>().unwrap_or(0);
    let span = months(to) - months(from) + 1;
    let limit = state.config.quotas.expense_months;
    if span > i64::from(limit) {
        return Err(ApiError::invalid_body("/toMonth", format!("The range spans {span} months; at most {limit} are summarised at once (max-expense-months).")));
    }
    Ok(())
}
