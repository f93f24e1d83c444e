//! Resident memory the classifier adds to a process: `cargo run --release -p
//! tally-classify --example memory` (Linux: reads VmRSS and VmHWM from
//! /proc/self/status). It loads the engine the server loads (`Classifier::load`:
//! directories, brand table, generic words, embedded model) and classifies
//! 100,000 descriptions, then prints what that added to the process.

use tally_classify::{Classifier, Input};

/// (VmRSS, VmHWM) in KB.
fn resident() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn main() {
    let (before, _) = resident();
    let c = Classifier::load().expect("the shipped classifier loads");
    for i in 0..100_000 {
        let d = format!("EFTPOS BAECKEREI MUELLER {i} BERLIN");
        std::hint::black_box(c.classify(&Input::new(&d), None));
    }
    let (now, peak) = resident();
    println!(
        "classifier adds {:.1} MB resident (peak {:.1} MB) after loading and 100,000 classifications",
        now.saturating_sub(before) as f64 / 1024.0,
        peak.saturating_sub(before) as f64 / 1024.0
    );
}
