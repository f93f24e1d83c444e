//! `cargo xtask bench`: runs every benchmark of the project and rewrites BENCHMARKS.md
//! with the machine, the date, and for each figure its median and spread over repeated
//! runs. A benchmark that cannot run is reported as "not measured" with the reason —
//! never with a number that was not measured.

mod classifier;
mod expenses;
mod first_render;
mod http;
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
    let mut sections = Vec::new();
    crate::demo::build_widget()?;
    sections.push(size::run());
    sections.push(first_render::run());
    sections.push(classifier::run());
    sections.push(expenses::run());
    sections.push(transactions::run());
    sections.push(job_latency::run());
    sections.push(scheduler::run());
    report::write(&sections)
}
