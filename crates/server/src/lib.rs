//! `tally-server`: the Connect API v2 over HTTP.
//!
//! `app()` builds the whole router from an [`AppState`]; `main.rs` only parses the
//! command line, opens the database and binds a socket, so tests run the very same
//! app (and the same job worker, [`jobs::worker::spawn`]) on an ephemeral port.

pub mod auth;
pub mod categorise;
pub mod clock;
pub mod config;
pub mod connections;
pub mod connector;
pub mod crypto;
pub mod db;
pub mod error;
pub mod events;
pub mod extract;
pub mod jobs;
pub mod key_checks;
pub mod paging;
pub mod quota;
pub mod ratelimit;
pub mod routes;
pub mod sandbox;
pub mod scheduler;
pub mod seed;
pub mod serve;
pub mod settings_file;
pub mod statements;
pub mod store;
pub mod transfers;
pub mod views;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method};
use axum::Router;
use sqlx::AnyPool;
use tokio::sync::{broadcast, Notify};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::Config;
pub use connector::Connectors;
pub use crypto::{Keys, SecretKey};

/// Shared by every handler and the job worker.
#[derive(Clone)]
pub struct AppState {
    pub db: AnyPool,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub keys: Arc<Keys>,
    pub connectors: Arc<Connectors>,
    /// Ids of jobs whose steps just changed (feeds `GET /jobs/{id}/events`).
    pub job_events: broadcast::Sender<String>,
    /// Wakes the worker when a job is queued, so it need not wait for its next poll.
    pub wake_worker: Arc<Notify>,
    /// `/token` requests per API key, for the whole deployment (ratelimit.rs).
    pub token_limiter: Arc<ratelimit::TokenLimiter>,
    /// Bounded-cost API key checks (key_checks.rs).
    pub key_checks: Arc<key_checks::KeyChecks>,
    /// The demo application (only with `--demo`).
    pub demo_app: Option<String>,
}

impl AppState {
    /// State over `db` with the sandbox and statement-only institutions, the system clock and no demo.
    pub fn new(db: AnyPool, config: Config, secret: &SecretKey) -> Self {
        AppState::with_clock(db, config, secret, Arc::new(SystemClock))
    }

    pub fn with_clock(db: AnyPool, config: Config, secret: &SecretKey, clock: Arc<dyn Clock>) -> Self {
        let mut connectors = sandbox::SandboxConnector::all(config.sandbox_latency);
        statements::institutions::register(&mut connectors);
        let (job_events, _) = broadcast::channel(1024);
        let shared_db = !db::is_sqlite(&db);
        AppState {
            db,
            token_limiter: Arc::new(ratelimit::TokenLimiter::new(config.token_burst, config.token_per_second, shared_db)),
            key_checks: Arc::new(key_checks::KeyChecks::new(&config)),
            config: Arc::new(config),
            clock,
            keys: Arc::new(Keys::new(secret)),
            connectors: Arc::new(connectors),
            job_events,
            wake_worker: Arc::new(Notify::new()),
            demo_app: None,
        }
    }

    /// The current time as stored.
    pub fn now(&self) -> String {
        clock::stamp(self.clock.now())
    }

    /// Tells SSE listeners that a job changed.
    pub fn job_changed(&self, job_id: &str) {
        let _ = self.job_events.send(job_id.to_string());
    }
}

/// Where static files (the demo page and the built widget) are served from, if at all.
#[derive(Clone, Debug, Default)]
pub struct StaticConfig {
    pub root: Option<PathBuf>,
}

/// The whole HTTP application.
pub fn app(state: AppState, statics: &StaticConfig) -> Router {
    let mut router = routes::api_router(&state);
    if let Some(root) = &statics.root {
        router = router.merge(routes::static_files::router(root));
    }
    let cors = cors_layer(&state.config.cors_origins);
    router
        .fallback(routes::fallback::not_found)
        .method_not_allowed_fallback(routes::fallback::method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(axum::middleware::from_fn(extract::refuse_nul_in_uri))
        // A stalled body fails its extractor with a 408 error object (extract.rs); a
        // handler too slow to answer is a 503 error object. Neither cuts a stream that
        // has started (the job events).
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(state.config.http.body_read_timeout))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            error::TIMED_OUT,
            state.config.http.request_timeout,
        ))
        .layer(axum::middleware::map_response(error::timeout_response))
        .layer(cors)
        // A bug that panics in a handler still answers with the contract's error JSON
        // (and is logged), instead of dropping the client's connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(error::panic_response))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// CORS for the configured widget origins only; no origin configured means no
/// cross-origin access at all.
fn cors_layer(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o.trim().trim_end_matches('/')).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS])
        .allow_headers([
            axum::http::header::AUTHORIZATION,
            axum::http::header::CONTENT_TYPE,
            axum::http::header::ACCEPT,
            HeaderName::from_static("basiq-version"),
        ])
        .max_age(std::time::Duration::from_secs(600))
}
