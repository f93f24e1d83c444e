//! `tally-server bench-scheduler`: the cost of finding and claiming due schedules with
//! many connections. Seeds `connections` schedule rows spread over one slot as the plan
//! spreads them (5 a day), then walks time forward so that each round about `batch`
//! rows come due, timing the due-batch query and the claim statement separately.
//!
//! It always works on a database of its own: a fresh one on the given PostgreSQL
//! server (dropped afterwards), or a new SQLite file (deleted afterwards unless given).

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::{AnyPool, Connection, Executor};

use super::plan;
use crate::store::schedules as sstore;
use crate::clock::stamp;
use crate::db;

/// What the benchmark measured, printed as JSON on stdout.
#[derive(Debug, Clone, Serialize)]
pub struct BenchResult {
    pub find_due_ms: Vec<f64>,
    pub claim_ms: Vec<f64>,
    pub batch: i64,
    pub connections: usize,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Time to seed the rows (multi-row inserts, one transaction).
    pub seed_ms: f64,
}

pub struct BenchOptions {
    pub connections: usize,
    pub batch: i64,
    pub rounds: usize,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const PER_DAY: u8 = 5;
const ROWS_PER_INSERT: usize = 1000;

fn t0() -> DateTime<Utc> {
    "2024-06-14T00:00:00Z".parse().expect("fixed time")
}

/// Runs the benchmark against `url` (a PostgreSQL server, or a SQLite file to create);
/// `None` uses a temporary SQLite file.
pub async fn run(url: Option<&str>, opts: &BenchOptions) -> Result<BenchResult, BoxError> {
    sqlx::any::install_default_drivers();
    let tmp = std::env::temp_dir().join(format!("tally-bench-scheduler-{}.db", uuid::Uuid::new_v4().simple()));
    let (target, cleanup) = match url {
        Some(u) if db::Backend::of_url(u) == db::Backend::Postgres => (db::fresh_postgres_database(u).await?, Cleanup::Postgres(u.to_string())),
        Some(u) => {
            if let Some(path) = db::sqlite_path(u).filter(|p| p.exists()) {
                return Err(format!("{} exists; the benchmark fills a new database of its own", path.display()).into());
            }
            (u.to_string(), Cleanup::None)
        }
        None => (format!("sqlite:{}", tmp.display()), Cleanup::File(tmp.clone())),
    };
    let pool = db::connect(&target).await?;
    let result = measure(&pool, opts).await;
    pool.close().await;
    cleanup.run(&target).await;
    result
}

enum Cleanup {
    None,
    File(std::path::PathBuf),
    Postgres(String),
}

impl Cleanup {
    async fn run(self, target: &str) {
        match self {
            Cleanup::None => {}
            Cleanup::File(p) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            Cleanup::Postgres(admin) => {
                let name = target.rsplit('/').next().unwrap_or("").split('?').next().unwrap_or("");
                if let Ok(mut c) = sqlx::AnyConnection::connect(&admin).await {
                    let _ = c.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await;
                }
            }
        }
    }
}

async fn measure(pool: &AnyPool, opts: &BenchOptions) -> Result<BenchResult, BoxError> {
    let postgres = !db::is_sqlite(pool);
    let seed_start = Instant::now();
    seed(pool, opts.connections).await?;
    let seed_ms = ms(seed_start);
    sqlx::query("ANALYZE").execute(pool).await?;

    // Rows come due at connections / slot-length per second; step so ~batch are due.
    let slot = plan::slot_len(PER_DAY).expect("5 a day").num_seconds() as f64;
    let step = Duration::milliseconds((opts.batch as f64 * slot / opts.connections.max(1) as f64 * 1000.0) as i64);
    let owner = "bench";
    let mut now = t0();
    let (mut find_due_ms, mut claim_ms) = (Vec::new(), Vec::new());
    for _ in 0..opts.rounds {
        now += step;
        let now_s = stamp(now);
        let mut c = pool.acquire().await?;
        let t = Instant::now();
        let due = sstore::find_due(&mut c, &now_s, opts.batch).await?;
        find_due_ms.push(ms(t));
        drop(c);

        let t = Instant::now();
        let mut tx = db::begin_write(pool).await?;
        let claimed = sstore::claim(&mut tx, postgres, owner, &stamp(now + Duration::seconds(60)), &now_s, opts.batch).await?;
        tx.commit().await?;
        claim_ms.push(ms(t));
        if claimed.len() != due.len() {
            return Err(format!("found {} due but claimed {}", due.len(), claimed.len()).into());
        }
        // Done with them: next slot, lease released (one statement; not timed).
        sqlx::query("UPDATE schedules SET due_at = $1, lease_owner = NULL, lease_until = NULL WHERE lease_owner = $2")
            .bind(stamp(now + Duration::seconds(slot as i64)))
            .bind(owner)
            .execute(pool)
            .await?;
    }
    Ok(BenchResult {
        find_due_ms,
        claim_ms,
        batch: opts.batch,
        connections: opts.connections,
        backend: if postgres { "postgres" } else { "sqlite" }.into(),
        seed_ms,
    })
}

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

/// `n` schedule rows due across the first slot of the day, at their own jitter.
async fn seed(pool: &AnyPool, n: usize) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let mut i = 0;
    while i < n {
        let rows = ROWS_PER_INSERT.min(n - i);
        let values: Vec<String> = (0..rows).map(|r| format!("(${}, ${}, ${})", 3 * r + 1, 3 * r + 2, 3 * r + 3)).collect();
        let sql = format!("INSERT INTO schedules (connection_id, app_id, due_at) VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql);
        for k in i..i + rows {
            let id = format!("{:016x}{:016x}", plan::jitter_hash(&k.to_string()), k);
            let due = plan::next_due_after(t0() - Duration::seconds(1), PER_DAY, plan::jitter_hash(&id)).expect("5 a day");
            q = q.bind(id).bind("bench-app").bind(stamp(due));
        }
        q.execute(&mut *tx).await?;
        i += rows;
    }
    tx.commit().await
}
