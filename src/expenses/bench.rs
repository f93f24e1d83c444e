//! The Expenses benchmark's pieces (cargo feature `bench`, not in the shipped widget):
//! deterministic synthetic transactions, the filter changes to time, the wasm timing
//! loop, and the same data handed to JavaScript for the plain-JS comparison in
//! `tests/bench/expenses.js` (driven by `tests/expenses_bench.rs`).

use wasm_bindgen::prelude::*;

use super::aggregate::{self, Charts, Summary};
use super::categories::TAXONOMY;
use super::day::{self, Day};
use super::filter::{Amount, DateFilter, Direction, FilterState, Status};
use super::ledger::{Ledger, NewRow};

/// "Today" of the synthetic data.
pub fn bench_today() -> Day {
    day::parse("2024-06-15").unwrap_or(0)
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const MERCHANTS: [&str; 16] = [
    "Woolworths", "Coles", "Aldi", "Starbucks Coffee", "Bean There Cafe", "Uber", "Shell", "BP Connect", "Netflix", "Spotify",
    "Telstra", "Origin Energy", "Bunnings Warehouse", "Chemist Warehouse", "JB Hi-Fi", "Qantas",
];

/// `n` synthetic transactions over the 24 months before [`bench_today`]: 6 accounts on 3
/// connections at 3 banks, the taxonomy's categories, 5% pending, 12% money in.
pub fn synthetic(n: usize) -> Ledger {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let today = bench_today();
    let ids: Vec<String> = (0..n).map(|i| format!("tx{i:06}")).collect();
    let descs: Vec<String> = (0..n)
        .map(|i| format!("{} {} {}", ["CARD PURCHASE", "EFTPOS", "DIRECT DEBIT", "VISA"][i % 4], MERCHANTS[i % MERCHANTS.len()].to_uppercase(), 1000 + i % 9000))
        .collect();
    let accounts = ["acc-0", "acc-1", "acc-2", "acc-3", "acc-4", "acc-5"];
    let connections = ["conn-0", "conn-1", "conn-2"];
    let banks = ["AU00000", "AU00001", "AU00002"];
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let a = rng.below(6) as usize;
        let credit = rng.below(100) < 12;
        let size = (rng.below(20_000) + 100) as i64 * if rng.below(10) == 0 { 10 } else { 1 };
        let cat = TAXONOMY[rng.below(TAXONOMY.len() as u64) as usize];
        rows.push(NewRow {
            id: &ids[i],
            day: Some(today - rng.below(730) as Day),
            cents: Some(if credit { size } else { -size }),
            pending: rng.below(100) < 5,
            credit,
            account: accounts[a],
            connection: connections[a / 2],
            institution: banks[a / 2],
            category: Some(cat),
            description: &descs[i],
            merchant: MERCHANTS[i % MERCHANTS.len()],
        });
    }
    let mut l = Ledger::default();
    l.push_all(rows);
    l
}

/// The filter changes timed, in turn: one kind of filter each, then combinations.
pub fn scenarios() -> Vec<FilterState> {
    let f = FilterState::default;
    vec![
        FilterState { categories: vec!["groceries".into()], ..f() },
        FilterState { date: DateFilter::Last3Months, ..f() },
        FilterState { search: "coffee".into(), ..f() },
        FilterState { direction: Some(Direction::Spending), amount_min: Some(Amount(2_000)), amount_max: Some(Amount(10_000)), ..f() },
        FilterState { accounts: vec!["acc-1".into(), "acc-4".into()], status: Some(Status::Posted), ..f() },
        FilterState { institutions: vec!["AU00002".into()], date: DateFilter::YearToDate, categories: vec!["dining".into(), "fuel".into()], ..f() },
        FilterState { date: DateFilter::Last12Months, search: "card wool".into(), direction: Some(Direction::Spending), ..f() },
        f(),
    ]
}

/// One filter change: totals, breakdown and month chart.
pub fn run_once(l: &Ledger, f: &FilterState, include_pending: bool) -> (Summary, Charts) {
    let s = aggregate::summarise(l, f, bench_today(), include_pending);
    let c = aggregate::charts(l, &s, f);
    (s, c)
}

fn now() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| js_sys::Reflect::get(&p, &"now".into()).ok().map(|now| (p, now)))
        .and_then(|(p, now)| now.dyn_into::<js_sys::Function>().ok()?.call0(&p).ok()?.as_f64())
        .unwrap_or(0.0)
}

