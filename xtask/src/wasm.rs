//! Building and testing the widget for wasm32, on whichever toolchain this machine has.
//!
//! The normal path is rustup's `wasm32-unknown-unknown` target: cargo and wasm-bindgen
//! build the release widget (`build_release`), wasm-pack runs the browser tests. If
//! `rustup target add` ever fails, setup falls back to Debian's Rust (`rustc-web`,
//! `rust-web-src`, `lld-22`), which has no prebuilt std for wasm: std is built from
//! source with `-Zbuild-std`, and since wasm-pack's own target check does not know that
//! path, the output goes straight through `wasm-bindgen` / `wasm-bindgen-test-runner`
//! (see TOOLCHAIN.md in the project's shared notes; verified there on a machine of this
//! kind). `TALLY_WASM_TOOLCHAIN=rustup|debian` forces one of them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{output, root, Result};

/// Debian's Rust, what it is found by, and the packages that bring it.
const DEBIAN_CARGO: &str = "/usr/bin/cargo";
const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
/// Debian's rustc has no `rust-lld` (its default wasm linker); lld-22's `wasm-ld` is
/// that linker under its own name, and the name tells rustc which flavour to speak.
const DEBIAN_WASM_LD: &str = "/usr/lib/llvm-22/bin/wasm-ld";
pub const DEBIAN_PACKAGES: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "lld-22"];

/// The environment variable that forces a toolchain.
const OVERRIDE: &str = "TALLY_WASM_TOOLCHAIN";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toolchain {
    /// rustup's prebuilt wasm32 std; cargo builds, wasm-pack tests.
    Rustup,
    /// Debian's rustc-web with std built from source; wasm-bindgen directly.
    Debian,
}

/// What the user asked for through [`OVERRIDE`], if anything.
pub fn forced() -> Result<Option<Toolchain>> {
    match std::env::var(OVERRIDE).as_deref() {
        Err(_) | Ok("") => Ok(None),
        Ok("rustup") => Ok(Some(Toolchain::Rustup)),
        Ok("debian") => Ok(Some(Toolchain::Debian)),
        Ok(other) => Err(format!("{OVERRIDE}={other:?}: expected `rustup` or `debian`")),
    }
}

/// True when rustup has the wasm32 target installed.
pub fn rustup_has_target() -> bool {
    output(Command::new("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|s| s.lines().any(|l| l.trim() == "wasm32-unknown-unknown"))
}

/// True when Debian's Rust and its std sources are installed.
pub fn debian_installed() -> bool {
    [DEBIAN_CARGO, DEBIAN_RUSTC, DEBIAN_WASM_LD].iter().all(|p| Path::new(p).is_file()) && debian_std_sources().is_some()
}

/// Where Debian's rust-web-src put std's sources (`-Zbuild-std` needs them).
fn debian_std_sources() -> Option<PathBuf> {
    let sysroot = output(Command::new(DEBIAN_RUSTC).args(["--print", "sysroot"]))?;
    let src = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library");
    src.is_dir().then_some(src)
}

impl Toolchain {
    /// The toolchain to build with: the forced one, else rustup's when it has the
    /// target, else Debian's when setup installed it.
    pub fn detect() -> Result<Self> {
        if let Some(t) = forced()? {
            return Ok(t);
        }
        if rustup_has_target() {
            Ok(Toolchain::Rustup)
        } else if debian_installed() {
            Ok(Toolchain::Debian)
        } else {
            Err("no Rust toolchain for wasm32 is installed: run `cargo xtask setup`".into())
        }
    }

    /// The command that builds the release widget's module, before `wasm-split` and
    /// `wasm-bindgen`, and where it writes it. Split, the linker keeps its relocations
    /// (`--emit-relocs`, which wasm-split reads) and the `split` feature turns the lazy
    /// views into split points. Both go to a target folder of their own: other
    /// RUSTFLAGS would rebuild everything each time the two builds alternate.
    ///
    /// Not wasm-pack, on either toolchain: wasm-split must run between the linker and
    /// wasm-bindgen, and wasm-pack runs those two back to back.
    pub fn build_release(self, split: bool) -> (Command, PathBuf) {
        let kind = if split { "split" } else { "whole" };
        let (mut c, dir) = match self {
            Toolchain::Rustup => {
                let dir = crate::cmd::target_dir().join("widget").join(kind);
                let mut c = crate::cmd::cargo();
                c.args(["build", "--target", "wasm32-unknown-unknown", "--target-dir"]).arg(&dir);
                (c, dir)
            }
            Toolchain::Debian => {
                let dir = debian_target_dir().join(kind);
                (debian_cargo("build", &dir), dir)
            }
        };
        c.args(["--release", "--lib"]);
        // RUSTFLAGS replaces .cargo/config.toml's target rustflags: repeat its cfg.
        let mut flags = String::from("--cfg erase_components");
        if split {
            c.args(["--features", "split"]);
            flags.push_str(" -Clink-args=--emit-relocs");
        }
        c.env("RUSTFLAGS", flags);
        (c, dir.join("wasm32-unknown-unknown/release/tally_widget.wasm"))
    }

    /// The widget's browser tests in headless `browser` (`chrome` or `firefox`);
    /// `release` for benchmarks, `extra` passed to cargo (features, `--test NAME`, and
    /// after a `--`, the test binary's own arguments).
    pub fn browser_tests(self, browser: &str, release: bool, extra: &[&str]) -> Result<Command> {
        let mut c = match self {
            Toolchain::Rustup => {
                let mut c = Command::new("wasm-pack");
                c.current_dir(root()).arg("test");
                if release {
                    c.arg("--release");
                }
                c.args(["--headless", &format!("--{browser}"), "--mode", "no-install"]);
                if !extra.is_empty() {
                    c.arg("--").args(extra);
                }
                c
            }
            Toolchain::Debian => {
                let mut c = debian_cargo("test", &debian_target_dir());
                if release {
                    c.arg("--release");
                }
                // wasm-bindgen-test-runner (the target's runner in .cargo/config.toml)
                // picks the browser from the driver variable that is set.
                let (var, driver) = match browser {
                    "chrome" => ("CHROMEDRIVER", "chromedriver"),
                    "firefox" => ("GECKODRIVER", "geckodriver"),
                    other => return Err(format!("unknown browser {other}")),
                };
                let path = crate::cmd::find(driver).ok_or_else(|| format!("{driver} is not on PATH: run `cargo xtask setup`"))?;
                c.env(var, path).args(extra);
                c
            }
        };
        // One wasm test binary runs all its tests in one page; the default 20 s is too
        // short for the flows on a 2-core machine.
        c.env("WASM_BINDGEN_TEST_TIMEOUT", "300");
        Ok(c)
    }
}

/// Debian's cargo for wasm32 with std built from source. Its own target folder, so the
/// two toolchains never invalidate each other's builds.
fn debian_cargo(subcommand: &str, target_dir: &Path) -> Command {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![PathBuf::from("/usr/bin")];
    dirs.extend(std::env::split_paths(&path));
    let mut c = Command::new(DEBIAN_CARGO);
    c.current_dir(root())
        .env("PATH", std::env::join_paths(dirs).unwrap_or(path))
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", DEBIAN_WASM_LD)
        // rustup's variables would point Debian's cargo back at rustup's toolchain.
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("CARGO")
        .args([subcommand, "--target", "wasm32-unknown-unknown", "-Zbuild-std=std,panic_abort", "--target-dir"])
        .arg(target_dir);
    c
}

fn debian_target_dir() -> PathBuf {
    root().join("target/debian-wasm")
}
