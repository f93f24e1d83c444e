//! Browser tests of the connect flow and the connections panel against a scripted
//! fake backend (`support::FakeBackend`, which behaves like the sandbox).
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;

use serde_json::Value;
use support::*;
use tally_widget::backend::Backend;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount(fake: &Rc<FakeBackend>) -> (web_sys::HtmlElement, tally_widget::WidgetHandle, Events) {
    let el = host();
    let events = Events::listen(&el);
    let backend: Rc<dyn Backend> = Rc::new(Shared(fake.clone()));
    let handle = tally_widget::mount_with(el.clone(), fake_options(), Some(backend)).unwrap();
    (el, handle, events)
}

fn done(el: web_sys::HtmlElement, mut handle: tally_widget::WidgetHandle) {
    handle.destroy();
    el.remove();
}

fn steps_seen(events: &Events) -> Vec<String> {
    events.named("job-step").iter().map(|d| format!("{} {}", d["step"].as_str().unwrap_or("?"), d["status"].as_str().unwrap_or("?"))).collect()
}

#[wasm_bindgen_test]
async fn search_matches_name_and_short_name_and_the_keyboard_chooses() {
    let fake = FakeBackend::new(vec![]);
    let (el, handle, _events) = mount(&fake);
    wait_for(&el, "the bank search", 2000, || find(&el, "#bank-search").is_some()).await;
    let search = find(&el, "#bank-search").unwrap();
    assert_eq!(find_all(&el, "li[role=option]").len(), 3, "an empty query lists every bank");
    assert_eq!(find_all(&el, "li[role=option] .badge.degraded").len(), 1, "the degraded bank is flagged");
    assert!(shadow_text(&el).contains("Tier 1"));

    type_into(&search, "ppb");
    sleep(10).await;
    let names: Vec<String> = find_all(&el, "li[role=option] .name").iter().map(|n| n.text_content().unwrap()).collect();
    assert_eq!(names.len(), 1);
    assert!(names[0].contains("Pied Piper Bank"), "short name matches: {names:?}");

    type_into(&search, "bank");
    sleep(10).await;
    let ids: Vec<String> = find_all(&el, "li[role=option]").iter().map(|n| n.get_attribute("data-id").unwrap()).collect();
    assert_eq!(ids, ["AU00002", "AU00001"], "word-prefix matches, alphabetical");
    press(&search, "ArrowDown");
    sleep(10).await;
    assert_eq!(search.get_attribute("aria-activedescendant").as_deref(), Some("bank-option-0"));
    press(&search, "ArrowDown");
    press(&search, "ArrowDown");
    sleep(10).await;
    assert_eq!(search.get_attribute("aria-activedescendant").as_deref(), Some("bank-option-0"), "wraps around");
    press(&search, "ArrowUp");
    sleep(10).await;
    assert_eq!(find_all(&el, "li[role=option][aria-selected=true]")[0].get_attribute("data-id").as_deref(), Some("AU00001"));
    press(&search, "Enter");
    wait_text(&el, "Sign in to Pied Piper Bank", 1000).await;
    let shadow = el.shadow_root().unwrap();
    wait_for(&el, "focus on the first field", 1000, || shadow.active_element().map(|a| a.id()) == Some("cred-login".into())).await;

    // Back, then Escape clears the query.
    button(&el, "Back").unwrap().click();
    wait_for(&el, "the search again", 1000, || find(&el, "#bank-search").is_some()).await;
    let search = find(&el, "#bank-search").unwrap();
    type_into(&search, "zzz");
    sleep(10).await;
    assert!(shadow_text(&el).contains("No bank matches"));
    press(&search, "Escape");
    sleep(10).await;
    assert_eq!(find_all(&el, "li[role=option]").len(), 3);
    done(el, handle);
}

