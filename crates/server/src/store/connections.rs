//! `connections`: a user's (or, in 1.0, an application's) link to an institution,
//! with the credentials sealed.

use sqlx::AnyConnection;

const COLS: &str = "id, app_id, user_id, institution_id, status, credentials, mfa_enabled, created_date, last_used, last_refreshed, next_scheduled_refresh, method";

/// `connections.method` of a connection whose data comes from uploaded statements.
pub const STATEMENT: &str = "statement";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConnRow {
    pub id: String,
    pub app_id: String,
    pub user_id: Option<String>,
    pub institution_id: String,
    pub status: String,
    pub credentials: Option<String>,
    pub mfa_enabled: i64,
    pub created_date: String,
    pub last_used: Option<String>,
    pub last_refreshed: Option<String>,
    pub next_scheduled_refresh: Option<String>,
    /// `login` (a connector refreshes it) or [`STATEMENT`] (uploaded files).
    pub method: String,
}

impl ConnRow {
    /// Whether its data comes from uploaded statements (nothing to re-fetch).
    pub fn is_statement(&self) -> bool {
        self.method == STATEMENT
    }
}

pub async fn insert(
    conn: &mut AnyConnection,
    app_id: &str,
    user_id: Option<&str>,
    institution_id: &str,
    sealed_credentials: &str,
    now: &str,
) -> Result<String, sqlx::Error> {
    let id = super::new_id();
    sqlx::query(
        "INSERT INTO connections (id, app_id, user_id, institution_id, status, credentials, mfa_enabled, created_date) \
         VALUES ($1, $2, $3, $4, 'pending', $5, 0, $6)",
    )
    .bind(&id)
    .bind(app_id)
    .bind(user_id.map(str::to_string))
    .bind(institution_id)
    .bind(sealed_credentials)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

/// The user's statement connection for an institution, if there is one: a later
/// upload of the same bank reuses it, so the same account is updated, not doubled.
pub async fn statement_for(conn: &mut AnyConnection, app_id: &str, user_id: &str, institution_id: &str) -> Result<Option<ConnRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM connections WHERE app_id = $1 AND user_id = $2 AND institution_id = $3 AND method = '{STATEMENT}' \
         ORDER BY created_date, id LIMIT 1"
    ))
    .bind(app_id)
    .bind(user_id)
    .bind(institution_id)
    .fetch_optional(conn)
    .await
}

/// A new statement connection (no credentials: there is nothing to sign in to).
pub async fn insert_statement(conn: &mut AnyConnection, app_id: &str, user_id: &str, institution_id: &str, now: &str) -> Result<String, sqlx::Error> {
    let id = super::new_id();
    sqlx::query(&format!(
        "INSERT INTO connections (id, app_id, user_id, institution_id, status, credentials, mfa_enabled, created_date, method) \
         VALUES ($1, $2, $3, $4, 'pending', NULL, 0, $5, '{STATEMENT}')"
    ))
    .bind(&id)
    .bind(app_id)
    .bind(user_id)
    .bind(institution_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

/// A connection of the application, whoever owns it.
pub async fn get(conn: &mut AnyConnection, app_id: &str, id: &str) -> Result<Option<ConnRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLS} FROM connections WHERE app_id = $1 AND id = $2"))
        .bind(app_id)
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The worker's view: by id only (the job already carries the application).
pub async fn get_by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<ConnRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLS} FROM connections WHERE id = $1")).bind(id).fetch_optional(conn).await
}

/// The connection as it is now, inside a write transaction, locked until it commits
/// (`FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already holds the only
/// write lock). A job stores what it fetched only if the connection still exists, and
/// under its current owner: a delete or a link that happened meanwhile wins.
pub async fn lock_current(conn: &mut AnyConnection, id: &str) -> Result<Option<ConnRow>, sqlx::Error> {
    let lock = if crate::db::Backend::of_conn(conn) == crate::db::Backend::Postgres { " FOR UPDATE" } else { "" };
    sqlx::query_as(&format!("SELECT {COLS} FROM connections WHERE id = $1{lock}")).bind(id).fetch_optional(conn).await
}

/// Filter fields of connections and their columns.
pub const FILTER_COLUMNS: &[(&str, &str)] = &[("connection.id", "id"), ("institution.id", "institution_id"), ("connection.status", "status")];

