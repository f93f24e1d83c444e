//! Shared helpers of the browser tests: a scripted fake backend that behaves like the
//! sandbox (bighead, erlich, jianYang fail; Pied Piper asks for MFA) and like the
//! server's statement import (a CSV with `32/13/2026` in it is unreadable, on line
//! 14 as the server would say; any other file is read line by line as a CommBank CSV),
//! DOM helpers, an event recorder and a fake `fetch` for the real HTTP backend's token
//! handling.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{json, Value};
use tally_api::{Account, Connection, Institution, Job, List, NewConnection, Transaction};
use tally_widget::backend::{Backend, BackendError, BoxFuture, JobEvent, JobSink, JobStream, StatementFile, TransactionsPage, UploadProgress};
use tally_widget::options::{Options, OptionsError, RawOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

pub fn institution(id: &str, name: &str, short: &str, status: &str) -> Institution {
    serde_json::from_value(json!({
        "type": "institution", "id": id, "name": name, "shortName": short,
        "institutionType": "Bank", "country": "Australia", "loginIdCaption": "Login ID",
        "passwordCaption": "Password", "tier": "1", "authorization": "user", "stage": "live",
        "status": status, "logo": {"type": "image", "links": {"full": "", "square": ""}},
    }))
    .unwrap()
}

/// An institution that takes statements only (`methods: ["statement"]`), or both ways.
pub fn statement_bank(id: &str, name: &str, short: &str, both: bool) -> Institution {
    let mut i = institution(id, name, short, "operational");
    i.methods = if both { vec![tally_api::ConnectMethod::Login, tally_api::ConnectMethod::Statement] } else { vec![tally_api::ConnectMethod::Statement] };
    i
}

/// The sandbox's banks and, like the real server, banks that take statements.
pub fn banks_and_statement_banks() -> Vec<Institution> {
    let mut v = banks();
    v.push(statement_bank("AU10001", "Commonwealth Bank of Australia", "CommBank", false));
    v.push(statement_bank("AU19999", "Other bank", "Other", false));
    v.push(statement_bank("AU20000", "Hooli Mutual", "Mutual", true));
    v
}

pub fn banks() -> Vec<Institution> {
    vec![
        institution("AU00000", "Hooli", "Hooli", "operational"),
        institution("AU00001", "Pied Piper Bank", "PPB", "operational"),
        institution("AU00002", "Nucleus Bank", "Nucleus", "degraded-performance"),
    ]
}

pub fn connection(id: &str, institution: &str, status: &str) -> Connection {
    serde_json::from_value(json!({
        "type": "connection", "id": id, "status": status, "createdDate": "2026-01-01T00:00:00Z",
        "institution": {"type": "institution", "id": institution},
        "lastRefreshed": "2026-01-01T00:00:00Z", "nextScheduledRefresh": "2099-01-01T00:00:00Z",
    }))
    .unwrap()
}

/// A connection made from uploaded statements (`method: statement`, no next refresh).
pub fn statement_connection(id: &str, institution: &str) -> Connection {
    let mut c = connection(id, institution, "active");
    c.method = tally_api::ConnectMethod::Statement;
    c.next_scheduled_refresh = None;
    c
}

/// What the server says about an unreadable statement (the fake's is always line 14).
pub const UNREADABLE: &str = "line 14: '32/13/2026' is not a date";

/// The snapshots of a statement import job: the file is read (or refused), then its
/// accounts and transactions stored.
fn statement_script(id: &str, conn: &str, readable: bool) -> Vec<Option<Job>> {
    let p = |s: &str| step(s, "pending", Value::Null);
    let run = |s: &str| step(s, "in-progress", Value::Null);
    let ok = |s: &str| step(s, "success", json!({"type": "link", "url": "/users/u1/accounts"}));
    let j = |steps: Vec<Value>| Some(job(id, conn, steps));
    let mut out = vec![j(vec![run("verify-credentials"), p("retrieve-accounts"), p("retrieve-transactions")])];
    if !readable {
        let fail = step("verify-credentials", "failed", json!({"code": "statement-not-readable", "title": "The statement could not be read.", "detail": UNREADABLE}));
        out.push(j(vec![fail, p("retrieve-accounts"), p("retrieve-transactions")]));
        return out;
    }
    out.push(j(vec![ok("verify-credentials"), run("retrieve-accounts"), p("retrieve-transactions")]));
    out.push(j(vec![ok("verify-credentials"), ok("retrieve-accounts"), run("retrieve-transactions")]));
    out.push(j(vec![ok("verify-credentials"), ok("retrieve-accounts"), ok("retrieve-transactions")]));
    out
}

/// The transactions of a CommBank CSV (`"dd/mm/yyyy","-84.20","TEXT","+4915.80"`), read
/// naively: what the fake "imports".
fn csv_transactions(text: &str, account: &str, connection: &str, institution: &str) -> Vec<Transaction> {
    text.lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split("\",\"").map(|c| c.trim_matches('"')).collect();
            let [date, amount, description, ..] = cols[..] else { return None };
            let (d, m, y) = (date.get(0..2)?, date.get(3..5)?, date.get(6..10)?);
            Some((format!("{y}-{m}-{d}"), amount.trim_start_matches('+').to_string(), description.to_string()))
        })
        .enumerate()
        .map(|(i, (date, amount, description))| {
            serde_json::from_value(json!({
                "type": "transaction", "id": format!("{connection}-t{i}"), "status": "posted", "description": description,
                "amount": amount, "direction": if amount.starts_with('-') { "debit" } else { "credit" }, "class": "payment",
                "account": account, "institution": institution, "connection": connection,
                "transactionDate": date, "postDate": date,
            }))
            .unwrap()
        })
        .collect()
}

