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
    /// API key checks that need argon2 (the key was not verified in the last few
    /// minutes), per application and per client address: a burst, then a rate. Each
    /// costs 19 MiB and tens of milliseconds of a core, so wrong keys are refused with
    /// a 429 before they are hashed (key_checks.rs).
    pub key_check_burst: u32,
    pub key_checks_per_second: f64,
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
    /// Timeouts and the connection bound of the HTTP listener (serve.rs).
    pub http: HttpLimits,
}

/// What one client connection may hold of the server, and for how long. The defaults
/// are safe for a public server: no real client needs 10 s to send its request head,
/// or 30 s between two pieces of a body.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    /// Until a request's head (request line and headers) has arrived. hyper starts this
    /// timer whenever a connection waits for a head, so it also closes connections that
    /// are idle: never used, or kept alive after their last response.
    pub header_read_timeout: Duration,
    /// Longest wait for the next piece of a request body (reset by each piece, so a
    /// large upload on a slow link is fine; a stalled one is not): 408.
    pub body_read_timeout: Duration,
    /// Until a handler has produced its answer: 503 service-unavailable. The event
    /// stream (`/jobs/{id}/events`) answers at once and streams after, so this never
    /// cuts it; a stream to a peer that has gone ends when a write fails.
    pub request_timeout: Duration,
    /// Connections open at once; past it, new ones wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
            max_connections: 512,
        }
    }
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
            key_check_burst: 10,
            key_checks_per_second: 1.0,
            body_limit: 64 * 1024,
            token_ttl_secs: 3600,
            refreshes_per_day: 5,
            scheduler_tick: Duration::from_secs(15),
            quotas: crate::quota::Quotas::default(),
            http: HttpLimits::default(),
        }
    }
}
