//! `events`: 3.0's durable feed of what happened to a user's connections and consents.

use sqlx::AnyConnection;

use super::sql::Sql;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub app_id: String,
    pub user_id: String,
    pub entity: String,
    pub event_type: String,
    pub data_ref: String,
    pub data: String,
    pub created: String,
}

const COLS: &str = "id, app_id, user_id, entity, event_type, data_ref, data, created";

/// Most events one list answers (the newest; the feed keeps [`crate::events::KEPT_DAYS`]).
pub const MAX_LIST: i64 = 1000;

pub async fn insert(conn: &mut AnyConnection, e: &EventRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("INSERT INTO events ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
        .bind(&e.id)
        .bind(&e.app_id)
        .bind(&e.user_id)
        .bind(&e.entity)
        .bind(&e.event_type)
        .bind(&e.data_ref)
        .bind(&e.data)
        .bind(&e.created)
        .execute(conn)
        .await?;
    Ok(())
}

/// An application's events since `since` (RFC 3339), newest first, narrowed by user,
/// entity and type when given.
pub async fn list(
    conn: &mut AnyConnection,
    app_id: &str,
    since: &str,
    user_id: Option<&str>,
    entity: Option<&str>,
    event_type: Option<&str>,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let mut sql = Sql::new(format!("SELECT {COLS} FROM events WHERE app_id = "));
    sql.bind(app_id.to_string()).push(" AND created >= ").bind(since.to_string());
    for (col, value) in [("user_id", user_id), ("entity", entity), ("event_type", event_type)] {
        if let Some(v) = value {
            sql.push(&format!(" AND {col} = ")).bind(v.to_string());
        }
    }
    sql.push(&format!(" ORDER BY created DESC, id DESC LIMIT {MAX_LIST}"));
    sql.build_query_as().fetch_all(conn).await
}

pub async fn get(conn: &mut AnyConnection, app_id: &str, id: &str) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLS} FROM events WHERE app_id = $1 AND id = $2")).bind(app_id).bind(id).fetch_optional(conn).await
}

/// Drops an application's events older than `before` (RFC 3339).
pub async fn prune(conn: &mut AnyConnection, app_id: &str, before: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM events WHERE app_id = $1 AND created < $2").bind(app_id).bind(before).execute(conn).await?.rows_affected())
}
