//! `cargo xtask test`: every test of the project, one suite after another. A failing
//! suite does not stop the others; the summary at the end lists each and the exit code
//! is non-zero if any failed.

use std::process::Command;
use std::time::Instant;

use crate::cmd::{cargo, root, exec, Result};
use crate::postgres::Postgres;
use crate::server::{self, Server};
use crate::wasm::Toolchain;

struct Outcome {
    name: &'static str,
    result: Result,
    secs: f64,
}

/// The suites' short names, for `cargo xtask test --only NAME[,NAME…]`.
pub const SUITES: [&str; 5] = ["native", "postgres", "chromium", "firefox", "e2e"];

/// Runs every suite, or only those named in `only` (see [`SUITES`]).
pub fn run(only: &[String]) -> Result {
    let mut outcomes = Vec::new();
    let mut suite = |key: &str, name: &'static str, f: &mut dyn FnMut() -> Result| {
        if !only.is_empty() && !only.iter().any(|o| o == key) {
            return;
        }
        eprintln!("\n=== {name} ===");
        let t = Instant::now();
        let result = f();
        outcomes.push(Outcome { name, result, secs: t.elapsed().as_secs_f64() });
    };

    suite("native", "native tests, SQLite (all crates)", &mut || exec(cargo().args(["test", "--workspace", "--no-fail-fast", "--features", "tally-classify/tools"])));
    suite("postgres", "server tests, PostgreSQL", &mut || match Postgres::start()? {
        Some(pg) => exec(cargo().args(["test", "--no-fail-fast", "-p", "tally-server"]).env("TALLY_TEST_DATABASE_URL", &pg.url)),
        None => Err("PostgreSQL is not installed (cargo xtask setup installs it)".into()),
    });
    suite("chromium", "widget browser tests, headless Chromium", &mut || browser_tests("chrome"));
    suite("firefox", "widget browser tests, headless Firefox", &mut || browser_tests("firefox"));
    suite("e2e", "end to end: release widget + real server, headless Chromium", &mut end_to_end);

    eprintln!("\n=== summary ===");
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    for o in &outcomes {
        match &o.result {
            Ok(()) => eprintln!("  ok      {:<45} {:>6.1}s", o.name, o.secs),
            Err(e) => eprintln!("  FAILED  {:<45} {:>6.1}s  {e}", o.name, o.secs),
        }
    }
    println!("xtask test: {} passed, {} failed", outcomes.len() - failed, failed);
    if failed == 0 { Ok(()) } else { Err(format!("{failed} suite(s) failed")) }
}

fn browser_tests(browser: &str) -> Result {
    exec(&mut Toolchain::detect()?.browser_tests(browser, false, &[])?)
}

/// Builds the release widget (what ships) and packs it as the npm package, builds the
/// server, starts it on a fresh SQLite file with the demo on and sandbox steps slow
/// enough to watch (300 ms each), and runs tests/e2e/*.test.mjs (playwright-core +
/// Debian's Chromium). package.test.mjs installs the tarball and serves it from its own
/// port, TALLY_PACKAGE_PAGE_PORT, which the server allows as a CORS origin.
fn end_to_end() -> Result {
    let tarball = crate::package::run()?;
    let binary = server::build()?;
    let page_port = server::free_port()?;
    let page_origin = format!("http://127.0.0.1:{page_port}");
    let server = Server::start(&binary, &["--demo", "--sandbox-latency-ms", "300", "--cors-origins", &page_origin])?;
    let mut node = Command::new("node");
    node.current_dir(root().join("tests/e2e"))
        .arg("--test")
        .arg("--test-concurrency=1")
        .env("TALLY_E2E_URL", &server.url)
        .env("TALLY_PACKAGE_TARBALL", &tarball)
        .env("TALLY_PACKAGE_PAGE_PORT", page_port.to_string());
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/e2e"))
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .collect();
    files.sort();
    node.args(files);
    exec(&mut node)
}
