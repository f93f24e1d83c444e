//! Storage: one sqlx `AnyPool` over SQLite (default, a file under ./data) or PostgreSQL
//! (`DATABASE_URL=postgres://…`), with the same portable migrations on both.

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyPool, Connection, Executor, Transaction};

/// Opens (creating if needed) the database at `url` and runs the migrations.
pub async fn connect(url: &str) -> Result<AnyPool, sqlx::Error> {
    install_default_drivers();
    if let Some(path) = sqlite_path(url) {
        owner_only(&path).map_err(|e| sqlx::Error::Configuration(format!("{}: {e}", path.display()).into()))?;
    }
    let url = sqlite_create_if_missing(url);
    let sqlite = Backend::of_url(&url) == Backend::Sqlite;
    let pool = AnyPoolOptions::new()
        .max_connections(if sqlite { 8 } else { 16 })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    // Deleted credentials are overwritten on disk, not left in free pages;
                    // writers wait for each other instead of failing at once.
                    conn.execute("PRAGMA secure_delete=ON").await?;
                    conn.execute("PRAGMA busy_timeout=15000").await?;
                    conn.execute("PRAGMA synchronous=NORMAL").await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    if sqlite {
        // WAL lets readers proceed while the job worker writes.
        sqlx::query("PRAGMA journal_mode=WAL").execute(&pool).await?;
    }
    sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| sqlx::Error::Migrate(Box::new(e)))?;
    Ok(pool)
}

/// Which database a URL, pool or connection talks to: the one place that asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `sqlite:…` or anything else (PostgreSQL, the only other driver installed).
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    pub fn of_pool(pool: &AnyPool) -> Backend {
        if pool.connect_options().database_url.scheme().starts_with("sqlite") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    pub fn of_conn(conn: &sqlx::AnyConnection) -> Backend {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }
}

/// True when the pool talks to SQLite.
pub fn is_sqlite(pool: &AnyPool) -> bool {
    Backend::of_pool(pool) == Backend::Sqlite
}

/// Begins a transaction that will write. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead of one failing
/// with "database is locked" when it upgrades from reading to writing.
pub async fn begin_write(pool: &AnyPool) -> Result<Transaction<'static, Any>, sqlx::Error> {
    if is_sqlite(pool) {
        pool.begin_with("BEGIN IMMEDIATE").await
    } else {
        pool.begin().await
    }
}

/// The file of an `sqlite:` URL (`sqlite:data/tally.db`, `sqlite://…`, with or without
/// `?options`); None for other databases and in-memory ones.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::PathBuf::from(path))
}

/// The database holds sealed credentials, hashed keys and everyone's transactions:
/// it and its `-wal`/`-shm` files are readable by the server's user only. SQLite
/// gives the WAL and shared-memory files the mode of the database file, so the file
/// is created 0600 before SQLite opens it; files left 0644 by an older version are
/// tightened.
fn owner_only(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if !path.exists() {
            std::fs::OpenOptions::new().write(true).create(true).truncate(false).mode(0o600).open(path)?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if let Ok(meta) = std::fs::metadata(&file) {
                if meta.permissions().mode() & 0o077 != 0 {
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
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

/// For tests on PostgreSQL: creates a fresh, uniquely named database on the server of
/// `admin_url` and returns its URL, so tests can run in parallel without sharing data.
pub async fn fresh_postgres_database(admin_url: &str) -> Result<String, sqlx::Error> {
    install_default_drivers();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::AnyConnection::connect(admin_url).await?;
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await?;
    conn.close().await?;
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url, String::new()),
    };
    let base = base.rsplit_once('/').map(|(b, _)| b).unwrap_or(base);
    Ok(format!("{base}/{name}{query}"))
}
