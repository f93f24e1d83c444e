//! Browser tests of mounting: run with `wasm-pack test --headless --chrome|--firefox`.
//! All tests of this binary share one page, so each mounts into its own fresh element
//! and removes it at the end.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use tally_api::Institution;
use tally_widget::backend::{Backend, BackendError, BoxFuture};
use tally_widget::options::{Options, OptionsError, RawOptions};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

struct FakeBackend(Vec<Institution>);

impl Backend for FakeBackend {
    fn institutions(&self) -> BoxFuture<Result<Vec<Institution>, BackendError>> {
        let list = self.0.clone();
        Box::pin(async move { Ok(list) })
    }
}

fn institution(id: &str, name: &str, status: &str) -> Institution {
    serde_json::from_value(serde_json::json!({
        "type": "institution", "id": id, "name": name, "shortName": name,
        "institutionType": "Bank", "country": "Australia", "loginIdCaption": "Login",
        "passwordCaption": "Password", "tier": "1", "authorization": "user", "stage": "live",
        "status": status, "logo": {"type": "image", "links": {"full": "", "square": ""}},
    }))
    .unwrap()
}

fn host() -> HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

fn options() -> Result<Options, OptionsError> {
    RawOptions { api_base: Some("http://127.0.0.1:1".into()), ..Default::default() }.validate()
}

fn shadow_text(el: &HtmlElement) -> String {
    el.shadow_root().expect("shadow root").text_content().unwrap_or_default()
}

/// Lets the widget's spawned futures and reactive effects run.
async fn settle() {
    for _ in 0..3 {
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)).await.unwrap();
        gloo_timers_sleep(10).await;
    }
}

async fn gloo_timers_sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn renders_the_institution_list_in_a_shadow_root_and_destroys_cleanly() {
    let el = host();
    let backend = Rc::new(FakeBackend(vec![institution("AU00000", "Hooli", "operational"), institution("AU00002", "Nucleus Bank", "degraded-performance")]));
    let mut handle = tally_widget::mount_with(el.clone(), options(), Some(backend)).unwrap();
    settle().await;
    let shadow = el.shadow_root().unwrap();
    let items = shadow.query_selector_all("ul.institutions li").unwrap();
    assert_eq!(items.length(), 2);
    assert!(shadow_text(&el).contains("Hooli"));
    assert_eq!(shadow.query_selector_all(".badge.degraded").unwrap().length(), 1, "the degraded bank is flagged");
    let sheets = js_sys::Reflect::get(&shadow, &"adoptedStyleSheets".into()).unwrap();
    assert_eq!(js_sys::Array::from(&sheets).length(), 1, "styles adopted, not inlined");
    assert!(el.inner_html().is_empty(), "nothing rendered into the light DOM");

    handle.destroy();
    assert_eq!(shadow.child_element_count(), 0, "destroy removes the widget");
    handle.destroy(); // twice is harmless
    el.remove();
}

#[wasm_bindgen_test]
async fn two_instances_on_one_page_are_independent() {
    let (a, b) = (host(), host());
    let mut ha = tally_widget::mount_with(a.clone(), options(), Some(Rc::new(FakeBackend(vec![institution("AU00000", "Hooli", "operational")])))).unwrap();
    let mut hb = tally_widget::mount_with(b.clone(), options(), Some(Rc::new(FakeBackend(vec![institution("AU00001", "Pied Piper Bank", "operational")])))).unwrap();
    settle().await;
    assert!(shadow_text(&a).contains("Hooli") && !shadow_text(&a).contains("Pied Piper"));
    assert!(shadow_text(&b).contains("Pied Piper") && !shadow_text(&b).contains("Hooli"));
    ha.destroy();
    settle().await;
    assert!(shadow_text(&b).contains("Pied Piper"), "destroying one leaves the other");
    hb.destroy();
    a.remove();
    b.remove();
}

#[wasm_bindgen_test]
async fn invalid_options_show_a_specific_message_not_a_blank_box() {
    let el = host();
    let mut handle = tally_widget::mount(el.clone(), js_sys::Object::new().into()).unwrap();
    settle().await;
    assert!(shadow_text(&el).contains("api-base"), "got: {}", shadow_text(&el));
    handle.destroy();
    el.remove();
}
