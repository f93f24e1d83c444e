//! Import throughput on generated files.
//!
//! - `cargo run --release -p tally-import --example throughput [n]`: both formats, best
//!   of five after a warm-up, as text.
//! - `… --example throughput -- <ofx|csv> [n]`: one format, one timed import after a
//!   warm-up, as JSON (`mbPerSecond`, `transactionsPerSecond`, `peakRssOverFileSize`)
//!   for `cargo xtask bench`. The peak is this process's VmHWM, so run one format per
//!   process: the generated file and everything the importer allocates are in it.

use std::time::Instant;

use tally_import::{bench, import, Hints};

fn generate(format: &str, n: usize) -> Option<Vec<u8>> {
    match format {
        "ofx" => Some(bench::generate_ofx(n, 7)),
        "csv" => Some(bench::generate_csv(n, 7)),
        _ => None,
    }
}

/// Seconds for one import, and the transactions it read.
fn time_once(bytes: &[u8]) -> (f64, usize) {
    let start = Instant::now();
    let statement = import(bytes, &Hints::default()).expect("generated file imports");
    let secs = start.elapsed().as_secs_f64();
    let count = statement.accounts.iter().map(|a| a.transactions.len()).sum();
    (secs, count)
}

/// VmHWM of this process in bytes (Linux), or 0 where /proc is not there.
fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let format = args.first().map(|a| a.to_lowercase());
    if let Some(bytes) = format.as_deref().and_then(|f| {
        let n = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
        generate(f, n)
    }) {
        let _ = time_once(&bytes);
        let (secs, count) = time_once(&bytes);
        let mb = bytes.len() as f64 / 1e6;
        println!(
            "{}",
            serde_json::json!({
                "format": format,
                "transactions": count,
                "fileBytes": bytes.len(),
                "seconds": secs,
                "mbPerSecond": mb / secs,
                "transactionsPerSecond": count as f64 / secs,
                "peakRssOverFileSize": peak_rss_bytes() as f64 / bytes.len() as f64,
            })
        );
        return;
    }
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    for name in ["ofx", "csv"] {
        let bytes = generate(name, n).expect("a known format");
        let mut best = f64::MAX;
        let mut count = 0;
        for _ in 0..6 {
            let (secs, c) = time_once(&bytes);
            best = best.min(secs);
            count = c;
        }
        let mb = bytes.len() as f64 / 1e6;
        println!(
            "{}: {count} transactions, {mb:.1} MB in {:.1} ms: {:.0} MB/s, {:.0} transactions/s",
            name.to_uppercase(),
            best * 1e3,
            mb / best,
            count as f64 / best
        );
    }
}
