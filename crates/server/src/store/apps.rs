//! `applications`: who may call the API, by API key.

use sqlx::AnyConnection;

use crate::crypto;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppRow {
    pub id: String,
    pub name: String,
    pub key_hash: String,
    pub is_demo: i64,
}

/// Creates an application and returns it with its API key, shown once, never stored.
pub async fn create(conn: &mut AnyConnection, name: &str, is_demo: bool, now: &str) -> Result<(AppRow, String), sqlx::Error> {
    let id = super::new_id();
    let (key, key_hash) = crypto::new_api_key(&id);
    sqlx::query("INSERT INTO applications (id, name, key_hash, is_demo, created) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(name)
        .bind(&key_hash)
        .bind(is_demo as i64)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok((AppRow { id, name: name.into(), key_hash, is_demo: is_demo as i64 }, key))
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<AppRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, key_hash, is_demo FROM applications WHERE id = $1").bind(id).fetch_optional(conn).await
}

/// The demo application, if one was made before.
pub async fn demo(conn: &mut AnyConnection) -> Result<Option<AppRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, key_hash, is_demo FROM applications WHERE is_demo = 1 ORDER BY created LIMIT 1")
        .fetch_optional(conn)
        .await
}
