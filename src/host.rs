//! The widget's link to its host page: the events it dispatches, the live region it
//! announces progress in, and the strings of the host's locale. Provided through
//! context by `App`; any component reaches it with [`Host::get`].

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

use crate::i18n::Strings;

#[derive(Clone, Copy)]
pub struct Host {
    /// The strings of the host's locale.
    pub strings: &'static Strings,
    element: StoredValue<HtmlElement, LocalStorage>,
    /// The text of the polite ARIA live region.
    pub announcement: RwSignal<String>,
}

impl Host {
    pub fn new(strings: &'static Strings, element: HtmlElement) -> Self {
        Host { strings, element: StoredValue::new_local(element), announcement: RwSignal::new(String::new()) }
    }

    pub fn get() -> Host {
        expect_context::<Host>()
    }

    /// Dispatches `tally:{name}` on the host element as a `CustomEvent` that bubbles and
    /// crosses the shadow boundary (`composed`), with `detail` as a plain JS object.
    pub fn emit(&self, name: &str, detail: serde_json::Value) {
        if let Some(el) = self.element.try_get_value() {
            dispatch(&el, &format!("tally:{name}"), &detail.to_string());
        }
    }

    /// `tally:error` with `{code, message}`.
    pub fn error(&self, code: &str, message: &str) {
        self.emit("error", serde_json::json!({ "code": code, "message": message }));
    }

    /// Says `text` through the live region (screen readers read it politely).
    pub fn announce(&self, text: String) {
        let _ = self.announcement.try_set(text);
    }
}

/// Dispatches `name` on `el` as a `CustomEvent` that bubbles and crosses the shadow
/// boundary (`composed`), with `detail` (JSON text) as a plain JS object. Every event the
/// widget sends goes through here, [`Host::emit`]'s and the Expenses filter bridge's
/// (which lives outside the views, so it has no `Host`).
pub fn dispatch(el: &HtmlElement, name: &str, detail: &str) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&js_sys::JSON::parse(detail).unwrap_or(JsValue::NULL));
    if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = el.dispatch_event(&ev);
    }
}
