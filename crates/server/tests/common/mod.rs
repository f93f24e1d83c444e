//! The harness every integration test uses: the real app and job worker on an
//! ephemeral port over a real database — a fresh SQLite file, or, when
//! TALLY_TEST_DATABASE_URL points at a PostgreSQL server, a fresh database on it (so
//! tests run in parallel without sharing rows).
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use tally_server::jobs::worker::{self, WorkerHandle};
use tally_server::{app, db, store, AppState, Config, ManualClock, SecretKey, StaticConfig};

pub const T0: &str = "2024-06-14T09:30:00Z";

/// Where a test's database lives.
#[derive(Clone)]
pub struct Db {
    pub url: String,
    _dir: Option<Arc<tempfile::TempDir>>,
}

pub async fn fresh_db() -> Db {
    match std::env::var("TALLY_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => Db { url: db::fresh_postgres_database(&admin).await.expect("create test database"), _dir: None },
        _ => {
            let dir = tempfile::tempdir().expect("tempdir");
            let url = format!("sqlite:{}", dir.path().join("tally.db").display());
            Db { url, _dir: Some(Arc::new(dir)) }
        }
    }
}

pub struct TestServer {
    pub base: String,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    pub db: Db,
    pub secret: SecretKey,
    pub http: Client,
    worker: Option<WorkerHandle>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub fn test_config() -> Config {
    Config { job_lease: Duration::from_secs(30), token_burst: 50, ..Config::default() }
}

pub async fn start() -> TestServer {
    start_with(fresh_db().await, test_config(), SecretKey::generate(), None).await
}

/// A server whose sandbox bank takes `latency` over each step, so a test can act
/// while a job runs.
pub async fn start_slow(latency: Duration) -> TestServer {
    let config = Config { sandbox_latency: latency, ..test_config() };
    start_with(fresh_db().await, config, SecretKey::generate(), None).await
}

/// Starts a server over `db`; `clock` lets a restarted server share its predecessor's.
pub async fn start_with(db: Db, config: Config, secret: SecretKey, clock: Option<Arc<ManualClock>>) -> TestServer {
    let pool = db::connect(&db.url).await.expect("database");
    let clock = clock.unwrap_or_else(|| Arc::new(ManualClock::new(T0.parse::<DateTime<Utc>>().unwrap())));
    let mut state = AppState::with_clock(pool, config, &secret, clock.clone());
    if state.config.demo {
        let mut c = state.db.acquire().await.unwrap();
        let (a, _) = store::apps::create(&mut c, "demo", true, &state.now()).await.unwrap();
        state.demo_app = Some(a.id);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = app(state.clone(), &StaticConfig::default());
    let server = tokio::spawn(async move {
        tally_server::serve::run(listener, router, &Default::default(), std::future::pending()).await;
    });
    let worker = Some(worker::spawn(state.clone()));
    TestServer { base: format!("http://{addr}"), state, clock, db, secret, http: Client::new(), worker, server }
}

impl TestServer {
    /// Simulates a crash: the worker and every job it runs stop mid-step.
    pub fn crash(mut self) -> (Db, SecretKey, Arc<ManualClock>) {
        if let Some(w) = self.worker.take() {
            w.abort();
        }
        self.server.abort();
        (self.db.clone(), self.secret.clone(), self.clock.clone())
    }

    /// Stops the job worker (jobs wait in the database), e.g. to look at a queued job.
    pub fn stop_worker(&mut self) {
        if let Some(w) = self.worker.take() {
            w.abort();
        }
    }

    /// Starts the job worker again after [`TestServer::stop_worker`].
    pub fn start_worker(&mut self) {
        self.worker = Some(worker::spawn(self.state.clone()));
    }

    /// The SQLite database file, when the test runs on SQLite.
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        tally_server::db::sqlite_path(&self.db.url)
    }

    /// A new application's API key.
    pub async fn api_key(&self) -> String {
        let mut c = self.state.db.acquire().await.unwrap();
        store::apps::create(&mut c, "test app", false, &self.state.now()).await.unwrap().1
    }

    pub async fn token_raw(&self, key: &str, version: Option<&str>, form: &str) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}/token", self.base))
            .header("Authorization", format!("Basic {key}"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.to_string());
        if let Some(v) = version {
            req = req.header("basiq-version", v);
        }
        req.send().await.unwrap()
    }