fn step(title: &str, status: &str, result: Value) -> Value {
    json!({"title": title, "status": status, "result": result})
}

fn job(id: &str, connection: &str, steps: Vec<Value>) -> Job {
    serde_json::from_value(json!({"type": "job", "id": id, "steps": steps, "links": {"self": format!("/jobs/{id}"), "source": format!("/users/u1/connections/{connection}")}})).unwrap()
}

/// The snapshots a sandbox job goes through. `None` in the list is the MFA gate: the
/// script waits there until the right answer arrives.
fn script(id: &str, conn: &str, login: &str, institution: &str) -> Vec<Option<Job>> {
    let p = |s: &str| step(s, "pending", Value::Null);
    let run = |s: &str| step(s, "in-progress", Value::Null);
    let ok = |s: &str| step(s, "success", json!({"type": "link", "url": "/users/u1/accounts"}));
    let fail = |code: &str| step("verify-credentials", "failed", json!({"code": code, "title": "Failed", "detail": format!("Sandbox says {code}")}));
    let j = |steps: Vec<Value>| Some(job(id, conn, steps));
    let failing = match login {
        "bighead" => Some("invalid-credentials"),
        "erlich" => Some("account-not-accessible-requires-user-action"),
        "jianYang" => Some("service-unavailable"),
        _ => None,
    };
    if let Some(code) = failing {
        return vec![
            j(vec![run("verify-credentials"), p("retrieve-accounts"), p("retrieve-transactions")]),
            j(vec![fail(code), p("retrieve-accounts"), p("retrieve-transactions")]),
        ];
    }
    let mut out = vec![j(vec![run("verify-credentials"), p("retrieve-accounts"), p("retrieve-transactions")])];
    if institution == "AU00001" {
        let challenge = json!({"type": "mfa", "method": "token", "description": "We sent a code to your phone.", "input": ["One-time code"], "expiryMs": 120000, "links": {"response": format!("/jobs/{id}/mfa")}});
        out.push(j(vec![ok("verify-credentials"), step("mfa-challenge", "in-progress", challenge), p("retrieve-accounts"), p("retrieve-transactions")]));
        out.push(None);
        out.push(j(vec![ok("verify-credentials"), ok("mfa-challenge"), run("retrieve-accounts"), p("retrieve-transactions")]));
    } else {
        out.push(j(vec![ok("verify-credentials"), run("retrieve-accounts"), p("retrieve-transactions")]));
    }
    let mfa = institution == "AU00001";
    let mut last = vec![ok("verify-credentials")];
    if mfa {
        last.push(ok("mfa-challenge"));
    }
    let mut mid = last.clone();
    mid.extend([ok("retrieve-accounts"), run("retrieve-transactions")]);
    last.extend([ok("retrieve-accounts"), ok("retrieve-transactions")]);
    out.push(j(mid));
    out.push(j(last));
    out
}

struct Script {
    snapshots: Vec<Option<Job>>,
    at: usize,
    answered: bool,
}

impl Script {
    /// The next snapshot, stopping at the MFA gate until answered.
    fn next(&mut self) -> Job {
        if self.snapshots.get(self.at).map(Option::is_none).unwrap_or(false) && self.answered {
            self.at += 1;
        }
        let mut i = self.at.min(self.snapshots.len() - 1);
        while self.snapshots[i].is_none() {
            i -= 1;
        }
        let job = self.snapshots[i].clone().unwrap();
        if self.at + 1 < self.snapshots.len() && self.snapshots[self.at].is_some() {
            self.at += 1;
        }
        job
    }
    fn done(&self) -> bool {
        self.at + 1 >= self.snapshots.len()
    }
}

