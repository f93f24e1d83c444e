//! The Expenses benchmark: with 50,000 synthetic transactions in memory, the time from
//! a filter change to updated totals and charts. Prints one line for a runner to parse:
//!
//! `BENCH {"bench":"expenses-filter-change","n":…,"runs":…,"wasm":{"median_ms":…,"p90_ms":…},
//! "js":{…},"ratio_js_over_wasm":…,"wasm_dom":{…},"wasm_dom_layout":{…},"target_median_ms":8}`
//!
//! - `wasm` / `js`: the model alone (filter change → totals + category breakdown + month
//!   chart models), the same algorithm in Rust and in plain JavaScript
//!   (tests/bench/expenses.js) on the same data in the same page, checked to agree;
//! - `wasm_dom`: the mounted view, from `setFilters` until its DOM has settled;
//! - `wasm_dom_layout`: the same plus the browser's style and layout of the result.
//!
//! Meaningful only optimised (the shipped `release` profile):
//! `wasm-pack test --release --headless --chrome --mode no-install -- --features bench --test expenses_bench -- --nocapture`
//! (`BENCH_N`, `BENCH_RUNS` are read at build time; defaults 50000 and 200).
#![cfg(all(target_arch = "wasm32", feature = "bench"))]

use tally_widget::expenses::bench;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/bench/expenses.js")]
extern "C" {
    #[wasm_bindgen(js_name = timeJs)]
    fn time_js(data: &JsValue, filters: &js_sys::Array, runs: u32) -> Vec<f64>;
    #[wasm_bindgen(js_name = mutationCounter)]
    fn mutation_counter(root: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = check)]
    fn check_js(data: &JsValue, filter: &JsValue) -> Vec<f64>;
}

fn env_usize(v: Option<&str>, default: usize) -> usize {
    v.and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

async fn tick() {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL)).await.unwrap();
}

/// The whole path in the real view: the host sets a filter, until the totals show the
/// new count (model, memos, effects and DOM updates of totals, charts and list).
async fn dom_timings(n: usize, runs: usize) -> DomTimes {
    use leptos::prelude::*;
    use std::rc::Rc;
    use tally_widget::backend::Backend;
    use tally_widget::expenses::{ExpensesView, FilterBridge};
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    let bridge = FilterBridge::new(Some(el.clone()));
    let (provided, host) = (bridge.clone(), el.clone());
    let backend: Rc<dyn Backend> = Rc::new(bench::SyntheticBackend::new(n));
    let today = bench::bench_today();
    let mounted = tally_widget::shadow::mount_in_shadow(&el, move || {
        provide_context(tally_widget::backend::BackendContext(StoredValue::new_local(backend)));
        tally_widget::expenses::ExpensesContext::provide(&provided, &Default::default());
        provide_context(tally_widget::host::Host::new(&tally_widget::i18n::EN, host));
        view! { <ExpensesView today=today/> }
    })
    .unwrap();
    let root = el.shadow_root().unwrap();
    let count = || root.query_selector(".totals .count").unwrap().map(|e| e.text_content().unwrap_or_default());
    for _ in 0..2000 {
        if count().is_some() {
            break;
        }
        let p = js_sys::Promise::new(&mut |r, _| {
            web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&r, 10).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }
    let ledger = bench::synthetic(n);
    let sc = bench::scenarios();
    let expected: Vec<String> = sc.iter().map(|f| (bench::check(&ledger, f)[0] as usize).to_string()).collect();
    let counter = mutation_counter(&root);
    let mutations = || js_sys::Reflect::get(&counter, &"n".into()).unwrap().as_f64().unwrap_or(0.0);
    let (mut times, mut layout) = (Vec::new(), Vec::new());
    for i in 0..(runs + sc.len()) {
        let k = i % sc.len();
        let t0 = now();
        bridge.set_from_host(sc[k].clone());
        let mut spins = 0;
        while count().as_deref() != Some(expected[k].as_str()) && spins < 1000 {
            tick().await;
            spins += 1;
        }
        // Then until the rest of the view (charts, list, chips) has settled too.
        loop {
            let before = mutations();
            tick().await;
            tick().await;
            if mutations() == before {
                break;
            }
        }
        let t = now() - t0;
        // And the browser's style and layout of the result (forced by reading a size).
        std::hint::black_box(el.offset_height());
        let t_layout = now() - t0;
        assert!(spins < 1000, "the view never showed {} for {:?}", expected[k], sc[k]);
        if i >= sc.len() {
            // The first round is warm-up.
            times.push(t);
            layout.push(t_layout);
        }
    }
    mounted.unmount();
    el.remove();
    let (m, p90) = bench::stats(&mut times);
    let (lm, l90) = bench::stats(&mut layout);
    DomTimes { median: m, p90, layout_median: lm, layout_p90: l90, runs: times.len() }
}

struct DomTimes {
    median: f64,
    p90: f64,
    layout_median: f64,
    layout_p90: f64,
    runs: usize,
}

#[wasm_bindgen_test]
async fn expenses_filter_change_wasm_vs_js() {
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
    let dom = dom_timings(n, runs).await;
    let line = serde_json::json!({
        "bench": "expenses-filter-change",
        "n": n, "runs": w.len(),
        "wasm": { "median_ms": wm, "p90_ms": w90 },
        "js": { "median_ms": jm, "p90_ms": j90 },
        "wasm_dom": { "median_ms": dom.median, "p90_ms": dom.p90, "runs": dom.runs },
        "wasm_dom_layout": { "median_ms": dom.layout_median, "p90_ms": dom.layout_p90 },
        "ratio_js_over_wasm": if wm > 0.0 { jm / wm } else { 0.0 },
        "target_median_ms": 8,
    });
    console_log!("BENCH {line}");
}
