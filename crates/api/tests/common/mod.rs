//! The real server and its job worker, in-process on an ephemeral port over a fresh
//! SQLite file, for the SDK's end-to-end tests (adapted from crates/server/tests).
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use tally_server::jobs::worker::{self, WorkerHandle};
use tally_server::{app, db, store, AppState, Clock, Config, ManualClock, SecretKey, StaticConfig, SystemClock};

/// The manual clock's start (sandbox data is generated up to the server's "today").
pub const T0: &str = "2024-06-14T09:30:00Z";

pub struct TestServer {
    pub base: String,
    pub state: AppState,
    /// Set when the server runs on a clock the test moves by hand.
    pub clock: Option<Arc<ManualClock>>,
    _dir: tempfile::TempDir,
    _worker: WorkerHandle,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A server on the system clock.
pub async fn start() -> TestServer {
    start_with(None).await
}

/// A server on a clock the test moves (`server.clock`).
pub async fn start_manual() -> TestServer {
    let clock = Arc::new(ManualClock::new(T0.parse().expect("T0 is a timestamp")));
    start_with(Some(clock)).await
}

/// A server with demo mode on: `POST /demo/token` answers client tokens, as a host
/// backend's `token-url` does.
pub async fn start_demo() -> TestServer {
    start_full(None, true).await
}

/// A server whose sandbox bank takes `latency` over every step (a job that cannot
/// finish while a test watches it).
pub async fn start_slow(latency: Duration) -> TestServer {
    start_full_with(None, false, latency).await
}

async fn start_with(manual: Option<Arc<ManualClock>>) -> TestServer {
    start_full(manual, false).await
}

async fn start_full(manual: Option<Arc<ManualClock>>, demo: bool) -> TestServer {
    start_full_with(manual, demo, Duration::from_millis(20)).await
}

async fn start_full_with(manual: Option<Arc<ManualClock>>, demo: bool, sandbox_latency: Duration) -> TestServer {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:{}", dir.path().join("tally.db").display());
    let pool = db::connect(&url).await.expect("database");
    let config = Config { demo, token_burst: 200, sandbox_latency, ..Config::default() };
    let clock: Arc<dyn Clock> = match &manual {
        Some(c) => c.clone(),
        None => Arc::new(SystemClock),
    };
    let mut state = AppState::with_clock(pool, config, &SecretKey::generate(), clock);
    if demo {
        let mut c = state.db.acquire().await.expect("connection");
        let (a, _) = store::apps::create(&mut c, "demo", true, &state.now()).await.expect("demo app");
        state.demo_app = Some(a.id);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = app(state.clone(), &StaticConfig::default());
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.ok();
    });
    let worker = worker::spawn(state.clone());
    TestServer { base: format!("http://{addr}"), state, clock: manual, _dir: dir, _worker: worker, server }
}

impl TestServer {
    /// The API key of a new application.
    pub async fn api_key(&self) -> String {
        let mut c = self.state.db.acquire().await.expect("connection");
        store::apps::create(&mut c, "sdk test", false, &self.state.now()).await.expect("app").1
    }
}

/// A new user with the sandbox bank connected (gavinBelson at Hooli), once its
/// transactions are in: the starting point of most SDK tests.
pub async fn connected_user(c: &tally_api::client::Client, email: &str) -> String {
    use tally_api::client::StepTitle;
    use tally_api::{InstitutionId, NewConnection, NewUser};
    let u = c.create_user(&NewUser { email: Some(email.into()), mobile: None, ..Default::default() }).await.unwrap();
    let conn = NewConnection {
        login_id: "gavinBelson".into(),
        password: "hooli2016".into(),
        security_code: None,
        secondary_login_id: None,
        institution: InstitutionId { id: "AU00000".into() },
    };
    let job = c.create_connection(&u.id, &conn).await.unwrap();
    c.wait_for_step(&job.id, StepTitle::RetrieveTransactions, Duration::from_secs(30)).await.unwrap();
    u.id
}
