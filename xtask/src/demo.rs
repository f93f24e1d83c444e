//! `cargo xtask demo`: the main job. Builds the widget in release with wasm-pack, then
//! runs the server (profile `fast`) with the demo page and an SQLite file under ./data.

use std::process::Command;

use crate::cmd::{cargo, root, exec, Result};

pub fn run(listen: &str) -> Result {
    build_widget()?;
    std::fs::create_dir_all(root().join("data")).map_err(|e| e.to_string())?;
    exec(cargo().args(["run", "--profile", "fast", "-p", "tally-server", "--", "serve", "--listen", listen])
        .env("DATABASE_URL", "sqlite:data/tally.db")
        .env("TALLY_STATIC_ROOT", root()))
}

/// `wasm-pack build --release --target web` into ./www/pkg (served at /www/pkg by the server).
pub fn build_widget() -> Result {
    exec(Command::new("wasm-pack").current_dir(root()).args([
        "build", "--release", "--target", "web", "--mode", "no-install", "--out-dir", "www/pkg", "--no-typescript",
    ]))
}
