//! `statement_uploads`: an uploaded file, sealed, kept only until its job ends.

use sqlx::AnyConnection;

/// An upload waiting for (or being read by) its job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadRow {
    pub job_id: String,
    pub filename: String,
    /// The sealed bytes (`crypto::Keys::seal`).
    pub body: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut AnyConnection,
    job_id: &str,
    app_id: &str,
    connection_id: &str,
    filename: &str,
    size: usize,
    sealed: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO statement_uploads (job_id, app_id, connection_id, filename, size, body, created) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(job_id)
    .bind(app_id)
    .bind(connection_id)
    .bind(filename)
    .bind(size as i64)
    .bind(sealed)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, job_id: &str) -> Result<Option<UploadRow>, sqlx::Error> {
    sqlx::query_as("SELECT job_id, filename, body FROM statement_uploads WHERE job_id = $1").bind(job_id).fetch_optional(conn).await
}

pub async fn delete(conn: &mut AnyConnection, job_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM statement_uploads WHERE job_id = $1").bind(job_id).execute(conn).await?;
    Ok(())
}
