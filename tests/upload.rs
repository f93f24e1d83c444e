//! Browser tests of the statement upload (the second way in) against the fake backend
//! (`support::FakeBackend`, which reads a CSV like the server and refuses one with
//! `32/13/2026` in it the way the server does): the label and the drop zone's button,
//! picking, dropping, the progress bar, the job's steps, the events, and what the
//! Connections and Expenses views show afterwards.
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;

use support::*;
use tally_widget::backend::Backend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const MARCH: &str = "\
\"03/03/2026\",\"-84.20\",\"WOOLWORTHS 1234 SYDNEY NS AUS\",\"+4915.80\"
\"04/03/2026\",\"-23.10\",\"UBER *TRIP HELP.UBER.COM\",\"+4892.70\"
\"05/03/2026\",\"+3200.00\",\"SALARY ACME PTY LTD\",\"+8092.70\"
";

const BROKEN: &str = "\"32/13/2026\",\"-84.20\",\"WOOLWORTHS 1234 SYDNEY\",\"+4915.80\"\n";

fn mount(fake: &Rc<FakeBackend>) -> (HtmlElement, tally_widget::WidgetHandle, Events) {
    let el = host();
    let events = Events::listen(&el);
    let backend: Rc<dyn Backend> = Rc::new(Shared(fake.clone()));
    let handle = tally_widget::mount_with(el.clone(), fake_options(), Some(backend)).unwrap();
    (el, handle, events)
}

fn done(el: HtmlElement, mut handle: tally_widget::WidgetHandle) {
    handle.destroy();
    el.remove();
}

fn file(name: &str, text: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(text.as_bytes()));
    web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap()
}

fn holding(f: &web_sys::File) -> web_sys::DataTransfer {
    let dt = web_sys::DataTransfer::new().unwrap();
    dt.items().add_with_file(f).unwrap();
    dt
}

