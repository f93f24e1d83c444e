//! `cargo xtask setup | demo | test | bench | package`: everything a fresh machine needs,
//! in Rust so it runs wherever cargo does. Each command runs `setup` first; setup is
//! idempotent and takes about a second when everything is already installed.

mod bench;
mod brands;
mod cmd;
mod demo;
mod osm;
mod package;
mod postgres;
mod server;
mod setup;
mod test;
mod wasm;
mod words;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "Tally's project tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install every tool the project needs (idempotent).
    Setup,
    /// Build the widget, start the server with the demo page, print its URL.
    Demo {
        /// Address for the server.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Run every test: native, PostgreSQL, browsers (Chromium, Firefox), end to end.
    Test {
        /// Run only these suites (comma-separated): native, postgres, chromium, firefox, e2e.
        #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(test::SUITES))]
        only: Vec<String>,
    },
    /// Run every benchmark and rewrite BENCHMARKS.md.
    Bench,
    /// Build the npm package (www/) and pack it into target/package.
    Package,
    /// Rebuild crates/classify/data/brands.tsv from the pinned name-suggestion-index.
    Brands,
    /// Rebuild crates/classify/data/osm_words.tsv from the pinned iD tagging schema.
    Words,
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Setup => setup::run(),
        Command::Demo { listen } => setup::run().and_then(|_| demo::run(&listen)),
        Command::Test { only } => setup::run().and_then(|_| test::run(&only)),
        Command::Bench => setup::run().and_then(|_| bench::run()),
        Command::Package => setup::run().and_then(|_| package::run().map(|_| ())),
        Command::Brands => brands::run(),
        Command::Words => words::run(),
    };
    if let Err(e) = result {
        eprintln!("xtask: {e}");
        std::process::exit(1);
    }
}
