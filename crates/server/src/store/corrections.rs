//! `category_corrections`: a user's "this merchant is groceries", kept by merchant so
//! later transactions of the same merchant get it too.

use sqlx::AnyConnection;

pub async fn upsert(conn: &mut AnyConnection, user_id: &str, merchant_key: &str, category_id: &str, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO category_corrections (user_id, merchant_key, category_id, created) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, merchant_key) DO UPDATE SET category_id = excluded.category_id, created = excluded.created",
    )
    .bind(user_id)
    .bind(merchant_key)
    .bind(category_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// All of a user's corrections: (merchant key, category slug).
pub async fn for_user(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT merchant_key, category_id FROM category_corrections WHERE user_id = $1").bind(user_id).fetch_all(conn).await
}