/// Picks `f` in the file input, as the browser's file picker does.
fn pick(el: &HtmlElement, f: &web_sys::File) {
    let input: web_sys::HtmlInputElement = find(el, "input#statement-file").expect("the file input").unchecked_into();
    input.set_files(holding(f).files().as_ref());
    input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

fn drag(target: &HtmlElement, kind: &str, f: &web_sys::File) {
    let init = web_sys::DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_data_transfer(Some(&holding(f)));
    target.dispatch_event(&web_sys::DragEvent::new_with_event_init_dict(kind, &init).unwrap()).unwrap();
}

/// Chooses the bank matching `query` in the connect flow's search.
async fn choose_bank(el: &HtmlElement, query: &str) {
    wait_for(el, "the bank search", 2000, || find(el, "#bank-search").is_some()).await;
    let search = find(el, "#bank-search").unwrap();
    type_into(&search, query);
    sleep(10).await;
    press(&search, "ArrowDown");
    press(&search, "Enter");
}

fn steps(el: &HtmlElement) -> Vec<(String, String)> {
    find_all(el, ".connect-flow li.step").iter().map(|r| (r.get_attribute("data-step").unwrap(), r.get_attribute("data-status").unwrap())).collect()
}

#[wasm_bindgen_test]
async fn a_statement_only_bank_goes_straight_to_a_labelled_file_input_and_a_real_button() {
    let fake = FakeBackend::with_statement_banks(vec![]);
    let (el, handle, _events) = mount(&fake);
    wait_for(&el, "the bank list", 2000, || find(&el, "li[role=option][data-id=AU10001]").is_some()).await;
    let badge = find(&el, "li[data-id=AU10001] .badge.statement").expect("statement-only banks are marked");
    assert_eq!(badge.text_content().unwrap(), "Statement upload");
    assert!(find(&el, "li[data-id=AU00000] .badge.statement").is_none(), "the sandbox bank signs in");

    choose_bank(&el, "CommBank").await;
    wait_text(&el, "Upload a statement from Commonwealth Bank of Australia", 1000).await;
    assert!(find(&el, "#cred-login").is_none(), "no credentials for a statement-only bank");
    let label = find(&el, "label[for=statement-file]").expect("the file input has a label");
    assert_eq!(label.text_content().unwrap(), "Statement file");
    assert!(label.offset_width() > 0 && label.offset_height() > 0, "the label is visible");
    let input = find(&el, "input#statement-file").unwrap();
    assert_eq!(input.get_attribute("type").as_deref(), Some("file"));
    assert!(input.get_attribute("accept").unwrap().contains(".ofx"));
    let hint = find(&el, "#statement-hint").unwrap().text_content().unwrap();
    assert!(hint.contains("OFX, QFX, QIF or CSV, up to 10 MB"), "{hint}");

    let zone_button = find(&el, ".drop-zone button.choose-file").expect("the drop zone holds a button");
    assert_eq!(zone_button.tag_name(), "BUTTON");
    assert_eq!(zone_button.get_attribute("type").as_deref(), Some("button"));
    assert!(zone_button.text_content().unwrap().contains("Choose a file"));
    assert_eq!(zone_button.get_attribute("aria-describedby").as_deref(), Some("statement-hint"));
    done(el, handle);
}

#[wasm_bindgen_test]
async fn an_uploaded_file_shows_its_progress_then_the_jobs_steps_then_its_data() {
    let fake = FakeBackend::with_statement_banks(vec![]);
    fake.upload_ms.set(150);
    let (el, handle, events) = mount(&fake);
    choose_bank(&el, "CommBank").await;
    wait_for(&el, "the file input", 1000, || find(&el, "input#statement-file").is_some()).await;
    pick(&el, &file("march.csv", MARCH));

    // The progress bar: determinate, named by the file, with its value in words.
    wait_for(&el, "the upload progress bar", 2000, || find(&el, "progress#upload-progress").is_some()).await;
    let bar = find(&el, "progress#upload-progress").unwrap();
    assert_eq!(bar.get_attribute("max").as_deref(), Some("100"));
    let label = find(&el, "label[for=upload-progress]").unwrap().text_content().unwrap();
    assert_eq!(label, "Uploading march.csv");
    let e = el.clone();
    wait_for(&el, "the bar to move", 2000, move || {
        find(&e, "progress#upload-progress").and_then(|b| b.get_attribute("value")).is_some_and(|v| v != "0")
    })
    .await;
    assert!(bar.get_attribute("aria-valuetext").unwrap().contains(" % of "), "{:?}", bar.get_attribute("aria-valuetext"));
    assert!(find(&el, ".drop-zone button.choose-file").unwrap().has_attribute("disabled"), "one file at a time");

    wait_text(&el, "Imported your Commonwealth Bank of Australia statement", 5000).await;
    assert_eq!(fake.called(&format!("upload AU10001 march.csv {}", MARCH.len())), 1);
    let seen = fake.progress_seen.borrow().clone();
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0) && seen.last().is_some_and(|(s, t)| s == t), "{seen:?}");
    assert_eq!(steps(&el), [("verify-credentials", "success"), ("retrieve-accounts", "success"), ("retrieve-transactions", "success")].map(|(a, b)| (a.to_string(), b.to_string())));
    assert!(shadow_text(&el).contains("Read the file") && shadow_text(&el).contains("File read"), "the first step reads a file here");

    let created = events.named("connection-created");
    assert_eq!(created.len(), 1);
    assert_eq!((created[0]["institutionId"].as_str(), created[0]["method"].as_str()), (Some("AU10001"), Some("statement")));
    assert_eq!(created[0]["connectionId"], "c-file-AU10001");
    let connected = events.named("connected");
    assert_eq!(connected.len(), 1);
    assert_eq!((&connected[0]["jobId"], &connected[0]["connectionId"]), (&created[0]["jobId"], &created[0]["connectionId"]));
    let step_events: Vec<String> = events.named("job-step").iter().filter(|d| d["status"] == "success").map(|d| d["step"].as_str().unwrap().to_string()).collect();
    assert_eq!(step_events, ["verify-credentials", "retrieve-accounts", "retrieve-transactions"]);

    // The data changed: the connection is listed as a file's, and Expenses reads afresh.
    button(&el, "Done").unwrap().click();
    wait_for(&el, "the statement connection", 2000, || find(&el, "li.connection[data-method=statement]").is_some()).await;
    let row = find(&el, "li.connection[data-method=statement]").unwrap();
    let text = row.text_content().unwrap();
    assert!(text.contains("From a statement file") && !text.contains("Next refresh"), "{text}");
    assert!(button(&el, "Refresh Commonwealth").is_none(), "nothing to refresh for a file");
    assert!(button(&el, "Upload a newer Commonwealth Bank of Australia statement").is_some());
    find(&el, "#tab-expenses").unwrap().click();
    wait_text(&el, "WOOLWORTHS 1234 SYDNEY", 3000).await;
    assert!(shadow_text(&el).contains("UBER *TRIP"));
    done(el, handle);
}

#[wasm_bindgen_test]
async fn an_unreadable_file_shows_the_servers_detail_and_another_file_can_be_picked() {
    let fake = FakeBackend::with_statement_banks(vec![]);
    let (el, handle, events) = mount(&fake);
    choose_bank(&el, "Other bank").await;
    wait_for(&el, "the file input", 1000, || find(&el, "input#statement-file").is_some()).await;
    pick(&el, &file("broken.csv", BROKEN));

    wait_text(&el, UNREADABLE, 5000).await;
    let error = find(&el, ".upload .error[role=alert]").expect("the failure is said above the zone");
    assert_eq!(error.get_attribute("data-code").as_deref(), Some("statement-not-readable"));
    assert!(error.text_content().unwrap().contains("line 14"), "the line is named");
    assert_eq!(events.named("error").last().map(|e| e["code"].clone()), Some("statement-not-readable".into()));
    assert!(events.named("connected").is_empty());
    let again = find(&el, ".drop-zone button.choose-file").unwrap();
    assert!(again.text_content().unwrap().contains("Choose another file") && !again.has_attribute("disabled"));

    pick(&el, &file("march.csv", MARCH));
    wait_text(&el, "Imported your Other bank statement", 5000).await;
    assert_eq!(fake.called("upload AU19999"), 2);
    done(el, handle);
}

