//! The `tally-server` command: `serve` (the default) runs the API; `app create NAME`
//! makes an application and prints its API key; `seed` fills a user with transactions
//! for benchmarks.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use tally_server::{app, db, jobs, scheduler, store, AppState, Config, SecretKey, StaticConfig};

#[derive(Parser)]
#[command(name = "tally-server", about = "Tally's Connect API v2 server")]
struct Cli {
    /// A TOML settings file (see settings_file.rs for its keys). Flags and environment
    /// variables win over it.
    #[arg(long, global = true, env = "TALLY_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API and the job worker.
    Serve(ServeArgs),
    /// Manage applications (API keys).
    App {
        #[command(subcommand)]
        command: AppCommand,
    },
    /// Seed a new user with many transactions (for benchmarks).
    Seed(SeedArgs),
    /// Time finding and claiming due scheduled refreshes over many connections; prints JSON.
    BenchScheduler(BenchSchedulerArgs),
}

#[derive(Subcommand)]
enum AppCommand {
    /// Create an application and print its API key (shown once; only a hash is kept).
    Create {
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Args, Clone)]
struct StoreArgs {
    /// Database URL: sqlite:PATH (default) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite:data/tally.db")]
    database_url: String,
    /// The master key (64 hex digits or base64 of 32 bytes). When unset, it is read
    /// from --secret-key-file, which is created on first start.
    #[arg(long, env = "TALLY_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    #[arg(long, env = "TALLY_SECRET_KEY_FILE", default_value = "data/secret.key")]
    secret_key_file: PathBuf,
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TALLY_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    store: StoreArgs,
    /// Serve the demo page and built widget from this folder.
    #[arg(long, env = "TALLY_STATIC_ROOT")]
    static_root: Option<PathBuf>,
    /// Demo mode: POST /demo/token, a demo application, visible sandbox latency.
    #[arg(long, env = "TALLY_DEMO")]
    demo: bool,
    /// Milliseconds each sandbox step takes (default 0, or 1500 with --demo).
    #[arg(long, env = "TALLY_SANDBOX_LATENCY_MS")]
    sandbox_latency_ms: Option<u64>,
    /// Comma-separated origins allowed to call the API from a browser.
    #[arg(long, env = "TALLY_CORS_ORIGINS", value_delimiter = ',')]
    cors_origins: Vec<String>,
    /// Scheduled refreshes a day (0-5) for applications that did not choose with PUT /scheduler.
    #[arg(long, env = "TALLY_REFRESHES_PER_DAY", default_value_t = 5, value_parser = clap::value_parser!(u8).range(0..=5))]
    refreshes_per_day: u8,
    #[command(flatten)]
    quotas: QuotaArgs,
    #[command(flatten)]
    http: HttpArgs,
}

/// The listener's timeouts and connection bound (config.rs `HttpLimits`); unset ones
/// keep the defaults.
#[derive(Args, Clone)]
struct HttpArgs {
    /// Seconds a connection may take to send a request's head, or sit idle between
    /// requests (default 10).
    #[arg(long, env = "TALLY_HEADER_READ_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_read_timeout_secs: Option<u64>,
    /// Seconds a request body may pause between two pieces (default 30).
    #[arg(long, env = "TALLY_BODY_READ_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_read_timeout_secs: Option<u64>,
    /// Seconds a request may take to be answered; event streams are exempt once started (default 30).
    #[arg(long, env = "TALLY_REQUEST_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout_secs: Option<u64>,
    /// Connections served at once; more wait in the listen backlog (default 512).
    #[arg(long, env = "TALLY_MAX_CONNECTIONS", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: Option<u64>,
    /// API key checks that need argon2 (keys not verified in the last 5 min) one
    /// application, or one client address, may burst (default 10).
    #[arg(long, env = "TALLY_KEY_CHECK_BURST", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    key_check_burst: Option<u32>,
    /// … and may make a minute after the burst (default 60).
    #[arg(long, env = "TALLY_KEY_CHECKS_PER_MINUTE", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    key_checks_per_minute: Option<u32>,
}

impl HttpArgs {
    fn limits(&self) -> tally_server::config::HttpLimits {
        let d = tally_server::config::HttpLimits::default();
        let secs = |v: Option<u64>, d: Duration| v.map_or(d, Duration::from_secs);
        tally_server::config::HttpLimits {
            header_read_timeout: secs(self.header_read_timeout_secs, d.header_read_timeout),
            body_read_timeout: secs(self.body_read_timeout_secs, d.body_read_timeout),
            request_timeout: secs(self.request_timeout_secs, d.request_timeout),
            max_connections: self.max_connections.map_or(d.max_connections, |n| n as usize),
        }
    }
}

