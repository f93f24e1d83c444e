//! Time from the widget script's arrival to the first render of real content, and the
//! bytes transferred until then, in headless Chromium against the real server
//! (tests/e2e/bench/first-render.mjs).
//!
//! Issue 18 judges the widget by what must arrive before it is usable, so each figure is
//! taken for two builds of the same source, the page loads interleaved: the split widget
//! that ships, and the widget built whole (no `split` feature, one module: the build
//! before code splitting), served by a second server from a copy of the page. Each is
//! loaded three ways: as the server sent the files before it served the build's
//! `.br`/`.gz` (identity), with gzip and with brotli; at loopback speed, and again
//! through DevTools' "Fast 3G" profile, where the bytes are what the user waits for.

use std::io::Read;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{Figure, Section};
use crate::cmd::root;
use crate::server::{self, Server};

/// The script waits for the institution list without a timeout of its own.
const DEADLINE_SECS: u64 = 600;
/// Samples per encoding (plus one warm-up round, not counted) at loopback speed and on
/// Fast 3G, where an identity load takes seconds.
const RUNS: &str = "15";
const THROTTLED_RUNS: &str = "6";
/// The encodings the script loads with, and how a figure names them.
const ENCODINGS: [(&str, &str); 3] = [("identity", "identity (as served before issue 18)"), ("gzip", "gzip"), ("br", "brotli")];

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

/// The builds compared, as first-render.mjs names them, and how a figure names them.
const BUILDS: [(&str, &str); 2] = [("split", "split (ships)"), ("whole", "whole, before splitting")];

/// Runs first-render.mjs against the builds' servers, on Fast 3G when `throttled`; its JSON.
fn measure(urls: &serde_json::Value, throttled: bool) -> Result<serde_json::Value, String> {
    let child = Command::new("node")
        .current_dir(root().join("tests/e2e"))
        .arg("bench/first-render.mjs")
        .env("TALLY_BENCH_BUILDS", urls.to_string())
        .env("RUNS", if throttled { THROTTLED_RUNS } else { RUNS })
        .env("THROTTLE", if throttled { "1" } else { "0" })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let out = wait_with_deadline(child, Duration::from_secs(DEADLINE_SECS))?;
    if !out.status.success() {
        return Err(format!("first-render.mjs failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())
}

pub fn run() -> Section {
    let mut asked = String::from("(not seen)");
    let outcome = (|| {
        let binary = server::build()?;
        let whole = whole_build()?;
        // The demo page gets its token from POST /demo/token: demo mode on.
        let split_server = Server::start(&binary, &["--demo"])?;
        let whole_server = Server::start_serving(&binary, &["--demo"], &whole)?;
        let urls = serde_json::json!({ "split": split_server.url, "whole": whole_server.url });
        let fast = measure(&urls, false)?;
        let slow = measure(&urls, true)?;
        if let Some(a) = fast["defaultAcceptEncoding"].as_str() {
            asked = a.to_string();
        }
        let samples = |v: &serde_json::Value, build: &str, enc: &str, k: &str| -> Vec<f64> {
            v["builds"][build][enc][k].as_array().map(|a| a.iter().filter_map(|x| x.as_f64()).collect()).unwrap_or_default()
        };
        let kb = |v: Vec<f64>| v.into_iter().map(|b| b / 1000.0).collect::<Vec<_>>();
        let mut figures = Vec::new();
        for (build, name) in BUILDS {
            for (enc, label) in ENCODINGS {
                let bytes = Figure::new(format!("{name}: transferred before the institution list rendered, {label}"), "KB", kb(samples(&fast, build, enc, "bytesToRender")));
                figures.push(if enc == "gzip" && build == "split" { bytes.target("≤ 150 KB (issue 18)") } else { bytes });
                figures.push(Figure::new(format!("{name}: · of which the widget's files, {label}"), "KB", kb(samples(&fast, build, enc, "widgetBytesToRender"))));
            }
        }
        for (enc, label) in ENCODINGS {
            for (build, name) in BUILDS {
                figures.push(Figure::new(format!("{name}: wrapper script loaded → institution list rendered, {label}"), "ms", samples(&fast, build, enc, "scriptToRender")));
                figures.push(Figure::new(format!("{name}: navigation start → institution list rendered, {label}"), "ms", samples(&fast, build, enc, "navigationToRender")));
            }
        }
        for (enc, label) in ENCODINGS {
            for (build, name) in BUILDS {
                let t = Figure::new(format!("{name}: Fast 3G, navigation start → institution list rendered, {label}"), "ms", samples(&slow, build, enc, "navigationToRender"));
                figures.push(if build == "split" && enc != "identity" { t.target("≤ half the whole build's (issue 18)") } else { t });
            }
        }
        Ok(figures)
    })();
    Section {
        title: "Time to first render",
        method: format!(
            "Two builds of the same source: the split widget that ships (`cargo xtask package`: the first screen's \
             module, later views in chunks) and the same widget built whole (no `split` feature, one module, as before \
             issue 18), each served with the same page and wrapper by a debug server of its own, the loads interleaved. \
             Headless Chromium (Debian), a fresh browser context per sample, the demo page served by the \
             debug server (`--demo`, as the page takes its token from POST /demo/token) on loopback with \
             a fresh SQLite file; the first round of each run warms the server and is not counted. 'Rendered' = the institution list is in \
             the widget's shadow root (includes fetching /public/institutions). Each sample loads the page once per \
             encoding, interleaved, with Accept-Encoding forced (`identity`; `gzip, deflate`; `gzip, deflate, br`) and \
             the wasm's Content-Encoding checked; Chromium itself asks this plain-HTTP origin for `{asked}`. \
             'Transferred' = resource timing transferSize (headers + encoded bodies) of the page and of every response that \
             ended before that frame: the widget's files, the demo page's CSS and script, the token and the institution list. \
             KB = 1000 bytes. Fast 3G = DevTools' preset through the DevTools protocol (162 KB/s down, 76 KB/s up, 562.5 ms \
             latency), {THROTTLED_RUNS} rounds, the first not counted."
        ),
        outcome,
    }
}

/// A copy of the demo page and the package folder under target/bench-whole, with the
/// widget built whole in its pkg/: what the second server serves.
fn whole_build() -> Result<std::path::PathBuf, String> {
    let dir = root().join("target/bench-whole");
    let www = dir.join("www");
    std::fs::create_dir_all(&www).map_err(|e| e.to_string())?;
    std::fs::copy(root().join("index.html"), dir.join("index.html")).map_err(|e| format!("index.html: {e}"))?;
    for entry in std::fs::read_dir(root().join("www")).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() {
            std::fs::copy(&path, www.join(path.file_name().unwrap_or_default())).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    crate::demo::build_widget_into(&www.join("pkg"), false)?;
    Ok(dir)
}
