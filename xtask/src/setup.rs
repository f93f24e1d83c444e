//! `cargo xtask setup`: installs what the project needs on a fresh Debian machine of
//! this kind, skipping each step that is already done.
//!
//! - the wasm32 target (rustup), or if rustup cannot add it, Debian's Rust with std
//!   sources to build std for wasm32 from source (see `wasm.rs`)
//! - Chromium, chromedriver, Firefox ESR, PostgreSQL, Node.js (apt)
//! - geckodriver, wasm-pack, wasm-bindgen-cli at exactly Cargo.lock's version, and
//!   wasm-split-cli at a pinned version (cargo install)
//! - binaryen 132's wasm-opt (xtask/package.json) and playwright-core
//!   (tests/e2e/package.json) from npm, at the versions in their lock files
//! - Basiq's own Python SDK from PyPI into target/basiq-python, at the versions in
//!   crates/server/tests/basiq-python/requirements.txt

use std::process::Command;

use crate::cmd::{self, on_path, output, exec, Result};
use crate::wasm::{self, Toolchain};

/// Debian packages and a binary each one provides (how we know it is installed).
const APT: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("firefox-esr", "/usr/bin/firefox-esr"),
    ("postgresql", "/usr/lib/postgresql"),
    ("nodejs", "/usr/bin/node"),
    ("npm", "/usr/bin/npm"),
    ("wrk", "/usr/bin/wrk"),
];

pub fn run() -> Result {
    let t = std::time::Instant::now();
    wasm_target()?;
    apt_packages()?;
    cargo_tool("geckodriver", None)?;
    cargo_tool("wasm-pack", None)?;
    let wbg = wasm_bindgen_version()?;
    cargo_tool("wasm-bindgen-cli", Some(&wbg))?;
    wasm_split_cli()?;
    npm_packages("xtask")?;
    npm_packages("tests/e2e")?;
    python_packages("crates/server/tests/basiq-python/requirements.txt", "target/basiq-python")?;
    eprintln!("setup: everything installed ({:.1}s)", t.elapsed().as_secs_f64());
    Ok(())
}

/// rustup's wasm32 target; if rustup cannot add it (or `TALLY_WASM_TOOLCHAIN=debian`),
/// Debian's Rust with std sources, which `wasm::Toolchain::Debian` builds with.
fn wasm_target() -> Result {
    match wasm::forced()? {
        Some(Toolchain::Debian) => return debian_rust(),
        Some(Toolchain::Rustup) | None if wasm::rustup_has_target() => return Ok(()),
        _ => {}
    }
    match exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"])) {
        Ok(()) => Ok(()),
        Err(e) if wasm::forced()?.is_none() => {
            eprintln!("setup: {e}\nsetup: falling back to Debian's Rust, building std for wasm32 from source");
            debian_rust()
        }
        Err(e) => Err(e),
    }
}

fn debian_rust() -> Result {
    if wasm::debian_installed() {
        return Ok(());
    }
    apt_install(wasm::DEBIAN_PACKAGES)?;
    if wasm::debian_installed() {
        Ok(())
    } else {
        Err("Debian's rustc-web is installed but its std sources were not found (rust-web-src)".into())
    }
}

fn apt_packages() -> Result {
    let missing: Vec<&str> = APT.iter().filter(|(_, probe)| !std::path::Path::new(probe).exists()).map(|(p, _)| *p).collect();
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(&missing)
}

fn apt_install(packages: &[&str]) -> Result {
    let sudo = |c: &str| {
        let mut command = if is_root() { Command::new(c) } else {
            let mut s = Command::new("sudo");
            s.arg(c);
            s
        };
        command.env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    exec(sudo("apt-get").args(["update", "-q"]))?;
    exec(sudo("apt-get").args(["install", "-y", "-q", "--no-install-recommends"]).args(packages))
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false)
}

/// Installs a cargo tool unless the right version is already on PATH.
fn cargo_tool(krate: &str, version: Option<&str>) -> Result {
    let bin = match krate {
        "wasm-bindgen-cli" => "wasm-bindgen",
        other => other,
    };
    if on_path(bin) {
        match version {
            None => return Ok(()),
            Some(v) => {
                let have = output(Command::new(bin).arg("--version")).unwrap_or_default();
                if have.split_whitespace().nth(1) == Some(v) {
                    return Ok(());
                }
            }
        }
    }
    cargo_install(krate, version, &[])
}

/// `cargo install` of `krate` (at `version`, replacing another) with `features`.
fn cargo_install(krate: &str, version: Option<&str>, features: &[&str]) -> Result {
    let install = |locked: bool| {
        let mut c = cmd::cargo();
        c.args(["install", krate]);
        if locked {
            c.arg("--locked");
        }
        if let Some(v) = version {
            c.args(["--version", &format!("={v}"), "--force"]);
        }
        for f in features {
            c.args(["--features", f]);
        }
        exec(&mut c)
    };
    // A crate's own lock file can name a dependency version the registry no longer
    // serves (seen with wasm-bindgen-cli 0.2.130 and webpki-roots): then resolve afresh.
    install(true).or_else(|e| {
        eprintln!("setup: {e}; retrying without --locked");
        install(false)
    })
}

/// The crate whose `wasm-split-cli` cuts the widget into chunks (`demo::build_widget`),
/// pinned: its loader and the `wasm_split_helpers` runtime in Cargo.lock speak one
/// protocol.
const WASM_SPLIT: (&str, &str) = ("wasm_split_cli_support", "0.2.4");

/// `cargo install` of [`WASM_SPLIT`] with its `build-binary` feature, unless cargo's
/// own list of installed crates already has that version.
fn wasm_split_cli() -> Result {
    let (krate, version) = WASM_SPLIT;
    let listed = output(cmd::cargo().args(["install", "--list"])).unwrap_or_default();
    if on_path("wasm-split-cli") && listed.lines().any(|l| l.trim_end_matches(':') == format!("{krate} v{version}")) {
        return Ok(());
    }
    cargo_install(krate, Some(version), &["build-binary"])
}

/// The `wasm-bindgen` version recorded in Cargo.lock (the CLI must equal it exactly).
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(cmd::root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock is missing ({e}); run `cargo generate-lockfile`"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// `pip install --target` of exactly the pinned `requirements` into `dir`, unless that
/// very file was installed there last (a copy is kept as `dir/.tally-installed`).
fn python_packages(requirements: &str, dir: &str) -> Result {
    let (requirements, dir) = (cmd::root().join(requirements), cmd::root().join(dir));
    let wanted = std::fs::read(&requirements).map_err(|e| format!("{}: {e}", requirements.display()))?;
    let stamp = dir.join(".tally-installed");
    if std::fs::read(&stamp).ok().as_deref() == Some(&wanted[..]) {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(&dir);
    exec(Command::new("python3").args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target"]).arg(&dir).arg("-r").arg(&requirements))?;
    std::fs::write(&stamp, &wanted).map_err(|e| e.to_string())
}

/// `npm ci` in `dir` unless node_modules was installed from this very lock file: after
/// a successful install the lock file is copied to node_modules/.tally-installed-lock.
fn npm_packages(dir: &str) -> Result {
    let dir = cmd::root().join(dir);
    let lock = std::fs::read(dir.join("package-lock.json")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let stamp = dir.join("node_modules/.tally-installed-lock");
    if std::fs::read(&stamp).ok().as_deref() == Some(&lock[..]) {
        return Ok(());
    }
    exec(Command::new("npm").current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, &lock).map_err(|e| e.to_string())
}