    pub async fn server_token(&self, key: &str, version: &str) -> String {
        let res = self.token_raw(key, Some(version), "scope=SERVER_ACCESS").await;
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }

    pub async fn client_token(&self, key: &str, user_id: &str) -> String {
        let res = self.token_raw(key, Some("2.0"), &format!("scope=CLIENT_ACCESS&userId={user_id}")).await;
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }

    /// A fresh application with a 2.0 server token.
    pub async fn server(&self) -> (String, String) {
        let key = self.api_key().await;
        let token = self.server_token(&key, "2.0").await;
        (key, token)
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        let value = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    pub async fn create_user(&self, token: &str) -> String {
        let (s, u) = self.post("/users", token, json!({"email": "gavin@hooli.com"})).await;
        assert_eq!(s, 201, "{u}");
        u["id"].as_str().unwrap().to_string()
    }

    /// Starts a connection; returns the job id.
    pub async fn connect(&self, token: &str, user: &str, institution: &str, login: &str, password: &str) -> String {
        let body = json!({"loginId": login, "password": password, "institution": {"id": institution}});
        let (s, job) = self.post(&format!("/users/{user}/connections"), token, body).await;
        assert_eq!(s, 202, "{job}");
        job["id"].as_str().unwrap().to_string()
    }

    /// Polls a job until `done` says so (20 s at most).
    pub async fn wait_job_until(&self, token: &str, job: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let (s, j) = self.get(&format!("/jobs/{job}"), token).await;
            assert_eq!(s, 200, "{j}");
            if done(&j) {
                return j;
            }
            assert!(std::time::Instant::now() < deadline, "job did not get there in time: {j}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Polls until the job finished (a step failed or all succeeded).
    pub async fn wait_job(&self, token: &str, job: &str) -> Value {
        self.wait_job_until(token, job, finished).await
    }

    /// A user with a finished Hooli connection: (user, connection id).
    pub async fn connected_user(&self, token: &str, login: &str, password: &str) -> (String, String) {
        let user = self.create_user(token).await;
        let job = self.connect(token, &user, "AU00000", login, password).await;
        let j = self.wait_job(token, &job).await;
        assert!(succeeded(&j), "{j}");
        let cid = j["links"]["source"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
        (user, cid)
    }
}

pub fn finished(j: &Value) -> bool {
    let steps = j["steps"].as_array().unwrap();
    steps.iter().any(|s| s["status"] == "failed") || steps.iter().all(|s| s["status"] == "success")
}

pub fn succeeded(j: &Value) -> bool {
    j["steps"].as_array().unwrap().iter().all(|s| s["status"] == "success")
}

pub fn step<'a>(j: &'a Value, title: &str) -> &'a Value {
    j["steps"].as_array().unwrap().iter().find(|s| s["title"] == title).unwrap_or(&Value::Null)
}

/// Asserts an error object with this status and code.
pub fn assert_error(status: StatusCode, body: &Value, want_status: u16, want_code: &str) {
    assert_eq!(status.as_u16(), want_status, "{body}");
    assert_eq!(body["type"], "list", "{body}");
    assert!(body["correlationId"].as_str().is_some(), "{body}");
    assert_eq!(body["data"][0]["type"], "error", "{body}");
    assert_eq!(body["data"][0]["code"], want_code, "{body}");
    assert!(!body["data"][0]["detail"].as_str().unwrap_or("").is_empty(), "{body}");
}
