//! Time from the widget script's arrival to the first render of real content, in
//! headless Chromium against the real server (tests/e2e/bench/first-render.mjs).

use std::io::Read;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{Figure, Section};
use crate::cmd::root;
use crate::server::{self, Server};

/// The script waits for the institution list without a timeout of its own.
const DEADLINE_SECS: u64 = 300;

/// Waits for `child`, killing it after `deadline` (its output is read by threads so a
/// full pipe cannot block it).
fn wait_with_deadline(mut child: Child, deadline: Duration) -> Result<Output, String> {
    let pipe = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = pipe(child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>));
    let err = pipe(child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>));
    let t = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if t.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("first-render.mjs did not finish within {} s (the widget never showed the institution list)", deadline.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    Ok(Output { status, stdout: out.join().unwrap_or_default(), stderr: err.join().unwrap_or_default() })
}

pub fn run() -> Section {
    let outcome = (|| {
        let binary = server::build()?;
        // The demo page gets its token from POST /demo/token: demo mode on.
        let server = Server::start(&binary, &["--demo"])?;
        let child = Command::new("node")
            .current_dir(root().join("tests/e2e"))
            .arg("bench/first-render.mjs")
            .env("TALLY_E2E_URL", &server.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let out = wait_with_deadline(child, Duration::from_secs(DEADLINE_SECS))?;
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
                 debug server (`--demo`, as the page takes its token from POST /demo/token) on loopback with \
                 a fresh SQLite file; the first load of each run warms the server and is not counted. 'Rendered' = the institution list is in \
                 the widget's shadow root (includes fetching /public/institutions)."
            .into(),
        outcome,
    }
}
