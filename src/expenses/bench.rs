//! The Expenses benchmark's pieces (cargo feature `bench`, not in the shipped widget):
//! deterministic synthetic transactions, the filter changes to time, the wasm timing
//! loop, and the same data handed to JavaScript for the plain-JS comparison in
//! `tests/bench/expenses.js` (driven by `tests/expenses_bench.rs`).

use wasm_bindgen::prelude::*;

use std::rc::Rc;

use tally_api::{Account, AccountClass, Enrich, EnrichCategory, EnrichMerchant, Institution, Links, List, Transaction};

use super::aggregate::{self, Charts, Summary};
use tally_api::taxonomy::TITLES;
use super::day::{self, Day};
use super::filter::{Amount, DateFilter, Direction, FilterState, Status};
use super::ledger::Ledger;
use super::money;
use crate::backend::{Backend, BackendError, BoxFuture, TransactionsPage};

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

/// The usual category of each of [`MERCHANTS`].
const MERCHANT_CATEGORY: [&str; 16] = [
    "groceries", "groceries", "groceries", "dining", "dining", "transport", "fuel", "fuel", "subscriptions-software",
    "entertainment", "telecommunications", "utilities", "home", "health", "shopping", "travel",
];

/// `n` synthetic wire transactions over the 24 months before [`bench_today`]: 6
/// accounts on 3 connections at 3 banks, the taxonomy's categories, 5% pending, 12%
/// money in. Deterministic.
pub fn synthetic_wire(n: usize) -> (Vec<Account>, Vec<Transaction>) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let today = bench_today();
    let names = ["Everyday", "Savings", "Credit card", "Offset", "Joint", "Travel card"];
    let accounts: Vec<Account> = (0..6)
        .map(|a| Account {
            kind: "account".into(),
            id: format!("acc-{a}"),
            account_no: format!("0000{a}{a}{a}{a}"),
            name: names[a].into(),
            currency: "AUD".into(),
            balance: "0.00".into(),
            available_funds: "0.00".into(),
            class: AccountClass { kind: "transaction".into(), product: names[a].into() },
            status: "available".into(),
            last_updated: "2024-06-15T00:00:00Z".into(),
            connection: format!("conn-{}", a / 2),
            institution: format!("AU0000{}", a / 2),
            links: Links::default(),
        })
        .collect();
    let txs = (0..n)
        .map(|i| {
            let a = rng.below(6) as usize;
            let credit = rng.below(100) < 12;
            let size = (rng.below(20_000) + 100) as i64 * if rng.below(10) == 0 { 10 } else { 1 };
            let merchant = MERCHANTS[i % MERCHANTS.len()];
            // Mostly the merchant's own category, sometimes anything (as real data is).
            let (slug, title) = if rng.below(5) == 0 {
                TITLES[rng.below(TITLES.len() as u64) as usize]
            } else {
                let slug = MERCHANT_CATEGORY[i % MERCHANTS.len()];
                TITLES.iter().copied().find(|(s, _)| *s == slug).unwrap_or(("other", "Other"))
            };
            let date = day::format(today - rng.below(730) as Day);
            let pending = rng.below(100) < 5;
            Transaction {
                kind: "transaction".into(),
                id: format!("tx{i:06}"),
                status: if pending { "pending" } else { "posted" }.into(),
                description: format!("{} {} {}", ["CARD PURCHASE", "EFTPOS", "DIRECT DEBIT", "VISA"][i % 4], merchant.to_uppercase(), 1000 + i % 9000),
                amount: money::to_decimal(if credit { size } else { -size }),
                direction: if credit { "credit" } else { "debit" }.into(),
                class: "payment".into(),
                account: accounts[a].id.clone(),
                institution: accounts[a].institution.clone(),
                connection: accounts[a].connection.clone(),
                balance: None,
                post_date: (!pending).then(|| date.clone()),
                transaction_date: Some(date),
                sub_class: None,
                enrich: Some(Enrich {
                    category: Some(EnrichCategory { id: slug.into(), title: title.into(), confidence: "high".into(), source: "model".into() }),
                    merchant: Some(EnrichMerchant { business_name: merchant.into() }),
                    location: None,
                }),
                links: Links::default(),
            }
        })
        .collect();
    (accounts, txs)
}

