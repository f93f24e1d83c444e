//! Browser tests of embedding: mounting and destroying, several instances, invalid
//! options, and the real HTTP backend's token handling (late token, renewal, retry on
//! an expired token, aborting on destroy) against a fake `fetch`.
//! Run with `wasm-pack test --headless --chrome|--firefox`. All tests of this binary
//! share one page, so each mounts into its own fresh element and removes it at the end.
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;

use support::*;
use tally_widget::backend::Backend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn mounts_in_a_shadow_root_with_adopted_styles_and_destroys_cleanly() {
    let el = host();
    let fake = FakeBackend::new(vec![connection("c1", "AU00000", "active")]);
    let mut handle = tally_widget::mount_with(el.clone(), fake_options(), Some(Rc::new(Shared(fake)) as Rc<dyn Backend>)).unwrap();
    wait_text(&el, "Hooli", 2000).await;
    let shadow = el.shadow_root().unwrap();
    let sheets = js_sys::Reflect::get(&shadow, &"adoptedStyleSheets".into()).unwrap();
    assert_eq!(js_sys::Array::from(&sheets).length(), 1, "styles adopted, not inlined");
    assert!(shadow.query_selector("style").unwrap().is_none(), "no inline <style> (CSP without 'unsafe-inline')");
    assert!(el.inner_html().is_empty(), "nothing rendered into the light DOM");
    assert_eq!(find_all(&el, "[role=tab]").len(), 2, "Connections | Expenses");
    find_all(&el, "[role=tab]")[1].click();
    sleep(20).await;
    assert_eq!(find(&el, "#panel-connections").unwrap().get_attribute("hidden").as_deref(), Some(""));
    assert!(find(&el, "#panel-expenses").unwrap().get_attribute("hidden").is_none());

    handle.destroy();
    assert_eq!(shadow.child_element_count(), 0, "destroy removes the widget");
    assert_eq!(js_sys::Array::from(&js_sys::Reflect::get(&shadow, &"adoptedStyleSheets".into()).unwrap()).length(), 0);
    handle.destroy(); // twice is harmless
    handle.update(js_sys::Object::new().into()); // and so is updating a destroyed widget
    el.remove();
}

#[wasm_bindgen_test]
async fn two_instances_on_one_page_are_independent() {
    let (a, b) = (host(), host());
    let fa = FakeBackend::new(vec![connection("c1", "AU00000", "active")]);
    let fb = FakeBackend::new(vec![connection("c2", "AU00002", "active")]);
    let mut ha = tally_widget::mount_with(a.clone(), fake_options(), Some(Rc::new(Shared(fa)) as Rc<dyn Backend>)).unwrap();
    let mut hb = tally_widget::mount_with(b.clone(), fake_options(), Some(Rc::new(Shared(fb.clone())) as Rc<dyn Backend>)).unwrap();
    wait_for(&a, "both lists", 2000, || find_all(&a, "li.connection").len() == 1 && find_all(&b, "li.connection").len() == 1).await;
    assert!(shadow_text(&a).contains("Hooli") && !shadow_text(&a).contains("Nucleus"));
    assert!(shadow_text(&b).contains("Nucleus") && !shadow_text(&b).contains("Hooli"));
    ha.destroy();
    button(&b, "Refresh all").unwrap().click();
    wait_for(&b, "b's refresh to finish", 3000, || find_all(&b, "li.step[data-status=success]").len() == 3).await;
    assert_eq!(fb.called("refresh-all"), 1, "destroying one leaves the other working");
    hb.destroy();
    a.remove();
    b.remove();
}

