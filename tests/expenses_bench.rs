//! The Expenses benchmark: with 50,000 synthetic transactions in memory, the time from
//! a filter change to updated totals and chart models, in wasm and in plain JavaScript
//! (tests/bench/expenses.js) on the same data in the same page. Prints one line
//! `BENCH {"n":…,"runs":…,"wasm":{"median_ms":…,"p90_ms":…},"js":{…},"ratio_js_over_wasm":…}`
//! for a runner to parse. Meaningful only optimised:
//!
//! `wasm-pack test --release --headless --chrome --mode no-install -- --features bench --test expenses_bench`
//! (env: `BENCH_N`, `BENCH_RUNS` are read at build time).
#![cfg(all(target_arch = "wasm32", feature = "bench"))]

use tally_widget::expenses::bench;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/bench/expenses.js")]
extern "C" {
    #[wasm_bindgen(js_name = timeJs)]
    fn time_js(data: &JsValue, filters: &js_sys::Array, runs: u32) -> Vec<f64>;
    #[wasm_bindgen(js_name = check)]
    fn check_js(data: &JsValue, filter: &JsValue) -> Vec<f64>;
}

fn env_usize(v: Option<&str>, default: usize) -> usize {
    v.and_then(|s| s.parse().ok()).unwrap_or(default)
}

#[wasm_bindgen_test]
fn expenses_filter_change_wasm_vs_js() {
    let n = env_usize(option_env!("BENCH_N"), 50_000);
    let runs = env_usize(option_env!("BENCH_RUNS"), 200);
    let ledger = bench::synthetic(n);
    let data = bench::js_dataset(&ledger);
    let filters = js_sys::Array::new();
    for f in bench::scenarios() {
        // Both sides must compute the same thing before timing means anything.
        let js = check_js(&data, &bench::js_filter(&ledger, &f));
        assert_eq!(bench::check(&ledger, &f), js, "wasm and JS disagree on {f:?}");
        filters.push(&bench::js_filter(&ledger, &f));
    }
    // Interleave the two so neither gets a warmer page.
    let (mut w, mut j) = (Vec::new(), Vec::new());
    for _ in 0..4 {
        w.extend(bench::time_wasm(&ledger, runs / 4));
        j.extend(time_js(&data, &filters, (runs / 4) as u32));
    }
    let (wm, w90) = bench::stats(&mut w);
    let (jm, j90) = bench::stats(&mut j);
    let line = serde_json::json!({
        "bench": "expenses-filter-change",
        "n": n, "runs": w.len(),
        "wasm": { "median_ms": wm, "p90_ms": w90 },
        "js": { "median_ms": jm, "p90_ms": j90 },
        "ratio_js_over_wasm": if wm > 0.0 { jm / wm } else { 0.0 },
        "target_median_ms": 8,
    });
    console_log!("BENCH {line}");
}
