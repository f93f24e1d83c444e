//! Browser tests of the Expenses view against a fake backend: run with
//! `wasm-pack test --headless --chrome|--firefox`. Each test mounts into its own element.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use tally_api::{Account, AccountClass, Enrich, EnrichCategory, EnrichMerchant, Institution, Links, List, Transaction};
use tally_widget::backend::{Backend, BackendContext, BackendError, BoxFuture, TransactionsPage};
use tally_widget::expenses::{day, ExpensesCache, ExpensesContext, ExpensesView, FilterBridge, FILTER_CHANGE_EVENT};
use tally_widget::host::Host;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Default)]
struct Fake {
    accounts: Vec<Account>,
    txs: Vec<Transaction>,
    page_size: usize,
    fail_load: bool,
    fail_category: bool,
    /// `(transaction id, slug)` of every re-categorisation.
    set: RefCell<Vec<(String, String)>>,
    /// The filters the first pages were asked with.
    filters: RefCell<Vec<Option<String>>>,
}

impl Backend for Fake {
    fn institutions(&self) -> BoxFuture<Result<Vec<Institution>, BackendError>> {
        Box::pin(async { Ok(vec![]) })
    }
    fn accounts(&self) -> BoxFuture<Result<Vec<Account>, BackendError>> {
        let r = if self.fail_load { Err(BackendError { code: "service-unavailable".into(), message: "The server is down for maintenance.".into() }) } else { Ok(self.accounts.clone()) };
        Box::pin(async move { r })
    }
    fn transactions(&self, page: TransactionsPage) -> BoxFuture<Result<List<Transaction>, BackendError>> {
        let start = match page {
            TransactionsPage::First { filter, .. } => {
                self.filters.borrow_mut().push(filter);
                0
            }
            TransactionsPage::Next(link) => link.trim_start_matches("page:").parse::<usize>().unwrap(),
        };
        let size = if self.page_size == 0 { 500 } else { self.page_size };
        let end = (start + size).min(self.txs.len());
        let mut list = List::of(self.txs[start..end].to_vec());
        list.count = Some(self.txs.len() as u64);
        if end < self.txs.len() {
            list.links = Some(Links { next: Some(format!("page:{end}")), ..Default::default() });
        }
        Box::pin(async move { Ok(list) })
    }
    fn set_category(&self, transaction_id: &str, slug: &str) -> BoxFuture<Result<(), BackendError>> {
        self.set.borrow_mut().push((transaction_id.into(), slug.into()));
        let fail = self.fail_category;
        Box::pin(async move {
            if fail { Err(BackendError { code: "resource-not-found".into(), message: "No such transaction.".into() }) } else { Ok(()) }
        })
    }
}

fn account(id: &str, name: &str, connection: &str, institution: &str) -> Account {
    Account {
        kind: "account".into(),
        id: id.into(),
        account_no: "123456789".into(),
        name: name.into(),
        currency: "AUD".into(),
        balance: "0.00".into(),
        available_funds: "0.00".into(),
        class: AccountClass { kind: "transaction".into(), product: "Everyday".into() },
        status: "available".into(),
        last_updated: "2024-03-20T00:00:00Z".into(),
        connection: connection.into(),
        institution: institution.into(),
        links: Links::default(),
    }
}

#[allow(clippy::too_many_arguments)]
fn tx(id: &str, date: &str, amount: &str, cat: &str, acct: &str, pending: bool, desc: &str, merchant: &str) -> Transaction {
    let (conn, inst) = if acct == "a2" { ("c2", "AU00001") } else { ("c1", "AU00000") };
    Transaction {
        kind: "transaction".into(),
        id: id.into(),
        status: if pending { "pending" } else { "posted" }.into(),
        description: desc.into(),
        amount: amount.into(),
        direction: if amount.starts_with('-') { "debit" } else { "credit" }.into(),
        class: "payment".into(),
        account: acct.into(),
        institution: inst.into(),
        connection: conn.into(),
        balance: None,
        transaction_date: Some(date.into()),
        post_date: (!pending).then(|| date.into()),
        sub_class: None,
        enrich: Some(Enrich {
            category: Some(EnrichCategory { id: cat.into(), title: String::new(), confidence: "high".into(), source: "model".into() }),
            merchant: (!merchant.is_empty()).then(|| EnrichMerchant { business_name: merchant.into() }),
            location: None,
        }),
        links: Links::default(),
    }
}

