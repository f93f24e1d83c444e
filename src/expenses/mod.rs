//! The Expenses view: the user's categorised transactions for a period, with instant
//! client-side filters, a category breakdown, a month-by-month chart and a virtual
//! transaction list. The filter and aggregation model is plain Rust (no DOM) in
//! [`ledger`], [`filter`] and [`aggregate`], tested natively; the components in
//! `view_*` only render what the model computes.

pub mod aggregate;
#[cfg(feature = "bench")]
pub mod bench;
pub mod cache;
pub mod categories;
pub mod day;
pub mod filter;
pub mod host;
pub mod ledger;
pub mod money;
mod view_charts;
mod view_disclosure;
mod view_filters;
mod view_list;

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tally_api::Transaction;

pub use cache::ExpensesCache;
pub use host::{FilterBridge, FILTER_CHANGE_EVENT};

use crate::backend::{Backend, BackendContext, BackendError, TransactionsPage};
use crate::host::Host;
use aggregate::{Charts, Sort, Summary};
use day::Day;
use filter::FilterState;
use ledger::Ledger;

/// What outlives the Expenses view, in context: the host's filters ([`FilterBridge`],
/// kept locally: it holds JS values) and what the view loaded ([`ExpensesCache`]). Two
/// things, one context: a context type of its own for the cache cost the release wasm
/// 0.7 KB (0.15 KB gzip) of generic plumbing.
#[derive(Clone)]
pub struct ExpensesContext {
    filters: StoredValue<FilterBridge, LocalStorage>,
    data: ExpensesCache,
}

impl ExpensesContext {
    /// Puts both in context for the views; call inside the mount's owner.
    pub fn provide(filters: &FilterBridge, data: &ExpensesCache) {
        provide_context(ExpensesContext { filters: StoredValue::new_local(filters.clone()), data: data.clone() });
    }

    /// The filters in context, or a detached bridge when the view is used on its own.
    pub fn filters() -> FilterBridge {
        use_context::<ExpensesContext>().map(|c| c.filters.get_value()).unwrap_or_default()
    }

    /// The data cache in context, or a detached one.
    pub fn data() -> ExpensesCache {
        use_context::<ExpensesContext>().map(|c| c.data).unwrap_or_default()
    }
}

/// Transactions asked for per page (the contract's maximum).
pub const PAGE_SIZE: u32 = 500;

/// Where loading stands.
#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading { loaded: usize, total: Option<u64> },
    Failed(String),
    Ready,
}


/// Everything the parts of the view share (all `Copy` handles).
#[derive(Clone, Copy)]
struct Ctx {
    ledger: StoredValue<Ledger>,
    /// Bumped whenever the ledger changes (load, re-categorise).
    version: RwSignal<u64>,
    filter: RwSignal<FilterState>,
    include_pending: RwSignal<bool>,
    sort: RwSignal<Sort>,
    summary: Memo<Arc<Summary>>,
    charts: Memo<Arc<Charts>>,
    order: Memo<Arc<Vec<u32>>>,
    /// A passing message (e.g. a failed re-categorisation).
    notice: RwSignal<Option<String>>,
    /// Bumped by the "Reload" button: load everything again.
    reload: RwSignal<u32>,
    today: Day,
    /// The host page's link: `tally:error` events and the locale's strings.
    host: Host,
    /// Taken from context when the view is created (async tasks and event handlers run
    /// outside the reactive owner, where context is out of reach).
    backend: StoredValue<Rc<dyn Backend>, LocalStorage>,
}

fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// Today's date in the user's time zone.
pub fn today() -> Day {
    let d = js_sys::Date::new_0();
    day::from_civil(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
}

crate::split::split_view! {
    /// The Expenses view's constructor, in a chunk with the `split` feature.
    pub fn chunk(ExpensesViewProps) => ExpensesView as expenses
}

/// The Expenses tab: loads the user's accounts and transactions (every page), then
/// filters and aggregates them in memory. Needs a [`crate::backend::BackendContext`] in
/// context; shares its filters with the host and keeps what it loaded through an
/// [`ExpensesContext`] when one is provided.
#[component]
pub fn ExpensesView(
    /// "Today" for the date presets; the browser's local date when not set.
    #[prop(optional)]
    today: Option<Day>,
) -> impl IntoView {
    let today = today.unwrap_or_else(self::today);
    let bridge = ExpensesContext::filters();
    let ledger = StoredValue::new(Ledger::default());
    let version = RwSignal::new(0u64);
    let filter = RwSignal::new(bridge.current());
    let include_pending = RwSignal::new(false);
    let sort = RwSignal::new(Sort::DateDesc);
    let summary = Memo::new_with_compare(
        move |_| {
            version.track();
            let ip = include_pending.get();
            filter.with(|f| ledger.with_value(|l| Arc::new(aggregate::summarise(l, f, today, ip))))
        },
        |_, _| true,
    );
    let charts = Memo::new_with_compare(
        move |_| {
            let s = summary.get();
            filter.with_untracked(|f| ledger.with_value(|l| Arc::new(aggregate::charts(l, &s, f))))
        },
        |_, _| true,
    );
    let order = Memo::new_with_compare(
        move |_| {
            let s = summary.get();
            let sort = sort.get();
            ledger.with_value(|l| aggregate::sorted(l, &s.matched, sort))
        },
        |_, _| true,
    );
    let c = Ctx {
        ledger,
        version,
        filter,
        include_pending,
        sort,
        summary,
        charts,
        order,
        notice: RwSignal::new(None),
        reload: RwSignal::new(0),
        today,
        host: Host::get(),
        backend: StoredValue::new_local(BackendContext::get()),
    };
    provide_context(c);

    // The host's filters, and the user's changes back to the host.
    let bridge = StoredValue::new_local(bridge);
    bridge.with_value(|b| b.listen(Some(Rc::new(move |f: FilterState| filter.set(f.normalised())))));
    on_cleanup(move || bridge.with_value(|b| b.listen(None)));
    Effect::new(move |_| {
        let f = filter.get();
        bridge.with_value(|b| b.view_changed(&f));
    });

    // Load once, and again when the date filter reaches before what is loaded (or
    // being loaded). Other filter changes never reload. What was loaded outlives the
    // view in the [`ExpensesCache`], so coming back to the tab shows it at once; when
    // the data changes while the view is shown, it loads afresh.
    let cache = ExpensesContext::data();
    let cached = cache.take();
    cache.listen(Some(std::sync::Arc::new(move || {
        let _ = c.reload.try_update(|n| *n += 1);
    })));
    let load = RwSignal::new(if cached.is_some() { Load::Ready } else { Load::Loading { loaded: 0, total: None } });
    let requested = StoredValue::new(None::<Option<Day>>);
    if let Some((l, from)) = cached {
        ledger.set_value(l);
        requested.set_value(Some(from));
    }
    on_cleanup(move || {
        cache.listen(None);
        if load.try_get_untracked() == Some(Load::Ready) {
            if let (Some(l), Some(Some(from))) = (ledger.try_update_value(std::mem::take), requested.try_get_value()) {
                cache.keep(l, from);
            }
        }
    });
    let generation = StoredValue::new(0u32);
    let start = move |from: Option<Day>| {
        generation.update_value(|g| *g += 1);
        requested.set_value(Some(from));
        load.set(Load::Loading { loaded: 0, total: None });
        spawn_local(load_all(c, from, generation.get_value(), generation, load));
    };
    let need_from = Memo::new(move |_| filter.with(|f| f.date.resolve(today).0));
    Effect::new(move |_| {
        let from = need_from.get();
        let covered = match requested.get_value() {
            Some(None) => true,
            Some(Some(w)) => from.is_some_and(|f| f >= w),
            None => false,
        };
        if !covered {
            start(from);
        }
    });
    Effect::new(move |first: Option<()>| {
        c.reload.track();
        if first.is_some() {
            start(need_from.get_untracked());
        }
    });
    let retry = move |_| {
        let (from, _) = filter.with_untracked(|f| f.date.resolve(today));
        start(from);
    };

    let s = c.host.strings;
    view! {
        <section class="expenses" aria-label=s.ex_label>
            {move || match load.get() {
                Load::Loading { loaded, total } => {
                // `count` is the whole list's size; ignore it if a server says otherwise.
                let total = total.filter(|&t| t as usize >= loaded);
                view! {
                    <div class="loading" role="status" aria-live="polite">
                        <p>{match total {
                            Some(t) if t > 0 => (s.ex_loading_of)(loaded, t),
                            _ if loaded > 0 => (s.ex_loading_so_far)(loaded),
                            _ => s.ex_loading.to_string(),
                        }}</p>
                        {match total {
                            Some(t) if t > 0 => view! { <progress max=t.to_string() value=loaded.to_string()></progress> }.into_any(),
                            _ => view! { <progress></progress> }.into_any(),
                        }}
                    </div>
                }.into_any()
            }
                Load::Failed(msg) => view! {
                    <div class="error" role="alert">
                        <p>{s.ex_load_failed} {msg}</p>
                        <button type="button" on:click=retry>{s.try_again}</button>
                    </div>
                }.into_any(),
                Load::Ready => view! { <Loaded/> }.into_any(),
            }}
        </section>
    }
}

/// Loads accounts and every page of the transactions from `from` on (see
/// [`filter::loads_from`]).
async fn load_all(c: Ctx, from: Option<Day>, gen: u32, generation: StoredValue<u32>, load: RwSignal<Load>) {
    let Some(backend) = c.backend.try_get_value() else { return };
    let stale = move || generation.try_get_value() != Some(gen);
    let result: Result<Ledger, BackendError> = async {
        let accounts = backend.accounts().await?;
        let mut txs: Vec<Transaction> = Vec::new();
        let mut total: Option<u64> = None;
        for f in filter::loads_from(from) {
            let mut page = TransactionsPage::First { filter: f.map(|f| f.to_string()), limit: PAGE_SIZE };
            let mut first = true;
            loop {
                let list = backend.transactions(page).await?;
                if stale() {
                    return Err(BackendError::aborted());
                }
                if first {
                    total = list.count.map(|n| n + total.unwrap_or(0));
                    first = false;
                }
                txs.extend(list.data);
                let _ = load.try_set(Load::Loading { loaded: txs.len(), total });
                match list.links.and_then(|l| l.next) {
                    Some(next) if !next.is_empty() => page = TransactionsPage::Next(next),
                    _ => break,
                }
            }
        }
        Ok(Ledger::from_wire(&accounts, &txs))
    }
    .await;
    if stale() {
        return;
    }
    match result {
        Ok(mut l) => {
            // Bank names for the institution and connection filters (ids otherwise).
            if let Ok(list) = backend.institutions().await {
                for i in list {
                    l.institutions.set_label(&i.id, i.short_name.clone());
                }
            }
            label_connections(&mut l);
            if stale() || c.ledger.try_set_value(l).is_some() {
                return;
            }
            c.version.update(|v| *v += 1);
            let _ = load.try_set(Load::Ready);
        }
        Err(e) if e.code == "aborted" => {}
        Err(e) => {
            c.host.error(&e.code, &e.message);
            let _ = load.try_set(Load::Failed(e.message));
        }
    }
}

/// Names each connection after its bank (numbered when one bank has several).
fn label_connections(l: &mut Ledger) {
    let mut bank_of: Vec<(String, String)> = Vec::new();
    for r in &l.rows {
        let cid = l.connections.id(r.connection).to_string();
        if !bank_of.iter().any(|(c, _)| *c == cid) {
            bank_of.push((cid, l.institutions.label(r.institution).to_string()));
        }
    }
    for (cid, bank) in &bank_of {
        let same: Vec<&String> = bank_of.iter().filter(|(_, b)| b == bank).map(|(c, _)| c).collect();
        let label = if same.len() > 1 {
            format!("{bank} #{}", same.iter().position(|c| *c == cid).unwrap_or(0) + 1)
        } else {
            bank.clone()
        };
        l.connections.set_label(cid, label);
    }
}

/// The view once data is in memory.
#[component]
fn Loaded() -> impl IntoView {
    let c = ctx();
    let s = c.host.strings;
    // Only a change between "some rows" and "none" rebuilds the charts' containers.
    let has_rows = Memo::new(move |_| c.summary.get().count() > 0);
    let empty = move || {
        c.version.track();
        c.ledger.with_value(|l| (l.accounts.is_empty(), l.is_empty()))
    };
    move || match empty() {
        (true, true) => view! {
            <div class="empty">
                <p><strong>{s.ex_no_bank}</strong></p>
                <p class="muted">{s.ex_no_bank_hint}</p>
            </div>
        }
        .into_any(),
        (_, true) => view! {
            <div class="empty">
                <view_disclosure::FiltersDisclosure/>
                <p><strong>{s.ex_no_transactions}</strong></p>
                <p class="muted">{s.ex_no_transactions_hint}</p>
            </div>
        }
        .into_any(),
        _ => view! {
            <view_disclosure::FiltersDisclosure/>
            <view_filters::Chips/>
            {move || c.notice.get().map(|n| view! {
                <p class="error notice" role="alert">{n}
                    <button type="button" class="link" on:click=move |_| c.notice.set(None)>{s.ex_dismiss}</button>
                </p>
            })}
            <view_charts::Totals/>
            {move || if !has_rows.get() {
                view! {
                    <div class="empty">
                        <p><strong>{s.ex_no_match}</strong></p>
                        <button type="button" on:click=move |_| c.filter.set(FilterState::default())>{s.ex_clear_filters}</button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <div class="charts">
                        <view_charts::CategoryChart/>
                        <view_charts::MonthChart/>
                    </div>
                }.into_any()
            }}
            <view_list::TransactionList/>
        }
        .into_any(),
    }
}