/// A fake server: scripted jobs, recorded calls.
pub struct FakeBackend {
    pub institutions: Vec<Institution>,
    pub connections: RefCell<Vec<Connection>>,
    scripts: RefCell<HashMap<String, Script>>,
    pub calls: RefCell<Vec<String>>,
    pub mfa_answers: RefCell<Vec<Vec<String>>>,
    /// What the uploaded statements brought (read by the Expenses view).
    pub accounts: RefCell<Vec<Account>>,
    pub transactions: RefCell<Vec<Transaction>>,
    /// Each upload's progress reports `(sent, total)`, in order.
    pub progress_seen: Rc<RefCell<Vec<(f64, f64)>>>,
    /// How long each quarter of an upload takes (ms), so a test sees the progress bar.
    pub upload_ms: Cell<i32>,
    /// Stream jobs as server-sent events (true) or make the widget poll (false).
    pub stream: bool,
    /// Break the stream after the first event (the widget must fall back to polling).
    pub break_stream: bool,
    next_id: Cell<u32>,
}

impl FakeBackend {
    pub fn new(connections: Vec<Connection>) -> Rc<Self> {
        Rc::new(FakeBackend {
            institutions: banks(),
            connections: RefCell::new(connections),
            scripts: RefCell::default(),
            calls: RefCell::default(),
            mfa_answers: RefCell::default(),
            accounts: RefCell::default(),
            transactions: RefCell::default(),
            progress_seen: Rc::default(),
            upload_ms: Cell::new(0),
            stream: true,
            break_stream: false,
            next_id: Cell::new(0),
        })
    }
    pub fn polling(connections: Vec<Connection>) -> Rc<Self> {
        let mut f = Rc::into_inner(Self::new(connections)).unwrap();
        f.stream = false;
        Rc::new(f)
    }
    pub fn breaking(connections: Vec<Connection>) -> Rc<Self> {
        let mut f = Rc::into_inner(Self::new(connections)).unwrap();
        f.break_stream = true;
        Rc::new(f)
    }
    /// Also lists banks that take statements (see [`banks_and_statement_banks`]).
    pub fn with_statement_banks(connections: Vec<Connection>) -> Rc<Self> {
        let mut f = Rc::into_inner(Self::new(connections)).unwrap();
        f.institutions = banks_and_statement_banks();
        Rc::new(f)
    }
    /// A statement import job; a readable file's transactions are "stored" at once.
    fn new_import(&self, institution: &str, file: &StatementFile) -> Job {
        self.next_id.set(self.next_id.get() + 1);
        let id = format!("job{}", self.next_id.get());
        let conn = format!("c-file-{institution}");
        let text = String::from_utf8_lossy(&file.bytes).into_owned();
        let readable = !text.contains("32/13/2026");
        if readable {
            if !self.connections.borrow().iter().any(|c| c.id == conn) {
                self.connections.borrow_mut().push(statement_connection(&conn, institution));
            }
            let account = format!("{conn}-a1");
            self.accounts.borrow_mut().push(serde_json::from_value(json!({
                "type": "account", "id": account, "accountNo": "xx1234", "name": "Smart Access", "currency": "AUD",
                "balance": "0.00", "availableFunds": "0.00", "class": {"type": "transaction", "product": "Smart Access"},
                "status": "available", "lastUpdated": "2026-03-01T00:00:00Z", "connection": conn, "institution": institution,
            })).unwrap());
            self.transactions.borrow_mut().extend(csv_transactions(&text, &account, &conn, institution));
        }
        let snapshots = statement_script(&id, &conn, readable);
        self.scripts.borrow_mut().insert(id.clone(), Script { snapshots, at: 0, answered: false });
        job(&id, &conn, vec![])
    }
    fn new_job(&self, conn: &str, login: &str, institution: &str) -> Job {
        self.next_id.set(self.next_id.get() + 1);
        let id = format!("job{}", self.next_id.get());
        let snapshots = script(&id, conn, login, institution);
        let first = job(&id, conn, vec![]);
        self.scripts.borrow_mut().insert(id, Script { snapshots, at: 0, answered: false });
        first
    }
    fn log(&self, call: String) {
        self.calls.borrow_mut().push(call);
    }
    pub fn called(&self, prefix: &str) -> usize {
        self.calls.borrow().iter().filter(|c| c.starts_with(prefix)).count()
    }
}

