//! Browser tests of the SDK code the widget runs (`tally_api::client` with its
//! `browser` feature), at runtime and without a server: `BrowserTransport` fetching
//! `data:` URLs, answers decoded the browser way (`JSON.parse` + serde-wasm-bindgen),
//! and a job's events fed to the widget's sink.
//! Run with `wasm-pack test --headless --chrome|--firefox`.
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures_util::{stream, StreamExt};
use tally_api::client::sse::SseEvent;
use tally_api::client::transport::browser::BrowserTransport;
use tally_api::client::transport::{run, HttpRequest, Transport};
use tally_api::client::{endpoints, Body, Error, ErrorKind, Method, Request};
use tally_api::{Job, List, Transaction};
use tally_widget::backend::JobEvent;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(url: &str) -> HttpRequest {
    HttpRequest { method: Method::Get, url: url.into(), headers: vec![("Accept", "application/json".into())], body: Body::Empty }
}

const JOB: &str = r#"{"type":"job","id":"j1","steps":[{"title":"verify-credentials","status":"success","result":{"type":"link","url":"/users/u1/connections/c1","tries":2}},{"title":"retrieve-accounts","status":"in-progress","result":null}]}"#;

#[wasm_bindgen_test]
async fn send_fetches_a_data_url_with_its_status_and_body() {
    let res = BrowserTransport::new().send(get("data:text/plain,hello%20w%C3%B6rld")).await.unwrap();
    assert_eq!(res.status, 200);
    assert_eq!(String::from_utf8(res.body).unwrap(), "hello wörld");
}

#[wasm_bindgen_test]
async fn run_decodes_a_fetched_answer_into_the_wire_type() {
    let url = format!("data:application/json,{}", js_sys::encode_uri_component(JOB));
    let request: Request<Job> = Request::json(Method::Get, url);
    let job = run(&BrowserTransport::new(), "", &request, None).await.unwrap();
    assert_eq!((job.id.as_str(), job.steps.len()), ("j1", 2));
    let result = job.steps[0].result.as_ref().unwrap();
    assert_eq!((result["url"].as_str(), result["tries"].as_u64()), (Some("/users/u1/connections/c1"), Some(2)));
    assert_eq!(job.steps[1].result, None);
}

#[wasm_bindgen_test]
async fn an_aborted_signal_stops_the_request() {
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let transport = BrowserTransport::with_abort_signal(controller.signal());
    let err = transport.send(get("data:text/plain,never")).await.unwrap_err();
    assert_eq!((err.kind, err.code()), (ErrorKind::Network, "network-error"));
}

#[wasm_bindgen_test]
fn read_turns_a_contract_error_body_into_the_error() {
    let body = br#"{"type":"list","correlationId":"c-9","data":[{"type":"error","code":"resource-not-found","title":"Not found","detail":"No job 'j9'.","source":{"parameter":"id"}}]}"#;
    let err = endpoints::job("j9").read(404, body).unwrap_err();
    assert_eq!((err.kind, err.status, err.code(), err.detail()), (ErrorKind::Api, Some(404), "resource-not-found", "No job 'j9'."));
    assert_eq!(err.correlation_id.as_deref(), Some("c-9"));
    assert_eq!(err.source().and_then(|s| s.parameter.as_deref()), Some("id"));
    assert!(!err.is_stale_token());
    let expired = br#"{"type":"list","correlationId":"c","data":[{"type":"error","code":"access-denied","title":"Forbidden","detail":"Token has expired"}]}"#;
    assert!(endpoints::job("j1").read(403, expired).unwrap_err().is_stale_token());
    assert_eq!(endpoints::job("j1").read(502, b"<html>bad gateway</html>").unwrap_err().code(), "internal-server-error");
}

#[wasm_bindgen_test]
fn read_decodes_money_as_decimal_strings_and_reports_bad_answers() {
    let page = br#"{"type":"list","count":1,"size":3,"data":[{"type":"transaction","id":"t1","status":"posted","description":"COFFEE","amount":"-4.50","direction":"debit","class":"payment","account":"a1","institution":"AU00000","connection":"c1","balance":"1234567890123.05","transactionDate":null,"postDate":"2024-03-01","links":{}}],"links":{"next":"/users/u1/transactions?limit=1&next=abc"}}"#;
    let list: List<Transaction> = endpoints::transactions_matching("u1", "", Some(1)).read(200, page).unwrap();
    let t = &list.data[0];
    assert_eq!((t.amount.as_str(), t.balance.as_deref(), t.transaction_date.as_deref()), ("-4.50", Some("1234567890123.05"), None));
    assert_eq!((list.count, list.size), (Some(1), Some(3)));
    let next = list.links.and_then(|l| l.next).unwrap();
    assert_eq!(endpoints::transactions_next("http://tally.test", &next).unwrap().url("http://tally.test"), "http://tally.test/users/u1/transactions?limit=1&next=abc");

    let bad: Error = endpoints::job("j1").read(200, b"{\"type\":").unwrap_err();
    assert_eq!((bad.kind, bad.status), (ErrorKind::UnexpectedResponse, Some(200)));
    assert_eq!(endpoints::job("j1").read(200, br#"{"type":"job"}"#).unwrap_err().kind, ErrorKind::UnexpectedResponse, "a job without its id");
}

fn recorder() -> (Rc<RefCell<Vec<JobEvent>>>, tally_widget::backend::JobSink) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = {
        let seen = seen.clone();
        Rc::new(move |e: JobEvent| seen.borrow_mut().push(e))
    };
    (seen, sink)
}

fn event(name: &str, data: &str) -> Result<SseEvent, Error> {
    Ok(SseEvent { event: name.into(), data: data.into(), id: None })
}

/// Lets spawned tasks run (a macrotask later).
async fn tick() {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

#[wasm_bindgen_test]
async fn job_events_become_snapshots_until_the_job_is_deleted() {
    let (seen, sink) = recorder();
    let events = stream::iter(vec![event("ping", ""), event("job", JOB), event("deleted", "{}"), event("job", JOB)]);
    let _stream = tally_widget::http::job_events::follow(events, sink);
    tick().await;
    let seen = seen.borrow();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(matches!(&seen[0], JobEvent::Snapshot(j) if j.id == "j1"));
    assert_eq!(seen[1], JobEvent::Broken, "deleted ends the stream; nothing after it");
}

#[wasm_bindgen_test]
async fn a_broken_stream_is_reported_once() {
    let (seen, sink) = recorder();
    let events = stream::iter(vec![Err(Error::network("event stream broke")), event("job", JOB)]);
    let _stream = tally_widget::http::job_events::follow(events, sink);
    tick().await;
    assert_eq!(*seen.borrow(), vec![JobEvent::Broken]);
}

/// Sets its flag when dropped: tells whether the events were let go.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[wasm_bindgen_test]
async fn dropping_the_job_stream_stops_reading_without_a_word() {
    let (seen, sink) = recorder();
    let dropped = Rc::new(Cell::new(false));
    let flag = DropFlag(dropped.clone());
    // One job, then an open stream that says nothing more (as a live EventSource).
    let events = stream::iter(vec![event("job", JOB)]).chain(stream::pending()).map(move |e| {
        let _ = &flag;
        e
    });
    let job_stream = tally_widget::http::job_events::follow(events, sink);
    tick().await;
    assert_eq!(seen.borrow().len(), 1);
    assert!(!dropped.get());
    drop(job_stream);
    tick().await;
    assert!(dropped.get(), "the events were dropped (for an EventSource: closed)");
    assert_eq!(seen.borrow().len(), 1, "no Broken after the caller let go: {:?}", seen.borrow());
}