/// [`synthetic_wire`] loaded into a ledger, as the view would hold it.
pub fn synthetic(n: usize) -> Ledger {
    let (accounts, txs) = synthetic_wire(n);
    Ledger::from_wire(&accounts, &txs)
}

/// A backend serving [`synthetic_wire`] from memory (pages of 500, as the contract
/// does), for the DOM benchmark and [`demo_expenses`].
pub struct SyntheticBackend {
    pub accounts: Vec<Account>,
    pub txs: Vec<Transaction>,
}

impl SyntheticBackend {
    pub fn new(n: usize) -> Self {
        let (accounts, txs) = synthetic_wire(n);
        SyntheticBackend { accounts, txs }
    }
}

impl Backend for SyntheticBackend {
    fn institutions(&self) -> BoxFuture<Result<Vec<Institution>, BackendError>> {
        Box::pin(async { Ok(vec![]) })
    }
    fn accounts(&self) -> BoxFuture<Result<Vec<Account>, BackendError>> {
        let a = self.accounts.clone();
        Box::pin(async move { Ok(a) })
    }
    fn transactions(&self, page: TransactionsPage) -> BoxFuture<Result<List<Transaction>, BackendError>> {
        let start = match page {
            TransactionsPage::First { .. } => 0,
            TransactionsPage::Next(link) => link.trim_start_matches("page:").parse().unwrap_or(usize::MAX),
        }
        .min(self.txs.len());
        let end = (start + 500).min(self.txs.len());
        let mut list = List::of(self.txs[start..end].to_vec());
        list.count = Some(self.txs.len() as u64);
        if end < self.txs.len() {
            list.links = Some(Links { next: Some(format!("page:{end}")), ..Default::default() });
        }
        Box::pin(async move { Ok(list) })
    }
    fn set_category(&self, _: &str, _: &str) -> BoxFuture<Result<(), BackendError>> {
        Box::pin(async { Ok(()) })
    }
}

/// Mounts the Expenses view alone on `n` synthetic transactions (demo and screenshots);
/// returns its filter bridge's `filters()`/`setFilters()` through a handle.
#[wasm_bindgen]
pub fn demo_expenses(element: web_sys::HtmlElement, n: u32) -> Result<DemoHandle, JsValue> {
    use leptos::prelude::*;
    let backend: Rc<dyn Backend> = Rc::new(SyntheticBackend::new(n as usize));
    let bridge = super::FilterBridge::new(Some(element.clone()));
    let (provided, host) = (bridge.clone(), element.clone());
    let today = bench_today();
    let mounted = crate::shadow::mount_in_shadow(&element, move || {
        provide_context(crate::backend::BackendContext(StoredValue::new_local(backend)));
        super::ExpensesContext::provide(&provided, &super::ExpensesCache::default());
        provide_context(crate::host::Host::new(&crate::i18n::EN, host));
        view! { <div class="tally-app"><super::ExpensesView today=today/></div> }
    })?;
    Ok(DemoHandle { _mounted: mounted, bridge })
}

/// What [`demo_expenses`] returns.
#[wasm_bindgen]
pub struct DemoHandle {
    _mounted: crate::shadow::Mounted,
    bridge: super::FilterBridge,
}

#[wasm_bindgen]
impl DemoHandle {
    pub fn filters(&self) -> JsValue {
        self.bridge.current_js()
    }
    #[wasm_bindgen(js_name = setFilters)]
    pub fn set_filters(&self, filters: JsValue) -> Result<(), JsValue> {
        self.bridge.set_from_js(&filters)
    }
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
