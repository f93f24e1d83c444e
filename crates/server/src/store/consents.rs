//! `consents`: what a user agreed to share (3.0), and the connections made under it.

use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsentRow {
    pub id: String,
    pub app_id: String,
    pub user_id: String,
    pub origin: String,
    pub status: String,
    pub created: String,
    pub updated: String,
    pub expiry: String,
    pub revoked: Option<String>,
}

const COLS: &str = "id, app_id, user_id, origin, status, created, updated, expiry, revoked";

/// The user's consent in force at `now`, if any.
pub async fn active(conn: &mut AnyConnection, app_id: &str, user_id: &str, now: &str) -> Result<Option<ConsentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLS} FROM consents WHERE app_id = $1 AND user_id = $2 AND status = 'active' AND expiry > $3 ORDER BY created DESC LIMIT 1"
    ))
    .bind(app_id)
    .bind(user_id)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn insert(conn: &mut AnyConnection, c: &ConsentRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("INSERT INTO consents ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
        .bind(&c.id)
        .bind(&c.app_id)
        .bind(&c.user_id)
        .bind(&c.origin)
        .bind(&c.status)
        .bind(&c.created)
        .bind(&c.updated)
        .bind(&c.expiry)
        .bind(&c.revoked)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every consent of the user, newest first.
pub async fn list(conn: &mut AnyConnection, app_id: &str, user_id: &str) -> Result<Vec<ConsentRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLS} FROM consents WHERE app_id = $1 AND user_id = $2 ORDER BY created DESC, id")).bind(app_id).bind(user_id).fetch_all(conn).await
}

pub async fn get(conn: &mut AnyConnection, app_id: &str, user_id: &str, id: &str) -> Result<Option<ConsentRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLS} FROM consents WHERE app_id = $1 AND user_id = $2 AND id = $3"))
        .bind(app_id)
        .bind(user_id)
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn revoke(conn: &mut AnyConnection, id: &str, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE consents SET status = 'revoked', revoked = $1, updated = $1 WHERE id = $2").bind(now).bind(id).execute(conn).await?;
    Ok(())
}

/// Ties a connection to the consent it was made under.
pub async fn attach(conn: &mut AnyConnection, connection_id: &str, consent_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE connections SET consent_id = $1 WHERE id = $2").bind(consent_id).bind(connection_id).execute(conn).await?;
    Ok(())
}

/// The ids of the connections made under a consent.
pub async fn connections(conn: &mut AnyConnection, consent_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id FROM connections WHERE consent_id = $1 ORDER BY id").bind(consent_id).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