fn sample() -> Fake {
    Fake {
        accounts: vec![account("a1", "Everyday", "c1", "AU00000"), account("a2", "Card", "c2", "AU00001")],
        txs: vec![
            tx("t1", "2024-03-02", "-50.00", "groceries", "a1", false, "WOOLWORTHS 1234", "Woolworths"),
            tx("t2", "2024-03-05", "-20.00", "dining", "a2", false, "CAFE SYDNEY", "Bean There"),
            tx("t3", "2024-02-10", "-30.00", "groceries", "a1", false, "COLES 77", "Coles"),
            tx("t4", "2024-03-01", "1000.00", "other", "a1", false, "SALARY ACME", ""),
            tx("t5", "2024-03-19", "-10.00", "dining", "a1", true, "PENDING CAFE", ""),
            tx("t6", "2024-01-15", "-5.00", "transport", "a2", false, "OPAL TOPUP", "Transport NSW"),
        ],
        page_size: 2,
        ..Default::default()
    }
}

struct Mounted {
    el: HtmlElement,
    handle: Option<tally_widget::shadow::Mounted>,
    bridge: FilterBridge,
    cache: ExpensesCache,
}

impl Mounted {
    fn root(&self) -> web_sys::ShadowRoot {
        self.el.shadow_root().unwrap()
    }
    fn q(&self, sel: &str) -> Option<Element> {
        self.root().query_selector(sel).unwrap()
    }
    fn all(&self, sel: &str) -> Vec<Element> {
        let list = self.root().query_selector_all(sel).unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().dyn_into().unwrap()).collect()
    }
    fn text(&self, sel: &str) -> String {
        self.q(sel).map(|e| e.text_content().unwrap_or_default()).unwrap_or_else(|| panic!("no {sel} in: {}", self.all_text()))
    }
    fn all_text(&self) -> String {
        self.root().text_content().unwrap_or_default()
    }
    fn click(&self, sel: &str) {
        self.q(sel).unwrap_or_else(|| panic!("no {sel}")).dyn_into::<HtmlElement>().unwrap().click();
    }
    fn done(mut self) {
        if let Some(h) = self.handle.take() {
            h.unmount();
        }
        self.el.remove();
    }
}

fn mount(fake: Rc<Fake>) -> Mounted {
    mount_sharing(fake, None)
}

/// Mounts with the bridge and the cache of an earlier mount (as switching tabs does).
fn mount_sharing(fake: Rc<Fake>, shared: Option<(FilterBridge, ExpensesCache)>) -> Mounted {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    let (bridge, cache) = shared.unwrap_or_else(|| (FilterBridge::new(Some(el.clone())), ExpensesCache::default()));
    let (provided, kept, host) = (bridge.clone(), cache.clone(), el.clone());
    let today = day::parse("2024-03-20").unwrap();
    let handle = tally_widget::shadow::mount_in_shadow(&el, move || {
        provide_context(BackendContext(StoredValue::new_local(fake as Rc<dyn Backend>)));
        ExpensesContext::provide(&provided, &kept);
        provide_context(Host::new(&tally_widget::i18n::EN, host));
        view! { <ExpensesView today=today/> }
    })
    .unwrap();
    Mounted { el, handle: Some(handle), bridge, cache }
}

/// The `code` of every `tally:error` the widget dispatches on `el` from now on.
fn hear_errors(el: &HtmlElement) -> Rc<RefCell<Vec<String>>> {
    let heard: Rc<RefCell<Vec<String>>> = Rc::default();
    let h = heard.clone();
    let cb = Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
        let code = js_sys::Reflect::get(&e.detail(), &"code".into()).ok().and_then(|c| c.as_string()).unwrap_or_default();
        h.borrow_mut().push(code);
    });
    el.add_event_listener_with_callback("tally:error", cb.as_ref().unchecked_ref()).unwrap();
    cb.forget();
    heard
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

/// Lets spawned futures and effects run.
async fn settle() {
    for _ in 0..4 {
        sleep(5).await;
    }
}

/// Waits until `sel` exists (loading many pages takes a few ticks).
async fn wait_for(m: &Mounted, sel: &str) {
    for _ in 0..400 {
        if m.q(sel).is_some() {
            settle().await;
            return;
        }
        sleep(10).await;
    }
    panic!("{sel} never appeared; the view shows: {}", m.all_text());
}