fn ok<T: 'static>(v: T) -> BoxFuture<Result<T, BackendError>> {
    Box::pin(async move { Ok(v) })
}

/// `Rc<FakeBackend>` as a `Backend` (the widget takes `Rc<dyn Backend>`; the test keeps
/// its own `Rc` to inspect calls).
pub struct Shared(pub Rc<FakeBackend>);

impl Backend for Shared {
    fn institutions(&self) -> BoxFuture<Result<Vec<Institution>, BackendError>> {
        ok(self.0.institutions.clone())
    }
    fn connections(&self) -> BoxFuture<Result<Vec<Connection>, BackendError>> {
        self.0.log("connections".into());
        ok(self.0.connections.borrow().clone())
    }
    fn create_connection(&self, body: NewConnection) -> BoxFuture<Result<Job, BackendError>> {
        self.0.log(format!("create {} {}", body.login_id, body.institution.id));
        let cid = format!("c-{}", body.login_id);
        ok(self.0.new_job(&cid, &body.login_id, &body.institution.id))
    }
    fn update_connection(&self, connection_id: &str, body: NewConnection) -> BoxFuture<Result<Job, BackendError>> {
        self.0.log(format!("update {connection_id} {}", body.login_id));
        ok(self.0.new_job(connection_id, &body.login_id, &body.institution.id))
    }
    fn delete_connection(&self, connection_id: &str) -> BoxFuture<Result<(), BackendError>> {
        self.0.log(format!("delete {connection_id}"));
        self.0.connections.borrow_mut().retain(|c| c.id != connection_id);
        ok(())
    }
    fn refresh_connection(&self, connection_id: &str) -> BoxFuture<Result<Job, BackendError>> {
        self.0.log(format!("refresh {connection_id}"));
        ok(self.0.new_job(connection_id, "gavinBelson", "AU00000"))
    }
    fn refresh_all(&self) -> BoxFuture<Result<Vec<Job>, BackendError>> {
        self.0.log("refresh-all".into());
        let conns = self.0.connections.borrow().clone();
        ok(conns.iter().map(|c| self.0.new_job(&c.id, "gavinBelson", &c.institution.id)).collect())
    }
    fn upload_statement(&self, institution_id: &str, file: StatementFile, progress: UploadProgress) -> BoxFuture<Result<Job, BackendError>> {
        self.0.log(format!("upload {institution_id} {} {}", file.name, file.bytes.len()));
        let fake = self.0.clone();
        let institution = institution_id.to_string();
        Box::pin(async move {
            // Like a browser: the whole request (file and form) in quarters, then the answer.
            let total = file.bytes.len() as f64 + 300.0;
            for quarter in 1..=4 {
                sleep(fake.upload_ms.get().max(1)).await;
                let sent = total * quarter as f64 / 4.0;
                fake.progress_seen.borrow_mut().push((sent, total));
                progress(sent, total);
            }
            Ok(fake.new_import(&institution, &file))
        })
    }
    fn accounts(&self) -> BoxFuture<Result<Vec<Account>, BackendError>> {
        ok(self.0.accounts.borrow().clone())
    }
    fn transactions(&self, _page: TransactionsPage) -> BoxFuture<Result<List<Transaction>, BackendError>> {
        ok(List::of(self.0.transactions.borrow().clone()))
    }
    fn job(&self, job_id: &str) -> BoxFuture<Result<Job, BackendError>> {
        self.0.log(format!("job {job_id}"));
        let r = self.0.scripts.borrow_mut().get_mut(job_id).map(Script::next).ok_or_else(|| BackendError::new("resource-not-found", "no such job"));
        Box::pin(async move { r })
    }
    fn answer_mfa(&self, job_id: &str, answers: Vec<String>) -> BoxFuture<Result<(), BackendError>> {
        self.0.log(format!("mfa {job_id}"));
        self.0.mfa_answers.borrow_mut().push(answers.clone());
        if answers == ["1234"] {
            if let Some(s) = self.0.scripts.borrow_mut().get_mut(job_id) {
                s.answered = true;
            }
        }
        ok(())
    }
    fn job_events(&self, job_id: &str, sink: JobSink) -> BoxFuture<Option<JobStream>> {
        if !self.0.stream {
            return Box::pin(async { None });
        }
        self.0.log(format!("events {job_id}"));
        let fake = self.0.clone();
        let alive = Rc::new(Cell::new(true));
        let a = alive.clone();
        let id = job_id.to_string();
        leptos::task::spawn_local(async move {
            let mut sent = 0;
            while a.get() {
                sleep(15).await;
                if !a.get() {
                    break;
                }
                if fake.break_stream && sent == 1 {
                    sink(JobEvent::Broken);
                    break;
                }
                let (job, done) = {
                    let mut scripts = fake.scripts.borrow_mut();
                    let Some(s) = scripts.get_mut(&id) else { break };
                    let was_done = s.done();
                    (s.next(), was_done)
                };
                sent += 1;
                sink(JobEvent::Snapshot(job));
                if done {
                    break;
                }
            }
        });
        Box::pin(async move { Some(JobStream::new(move || alive.set(false))) })
    }
}