/// A user's connections that match a (validated) filter, oldest first.
pub async fn list_for_user(conn: &mut AnyConnection, app_id: &str, user_id: &str, filter: &tally_api::Filter) -> Result<Vec<ConnRow>, sqlx::Error> {
    let mut sql = super::Sql::new(format!("SELECT {COLS} FROM connections WHERE app_id = "));
    sql.bind(app_id.to_string()).push(" AND user_id = ").bind(user_id.to_string());
    super::sql::and_filter(&mut sql, filter, FILTER_COLUMNS);
    sql.push(" ORDER BY created_date, id").build_query_as().fetch_all(conn).await
}

pub async fn set_status(conn: &mut AnyConnection, id: &str, status: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET status = $1 WHERE id = $2").bind(status).bind(id).execute(conn).await?;
    Ok(())
}

pub async fn set_mfa_enabled(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET mfa_enabled = 1 WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Verification passed: the connection works.
pub async fn mark_verified(conn: &mut AnyConnection, id: &str, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET status = 'active', last_used = $1 WHERE id = $2").bind(now).bind(id).execute(conn).await?;
    Ok(())
}

/// Data was fetched fresh from the institution.
pub async fn mark_refreshed(conn: &mut AnyConnection, id: &str, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET status = 'active', last_used = $1, last_refreshed = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// New credentials (the connection goes back to pending until a job verifies them).
pub async fn set_credentials(conn: &mut AnyConnection, id: &str, sealed: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET credentials = $1, status = 'pending' WHERE id = $2").bind(sealed).bind(id).execute(conn).await?;
    Ok(())
}

/// Deletes a connection with its accounts, transactions and jobs. The credentials are
/// overwritten first so nothing of them survives in the row's last version. Call
/// inside a transaction.
pub async fn delete(conn: &mut AnyConnection, app_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE connections SET credentials = NULL WHERE app_id = $1 AND id = $2").bind(app_id).bind(id).execute(&mut *conn).await?;
    for sql in [
        "DELETE FROM transactions WHERE app_id = $1 AND connection_id = $2",
        "DELETE FROM accounts WHERE app_id = $1 AND connection_id = $2",
        "DELETE FROM jobs WHERE app_id = $1 AND connection_id = $2",
        "DELETE FROM statement_uploads WHERE app_id = $1 AND connection_id = $2",
    ] {
        sqlx::query(sql).bind(app_id).bind(id).execute(&mut *conn).await?;
    }
    let gone = sqlx::query("DELETE FROM connections WHERE app_id = $1 AND id = $2").bind(app_id).bind(id).execute(&mut *conn).await?;
    Ok(gone.rows_affected() == 1)
}

/// Deletes the data a connection brought (its transactions and accounts), keeping the
/// connection itself (3.0's purge). Call inside a transaction.
pub async fn purge(conn: &mut AnyConnection, app_id: &str, id: &str) -> Result<(), sqlx::Error> {
    for sql in ["DELETE FROM transactions WHERE app_id = $1 AND connection_id = $2", "DELETE FROM accounts WHERE app_id = $1 AND connection_id = $2"] {
        sqlx::query(sql).bind(app_id).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Removes a connection that holds nothing (no accounts, hence no transactions),
/// keeping its jobs readable: a refused first upload's job still says why.
pub async fn delete_empty(conn: &mut AnyConnection, app_id: &str, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM statement_uploads WHERE app_id = $1 AND connection_id = $2").bind(app_id).bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM connections WHERE app_id = $1 AND id = $2").bind(app_id).bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Why a link was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkError {
    /// No such connection in this application.
    Unknown(String),
    /// It already belongs to another user.
    Foreign(String),
}

/// Moves 1.0 connections (and their accounts, transactions and jobs) under a user.
/// All or nothing: checks every id first; call inside a transaction.
pub async fn link(conn: &mut AnyConnection, app_id: &str, user_id: &str, ids: &[String]) -> Result<Result<usize, LinkError>, sqlx::Error> {
    for id in ids {
        match get(&mut *conn, app_id, id).await? {
            None => return Ok(Err(LinkError::Unknown(id.clone()))),
            Some(c) if c.user_id.as_deref().is_some_and(|u| u != user_id) => return Ok(Err(LinkError::Foreign(id.clone()))),
            Some(_) => {}
        }
    }
    for id in ids {
        for table in ["accounts", "transactions", "jobs"] {
            sqlx::query(&format!("UPDATE {table} SET user_id = $1 WHERE app_id = $2 AND connection_id = $3"))
                .bind(user_id)
                .bind(app_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query("UPDATE connections SET user_id = $1 WHERE app_id = $2 AND id = $3").bind(user_id).bind(app_id).bind(id).execute(&mut *conn).await?;
    }
    Ok(Ok(ids.len()))
}
