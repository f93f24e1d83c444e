//! Expenses filter latency: the widget's own benchmark (cargo feature `bench`,
//! tests/expenses_bench.rs + tests/bench/expenses.js) run optimised in headless
//! Chromium; it prints one `BENCH {json}` line, which this reads.

use super::http::{self, Res};
use super::{Figure, Section};
use crate::wasm::Toolchain;

/// Separate page loads, each a full run of the benchmark, for a spread of the medians.
const PAGES: usize = 3;

pub fn run() -> Section {
    let load_before = http::loadavg();
    let mut info = String::new();
    let outcome = measure(&mut info);
    let load_after = http::loadavg();
    Section {
        title: "Expenses: filter change latency (widget)",
        method: format!(
            "`wasm-pack test --release --headless --chrome --mode no-install -- --features bench --test \
             expenses_bench -- --nocapture` (the shipped `release` profile, Debian's Chromium, headless), {PAGES} runs, \
             each a fresh page; each sample below is one page's median or p90 over its own timed filter \
             changes ({info}). Data: the bench's deterministic synthetic ledger (6 accounts on 3 \
             connections, 24 months, 5% pending, 12% income). 'Model' = a filter change to updated totals \
             + category breakdown + month chart models, in wasm and in the same algorithm in plain \
             JavaScript (tests/bench/expenses.js) on the same data in the same page, interleaved, checked \
             to agree first; 'mounted view' = the real ExpensesView from the host's setFilters until its \
             DOM has settled, then also the browser's style + layout. The 2-core machine was shared with \
             other engineers' builds and tests (load average {load_before} before, {load_after} after: \
             1/5/15 min)."
        ),
        outcome,
    }
}

fn measure(info: &mut String) -> Res<Vec<Figure>> {
    let mut lines = Vec::new();
    for _ in 0..PAGES {
        lines.push(one_page()?);
    }
    let get = |path: &[&str]| -> Vec<f64> {
        lines
            .iter()
            .filter_map(|v| path.iter().try_fold(v, |v, k| v.get(*k)).and_then(|x| x.as_f64()))
            .collect()
    };
    let first = &lines[0];
    let n = first["n"].as_u64().unwrap_or(0);
    *info = format!(
        "n = {n} transactions, {} timed changes per page for the model, {} for the mounted view",
        first["runs"].as_u64().map(|r| r.to_string()).unwrap_or("?".into()),
        first["wasm_dom"]["runs"].as_u64().map(|r| r.to_string()).unwrap_or("?".into())
    );
    let target = first["target_median_ms"].as_f64().unwrap_or(8.0);
    let mut figures = vec![
        Figure::new(format!("wasm model, median ({n} transactions)"), "ms", get(&["wasm", "median_ms"])).target(format!("< {target} ms")),
        Figure::new("wasm model, p90", "ms", get(&["wasm", "p90_ms"])),
        Figure::new("plain JS model, median (same data, same page)", "ms", get(&["js", "median_ms"])),
        Figure::new("plain JS model, p90", "ms", get(&["js", "p90_ms"])),
        Figure::new("JS median ÷ wasm median", "×", get(&["ratio_js_over_wasm"])).target(">= 1 (wasm at least as fast)"),
    ];
    let dom = get(&["wasm_dom", "median_ms"]);
    if !dom.is_empty() {
        figures.push(Figure::new("mounted view, setFilters → DOM settled, median", "ms", dom));
        figures.push(Figure::new("mounted view, setFilters → DOM settled, p90", "ms", get(&["wasm_dom", "p90_ms"])));
        figures.push(Figure::new("mounted view, … + style and layout, median", "ms", get(&["wasm_dom_layout", "median_ms"])));
        figures.push(Figure::new("mounted view, … + style and layout, p90", "ms", get(&["wasm_dom_layout", "p90_ms"])));
    }
    Ok(figures)
}

fn one_page() -> Res<serde_json::Value> {
    let mut c = Toolchain::detect()?.browser_tests("chrome", true, &["--features", "bench", "--test", "expenses_bench", "--", "--nocapture"])?;
    c.env("WASM_BINDGEN_TEST_TIMEOUT", "600");
    eprintln!("$ {c:?}");
    let out = c.output().map_err(|e| format!("could not run the widget benchmark: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stdout.lines().chain(stderr.lines()).find_map(|l| l.find("BENCH {").map(|i| l[i + 6..].trim().to_string()));
    match line {
        Some(json) => serde_json::from_str(&json).map_err(|e| format!("the BENCH line is not JSON ({e}): {json}")),
        None if !out.status.success() => Err(format!(
            "the widget benchmark failed: {}",
            tail(&format!("{stdout}\n{stderr}"), 1500)
        )),
        None => Err(format!("the widget benchmark printed no BENCH line: {}", tail(&stdout, 1500))),
    }
}

fn tail(s: &str, n: usize) -> String {
    let s = s.trim();
    let start = s.len().saturating_sub(n);
    let start = (start..s.len()).find(|&i| s.is_char_boundary(i)).unwrap_or(s.len());
    s[start..].replace('\n', " ⏎ ")
}
