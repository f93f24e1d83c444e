//! Scheduler costs: `tally-server bench-scheduler` seeds 1,000,000 schedule rows
//! and times finding and claiming a batch of due rows, on SQLite and on a throwaway
//! PostgreSQL; the method states what that means for 5 refreshes a day of 1M connections.

use std::fmt::Write as _;
use std::process::Command;

use super::http::{self, Res};
use super::report::quantile;
use super::{Figure, Section};
use crate::postgres::Postgres;
use crate::server;

const CONNECTIONS: usize = 1_000_000;
const BATCH: i64 = 500;
const ROUNDS: usize = 30;
/// 1M connections × 5 refreshes a day, spread over 86,400 s.
const REFRESHES_PER_SECOND: f64 = CONNECTIONS as f64 * 5.0 / 86_400.0;

pub fn run() -> Section {
    let load_before = http::loadavg();
    let mut notes = String::new();
    let outcome = (|| -> Res<Vec<Figure>> {
        let binary = server::build_fast()?;
        let mut figures = Vec::new();
        let sqlite = bench(&binary, None)?;
        figures.extend(figures_of("SQLite", &sqlite, &mut notes));
        match Postgres::start()? {
            Some(pg) => {
                let r = bench(&binary, Some(&pg.url))?;
                figures.extend(figures_of("PostgreSQL", &r, &mut notes));
            }
            None => notes.push_str(" PostgreSQL was not installed, so only SQLite was measured."),
        }
        Ok(figures)
    })();
    let load_after = http::loadavg();
    Section {
        title: "Scheduler: finding and claiming due refreshes",
        method: format!(
            "`tally-server bench-scheduler --connections {CONNECTIONS} --batch {BATCH} --rounds {ROUNDS}` \
             (`fast` profile): seeds {CONNECTIONS} schedule rows spread over one slot as the plan spreads 5 \
             refreshes a day, then {ROUNDS} rounds each moving the clock so that ~{BATCH} rows are due and \
             timing the read-only due-batch query (find) and the claiming transaction (claim: an UPDATE … \
             RETURNING that selects the due rows itself, then COMMIT; this is all the server's runner does \
             per batch, every 15 s tick, until a batch comes back short). One database per backend: a temporary \
             SQLite file, and a fresh database on a throwaway PostgreSQL (`initdb`, fsync=off — so commits \
             cost less than on a durable server). n = rounds. What it implies: 1M connections refreshed 5 \
             times a day is {REFRESHES_PER_SECOND:.1} refreshes/s on average, i.e. {:.3} claims of {BATCH} a \
             second (two claims per 15 s tick).{notes} The 2-core machine was shared with other engineers' \
             builds and tests (load average {load_before} before, {load_after} after: 1/5/15 min).",
            REFRESHES_PER_SECOND / BATCH as f64
        ),
        outcome,
    }
}

struct Result {
    find_ms: Vec<f64>,
    claim_ms: Vec<f64>,
    seed_ms: f64,
}

fn bench(binary: &std::path::Path, url: Option<&str>) -> Res<Result> {
    let mut c = Command::new(binary);
    c.args(["bench-scheduler", "--connections", &CONNECTIONS.to_string(), "--batch", &BATCH.to_string(), "--rounds", &ROUNDS.to_string()])
        .env("RUST_LOG", "warn");
    if let Some(u) = url {
        c.args(["--database-url", u]);
    }
    eprintln!("$ tally-server bench-scheduler ({})", if url.is_some() { "PostgreSQL" } else { "SQLite" });
    let out = c.output().map_err(|e| format!("could not run {}: {e}", binary.display()))?;
    if !out.status.success() {
        return Err(format!("bench-scheduler failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("bench-scheduler output is not JSON: {e}"))?;
    let samples = |k: &str| -> Vec<f64> { v[k].as_array().map(|a| a.iter().filter_map(|x| x.as_f64()).collect()).unwrap_or_default() };
    let r = Result { find_ms: samples("find_due_ms"), claim_ms: samples("claim_ms"), seed_ms: v["seed_ms"].as_f64().unwrap_or(f64::NAN) };
    if r.find_ms.is_empty() || r.claim_ms.is_empty() {
        return Err(format!("bench-scheduler printed no timings: {v}"));
    }
    Ok(r)
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    quantile(&s, 0.5)
}

fn figures_of(backend: &str, r: &Result, notes: &mut String) -> Vec<Figure> {
    let (find, claim) = (median(&r.find_ms), median(&r.claim_ms));
    let per_second = REFRESHES_PER_SECOND / BATCH as f64;
    let _ = write!(
        notes,
        " {backend}: at the median claim time the runner's claims keep one core busy {:.3}% of the time at most \
         (wall-clock time as an upper bound of CPU; {:.3}% counting the find query too), and one core could claim {:.0} due refreshes a second ({:.0}× the average need).",
        claim * per_second / 10.0,
        (claim + find) * per_second / 10.0,
        BATCH as f64 * 1000.0 / claim,
        BATCH as f64 * 1000.0 / claim / REFRESHES_PER_SECOND,
    );
    vec![
        Figure::new(format!("{backend}: find {BATCH} due among {CONNECTIONS}"), "ms", r.find_ms.clone()),
        Figure::new(format!("{backend}: claim {BATCH} due (transaction)"), "ms", r.claim_ms.clone()),
        Figure::new(format!("{backend}: seed {CONNECTIONS} schedule rows (one run)"), "s", vec![r.seed_ms / 1000.0]),
    ]
}
