//! Import throughput on generated 100k-transaction files:
//! `cargo run --release -p tally-import --example throughput [n] [ofx|csv]`.

use std::time::Instant;

use tally_import::{bench, import, Hints};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let only = std::env::args().nth(2).unwrap_or_default().to_uppercase();
    let hints = Hints::default();
    for (name, bytes) in [
        ("OFX", bench::generate_ofx(n, 7)),
        ("CSV", bench::generate_csv(n, 7)),
    ] {
        if !only.is_empty() && only != name {
            continue;
        }
        // Best of 5, after one warm-up run.
        let mut best = f64::MAX;
        let mut count = 0;
        for _ in 0..6 {
            let start = Instant::now();
            let statement = import(&bytes, &hints).expect("generated file imports");
            let secs = start.elapsed().as_secs_f64();
            count = statement
                .accounts
                .iter()
                .map(|a| a.transactions.len())
                .sum::<usize>();
            best = best.min(secs);
        }
        let mb = bytes.len() as f64 / 1e6;
        println!(
            "{name}: {count} transactions, {mb:.1} MB in {:.1} ms: {:.0} MB/s, {:.0} transactions/s",
            best * 1e3,
            mb / best,
            count as f64 / best
        );
    }
}
