//! `cargo xtask test`: every test of the project, one suite after another. A failing
//! suite does not stop the others; the summary at the end lists each and the exit code
//! is non-zero if any failed.

use std::process::Command;
use std::time::Instant;

use crate::cmd::{cargo, root, exec, Result};
use crate::postgres::Postgres;

struct Outcome {
    name: &'static str,
    result: Result,
    secs: f64,
}

pub fn run() -> Result {
    let mut outcomes = Vec::new();
    let mut suite = |name: &'static str, f: &mut dyn FnMut() -> Result| {
        eprintln!("\n=== {name} ===");
        let t = Instant::now();
        let result = f();
        outcomes.push(Outcome { name, result, secs: t.elapsed().as_secs_f64() });
    };

    suite("native tests, SQLite (all crates)", &mut || exec(cargo().args(["test", "--workspace"])));
    suite("server tests, PostgreSQL", &mut || match Postgres::start()? {
        Some(pg) => exec(cargo().args(["test", "-p", "tally-server"]).env("TALLY_TEST_DATABASE_URL", &pg.url)),
        None => Err("PostgreSQL is not installed (cargo xtask setup installs it)".into()),
    });
    suite("widget browser tests, headless Chromium", &mut || exec(&mut wasm_pack_test("--chrome")));
    suite("widget browser tests, headless Firefox", &mut || exec(&mut wasm_pack_test("--firefox")));

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

fn wasm_pack_test(browser: &str) -> Command {
    let mut c = Command::new("wasm-pack");
    c.current_dir(root())
        .args(["test", "--headless", browser, "--mode", "no-install"])
        // One wasm test binary runs all its tests in one page; the default 20 s is
        // too short for the flows on a 2-core machine.
        .env("WASM_BINDGEN_TEST_TIMEOUT", "300");
    c
}
