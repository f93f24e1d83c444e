//! Storage: one sqlx `AnyPool` over SQLite (default, a file under ./data) or PostgreSQL
//! (`DATABASE_URL=postgres://…`), with the same portable migrations on both.

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::AnyPool;

/// Opens (creating if needed) the database at `url` and runs the migrations.
pub async fn connect(url: &str) -> Result<AnyPool, sqlx::Error> {
    install_default_drivers();
    let url = sqlite_create_if_missing(url);
    let pool = AnyPoolOptions::new().max_connections(8).connect(&url).await?;
    if url.starts_with("sqlite:") {
        // WAL lets readers proceed while the job worker writes.
        sqlx::query("PRAGMA journal_mode=WAL").execute(&pool).await?;
        sqlx::query("PRAGMA foreign_keys=ON").execute(&pool).await?;
    }
    sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| sqlx::Error::Migrate(Box::new(e)))?;
    Ok(pool)
}

/// SQLite refuses to open a missing file unless asked to create it.
fn sqlite_create_if_missing(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_string()
    }
}
