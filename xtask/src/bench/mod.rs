//! `cargo xtask bench`: runs every benchmark of the project and rewrites BENCHMARKS.md
//! with the machine, the date, and for each figure its median and spread over repeated
//! runs. A benchmark that cannot run is reported as "not measured" with the reason —
//! never with a number that was not measured.
//!
//! `TALLY_BENCH_ONLY=transactions,scheduler` runs only those sections (keys below) and
//! writes target/BENCHMARKS.partial.md instead, for working on one benchmark.

mod classifier;
mod expenses;
mod first_render;
mod hostile;
mod http;
mod import;
mod job_latency;
mod report;
mod scheduler;
mod size;
mod transactions;

use crate::cmd::Result;
pub use report::Figure;

/// One benchmark section of the report.
pub struct Section {
    pub title: &'static str,
    /// What the numbers mean and how they were taken.
    pub method: String,
    pub outcome: std::result::Result<Vec<Figure>, String>,
}

pub fn run() -> Result {
    let only: Option<Vec<String>> = std::env::var("TALLY_BENCH_ONLY").ok().map(|s| s.split(',').map(|k| k.trim().to_string()).collect());
    let wanted = |key: &str| only.as_ref().is_none_or(|o| o.iter().any(|k| k == key));
    let all: [(&str, fn() -> Section); 9] = [
        ("size", size::run),
        ("first-render", first_render::run),
        ("classifier", classifier::run),
        ("expenses", expenses::run),
        ("transactions", transactions::run),
        ("job-latency", job_latency::run),
        ("scheduler", scheduler::run),
        ("import", import::run),
        ("hostile", hostile::run),
    ];
    if wanted("size") || wanted("first-render") {
        crate::demo::build_widget()?;
    }
    let mut sections = Vec::new();
    for (key, run) in all {
        if wanted(key) {
            let t = std::time::Instant::now();
            sections.push(run());
            eprintln!("bench: {key} took {:.0}s", t.elapsed().as_secs_f64());
        }
    }
    report::write(&sections, only.is_some())
}