#[wasm_bindgen_test]
async fn the_form_is_built_from_captions_and_validated_before_sending() {
    let fake = FakeBackend::new(vec![]);
    let (el, handle, _events) = mount(&fake);
    connect_as(&el, "Hooli", "", "").await;
    wait_text(&el, "Enter your Login ID.", 1000).await;
    assert!(shadow_text(&el).contains("Enter your Password."));
    assert_eq!(find(&el, "#cred-login").unwrap().get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(find_all(&el, "label[for=cred-login]").len(), 1, "every field is labelled");
    assert_eq!(fake.called("create"), 0, "nothing is sent until the form is valid");
    let consent = find(&el, "form.credentials p.consent").expect("the form says what connecting consents to");
    assert!(consent.text_content().unwrap_or_default().contains("12 months"), "and for how long");
    done(el, handle);
}

#[wasm_bindgen_test]
async fn a_successful_connection_shows_each_step_in_order_and_fires_events() {
    let fake = FakeBackend::new(vec![]);
    let (el, handle, events) = mount(&fake);
    connect_as(&el, "Hooli", "gavinBelson", "hooli2016").await;
    wait_text(&el, "Connected to Hooli", 3000).await;
    assert_eq!(fake.called("create gavinBelson AU00000"), 1);
    assert_eq!(
        steps_seen(&events),
        [
            "verify-credentials in-progress", "retrieve-accounts pending", "retrieve-transactions pending",
            "verify-credentials success", "retrieve-accounts in-progress",
            "retrieve-accounts success", "retrieve-transactions in-progress",
            "retrieve-transactions success",
        ]
    );
    let rows: Vec<(String, String)> = find_all(&el, ".connect-flow li.step").iter().map(|r| (r.get_attribute("data-step").unwrap(), r.get_attribute("data-status").unwrap())).collect();
    assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["verify-credentials", "retrieve-accounts", "retrieve-transactions"]);
    assert!(rows.iter().all(|r| r.1 == "success"));
    assert!(shadow_text(&el).contains("Transactions retrieved"), "results are shown");
    let created = events.named("connection-created");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["institutionId"], "AU00000");
    assert_eq!(created[0]["connectionId"], "c-gavinBelson", "from the job's links.source");
    let connected = events.named("connected");
    assert_eq!(connected.len(), 1);
    // It was null once: the event named only the connection an update was for.
    assert_eq!(connected[0]["connectionId"], created[0]["connectionId"], "tally:connected names the new connection");
    assert_eq!((connected[0]["method"].as_str(), created[0]["method"].as_str()), (Some("login"), Some("login")));
    assert!(events.named("job-step").iter().all(|d| d["jobId"] == created[0]["jobId"]));
    let live = find(&el, "[aria-live=polite][role=status]").unwrap().text_content().unwrap();
    assert!(!live.is_empty(), "progress is announced");
    button(&el, "Done").unwrap().click();
    sleep(20).await;
    assert_eq!(events.named("exit")[0]["reason"], "done");
    done(el, handle);
}

