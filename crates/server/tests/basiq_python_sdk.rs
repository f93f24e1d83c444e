//! Basiq's own Python SDK (PyPI `basiq` 1.0.1, pinned in basiq-python/requirements.txt),
//! unchanged, drives the real server over HTTP on `basiq-version: 2.0`: the existing
//! clients the contract promises to serve. `cargo xtask setup` installs the SDK into
//! target/basiq-python (or set TALLY_BASIQ_PYTHON to where it is).

mod common;

use std::path::PathBuf;
use std::process::Command;

fn sdk_dir() -> PathBuf {
    if let Ok(d) = std::env::var("TALLY_BASIQ_PYTHON") {
        return d.into();
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("target/basiq-python");
    assert!(dir.join("basiq/__init__.py").is_file(), "Basiq's Python SDK is not installed at {}: run `cargo xtask setup`", dir.display());
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn basiqs_own_python_sdk_connects_a_user_and_reads_their_data_on_2_0() {
    let t = common::start().await;
    let key = t.api_key().await;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/basiq-python/drive.py");
    let base = t.base.clone();
    let out = tokio::task::spawn_blocking(move || Command::new("python3").arg(script).arg(base).arg(key).env("PYTHONPATH", sdk_dir()).output())
        .await
        .unwrap()
        .expect("python3 runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the SDK failed:\n{stdout}\n{stderr}");
    for step in ["institutions", "user", "connection", "accounts", "transactions", "refreshed"] {
        assert!(stdout.lines().any(|l| l.starts_with(step)), "no '{step}' line:\n{stdout}\n{stderr}");
    }
}