#[wasm_bindgen_test]
async fn invalid_options_show_a_specific_message_and_fire_an_error_event() {
    let el = host();
    let events = Events::listen(&el);
    let mut handle = tally_widget::mount(el.clone(), js_sys::Object::new().into()).unwrap();
    wait_text(&el, "api-base", 1000).await;
    wait_for(&el, "tally:error", 1000, || !events.named("error").is_empty()).await;
    assert_eq!(events.named("error")[0]["code"], "invalid-options");
    handle.destroy();

    let opts = js_sys::JSON::parse(r#"{"apiBase":"http://x.test","theme":"neon"}"#).unwrap();
    let mut handle = tally_widget::mount(el.clone(), opts).unwrap();
    wait_text(&el, "theme \"neon\"", 1000).await;
    // Fixing the options later works without remounting.
    handle.update(js_sys::JSON::parse(r#"{"apiBase":"http://x.test","getToken":1}"#).unwrap());
    wait_text(&el, "getToken must be a function", 1000).await;
    handle.destroy();
    el.remove();
}

// ---------------------------------------------------------------------------------
// The real HTTP backend against a fake fetch.

#[wasm_bindgen(inline_js = r#"
export function install_fake_fetch(tokenHandler) {
  const state = { calls: [], aborted: 0, tokens: 0, hang: false };
  const real = globalThis.__tallyRealFetch || globalThis.fetch;
  globalThis.__tallyRealFetch = real;
  const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  globalThis.fetch = async (req) => {
    const url = new URL(req.url, location.href);
    const auth = req.headers.get('Authorization');
    state.calls.push(`${req.method} ${url.pathname} ${auth || ''}`.trim());
    if (url.pathname === '/public/institutions') {
      return json(200, { type: 'list', data: [{ type: 'institution', id: 'AU00000', name: 'Hooli', shortName: 'Hooli', institutionType: 'Bank', country: 'Australia', loginIdCaption: 'Login', passwordCaption: 'Password', tier: '1', authorization: 'user', stage: 'live', status: 'operational', logo: { type: 'image', links: { full: '', square: '' } } }] });
    }
    if (url.pathname === '/demo/token') {
      state.tokens += 1;
      return json(200, { access_token: 'url-token', expires_in: 3600, user_id: 'u1' });
    }
    if (state.hang) {
      return new Promise((_, reject) => req.signal.addEventListener('abort', () => { state.aborted += 1; reject(new DOMException('aborted', 'AbortError')); }));
    }
    if (auth === 'Bearer expired') {
      return json(403, { type: 'list', correlationId: 'x', data: [{ type: 'error', code: 'access-denied', title: 'Access denied', detail: 'Token has expired' }] });
    }
    if (url.pathname === '/users/u1/connections') {
      return json(200, { type: 'list', data: [{ type: 'connection', id: 'c1', status: 'active', createdDate: '2026-01-01', institution: { type: 'institution', id: 'AU00000' } }] });
    }
    if (url.pathname === '/users/u1/connections/refresh') return json(202, { type: 'list', data: [] });
    return json(404, { type: 'list', correlationId: 'x', data: [{ type: 'error', code: 'resource-not-found', title: 'Not found', detail: url.pathname }] });
  };
  return state;
}
export function restore_fetch() { if (globalThis.__tallyRealFetch) globalThis.fetch = globalThis.__tallyRealFetch; }
export function counting_get_token(tokens, expiresIn) {
  const fn = () => { fn.calls += 1; const t = tokens[Math.min(fn.calls - 1, tokens.length - 1)]; return Promise.resolve({ access_token: t, expires_in: expiresIn, user_id: 'u1' }); };
  fn.calls = 0;
  return fn;
}
"#)]
extern "C" {
    fn install_fake_fetch() -> JsValue;
    fn restore_fetch();
    fn counting_get_token(tokens: js_sys::Array, expires_in: u32) -> js_sys::Function;
}

fn calls(state: &JsValue) -> Vec<String> {
    js_sys::Array::from(&js_sys::Reflect::get(state, &"calls".into()).unwrap()).iter().filter_map(|v| v.as_string()).collect()
}

fn num(v: &JsValue, key: &str) -> f64 {
    js_sys::Reflect::get(v, &key.into()).unwrap().as_f64().unwrap_or(-1.0)
}

fn opts(extra: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"apiBase".into(), &"http://tally.test".into()).unwrap();
    for (k, v) in extra {
        js_sys::Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn tokens(list: &[&str]) -> js_sys::Array {
    list.iter().map(|s| JsValue::from_str(s)).collect()
}

#[wasm_bindgen_test]
async fn a_token_url_that_arrives_late_releases_the_waiting_requests() {
    let state = install_fake_fetch();
    let el = host();
    let events = Events::listen(&el);
    let mut handle = tally_widget::mount(el.clone(), opts(&[])).unwrap();
    wait_text(&el, "Waiting for the page to sign you in", 1000).await;
    sleep(50).await;
    assert!(!calls(&state).iter().any(|c| c.contains("/users/")), "no authenticated call without a token: {:?}", calls(&state));
    assert!(events.named("ready").is_empty());

    handle.update(opts(&[("tokenUrl", "http://tally.test/demo/token".into())]));
    wait_for(&el, "tally:ready", 2000, || !events.named("ready").is_empty()).await;
    let c = calls(&state);
    assert!(c.contains(&"POST /demo/token".to_string()), "the widget POSTs to the token URL: {c:?}");
    assert!(c.contains(&"GET /users/u1/connections Bearer url-token".to_string()), "{c:?}");
    assert!(!shadow_text(&el).contains("Waiting for the page"));
    assert_eq!(num(&state, "tokens"), 1.0, "one token for every call");
    handle.destroy();
    el.remove();
    restore_fetch();
}

#[wasm_bindgen_test]
async fn the_token_is_renewed_before_it_expires() {
    let state = install_fake_fetch();
    let el = host();
    let events = Events::listen(&el);
    // Two-second tokens: renewed after 1.8 s (the last tenth of their life).
    let get_token = counting_get_token(tokens(&["t1", "t2", "t3"]), 2);
    let mut handle = tally_widget::mount(el.clone(), opts(&[("getToken", get_token.clone().into())])).unwrap();
    wait_for(&el, "tally:ready", 2000, || !events.named("ready").is_empty()).await;
    assert_eq!(num(&get_token, "calls"), 1.0);
    wait_for(&el, "the refresh button", 1000, || button(&el, "Refresh all").map(|b| !b.unchecked_ref::<web_sys::HtmlButtonElement>().disabled()).unwrap_or(false)).await;
    sleep(1900).await;
    button(&el, "Refresh all").unwrap().click();
    wait_for(&el, "the refresh call", 2000, || calls(&state).iter().any(|c| c.starts_with("POST /users/u1/connections/refresh"))).await;
    assert_eq!(num(&get_token, "calls"), 2.0, "a new token before the old one expired");
    assert!(calls(&state).contains(&"POST /users/u1/connections/refresh Bearer t2".to_string()), "{:?}", calls(&state));
    handle.destroy();
    el.remove();
    restore_fetch();
}

#[wasm_bindgen_test]
async fn an_expired_token_403_is_retried_once_with_a_fresh_token() {
    let state = install_fake_fetch();
    let el = host();
    let events = Events::listen(&el);
    let get_token = counting_get_token(tokens(&["expired", "fresh"]), 3600);
    let mut handle = tally_widget::mount(el.clone(), opts(&[("getToken", get_token.clone().into())])).unwrap();
    wait_for(&el, "tally:ready", 2000, || !events.named("ready").is_empty()).await;
    let c = calls(&state);
    assert_eq!(c.iter().filter(|c| c.starts_with("GET /users/u1/connections")).collect::<Vec<_>>(), ["GET /users/u1/connections Bearer expired", "GET /users/u1/connections Bearer fresh"]);
    assert_eq!(num(&get_token, "calls"), 2.0);
    assert!(events.named("error").is_empty(), "the retry hid the expiry from the user");
    handle.destroy();

    // A token that stays expired is retried once only, then reported.
    let events = Events::listen(&el);
    let always_expired = counting_get_token(tokens(&["expired"]), 3600);
    let mut handle = tally_widget::mount(el.clone(), opts(&[("getToken", always_expired.clone().into())])).unwrap();
    wait_for(&el, "tally:error", 2000, || !events.named("error").is_empty()).await;
    assert_eq!(events.named("error")[0]["code"], "access-denied");
    assert_eq!(num(&always_expired, "calls"), 2.0);
    handle.destroy();
    el.remove();
    restore_fetch();
}

#[wasm_bindgen_test]
async fn destroy_aborts_requests_in_flight() {
    let state = install_fake_fetch();
    js_sys::Reflect::set(&state, &"hang".into(), &true.into()).unwrap();
    let el = host();
    let get_token = counting_get_token(tokens(&["t1"]), 3600);
    let mut handle = tally_widget::mount(el.clone(), opts(&[("getToken", get_token.into())])).unwrap();
    wait_for(&el, "the hanging call", 2000, || calls(&state).iter().any(|c| c.contains("/users/u1/connections"))).await;
    handle.destroy();
    sleep(20).await;
    assert_eq!(num(&state, "aborted"), 1.0, "the in-flight request was aborted");
    assert_eq!(el.shadow_root().unwrap().child_element_count(), 0);
    el.remove();
    restore_fetch();
}