pub fn fake_options() -> Result<Options, OptionsError> {
    RawOptions { api_base: Some("http://127.0.0.1:1".into()), token_url: Some("/token".into()), ..Default::default() }.validate()
}

pub fn host() -> HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

pub fn shadow_text(el: &HtmlElement) -> String {
    el.shadow_root().map(|s| s.text_content().unwrap_or_default()).unwrap_or_default()
}

pub fn find(el: &HtmlElement, selector: &str) -> Option<HtmlElement> {
    el.shadow_root()?.query_selector(selector).ok()??.dyn_into().ok()
}

pub fn find_all(el: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let Some(root) = el.shadow_root() else { return vec![] };
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
}

/// The button whose text contains `text`.
pub fn button(el: &HtmlElement, text: &str) -> Option<HtmlElement> {
    find_all(el, "button").into_iter().find(|b| b.text_content().unwrap_or_default().contains(text))
}

pub async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

/// Waits (up to `ms`) for `cond`; panics with `what` and the widget's text otherwise.
pub async fn wait_for(el: &HtmlElement, what: &str, ms: i32, cond: impl Fn() -> bool) {
    let mut waited = 0;
    while !cond() {
        if waited >= ms {
            panic!("timed out waiting for {what}; the widget shows: {}", shadow_text(el));
        }
        sleep(20).await;
        waited += 20;
    }
}

pub async fn wait_text(el: &HtmlElement, text: &str, ms: i32) {
    let e = el.clone();
    wait_for(el, &format!("text {text:?}"), ms, move || shadow_text(&e).contains(text)).await;
}

pub fn type_into(input: &HtmlElement, value: &str) {
    input.unchecked_ref::<web_sys::HtmlInputElement>().set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

pub fn press(target: &HtmlElement, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    target.dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()).unwrap();
}

/// Records the `tally:*` events a host element receives.
pub struct Events {
    pub seen: Rc<RefCell<Vec<(String, Value)>>>,
}

pub const EVENT_NAMES: [&str; 7] = ["ready", "connection-created", "job-step", "connected", "refresh-complete", "error", "exit"];

impl Events {
    pub fn listen(el: &HtmlElement) -> Events {
        let seen: Rc<RefCell<Vec<(String, Value)>>> = Rc::default();
        // Listen on the document: the events must bubble and be composed to get there.
        let doc = web_sys::window().unwrap().document().unwrap();
        for name in EVENT_NAMES {
            let (s, target) = (seen.clone(), el.clone());
            let cb = Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                let from_us = e.target().map(|t| JsValue::from(t) == JsValue::from(target.clone())).unwrap_or(false);
                if from_us && e.bubbles() && e.composed() {
                    let detail = js_sys::JSON::stringify(&e.detail()).ok().and_then(|s| s.as_string()).unwrap_or_default();
                    s.borrow_mut().push((name.to_string(), serde_json::from_str(&detail).unwrap_or(Value::Null)));
                }
            });
            doc.add_event_listener_with_callback(&format!("tally:{name}"), cb.as_ref().unchecked_ref()).unwrap();
            cb.forget();
        }
        Events { seen }
    }
    pub fn named(&self, name: &str) -> Vec<Value> {
        self.seen.borrow().iter().filter(|(n, _)| n == name).map(|(_, d)| d.clone()).collect()
    }
}

/// Connects with `login` at the bank named `bank` through the UI, up to the submit.
pub async fn connect_as(el: &HtmlElement, bank: &str, login: &str, password: &str) {
    wait_for(el, "the bank search", 2000, || find(el, "#bank-search").is_some()).await;
    let search = find(el, "#bank-search").unwrap();
    type_into(&search, bank);
    sleep(10).await;
    press(&search, "ArrowDown");
    press(&search, "Enter");
    wait_for(el, "the credentials form", 2000, || find(el, "#cred-login").is_some()).await;
    type_into(&find(el, "#cred-login").unwrap(), login);
    type_into(&find(el, "#cred-password").unwrap(), password);
    find(el, "form.credentials button[type=submit]").unwrap().click();
}