/// Per-user quotas (quota.rs); unset ones keep `Quotas::default()`.
#[derive(Args, Clone)]
struct QuotaArgs {
    /// Connections one user may have (default 25).
    #[arg(long, env = "TALLY_MAX_CONNECTIONS_PER_USER", value_parser = clap::value_parser!(u32).range(1..))]
    max_connections_per_user: Option<u32>,
    /// Jobs one user may start a minute (default 60).
    #[arg(long, env = "TALLY_MAX_JOBS_PER_USER_PER_MINUTE", value_parser = clap::value_parser!(u32).range(1..))]
    max_jobs_per_user_per_minute: Option<u32>,
    /// Statements one user may upload an hour (default 60).
    #[arg(long, env = "TALLY_MAX_UPLOADS_PER_USER_PER_HOUR", value_parser = clap::value_parser!(u32).range(1..))]
    max_uploads_per_user_per_hour: Option<u32>,
    /// Expense snapshots kept per user, oldest pruned (default 50).
    #[arg(long, env = "TALLY_MAX_SNAPSHOTS_PER_USER", value_parser = clap::value_parser!(u32).range(1..))]
    max_snapshots_per_user: Option<u32>,
    /// Months one expenses request may span (default 120).
    #[arg(long, env = "TALLY_MAX_EXPENSE_MONTHS", value_parser = clap::value_parser!(u32).range(1..))]
    max_expense_months: Option<u32>,
}

impl QuotaArgs {
    fn quotas(&self) -> tally_server::quota::Quotas {
        let d = tally_server::quota::Quotas::default();
        tally_server::quota::Quotas {
            connections_per_user: self.max_connections_per_user.unwrap_or(d.connections_per_user),
            jobs_per_user_per_minute: self.max_jobs_per_user_per_minute.unwrap_or(d.jobs_per_user_per_minute),
            uploads_per_user_per_hour: self.max_uploads_per_user_per_hour.unwrap_or(d.uploads_per_user_per_hour),
            snapshots_per_user: self.max_snapshots_per_user.unwrap_or(d.snapshots_per_user),
            expense_months: self.max_expense_months.unwrap_or(d.expense_months),
        }
    }
}

#[derive(Args, Clone)]
struct BenchSchedulerArgs {
    /// Schedule rows to seed.
    #[arg(long, default_value_t = 1_000_000)]
    connections: usize,
    /// Schedules found and claimed per round.
    #[arg(long, default_value_t = 500)]
    batch: i64,
    /// Rounds to time.
    #[arg(long, default_value_t = 30)]
    rounds: usize,
    /// A PostgreSQL server (a fresh database is made on it and dropped after) or a new
    /// SQLite file; a temporary SQLite file by default.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Args, Clone)]
struct SeedArgs {
    /// How many transactions to give the new user.
    #[arg(long, default_value_t = 100_000)]
    user_transactions: usize,
    #[command(flatten)]
    store: StoreArgs,
}

fn main() {
    // The settings file fills the environment variables that are not set, so it must
    // be read before any thread exists (changing the environment is only sound then),
    // and before the flags are parsed (they read the environment).
    if let Err(e) = apply_settings_file() {
        eprintln!("tally-server: {e}");
        std::process::exit(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    runtime.block_on(run());
}

/// `--config FILE` (looked for in the raw arguments: clap has not run yet) or
/// `TALLY_CONFIG`.
fn apply_settings_file() -> Result<(), String> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let from_args = args.iter().enumerate().find_map(|(i, a)| {
        let a = a.to_str()?;
        match a.strip_prefix("--config=") {
            Some(path) => Some(PathBuf::from(path)),
            None if a == "--config" => args.get(i + 1).map(PathBuf::from),
            None => None,
        }
    });
    let Some(path) = from_args.or_else(|| std::env::var_os("TALLY_CONFIG").map(PathBuf::from)) else { return Ok(()) };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("settings file {}: {e}", path.display()))?;
    let pairs = tally_server::settings_file::env_pairs(&text).map_err(|e| format!("settings file {}: {e}", path.display()))?;
    for (var, value) in pairs {
        if std::env::var_os(var).is_none() {
            // Sound only because no other thread exists yet.
            std::env::set_var(var, value);
        }
    }
    Ok(())
}

async fn run() {
    // Logs go to stderr: stdout carries what commands print for machines (an API key,
    // seed ids, bench-scheduler's JSON).
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or_else(|| Command::Serve(ServeArgs::parse_from_env()));
    let result = match command {
        Command::Serve(args) => serve(args).await,
        Command::App { command: AppCommand::Create { name, store } } => create_app(&name, &store).await,
        Command::Seed(args) => seed(args).await,
        Command::BenchScheduler(args) => bench_scheduler(args).await,
    };
    if let Err(e) = result {
        eprintln!("tally-server: {e}");
        std::process::exit(1);
    }
}

impl ServeArgs {
    fn parse_from_env() -> Self {
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            args: ServeArgs,
        }
        Only::parse_from(["serve"]).args
    }
}

