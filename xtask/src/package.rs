//! `cargo xtask package`: builds the npm package from www/ and packs it with `npm pack`
//! into target/package/tally-connect-VERSION.tgz.
//!
//! The widget build leaves `.br`/`.gz` variants beside the wasm and its glue in www/pkg
//! (see `demo::build_widget`), which a server of www/ (ours, `/www`) sends by
//! `Accept-Encoding`. The tarball holds what www/package.json's `files` lists, these
//! variants included, so a host serving the package from node_modules can send them
//! precompressed too (e.g. nginx `gzip_static`/`brotli_static`, or tower-http's
//! `ServeDir::precompressed_br`) instead of compressing on every request.

use std::path::PathBuf;
use std::process::Command;

use crate::cmd::{exec, output, root, Result};

/// Builds the release widget and packs www/; returns the tarball's path.
pub fn run() -> Result<PathBuf> {
    crate::demo::build_widget()?;
    let out = root().join("target/package");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    // npm prints the tarball's name on stdout (its notices go to stderr, shown as is).
    let name = output(Command::new("npm").current_dir(root().join("www")).args(["pack", "--pack-destination"]).arg(&out).stderr(std::process::Stdio::inherit()))
        .ok_or("npm pack failed in www/ (see its messages above)")?;
    let tarball = out.join(name.lines().last().unwrap_or_default().trim());
    if !tarball.is_file() {
        return Err(format!("npm pack did not produce {}", tarball.display()));
    }
    exec(Command::new("tar").args(["-tzf"]).arg(&tarball))?;
    eprintln!("package: {}", tarball.display());
    Ok(tarball)
}
