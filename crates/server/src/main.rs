//! The `tally-server` command: `serve` (the default) runs the API.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tally_server::{app, db, AppState, StaticConfig};

#[derive(Parser)]
#[command(name = "tally-server", about = "Tally's Connect API v2 server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API.
    Serve(ServeArgs),
}

#[derive(clap::Parser, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TALLY_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Database URL: sqlite:PATH (default) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite:data/tally.db")]
    database_url: String,
    /// Serve the demo page and built widget from this folder.
    #[arg(long, env = "TALLY_STATIC_ROOT")]
    static_root: Option<PathBuf>,
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs::parse_from(["serve"])
    }
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()))
        .init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve(args).await,
    };
    if let Err(e) = result {
        eprintln!("tally-server: {e}");
        std::process::exit(1);
    }
}

async fn serve(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(path) = args.database_url.strip_prefix("sqlite:") {
        if let Some(dir) = std::path::Path::new(path.split('?').next().unwrap_or(path)).parent() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let pool = db::connect(&args.database_url).await?;
    let statics = StaticConfig { root: args.static_root };
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening");
    println!("Tally is ready at http://{addr}/");
    axum::serve(listener, app(AppState { db: pool }, &statics))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