fn set_value(el: &Element, value: &str, event: &str) {
    js_sys::Reflect::set(el, &"value".into(), &value.into()).unwrap();
    el.dispatch_event(&web_sys::Event::new(event).unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn renders_totals_and_charts_from_every_page() {
    let fake = Rc::new(sample());
    let m = mount(fake.clone());
    wait_for(&m, ".totals").await;
    assert_eq!(m.text(".totals .spending"), "$105.00", "pending left out");
    assert_eq!(m.text(".totals .income"), "$1,000.00");
    assert_eq!(m.text(".totals .count"), "6", "all three pages loaded");
    assert!(m.text(".totals .convention").contains("Spending is money out"));
    let svg = m.q("svg.donut").unwrap();
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    let label = svg.get_attribute("aria-label").unwrap();
    assert!(label.contains("total $105.00") && label.contains("Groceries $80.00"), "{label}");
    assert_eq!(m.all("svg.donut path.slice").len(), m.all(".legend button.category").len());
    assert!(m.all(".legend button.category").len() >= 3);
    let bars = m.all("svg.bars rect.bar");
    assert_eq!(bars.len(), 3, "Jan..Mar 2024");
    assert!(m.q("table.sr-only").is_some(), "a table for screen readers");
    // Include pending.
    let toggle = m.q(".totals .toggle input").unwrap();
    toggle.dyn_ref::<HtmlElement>().unwrap().click();
    settle().await;
    assert_eq!(m.text(".totals .spending"), "$115.00");
    assert_eq!(*fake.filters.borrow(), vec![None], "all dates: one unfiltered walk");
    m.done();
}

#[wasm_bindgen_test]
async fn clicking_a_category_filters_and_its_chip_removes_the_filter() {
    let m = mount(Rc::new(sample()));
    wait_for(&m, ".legend").await;
    m.click(".legend button.category[data-slug='groceries']");
    settle().await;
    assert_eq!(m.text(".totals .count"), "2");
    assert_eq!(m.text(".totals .spending"), "$80.00");
    assert_eq!(m.q(".legend button[data-slug='groceries']").unwrap().get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(m.all(".tx-row").len(), 2);
    assert!(m.text(".chips").contains("Category: Groceries"));
    assert!(m.bridge.current().categories == ["groceries"]);
    // Combine with a search, then remove the category chip.
    set_value(&m.q(".filters input[type=search]").unwrap(), "coles", "input");
    settle().await;
    assert_eq!(m.text(".totals .count"), "1");
    m.click(".chips button.chip[aria-label='Remove filter: Category: Groceries']");
    settle().await;
    assert_eq!(m.text(".totals .count"), "1", "the search remains");
    assert!(!m.text(".chips").contains("Category"));
    m.click(".chips .clear-all");
    settle().await;
    assert_eq!(m.text(".totals .count"), "6");
    assert!(m.q(".chips").is_none());
    m.done();
}

#[wasm_bindgen_test]
async fn filters_that_match_nothing_say_so() {
    let m = mount(Rc::new(sample()));
    wait_for(&m, ".filters").await;
    set_value(&m.q(".filters input[type=search]").unwrap(), "no such shop", "input");
    settle().await;
    assert!(m.all_text().contains("No transactions match these filters."));
    m.done();
}

#[wasm_bindgen_test]
async fn sorting_by_amount_and_date() {
    let m = mount(Rc::new(sample()));
    wait_for(&m, ".tx-row").await;
    let first = |m: &Mounted| m.all(".tx-row").into_iter().min_by_key(|r| r.get_attribute("aria-rowindex").unwrap().parse::<u32>().unwrap()).unwrap().get_attribute("data-id").unwrap();
    assert_eq!(first(&m), "t5", "newest first");
    let buttons = m.all(".tx-head .sortable button");
    buttons[1].dyn_ref::<HtmlElement>().unwrap().click();
    settle().await;
    assert_eq!(first(&m), "t4", "largest amount first");
    buttons[0].dyn_ref::<HtmlElement>().unwrap().click();
    settle().await;
    buttons[0].dyn_ref::<HtmlElement>().unwrap().click();
    settle().await;
    assert_eq!(first(&m), "t6", "oldest first");
    m.done();
}

#[wasm_bindgen_test]
async fn recategorising_shows_at_once_and_is_sent_to_the_server() {
    let fake = Rc::new(sample());
    let m = mount(fake.clone());
    wait_for(&m, ".tx-row").await;
    m.click(".tx-row[data-id='t2'] .cat-button");
    settle().await;
    let select = m.q(".tx-row[data-id='t2'] select.recategorise").expect("a category picker");
    let focused = m.root().active_element().expect("focus moved into the widget");
    assert_eq!(focused, select, "the picker takes the focus");
    set_value(&select, "travel", "change");
    settle().await;
    assert_eq!(m.text(".tx-row[data-id='t2'] .cat-button"), "Travel");
    assert!(m.q(".legend button[data-slug='travel']").is_some(), "the chart follows");
    assert_eq!(*fake.set.borrow(), vec![("t2".to_string(), "travel".to_string())]);
    m.done();

    // A refusal puts the old category back and says why.
    let fake = Rc::new(Fake { fail_category: true, ..sample() });
    let m = mount(fake.clone());
    let errors = hear_errors(&m.el);
    wait_for(&m, ".tx-row").await;
    m.click(".tx-row[data-id='t2'] .cat-button");
    settle().await;
    set_value(&m.q(".tx-row[data-id='t2'] select.recategorise").unwrap(), "travel", "change");
    settle().await;
    assert_eq!(m.text(".tx-row[data-id='t2'] .cat-button"), "Dining out");
    assert!(m.text(".notice").contains("No such transaction."));
    assert_eq!(*errors.borrow(), ["resource-not-found"], "and tells the host page");
    m.done();
}

#[wasm_bindgen_test]
async fn the_picker_offers_only_categories_the_server_accepts() {
    let mut fake = sample();
    let mut transfer = tx("t7", "2024-03-03", "-200.00", "", "a1", false, "TRANSFER TO SAVINGS", "");
    transfer.class = "transfer".into();
    transfer.enrich = None;
    fake.txs.push(transfer);
    let fake = Rc::new(fake);
    let m = mount(fake.clone());
    wait_for(&m, ".tx-row[data-id='t7']").await;
    assert_eq!(m.text(".tx-row[data-id='t7'] .cat-button"), "Transfers", "non-purchases are grouped by class");
    m.click(".tx-row[data-id='t7'] .cat-button");
    settle().await;
    let select = m.q(".tx-row[data-id='t7'] select.recategorise").expect("a category picker");
    let options = select.query_selector_all("option").unwrap();
    let option = |k: u32| options.item(k).unwrap().dyn_into::<web_sys::Element>().unwrap();
    let values: Vec<String> = (0..options.length()).map(|k| option(k).get_attribute("value").unwrap_or_default()).collect();
    assert!(!values.iter().any(|v| v == "transfers" || v == "income"), "the widget's own groups are not offered: {values:?}");
    assert!(values.iter().any(|v| v == "groceries"));
    let first = option(0);
    let prop = |name: &str| js_sys::Reflect::get(&first, &name.into()).unwrap().as_bool();
    assert_eq!((prop("disabled"), prop("selected")), (Some(true), Some(true)), "the current group shows, not as a choice");
    assert_eq!(first.text_content().as_deref(), Some("Transfers"));
    set_value(&select, "housing", "change");
    settle().await;
    assert_eq!(m.text(".tx-row[data-id='t7'] .cat-button"), "Housing");
    assert_eq!(*fake.set.borrow(), vec![("t7".to_string(), "housing".to_string())]);
    m.done();
}

#[wasm_bindgen_test]
async fn host_sets_filters_and_hears_user_changes() {
    let m = mount(Rc::new(sample()));
    wait_for(&m, ".totals").await;
    let heard: Rc<RefCell<Vec<String>>> = Rc::default();
    let h = heard.clone();
    let cb = Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
        assert!(e.bubbles() && e.composed());
        h.borrow_mut().push(js_sys::JSON::stringify(&e.detail()).unwrap().into());
    });
    m.el.add_event_listener_with_callback(FILTER_CHANGE_EVENT, cb.as_ref().unchecked_ref()).unwrap();

    let obj = js_sys::JSON::parse(r#"{"accounts":["a2"],"direction":"spending"}"#).unwrap();
    m.bridge.set_from_js(&obj).unwrap();
    settle().await;
    assert_eq!(m.text(".totals .count"), "2");
    assert!(heard.borrow().is_empty(), "no event for the host's own change");
    // Refused with a message that names what is wrong (the browser's JSON.parse +
    // serde-wasm-bindgen read the object, as natively serde_json does).
    for (bad, says) in [(r#"{"status":"done"}"#, "done"), (r#"{"acounts":[]}"#, "acounts"), (r#"{"amountMin":"ten"}"#, "ten"), ("[1]", "Invalid")] {
        let e = m.bridge.set_from_js(&js_sys::JSON::parse(bad).unwrap()).unwrap_err().as_string().unwrap_or_default();
        assert!(e.contains(says), "{bad}: {e}");
    }
    assert_eq!(m.text(".totals .count"), "2", "a bad object changes nothing");

    set_value(&m.q(".filters input[type=search]").unwrap(), "opal", "input");
    settle().await;
    assert_eq!(m.text(".totals .count"), "1");
    let events = heard.borrow().clone();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].contains(r#""search":"opal""#) && events[0].contains(r#""accounts":["a2"]"#), "{}", events[0]);
    let js = m.bridge.current_js();
    assert_eq!(js_sys::Reflect::get(&js, &"search".into()).unwrap().as_string().as_deref(), Some("opal"));
    m.done();
}

#[wasm_bindgen_test]
async fn a_date_filter_before_the_loaded_window_reloads_with_a_contract_filter() {
    let fake = Rc::new(sample());
    // The host asks for last month before the view loads: load from 1 Feb only.
    let m = mount(fake.clone());
    m.bridge.set_from_host(tally_widget::expenses::filter::FilterState { date: tally_widget::expenses::filter::DateFilter::LastMonth, ..Default::default() });
    wait_for(&m, ".totals").await;
    assert_eq!(m.text(".totals .count"), "1");
    assert_eq!(
        *fake.filters.borrow(),
        vec![Some("transaction.postDate.gteq('2024-02-01'),transaction.status.eq('posted')".to_string()), Some("transaction.status.eq('pending')".to_string())]
    );
    // Widening to all dates loads everything once more; narrowing again does not.
    m.click(".chips button.chip");
    settle().await;
    wait_for(&m, ".totals").await;
    assert_eq!(m.text(".totals .count"), "6");
    assert_eq!(fake.filters.borrow().len(), 3);
    m.bridge.set_from_host(tally_widget::expenses::filter::FilterState { date: tally_widget::expenses::filter::DateFilter::ThisMonth, ..Default::default() });
    settle().await;
    assert_eq!(fake.filters.borrow().len(), 3);
    assert_eq!(m.text(".totals .count"), "4");
    m.done();
}

#[wasm_bindgen_test]
async fn coming_back_to_the_tab_shows_the_loaded_data_and_filters_at_once() {
    let fake = Rc::new(sample());
    let m = mount(fake.clone());
    wait_for(&m, ".tx-row").await;
    m.click(".tx-row[data-id='t2'] .cat-button");
    settle().await;
    set_value(&m.q(".tx-row[data-id='t2'] select.recategorise").unwrap(), "travel", "change");
    set_value(&m.q(".filters input[type=search]").unwrap(), "cafe", "input");
    settle().await;
    let pages = fake.filters.borrow().len();
    let shared = (m.bridge.clone(), m.cache.clone());
    m.done();

    let m = mount_sharing(fake.clone(), Some(shared));
    assert!(m.q(".totals").is_some(), "shown at once, no loading state: {}", m.all_text());
    settle().await;
    assert_eq!(fake.filters.borrow().len(), pages, "nothing fetched again");
    assert_eq!(m.text(".totals .count"), "2", "the search is still there");
    assert_eq!(m.text(".tx-row[data-id='t2'] .cat-button"), "Travel", "and the correction");
    // "Reload" fetches everything again.
    m.click(".list-foot .reload");
    settle().await;
    wait_for(&m, ".totals").await;
    assert_eq!(fake.filters.borrow().len(), pages + 1);
    m.done();
}

#[wasm_bindgen_test]
async fn empty_loading_and_error_states_say_what_is_going_on() {
    let m = mount(Rc::new(Fake::default()));
    wait_for(&m, ".empty").await;
    assert!(m.all_text().contains("No bank connected yet"), "{}", m.all_text());
    m.done();

    let m = mount(Rc::new(Fake { accounts: sample().accounts, ..Default::default() }));
    wait_for(&m, ".empty").await;
    assert!(m.all_text().contains("No transactions in this period"), "{}", m.all_text());
    m.done();

    let m = mount(Rc::new(Fake { fail_load: true, ..sample() }));
    let errors = hear_errors(&m.el);
    assert!(m.all_text().contains("Loading"), "a loading state first: {}", m.all_text());
    wait_for(&m, "[role=alert]").await;
    assert!(m.all_text().contains("The server is down for maintenance."));
    assert_eq!(*errors.borrow(), ["service-unavailable"], "and tells the host page");
    assert!(m.q("[role=alert] button").is_some(), "a retry button");
    m.done();
}

/// 200 rows of one account, in a host `width` px wide.
async fn mount_rows_in(width: u32) -> Mounted {
    let txs: Vec<Transaction> = (0..200)
        .map(|i| tx(&format!("n{i}"), &day::format(day::parse("2024-01-01").unwrap() + (i % 60) as i32), "-12.50", "groceries", "a1", false, "PURCHASE", "A shop with a rather long name"))
        .collect();
    let m = mount(Rc::new(Fake { accounts: sample().accounts, txs, page_size: 500, ..Default::default() }));
    m.el.set_attribute("style", &format!("display: block; width: {width}px")).unwrap();
    wait_for(&m, ".tx-row").await;
    m
}

#[wasm_bindgen_test]
async fn in_a_narrow_host_rows_are_taller_cards_and_scrolling_still_lands_on_the_right_row() {
    let m = mount_rows_in(320).await;
    let spacer: web_sys::HtmlElement = m.q(".tx-spacer").unwrap().dyn_into().unwrap();
    assert_eq!(spacer.offset_height(), 200 * 72, "200 cards of 72 px, the stylesheet's narrow row height");
    let scroller = m.q(".tx-scroll").unwrap();
    scroller.set_scroll_top(72 * 150);
    scroller.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    settle().await;
    let idx: Vec<u32> = m.all(".tx-row").iter().map(|r| r.get_attribute("aria-rowindex").unwrap().parse().unwrap()).collect();
    assert!(idx.contains(&152), "row 150 (aria-rowindex 152) is rendered where the list was scrolled to: {idx:?}");
    let row: web_sys::HtmlElement = m.q(".tx-row").unwrap().dyn_into().unwrap();
    assert!(row.offset_width() <= 320, "a card is no wider than the host: {}", row.offset_width());
    m.done();
}

#[wasm_bindgen_test]
async fn in_a_narrow_host_the_filters_fold_behind_a_disclosure_and_wide_they_are_always_open() {
    let m = mount_rows_in(320).await;
    let bar: web_sys::HtmlElement = m.q(".filters").unwrap().dyn_into().unwrap();
    let toggle: web_sys::HtmlElement = m.q("button.filters-toggle").unwrap().dyn_into().unwrap();
    assert_eq!(bar.offset_height(), 0, "folded on a phone");
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("false"));
    toggle.click();
    settle().await;
    assert!(bar.offset_height() > 0, "opened by the button");
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("true"));
    toggle.click();
    settle().await;
    m.el.set_attribute("style", "display: block; width: 900px").unwrap();
    settle().await;
    assert!(bar.offset_height() > 0, "a wide widget always shows the bar");
    assert_eq!(toggle.offset_height(), 0, "and no disclosure button");
    m.done();
}

#[wasm_bindgen_test]
async fn fifty_thousand_rows_render_a_bounded_window() {
    let cats = ["groceries", "dining", "fuel", "transport", "shopping", "utilities", "health", "travel"];
    let txs: Vec<Transaction> = (0..50_000)
        .map(|i| {
            let d = day::format(day::parse("2023-04-01").unwrap() + (i % 355) as i32);
            tx(&format!("x{i}"), &d, &format!("-{}.{:02}", i % 300, i % 100), cats[i % cats.len()], if i % 3 == 0 { "a2" } else { "a1" }, false, "PURCHASE", "Shop")
        })
        .collect();
    let fake = Rc::new(Fake { accounts: sample().accounts, txs, page_size: 500, ..Default::default() });
    let m = mount(fake);
    wait_for(&m, ".tx-row").await;
    assert_eq!(m.text(".totals .count"), "50000");
    let rows = m.all(".tx-row").len();
    assert!(rows > 5 && rows <= 40, "{rows} rows in the DOM");
    // Set through CSSOM (CSP-safe; browsers serialise it as 2.2e+06px): check the layout.
    let spacer: web_sys::HtmlElement = m.q(".tx-spacer").unwrap().dyn_into().unwrap();
    assert_eq!(spacer.offset_height(), 2_200_000, "50,000 rows of 44 px");
    // Scroll far down: still a bounded window, at the right place.
    let scroller = m.q(".tx-scroll").unwrap();
    scroller.set_scroll_top(44 * 30_000);
    scroller.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    settle().await;
    let idx: Vec<u32> = m.all(".tx-row").iter().map(|r| r.get_attribute("aria-rowindex").unwrap().parse().unwrap()).collect();
    assert!(idx.len() <= 40 && idx.contains(&30_002), "{idx:?}");
    m.done();
}
