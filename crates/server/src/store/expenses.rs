//! `expense_snapshots`: the summaries `POST /users/{id}/expenses` made, kept as JSON.

use sqlx::AnyConnection;

pub async fn insert(conn: &mut AnyConnection, id: &str, user_id: &str, body: &str, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO expense_snapshots (id, user_id, body, created) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(user_id)
        .bind(body)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT body FROM expense_snapshots WHERE user_id = $1 AND id = $2").bind(user_id).bind(id).fetch_optional(conn).await?;
    Ok(row.map(|r| r.0))
}

/// Keeps the user's newest snapshot `newest` and their `keep - 1` next newest, and
/// deletes the rest (`newest` is named: snapshots made in the same instant tie on time).
pub async fn prune(conn: &mut AnyConnection, user_id: &str, newest: &str, keep: u32) -> Result<u64, sqlx::Error> {
    let r = sqlx::query(
        "DELETE FROM expense_snapshots WHERE user_id = $1 AND id <> $2 AND id NOT IN \
         (SELECT id FROM expense_snapshots WHERE user_id = $1 AND id <> $2 ORDER BY created DESC, id DESC LIMIT $3)",
    )
    .bind(user_id)
    .bind(newest)
    .bind(i64::from(keep.max(1)) - 1)
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}
