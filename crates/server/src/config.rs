//! Run-time settings, gathered in one place so `main.rs` (flags and env) and the tests
//! (plain struct literals) build the same thing.

use std::time::Duration;

/// How the server behaves, independent of where its settings came from.
#[derive(Debug, Clone)]
pub struct Config {
    /// Serve `POST /demo/token` and the demo application.
    pub demo: bool,
    /// Time each sandbox step takes: zero in tests, ~1.5 s in the demo so progress shows.
    pub sandbox_latency: Duration,
    /// How long a worker owns a running job without renewing its lease; after that,
    /// another worker (or this one after a restart) takes it over.
    pub job_lease: Duration,
    /// A job may be taken over this many times before it fails with `job-timed-out`.
    pub max_job_attempts: i64,
    /// How many jobs one server runs at once.
    pub worker_concurrency: usize,
    /// Origins allowed to call the API from a browser (the widget's host pages).
    pub cors_origins: Vec<String>,
    /// `/token` requests a key may burst, and how many per second it earns back. A host
    /// backend mints a CLIENT_ACCESS token per widget load (SDKs other than ours do not
    /// reuse them), so this is sized for that traffic; guessing a key stays hopeless at
    /// this rate, as each guess also costs an argon2 verification.
    pub token_burst: u32,
    pub token_per_second: f64,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Lifetime of issued tokens.
    pub token_ttl_secs: u64,
    /// Scheduled refreshes a day (0..=5) for applications that have not chosen with
    /// `PUT /scheduler`.
    pub refreshes_per_day: u8,
    /// How often the scheduler looks for due connections.
    pub scheduler_tick: Duration,
    /// What one user may create (quota.rs).
    pub quotas: crate::quota::Quotas,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            demo: false,
            sandbox_latency: Duration::ZERO,
            job_lease: Duration::from_secs(30),
            max_job_attempts: 3,
            worker_concurrency: 8,
            cors_origins: Vec::new(),
            token_burst: 100,
            token_per_second: 20.0,
            body_limit: 64 * 1024,
            token_ttl_secs: 3600,
            refreshes_per_day: 5,
            scheduler_tick: Duration::from_secs(15),
            quotas: crate::quota::Quotas::default(),
        }
    }
}
