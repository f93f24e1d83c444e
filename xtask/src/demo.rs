//! `cargo xtask demo`: the main job. Builds the widget in release with wasm-pack, then
//! runs the server (profile `fast`) with the demo page and an SQLite file under ./data.

use std::process::Command;

use crate::cmd::{cargo, root, exec, Result};
use crate::wasm::Toolchain;

pub fn run(listen: &str) -> Result {
    build_widget()?;
    std::fs::create_dir_all(root().join("data")).map_err(|e| e.to_string())?;
    exec(cargo().args(["run", "--profile", "fast", "-p", "tally-server", "--", "serve", "--listen", listen, "--demo"])
        .env("DATABASE_URL", "sqlite:data/tally.db")
        .env("TALLY_STATIC_ROOT", root()))
}

/// `wasm-pack build --release --target web` into ./www/pkg (served at /www/pkg), or
/// the same through Debian's toolchain (see `wasm.rs`), then `wasm-opt -Oz` with
/// binaryen from npm (see Cargo.toml's wasm-pack metadata for why not Debian's).
pub fn build_widget() -> Result {
    for mut step in Toolchain::detect()?.build_release() {
        exec(&mut step)?;
    }
    let wasm = root().join("www/pkg/tally_widget_bg.wasm");
    // No --enable-* flags: wasm-opt reads the features from the module itself, and
    // naming some would silently disable the others.
    exec(Command::new(root().join("xtask/node_modules/.bin/wasm-opt")).arg("-Oz").arg(&wasm).arg("-o").arg(&wasm))
}