#[wasm_bindgen_test]
async fn each_failing_sandbox_user_gets_its_own_message_and_next_step() {
    let cases: [(&str, &str, &str, &str); 3] = [
        ("bighead", "invalid-credentials", "did not accept those details", "Connect"),
        ("erlich", "account-not-accessible-requires-user-action", "bank's website or app", "Try again"),
        ("jianYang", "service-unavailable", "try again later", "Try again"),
    ];
    for (login, code, message, action) in cases {
        let fake = FakeBackend::new(vec![]);
        let (el, handle, events) = mount(&fake);
        connect_as(&el, "Hooli", login, "secret").await;
        wait_text(&el, message, 3000).await;
        let errors = events.named("error");
        assert_eq!(errors.last().map(|e| e["code"].clone()), Some(Value::from(code)), "{login}: a tally:error with the code");
        assert!(button(&el, action).is_some(), "{login}: offers {action:?}");
        if login == "bighead" {
            // Wrong details: back at the form, login kept, password cleared.
            let input = find(&el, "#cred-login").expect("the form is shown again");
            assert_eq!(input.unchecked_into::<web_sys::HtmlInputElement>().value(), "bighead");
            assert_eq!(find(&el, "#cred-password").unwrap().unchecked_into::<web_sys::HtmlInputElement>().value(), "");
            assert_eq!(find(&el, "form.credentials .error").unwrap().get_attribute("data-code").as_deref(), Some(code));
        } else {
            assert_eq!(find(&el, ".end.failed").unwrap().get_attribute("data-code").as_deref(), Some(code));
            button(&el, action).unwrap().click();
            wait_for(&el, "the form after retry", 1000, || find(&el, "#cred-login").is_some()).await;
        }
        done(el, handle);
    }
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
async fn mfa_asks_for_the_code_shows_the_expiry_and_continues() {
    let fake = FakeBackend::new(vec![]);
    let (el, handle, events) = mount(&fake);
    connect_as(&el, "Pied Piper", "richard", "tabsnotspaces").await;
    wait_for(&el, "the MFA form", 3000, || find(&el, "form.mfa input").is_some()).await;
    let text = shadow_text(&el);
    assert!(text.contains("We sent a code to your phone."), "{text}");
    assert!(text.contains("Expires in 2:00") || text.contains("Expires in 1:59"), "{text}");
    let input = find(&el, "form.mfa input").unwrap();
    assert_eq!(input.get_attribute("autocomplete").as_deref(), Some("one-time-code"));
    type_into(&input, "1234");
    find(&el, "form.mfa button[type=submit]").unwrap().click();
    wait_text(&el, "Connected to Pied Piper Bank", 3000).await;
    assert_eq!(*fake.mfa_answers.borrow(), vec![vec!["1234".to_string()]]);
    let steps = steps_seen(&events);
    let pos = |s: &str| steps.iter().position(|x| x == s).unwrap_or_else(|| panic!("{s} missing from {steps:?}"));
    assert!(pos("verify-credentials success") < pos("mfa-challenge in-progress"));
    assert!(pos("mfa-challenge in-progress") < pos("mfa-challenge success"));
    assert!(pos("mfa-challenge success") < pos("retrieve-accounts in-progress"));
    done(el, handle);
}

#[wasm_bindgen_test]
async fn without_a_live_stream_the_job_is_polled_to_the_end() {
    for fake in [FakeBackend::polling(vec![]), FakeBackend::breaking(vec![])] {
        let (el, handle, _events) = mount(&fake);
        connect_as(&el, "Hooli", "jared", "django").await;
        wait_text(&el, "Connected to Hooli", 8000).await;
        assert!(fake.called("job ") >= 2, "polled: {:?}", fake.calls.borrow());
        done(el, handle);
    }
}

#[wasm_bindgen_test]
async fn refresh_all_shows_every_connections_steps_side_by_side() {
    let fake = FakeBackend::new(vec![connection("c1", "AU00000", "active"), connection("c2", "AU00002", "active"), connection("c3", "AU00000", "active")]);
    let (el, handle, events) = mount(&fake);
    wait_for(&el, "three connections", 2000, || find_all(&el, "li.connection").len() == 3).await;
    assert_eq!(events.named("ready").len(), 1);
    assert_eq!(events.named("ready")[0]["connections"], 3);
    assert!(shadow_text(&el).contains("Nucleus Bank"), "connections are named by institution");
    assert!(shadow_text(&el).contains("Next refresh in"), "{}", shadow_text(&el));
    button(&el, "Refresh all").unwrap().click();
    wait_for(&el, "every row's steps", 2000, || find_all(&el, "li.connection ol.steps").len() == 3).await;
    wait_for(&el, "refresh-complete", 4000, || !events.named("refresh-complete").is_empty()).await;
    let done_ev = &events.named("refresh-complete")[0];
    assert_eq!(done_ev["succeeded"], 3);
    assert_eq!(done_ev["failed"], 0);
    assert_eq!(done_ev["jobIds"].as_array().unwrap().len(), 3);
    for row in find_all(&el, "li.connection") {
        let statuses: Vec<String> = (0..3).filter_map(|i| row.query_selector_all("li.step").ok()?.item(i)?.dyn_into::<web_sys::Element>().ok()?.get_attribute("data-status")).collect();
        assert_eq!(statuses, ["success", "success", "success"]);
    }
    let by_conn: std::collections::HashSet<String> = events.named("job-step").iter().map(|d| d["connectionId"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(by_conn.len(), 3, "each connection's steps are reported: {by_conn:?}");
    assert_eq!(fake.called("refresh-all"), 1);
    done(el, handle);
}

#[wasm_bindgen_test]
async fn refresh_one_update_credentials_and_delete_with_confirmation() {
    let fake = FakeBackend::new(vec![connection("c1", "AU00000", "active"), connection("c2", "AU00000", "invalid")]);
    let (el, handle, events) = mount(&fake);
    wait_for(&el, "two connections", 2000, || find_all(&el, "li.connection").len() == 2).await;
    assert!(shadow_text(&el).contains("Needs new credentials"));

    button(&el, "Refresh Hooli").unwrap().click();
    wait_for(&el, "refresh-complete", 3000, || !events.named("refresh-complete").is_empty()).await;
    assert_eq!(fake.called("refresh c1"), 1);

    button(&el, "Update credentials for Hooli").unwrap().click();
    wait_text(&el, "Sign in to Hooli", 1000).await;
    assert!(find(&el, "#bank-search").is_none(), "no search when updating one connection");
    type_into(&find(&el, "#cred-login").unwrap(), "richard");
    type_into(&find(&el, "#cred-password").unwrap(), "tabsnotspaces");
    find(&el, "form.credentials button[type=submit]").unwrap().click();
    wait_text(&el, "Connected to Hooli", 3000).await;
    assert_eq!(fake.called("update c2 richard"), 1);

    find_all(&el, "li.connection[data-id=c1] button.delete")[0].click();
    wait_text(&el, "Delete the connection to Hooli", 1000).await;
    assert_eq!(fake.called("delete"), 0, "nothing is deleted before confirming");
    button(&el, "Yes, delete").unwrap().click();
    wait_for(&el, "the row to go", 2000, || find_all(&el, "li.connection").len() == 1).await;
    assert_eq!(fake.called("delete c1"), 1);
    done(el, handle);
}