type Res = Result<(), Box<dyn std::error::Error>>;

fn ensure_sqlite_dir(url: &str) -> std::io::Result<()> {
    if let Some(dir) = db::sqlite_path(url).as_deref().and_then(Path::parent) {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    Ok(())
}

async fn open(store: &StoreArgs) -> Result<(sqlx::AnyPool, SecretKey), Box<dyn std::error::Error>> {
    ensure_sqlite_dir(&store.database_url)?;
    let pool = db::connect(&store.database_url).await?;
    let key = match &store.secret_key {
        Some(text) => SecretKey::parse(text)?,
        None => SecretKey::load_or_create(&store.secret_key_file)?,
    };
    Ok((pool, key))
}

async fn create_app(name: &str, store_args: &StoreArgs) -> Res {
    let (pool, _) = open(store_args).await?;
    let mut conn = pool.acquire().await?;
    let now = tally_server::clock::stamp(chrono::Utc::now());
    let (app, key) = store::apps::create(&mut conn, name, false, &now).await?;
    eprintln!("Created application '{}' ({}). Its API key, shown only now:", app.name, app.id);
    println!("{key}");
    Ok(())
}

async fn seed(args: SeedArgs) -> Res {
    let (pool, key) = open(&args.store).await?;
    let keys = tally_server::Keys::new(&key);
    let now = chrono::Utc::now();
    let t = std::time::Instant::now();
    let s = tally_server::seed::seed_user(&pool, &keys, args.user_transactions, now.date_naive(), &tally_server::clock::stamp(now)).await?;
    eprintln!("Seeded {} transactions in {:.1}s.", s.transactions, t.elapsed().as_secs_f64());
    println!("api_key={}\nuser_id={}\nconnection_id={}", s.api_key, s.user_id, s.connection_id);
    Ok(())
}

async fn serve(args: ServeArgs) -> Res {
    let (pool, key) = open(&args.store).await?;
    let latency = args.sandbox_latency_ms.unwrap_or(if args.demo { 1500 } else { 0 });
    let config = Config {
        demo: args.demo,
        sandbox_latency: Duration::from_millis(latency),
        cors_origins: args.cors_origins.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        refreshes_per_day: args.refreshes_per_day,
        quotas: args.quotas.quotas(),
        http: args.http.limits(),
        key_check_burst: args.http.key_check_burst.unwrap_or(Config::default().key_check_burst),
        key_checks_per_second: args.http.key_checks_per_minute.map_or(Config::default().key_checks_per_second, |n| f64::from(n) / 60.0),
        ..Config::default()
    };
    let mut state = AppState::new(pool.clone(), config, &key);
    if args.demo {
        let mut conn = pool.acquire().await?;
        let app = match store::apps::demo(&mut conn).await? {
            Some(a) => a,
            None => store::apps::create(&mut conn, "Tally demo", true, &state.now()).await?.0,
        };
        tracing::info!(app = %app.id, "demo mode: POST /demo/token issues client tokens");
        state.demo_app = Some(app.id);
    }
    let _worker = jobs::worker::spawn(state.clone());
    let _scheduler = scheduler::Scheduler::new(state.clone()).spawn(state.config.scheduler_tick);
    let statics = StaticConfig { root: args.static_root };
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening");
    println!("Tally is ready at http://{addr}/");
    let limits = state.config.http.clone();
    tally_server::serve::run(listener, app(state, &statics), &limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}

async fn bench_scheduler(args: BenchSchedulerArgs) -> Res {
    let opts = scheduler::bench::BenchOptions { connections: args.connections, batch: args.batch.max(1), rounds: args.rounds.max(1) };
    let result = scheduler::bench::run(args.database_url.as_deref(), &opts).await.map_err(|e| e.to_string())?;
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}
