//! Time from the widget script's arrival to the first render of real content, in
//! headless Chromium against the real server (tests/e2e/bench/first-render.mjs).

use std::process::Command;

use super::{Figure, Section};
use crate::cmd::root;
use crate::server::{self, Server};

pub fn run() -> Section {
    let outcome = (|| {
        let binary = server::build()?;
        let server = Server::start(&binary, &[])?;
        let out = Command::new("node")
            .current_dir(root().join("tests/e2e"))
            .arg("bench/first-render.mjs")
            .env("TALLY_E2E_URL", &server.url)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("first-render.mjs failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        let samples = |k: &str| -> Vec<f64> { v[k].as_array().map(|a| a.iter().filter_map(|x| x.as_f64()).collect()).unwrap_or_default() };
        Ok(vec![
            Figure::new("wrapper script loaded → institution list rendered", "ms", samples("scriptToRender")),
            Figure::new("navigation start → institution list rendered", "ms", samples("navigationToRender")),
        ])
    })();
    Section {
        title: "Time to first render",
        method: "Headless Chromium (Debian), a fresh browser context per sample, the demo page served by the \
                 debug server on loopback with a fresh SQLite file. 'Rendered' = the institution list is in \
                 the widget's shadow root (includes fetching /public/institutions)."
            .into(),
        outcome,
    }
}