/// Median and 90th percentile of `times` (ms).
pub fn stats(times: &mut [f64]) -> (f64, f64) {
    if times.is_empty() {
        return (0.0, 0.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (pick(0.5), pick(0.9))
}

/// Times `runs` filter changes (cycling through [`scenarios`]) on `l`, after a warm-up.
pub fn time_wasm(l: &Ledger, runs: usize) -> Vec<f64> {
    let sc = scenarios();
    for f in &sc {
        std::hint::black_box(run_once(l, f, false));
    }
    (0..runs)
        .map(|i| {
            let t0 = now();
            let out = run_once(l, &sc[i % sc.len()], false);
            let t = now() - t0;
            std::hint::black_box(out);
            t
        })
        .collect()
}

/// The check values of a scenario: `[count, spending, income, slices, first slice cents]`.
pub fn check(l: &Ledger, f: &FilterState) -> Vec<f64> {
    let (s, c) = run_once(l, f, false);
    vec![s.count() as f64, s.spending as f64, s.income as f64, c.breakdown.slices.len() as f64, c.breakdown.slices.first().map_or(0, |s| s.cents) as f64]
}

/// The data for the JavaScript version: an array of plain row objects
/// `{id, day, month, cents, account, connection, institution, category, pending, credit, text}`
/// with ids as strings (as a JS app would hold them), plus category titles.
pub fn js_dataset(l: &Ledger) -> JsValue {
    let rows = js_sys::Array::new_with_length(l.len() as u32);
    for (i, r) in l.rows.iter().enumerate() {
        let o = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&o, &k.into(), &v);
        };
        set("id", l.ids[i].as_str().into());
        set("day", r.day.into());
        set("month", r.month.into());
        set("cents", (r.cents as f64).into());
        set("account", l.accounts.id(r.account).into());
        set("connection", l.connections.id(r.connection).into());
        set("institution", l.institutions.id(r.institution).into());
        set("category", l.categories.id(r.category).into());
        set("pending", r.pending().into());
        set("credit", r.credit().into());
        set("text", l.search_text(i).into());
        rows.set(i as u32, o.into());
    }
    let titles = js_sys::Object::new();
    for (_, id, label) in l.categories.iter() {
        let _ = js_sys::Reflect::set(&titles, &id.into(), &label.into());
    }
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&out, &"rows".into(), &rows);
    let _ = js_sys::Reflect::set(&out, &"titles".into(), &titles);
    out.into()
}

/// A scenario's filter, resolved the way the wasm side resolves it (dates to day
/// numbers, month span), for the JavaScript version.
pub fn js_filter(l: &Ledger, f: &FilterState) -> JsValue {
    let (from, to) = f.date.resolve(bench_today());
    let span = (from.or(l.day_range.map(|r| r.0)), to.or(l.day_range.map(|r| r.1)));
    let (first_month, months) = match span {
        (Some(a), Some(b)) => (day::month_of(a), day::month_of(b) - day::month_of(a) + 1),
        _ => (0, 0),
    };
    let v = serde_json::json!({
        "from": from, "to": to,
        "accounts": f.accounts, "connections": f.connections, "institutions": f.institutions, "categories": f.categories,
        "status": f.status, "direction": f.direction,
        "min": f.amount_min.map(|a| a.0), "max": f.amount_max.map(|a| a.0),
        "terms": f.search.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>(),
        "firstMonth": first_month, "months": months,
    });
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}

/// The wasm half of the benchmark: `{n, runs, median_ms, p90_ms}` for `runs` filter
/// changes over `n` synthetic transactions.
#[wasm_bindgen]
pub fn bench_expenses(n: u32, runs: u32) -> JsValue {
    let l = synthetic(n as usize);
    let mut t = time_wasm(&l, runs.max(1) as usize);
    let (median, p90) = stats(&mut t);
    let v = serde_json::json!({ "n": n, "runs": runs, "median_ms": median, "p90_ms": p90 });
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_data_is_deterministic_and_varied() {
        let a = synthetic(2_000);
        let b = synthetic(2_000);
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.accounts.len(), 6);
        assert!(a.categories.len() >= 15);
        assert!(a.rows.iter().any(|r| r.pending()) && a.rows.iter().any(|r| r.credit()));
        for f in scenarios() {
            let (s, c) = run_once(&a, &f, false);
            assert!(s.count() > 0, "{f:?} matches something");
            assert!(!c.breakdown.slices.is_empty());
        }
    }
}