#[wasm_bindgen_test]
async fn the_drop_zone_takes_a_dropped_file_and_its_button_opens_the_picker() {
    let fake = FakeBackend::with_statement_banks(vec![]);
    let (el, handle, _events) = mount(&fake);
    choose_bank(&el, "CommBank").await;
    wait_for(&el, "the drop zone", 1000, || find(&el, ".drop-zone").is_some()).await;

    // Keyboard: the button is a real one in the tab order (Enter and Space press it), and
    // pressing it opens the file input's picker (its click, caught here before it opens).
    let button = find(&el, ".drop-zone button.choose-file").unwrap();
    assert_ne!(button.get_attribute("tabindex").as_deref(), Some("-1"));
    button.focus().unwrap();
    assert_eq!(el.shadow_root().unwrap().active_element().map(|a| a.class_name()), Some("primary choose-file".into()));
    let input = find(&el, "input#statement-file").unwrap();
    assert_eq!(input.get_attribute("tabindex").as_deref(), Some("-1"), "not a second stop in the tab order");
    let opened = Rc::new(std::cell::Cell::new(0));
    let o = opened.clone();
    let catch = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        e.prevent_default();
        o.set(o.get() + 1);
    });
    input.add_event_listener_with_callback("click", catch.as_ref().unchecked_ref()).unwrap();
    button.click();
    assert_eq!(opened.get(), 1, "the button opened the picker");
    input.remove_event_listener_with_callback("click", catch.as_ref().unchecked_ref()).unwrap();

    let zone = find(&el, ".drop-zone").unwrap();
    let f = file("dropped.csv", MARCH);
    drag(&zone, "dragover", &f);
    sleep(10).await;
    assert!(zone.class_list().contains("dragging"), "the zone shows it takes the file");
    assert!(shadow_text(&el).contains("Drop the file to upload it"));
    drag(&zone, "drop", &f);
    sleep(10).await;
    assert!(!zone.class_list().contains("dragging"));
    wait_text(&el, "Imported your Commonwealth Bank of Australia statement", 5000).await;
    assert_eq!(fake.called("upload AU10001 dropped.csv"), 1);
    done(el, handle);
}

#[wasm_bindgen_test]
async fn a_bank_with_both_ways_lets_the_user_choose_and_go_back() {
    let fake = FakeBackend::with_statement_banks(vec![]);
    let (el, handle, _events) = mount(&fake);
    choose_bank(&el, "Mutual").await;
    wait_text(&el, "How would you like to bring in Hooli Mutual?", 1000).await;
    find(&el, "button.way.statement").expect("upload offered").click();
    wait_for(&el, "the upload", 1000, || find(&el, "input#statement-file").is_some()).await;
    button(&el, "Back").unwrap().click();
    wait_for(&el, "the choice again", 1000, || find(&el, "button.way.sign-in").is_some()).await;
    find(&el, "button.way.sign-in").unwrap().click();
    wait_for(&el, "the credentials form", 1000, || find(&el, "#cred-login").is_some()).await;
    button(&el, "Back").unwrap().click();
    button(&el, "Back").unwrap().click();
    wait_for(&el, "the search", 1000, || find(&el, "#bank-search").is_some()).await;
    done(el, handle);
}

#[wasm_bindgen_test]
async fn a_statement_connection_takes_a_newer_statement_instead_of_a_refresh() {
    let fake = FakeBackend::with_statement_banks(vec![statement_connection("c-file-AU10001", "AU10001")]);
    let (el, handle, events) = mount(&fake);
    wait_for(&el, "the connection", 2000, || find(&el, "li.connection").is_some()).await;
    assert!(find(&el, "button.refresh-all").unwrap().has_attribute("disabled"), "nothing to refresh");
    assert!(find(&el, "li.connection button.refresh").is_none());
    button(&el, "Upload a newer Commonwealth Bank of Australia statement").unwrap().click();
    wait_for(&el, "the file input", 1000, || find(&el, "input#statement-file").is_some()).await;
    assert!(find(&el, "#bank-search").is_none(), "no search for a newer statement");
    pick(&el, &file("april.csv", MARCH));
    wait_text(&el, "Imported your Commonwealth Bank of Australia statement", 5000).await;
    assert!(events.named("connection-created").is_empty(), "no new connection");
    assert_eq!(events.named("connected")[0]["connectionId"], "c-file-AU10001");
    assert_eq!(fake.connections.borrow().len(), 1);
    done(el, handle);
}
