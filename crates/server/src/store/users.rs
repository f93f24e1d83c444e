//! `users`: the 2.0 API's owners of connections.

use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub app_id: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub created: String,
    #[sqlx(default)]
    pub first_name: Option<String>,
    #[sqlx(default)]
    pub middle_name: Option<String>,
    #[sqlx(default)]
    pub last_name: Option<String>,
}

/// A user's names, each optional (3.0 writes a missing one as `""`).
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub first: Option<String>,
    pub middle: Option<String>,
    pub last: Option<String>,
}

pub async fn create(conn: &mut AnyConnection, app_id: &str, email: Option<&str>, mobile: Option<&str>, names: &Names, now: &str) -> Result<UserRow, sqlx::Error> {
    let id = super::new_id();
    sqlx::query("INSERT INTO users (id, app_id, email, mobile, created, first_name, middle_name, last_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&id)
        .bind(app_id)
        .bind(email.map(str::to_string))
        .bind(mobile.map(str::to_string))
        .bind(now)
        .bind(names.first.clone())
        .bind(names.middle.clone())
        .bind(names.last.clone())
        .execute(&mut *conn)
        .await?;
    Ok(UserRow {
        id,
        app_id: app_id.into(),
        email: email.map(Into::into),
        mobile: mobile.map(Into::into),
        created: now.into(),
        first_name: names.first.clone(),
        middle_name: names.middle.clone(),
        last_name: names.last.clone(),
    })
}

pub async fn get(conn: &mut AnyConnection, app_id: &str, id: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, app_id, email, mobile, created, first_name, middle_name, last_name FROM users WHERE app_id = $1 AND id = $2")
        .bind(app_id)
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn update(conn: &mut AnyConnection, app_id: &str, id: &str, email: Option<&str>, mobile: Option<&str>, names: &Names) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET email = COALESCE($1, email), mobile = COALESCE($2, mobile), first_name = COALESCE($5, first_name), \
         middle_name = COALESCE($6, middle_name), last_name = COALESCE($7, last_name) WHERE app_id = $3 AND id = $4",
    )
        .bind(email.map(str::to_string))
        .bind(mobile.map(str::to_string))
        .bind(app_id)
        .bind(id)
        .bind(names.first.clone())
        .bind(names.middle.clone())
        .bind(names.last.clone())
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the user and everything under them. Call inside a transaction.
pub async fn delete_cascade(conn: &mut AnyConnection, app_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    // Credentials are overwritten before their rows go (see connections::delete).
    sqlx::query("UPDATE connections SET credentials = NULL WHERE app_id = $1 AND user_id = $2").bind(app_id).bind(id).execute(&mut *conn).await?;
    for sql in [
        "DELETE FROM transactions WHERE app_id = $1 AND user_id = $2",
        "DELETE FROM accounts WHERE app_id = $1 AND user_id = $2",
        "DELETE FROM jobs WHERE app_id = $1 AND user_id = $2",
        "DELETE FROM connections WHERE app_id = $1 AND user_id = $2",
        "DELETE FROM consents WHERE app_id = $1 AND user_id = $2",
        "DELETE FROM events WHERE app_id = $1 AND user_id = $2",
    ] {
        sqlx::query(sql).bind(app_id).bind(id).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM category_corrections WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM expense_snapshots WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
    let gone = sqlx::query("DELETE FROM users WHERE app_id = $1 AND id = $2").bind(app_id).bind(id).execute(&mut *conn).await?;
    Ok(gone.rows_affected() == 1)
}
